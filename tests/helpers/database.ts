import fs from 'fs';
import os from 'os';
import path from 'path';
import crypto from 'crypto';
import { Client } from 'pg';

/**
 * A fresh, empty database for one test file: a temp SQLite file, or a new
 * PostgreSQL database when DATABASE_CLIENT=postgres (on the server given by
 * DATABASE_HOST/PORT/USERNAME/PASSWORD, e.g. the throwaway cluster of .ci/run).
 */
export interface TestDatabase {
  client: 'sqlite' | 'postgres';
  env: Record<string, string>;
  drop(): Promise<void>;
}

const pgAdminConfig = () => ({
  host: process.env.DATABASE_HOST || '127.0.0.1',
  port: Number(process.env.DATABASE_PORT || 5432),
  user: process.env.DATABASE_USERNAME || 'postgres',
  password: process.env.DATABASE_PASSWORD || undefined,
  database: 'postgres',
});

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ll_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if ((process.env.DATABASE_CLIENT || 'sqlite') === 'postgres') {
    const admin = new Client(pgAdminConfig());
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return {
      client: 'postgres',
      env: { DATABASE_CLIENT: 'postgres', DATABASE_NAME: name, DATABASE_URL: '' },
      async drop() {
        const c = new Client(pgAdminConfig());
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-test-'));
  return {
    client: 'sqlite',
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, `${name}.db`) },
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A second connection string to the same database, for tests that start a second server process. */
export function postgresUrlFor(database: string) {
  const c = pgAdminConfig();
  const auth = c.password ? `${c.user}:${encodeURIComponent(c.password)}` : c.user;
  return `postgres://${auth}@${c.host}:${c.port}/${database}`;
}
