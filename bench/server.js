#!/usr/bin/env node
/** The server under test: the compiled app in dist/, started exactly as `strapi start` would. */
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
const fs = require('fs');
const path = require('path');
const { createStrapi } = require('@strapi/strapi');
const root = path.resolve(__dirname, '..');
createStrapi({ appDir: root, distDir: path.join(root, 'dist') })
  .start()
  .then((app) => {
    if (process.env.BENCH_SQL_PROFILE) profileSql(app, process.env.BENCH_SQL_PROFILE);
    if (process.env.BENCH_CPU_PROFILE) profileCpuOnSignal(process.env.BENCH_CPU_PROFILE);
  })
  .catch((err) => { console.error(err); process.exit(1); });

/** bench/profile.js: time every SQL statement (grouped by text) and write the totals on SIGTERM. */
function profileSql(app, file) {
  const started = new Map(); const totals = new Map();
  const knex = app.db.connection;
  knex.on('query', (q) => started.set(q.__knexQueryUid, process.hrtime.bigint()));
  const done = (_r, q) => {
    const t0 = started.get(q.__knexQueryUid); if (t0 == null) return;
    started.delete(q.__knexQueryUid);
    const key = q.sql.replace(/\s+/g, ' ').slice(0, 300);
    const e = totals.get(key) || { n: 0, ms: 0 };
    e.n++; e.ms += Number(process.hrtime.bigint() - t0) / 1e6; totals.set(key, e);
  };
  knex.on('query-response', done); knex.on('query-error', (e, q) => done(null, q));
  process.prependListener('SIGTERM', () => {
    fs.writeFileSync(file, JSON.stringify([...totals].sort((a, b) => b[1].ms - a[1].ms).map(([sql, e]) => ({ ...e, sql })), null, 1));
  });
}

/** bench/profile.js: the CPU profile of the scenario alone (SIGUSR2 starts it, SIGTERM writes it), not of the boot. */
function profileCpuOnSignal(file) {
  const inspector = require('inspector');
  const session = new inspector.Session();
  session.connect();
  let started = false;
  process.on('SIGUSR2', () => {
    session.post('Profiler.enable', () => session.post('Profiler.start', () => { started = true; }));
  });
  process.prependListener('SIGTERM', () => {
    if (!started) return;
    session.post('Profiler.stop', (err, res) => { if (!err) fs.writeFileSync(file, JSON.stringify(res.profile)); });
  });
}
