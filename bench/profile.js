#!/usr/bin/env node
/**
 * node bench/profile.js <burst|occurrences|feed|search|events> [--db sqlite|postgres] [--size smoke|full] [--no-compile]
 * Builds the dataset, starts the server with --cpu-prof, runs one scenario, stops it and prints
 * the functions with the most self time (the .cpuprofile is kept for Chrome DevTools).
 */
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
const fs = require('fs');
const path = require('path');
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const scenario = process.argv[2];
const kind = arg('db', 'sqlite');
const size = arg('size', 'smoke');
const seconds = Number(arg('seconds', 3));
const outDir = path.resolve(arg('out', path.join(__dirname, 'results', 'profiles')));

function topSelf(file, n = 30) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const self = new Map(); const dt = p.timeDeltas; const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const ticks = new Map();
  p.samples.forEach((id, i) => ticks.set(id, (ticks.get(id) || 0) + (dt[i] || 0)));
  let total = 0;
  for (const [id, t] of ticks) {
    const { callFrame: f } = byId.get(id);
    const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) || 0) + t); total += t;
  }
  const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
  console.log(`busy ${((total - idle) / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled`);
  // self time by package (our code: dist/), the first view of where a request's CPU goes
  const byPkg = new Map();
  for (const [k, v] of self) {
    if (k.startsWith('(idle)')) continue;
    const m = /^\S+ (@[^/]+\/[^/]+|[^/:]+)/.exec(k.replace(/^\(anon\) /, 'anon '));
    const pkg = k.includes(' dist/') ? 'dist (our code)' : k.includes(' node:') ? 'node core' : / :0$/.test(k) ? 'native/gc' : (m ? m[1] : '?');
    byPkg.set(pkg, (byPkg.get(pkg) || 0) + v);
  }
  console.log('self time by package:', [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', '));
  for (const [k, v] of [...self].filter(([k2]) => !k2.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}

async function main() {
  if (!process.argv.includes('--no-compile')) {
    const { compileStrapi } = require('@strapi/strapi');
    await compileStrapi({ appDir: path.resolve(__dirname, '..'), ignoreDiagnostics: false });
  }
  const { openDb } = require('./lib/db');
  const { startServer } = require('./lib/server');
  const { generate } = require('./lib/dataset');
  const S = require('./lib/scenarios');
  const db = await openDb(kind);
  let knex; let app;
  try {
    const bare = await startServer(db.env); await bare.stop();
    knex = require('knex')(db.knexConfig);
    await generate(knex, size, () => {});
    if (kind === 'postgres') await knex.raw('ANALYZE');
    fs.mkdirSync(outDir, { recursive: true });
    const sqlFile = path.join(outDir, `sql-${scenario}-${kind}.json`);
    const cpuFile = path.join(outDir, `cpu-${scenario}-${kind}.cpuprofile`);
    app = await startServer({ ...db.env, BENCH_SQL_PROFILE: sqlFile, BENCH_CPU_PROFILE: cpuFile });
    app.child.kill('SIGUSR2'); // profile the scenario, not the boot
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    let r;
    if (scenario === 'burst') r = await S.burst([app], knex, { people: 500 });
    else if (scenario === 'events') r = await S.eventsPage(app, knex, seconds);
    else r = await S[scenario](app, knex, seconds);
    console.log(JSON.stringify({ ms: Date.now() - t0, ours: r.ours, floor: r.floor && { p50: r.floor.p50, rps: r.floor.rps }, check: r.check }, null, 0));
    await app.stop(); app = null;
    console.log(cpuFile);
    topSelf(cpuFile, Number(arg('top', 40)));
    console.log('SQL by total time:');
    for (const e of JSON.parse(fs.readFileSync(sqlFile, 'utf8')).slice(0, 25)) console.log(`${e.ms.toFixed(0).padStart(7)} ms ${String(e.n).padStart(6)}x  ${e.sql.slice(0, 220)}`);
  } finally {
    if (app) await app.stop();
    if (knex) await knex.destroy();
    await db.close();
  }
  process.exit(0);
}
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
module.exports = { topSelf };
