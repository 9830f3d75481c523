/**
 * Strapi's secrets, in one place. Development and tests run with fixed
 * placeholder values so a fresh clone starts with nothing to configure;
 * production refuses to start while any secret is missing or still a placeholder.
 */
const PLACEHOLDER_PREFIX = 'dev-only-';

const DEFAULTS = {
  APP_KEYS: `${PLACEHOLDER_PREFIX}key-a,${PLACEHOLDER_PREFIX}key-b`,
  API_TOKEN_SALT: `${PLACEHOLDER_PREFIX}api-token-salt`,
  ADMIN_JWT_SECRET: `${PLACEHOLDER_PREFIX}admin-jwt-secret`,
  JWT_SECRET: `${PLACEHOLDER_PREFIX}jwt-secret`,
  TRANSFER_TOKEN_SALT: `${PLACEHOLDER_PREFIX}transfer-token-salt`,
  ENCRYPTION_KEY: `${PLACEHOLDER_PREFIX}encryption-key`,
} as const;

type SecretName = keyof typeof DEFAULTS;

export interface Secrets {
  appKeys: string[];
  apiTokenSalt: string;
  adminJwtSecret: string;
  jwtSecret: string;
  transferTokenSalt: string;
  encryptionKey: string;
}

const isPlaceholder = (value: string | undefined) =>
  !value || value.includes(PLACEHOLDER_PREFIX) || value.includes('change-me') || value === 'tobemodified';

export function readSecrets(env: (name: string, fallback?: string) => string): Secrets {
  const production = process.env.NODE_ENV === 'production';
  const read = (name: SecretName) => {
    const value = env(name, undefined as unknown as string);
    if (production && isPlaceholder(value)) {
      throw new Error(
        `${name} must be set to a real secret in production (it is missing or still a placeholder). See .env.example.`
      );
    }
    return value || DEFAULTS[name];
  };
  return {
    appKeys: read('APP_KEYS').split(',').map((k) => k.trim()).filter(Boolean),
    apiTokenSalt: read('API_TOKEN_SALT'),
    adminJwtSecret: read('ADMIN_JWT_SECRET'),
    jwtSecret: read('JWT_SECRET'),
    transferTokenSalt: read('TRANSFER_TOKEN_SALT'),
    encryptionKey: read('ENCRYPTION_KEY'),
  };
}
