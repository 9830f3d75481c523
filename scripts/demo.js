#!/usr/bin/env node
/**
 * `npm run demo`: builds the admin panel, loads the demo data (idempotent) and
 * starts the platform on the embedded SQLite database at .tmp/data.db.
 */
const { spawnSync } = require('child_process');
const path = require('path');

process.env.STRAPI_TELEMETRY_DISABLED = 'true';
const root = path.resolve(__dirname, '..');
const run = (cmd, args) => {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (res.status !== 0) process.exit(res.status ?? 1);
};

run('npx', ['strapi', 'build']);
run('node', ['scripts/run-script.js', 'seed']);
run('npx', ['strapi', 'start']);
