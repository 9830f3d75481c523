import path from 'path';
import fs from 'fs';
import { keepPreparedStatements } from '../src/utils/sqlite-statements';

/**
 * SQLite (embedded, the default) or PostgreSQL, chosen by DATABASE_CLIENT.
 * PostgreSQL takes DATABASE_URL or the separate DATABASE_* variables.
 */
export default ({ env }) => {
  const client = env('DATABASE_CLIENT', 'sqlite');

  if (client === 'postgres') {
    const url = env('DATABASE_URL', '');
    const connection = url
      ? { connectionString: url, ssl: env.bool('DATABASE_SSL', false) ? { rejectUnauthorized: false } : false }
      : {
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 5432),
          database: env('DATABASE_NAME', 'library_learning'),
          user: env('DATABASE_USERNAME', 'postgres'),
          password: env('DATABASE_PASSWORD', ''),
          ssl: env.bool('DATABASE_SSL', false) ? { rejectUnauthorized: false } : false,
          schema: env('DATABASE_SCHEMA', 'public'),
        };
    return {
      connection: {
        client: 'postgres',
        connection,
        pool: { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) },
        acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
      },
    };
  }

  // An empty DATABASE_FILENAME would point at the project folder itself; treat it as unset.
  const filename = path.resolve(process.cwd(), env('DATABASE_FILENAME', '') || '.tmp/data.db');
  fs.mkdirSync(path.dirname(filename), { recursive: true });
  return {
    connection: {
      client: 'sqlite',
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        // WAL: readers (a seed script, a second tool) go on while a write commits, and a commit is one append to
        // the log instead of the rollback journal's several fsyncs (3x the transactions per second here).
        // synchronous=FULL keeps a registration on disk before its confirmation email can go out.
        // optimize: SQLite plans without statistics until told to gather them (PostgreSQL's autovacuum does it
        // unasked). Without them it answers the populate of an event's locations by reading every location link of
        // every event (its `field` index) instead of the event's own (1.7 ms against 0.08 ms at state scale).
        // 0x10002 analyses every table that has none or has grown tenfold, on at most 400 rows of each index
        // (0.16 s once on a 200 MB database, under 1 ms when nothing changed); the `sqliteOptimize` job repeats it.
        afterCreate: (conn: { pragma: (sql: string) => unknown; prepare: (sql: string) => unknown }, done: (err: Error | null, conn: unknown) => void) => {
          try {
            keepPreparedStatements(conn);
            conn.pragma('journal_mode = WAL');
            conn.pragma('synchronous = FULL');
            conn.pragma('analysis_limit = 400');
            conn.pragma('optimize = 0x10002');
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    },
  };
};
