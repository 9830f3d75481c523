import { readSecrets } from './secrets';
import cronTasks from './cron-tasks';

export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  // Absolute links in emails and feeds (password links, event URLs) are built from this.
  url: env('PUBLIC_URL', ''),
  proxy: env.bool('IS_PROXIED', false),
  app: { keys: readSecrets(env).appKeys },
  webhooks: { populateRelations: false },
  // where uploads (avatars, policy documents) are written and /uploads is served from; the tests give each
  // app a folder of its own so no test file is left in the project's public/uploads
  dirs: { public: env('PUBLIC_DIR', './public') },
  cron: { enabled: env.bool('CRON_ENABLED', true), tasks: cronTasks },
});
