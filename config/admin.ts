import { readSecrets } from './secrets';

export default ({ env }) => {
  const secrets = readSecrets(env);
  return {
    auth: { secret: secrets.adminJwtSecret },
    apiToken: { salt: secrets.apiTokenSalt },
    transfer: { token: { salt: secrets.transferTokenSalt } },
    secrets: { encryptionKey: secrets.encryptionKey },
    flags: { nps: false, promoteEE: false },
    // Tests and headless API servers skip the admin bundle.
    serveAdminPanel: env.bool('SERVE_ADMIN', true),
  };
};
