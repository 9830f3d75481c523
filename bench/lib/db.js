/** The databases under test: a SQLite file, or a throwaway PostgreSQL 15 cluster (as .ci/run does). */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { freePort } = require('./server');

const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const asPg = (cmd, args) => (process.getuid() === 0 ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' }));

async function openDb(kind) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ll-bench-${kind}-`));
  if (kind === 'sqlite') {
    const filename = path.join(dir, 'bench.db');
    return {
      kind, env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
      knexConfig: { client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true },
      /** A second, empty database for the bare Strapi baseline. */
      bareEnv: async () => ({ DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'bare.db') }),
      close: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const port = await freePort();
  if (process.getuid() === 0) execFileSync('chown', ['postgres', dir]);
  asPg(`${PG_BIN}/initdb`, ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres']);
  asPg(`${PG_BIN}/pg_ctl`, ['-D', `${dir}/data`, '-w', '-l', `${dir}/log`, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`, 'start']);
  const { Client } = require('pg');
  const c = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await c.connect(); await c.query('CREATE DATABASE bench'); await c.end();
  const connection = { host: '127.0.0.1', port, user: 'postgres', password: '', database: 'bench' };
  return {
    kind, port,
    env: { DATABASE_CLIENT: 'postgres', DATABASE_HOST: '127.0.0.1', DATABASE_PORT: String(port), DATABASE_NAME: 'bench', DATABASE_USERNAME: 'postgres', DATABASE_PASSWORD: '' },
    knexConfig: { client: 'pg', connection, pool: { min: 0, max: 10 } },
    pgConnection: connection,
    bareEnv: async () => {
      const a = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await a.connect(); await a.query('CREATE DATABASE bare'); await a.end();
      return { DATABASE_CLIENT: 'postgres', DATABASE_HOST: '127.0.0.1', DATABASE_PORT: String(port), DATABASE_NAME: 'bare', DATABASE_USERNAME: 'postgres', DATABASE_PASSWORD: '' };
    },
    close: async () => { try { asPg(`${PG_BIN}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'immediate', 'stop']); } catch { /* gone */ } fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

module.exports = { openDb };
