import { readSecrets } from '../../config/secrets';

const envFrom = (values: Record<string, string | undefined>) => (name: string, fallback?: string) => values[name] ?? fallback;

describe('secrets', () => {
  const original = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = original;
  });

  it('starts in development with placeholder secrets and nothing configured', () => {
    process.env.NODE_ENV = 'development';
    const secrets = readSecrets(envFrom({}));
    expect(secrets.appKeys).toHaveLength(2);
    expect(secrets.jwtSecret).toEqual(expect.any(String));
  });

  it('refuses to start in production while a secret is missing, naming it', () => {
    process.env.NODE_ENV = 'production';
    expect(() => readSecrets(envFrom({}))).toThrow(/APP_KEYS must be set/);
  });

  it('refuses the placeholders of .env.example in production', () => {
    process.env.NODE_ENV = 'production';
    const fromExample = envFrom({
      APP_KEYS: 'change-me-1,change-me-2', API_TOKEN_SALT: 'change-me', ADMIN_JWT_SECRET: 'change-me',
      JWT_SECRET: 'change-me', TRANSFER_TOKEN_SALT: 'change-me', ENCRYPTION_KEY: 'change-me',
    });
    expect(() => readSecrets(fromExample)).toThrow(/must be set to a real secret/);
  });

  it('accepts real secrets in production', () => {
    process.env.NODE_ENV = 'production';
    const real = envFrom({
      APP_KEYS: 'k1-9f8e7d,k2-6c5b4a', API_TOKEN_SALT: 's-1a2b3c', ADMIN_JWT_SECRET: 'a-4d5e6f',
      JWT_SECRET: 'j-7g8h9i', TRANSFER_TOKEN_SALT: 't-0j1k2l', ENCRYPTION_KEY: 'e-3m4n5o',
    });
    expect(readSecrets(real)).toMatchObject({ appKeys: ['k1-9f8e7d', 'k2-6c5b4a'], jwtSecret: 'j-7g8h9i' });
  });
});
