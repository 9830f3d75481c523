// The same database settings as the app's config/database.ts (SQLite file or PostgreSQL).
module.exports = ({ env }) =>
  env('DATABASE_CLIENT', 'sqlite') === 'postgres'
    ? { connection: { client: 'postgres', connection: { host: env('DATABASE_HOST'), port: env.int('DATABASE_PORT'), database: env('DATABASE_NAME'), user: env('DATABASE_USERNAME'), password: env('DATABASE_PASSWORD', '') }, pool: { min: 0, max: 10 } } }
    : { connection: { client: 'sqlite', connection: { filename: env('DATABASE_FILENAME') }, useNullAsDefault: true } };
