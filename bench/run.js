#!/usr/bin/env node
/**
 * npm run bench [-- --size smoke|full] [--db sqlite|postgres|both] [--seconds N] [--connections N] [--out DIR] [--no-compile]
 * Builds the dataset, starts the compiled app against it and measures each scenario beside its floor.
 */
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
const fs = require('fs');
const os = require('os');
const path = require('path');

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const size = arg('size', 'full');
const dbs = arg('db', 'both') === 'both' ? ['sqlite', 'postgres'] : [arg('db')];
const seconds = Number(arg('seconds', size === 'smoke' ? 2 : 8));
// Concurrent connections per scenario: fewer at full size, where one feed takes seconds to build.
process.env.BENCH_CONNECTIONS = arg('connections', size === 'smoke' ? 10 : 4);
const root = path.resolve(__dirname, '..');
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

async function compile() {
  log('compiling the app to dist/');
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: root, ignoreDiagnostics: false });
}

const fmt = (m) => (m == null ? '-' : m.toFixed(m < 10 ? 2 : 0));
function line(name, ours, base, note = '') {
  const r = base ? `${fmt(ours.rps / base.rps)}x rps, ${fmt(ours.p50 / base.p50)}x p50` : '';
  log(`${name.padEnd(22)} ours p50 ${fmt(ours.p50)} p95 ${fmt(ours.p95)} p99 ${fmt(ours.p99)} ms ${fmt(ours.rps)} req/s` +
    (ours.cpuMsPerRequest != null ? ` (server CPU ${fmt(ours.cpuMsPerRequest)} ms/request)` : '') +
    (base ? ` | floor p50 ${fmt(base.p50)} p99 ${fmt(base.p99)} ms ${fmt(base.rps)} req/s | ${r}` : '') + (note ? ` ${note}` : ''));
}

/** The burst's emails (one per registration) as the SMTP server received them: how many, and how late the last. */
async function burstMail(sink, before, expected, burstEndedAt) {
  const s = await sink.waitFor(before + expected, 120_000);
  return { expected, delivered: s.count - before, lastAfterBurstMs: s.lastAt - burstEndedAt };
}

async function benchOne(kind) {
  const { openDb } = require('./lib/db');
  const { startServer } = require('./lib/server');
  const { generate } = require('./lib/dataset');
  const S = require('./lib/scenarios');
  const { startSmtpSink } = require('./lib/smtp-sink');
  const db = await openDb(kind);
  const out = { db: kind, size, date: new Date().toISOString(), machine: machine(), scenarios: {} };
  let knex; const servers = [];
  const onSignal = async () => { for (const s of servers) s.child.kill('SIGKILL'); await db.close(); process.exit(130); };
  process.once('SIGINT', onSignal); process.once('SIGTERM', onSignal);
  try {
    log(`${kind}: first boot on an empty database (creates the schema, roles, permissions)`);
    const bare = await startServer(db.env); servers.push(bare);
    await new Promise((r) => setTimeout(r, 1000));
    out.scenarios.coldStartEmpty = { ms: bare.coldStartMs, idleRssMb: bare.rssMb() };
    await bare.stop(); servers.pop();

    // Scenario 6's baseline: a bare Strapi app (bench/bare-app) on its own empty database, booted twice
    // (the first boot creates its schema), so both cold starts below are of an existing schema.
    const bareEnv = await db.bareEnv();
    const bareApp = path.join(__dirname, 'bare-app', 'server.js');
    await (await startServer(bareEnv, { script: bareApp })).stop();
    const bareStock = await startServer(bareEnv, { script: bareApp }); servers.push(bareStock);
    await new Promise((r) => setTimeout(r, 2000));
    out.scenarios.coldStartBare = { ms: bareStock.coldStartMs, idleRssMb: bareStock.rssMb() };
    await bareStock.stop(); servers.pop();
    log(`${kind}: bare Strapi app cold start ${bareStock.coldStartMs.toFixed(0)} ms, idle RSS ${fmt(out.scenarios.coldStartBare.idleRssMb)} MB`);

    knex = require('knex')(db.knexConfig);
    const t0 = Date.now();
    const { counts } = await generate(knex, size, (m) => log(`  ${kind} dataset: ${m}`));
    if (kind === 'postgres') await knex.raw('ANALYZE');
    out.dataset = { ...counts, seconds: (Date.now() - t0) / 1000 };
    log(`${kind}: dataset in ${out.dataset.seconds.toFixed(1)} s`, JSON.stringify(counts));

    // the app under test delivers its emails to a real SMTP server (a child process), as in production
    const sink = await startSmtpSink(); servers.push({ child: { kill: sink.stop }, stop: async () => sink.stop() });
    const appEnv = { ...db.env, SMTP_PORT: String(sink.port) };
    const app = await startServer(appEnv); servers.push(app);
    await new Promise((r) => setTimeout(r, 2000));
    out.scenarios.coldStart = { ms: app.coldStartMs, idleRssMb: app.rssMb(), emptyDbMs: out.scenarios.coldStartEmpty.ms, emptyDbIdleRssMb: out.scenarios.coldStartEmpty.idleRssMb,
      bareMs: out.scenarios.coldStartBare.ms, bareIdleRssMb: out.scenarios.coldStartBare.idleRssMb };
    out.scenarios.coldStart.ratio = { ms: app.coldStartMs / out.scenarios.coldStartBare.ms, idleRss: out.scenarios.coldStart.idleRssMb / out.scenarios.coldStartBare.idleRssMb };
    log(`${kind}: cold start ${app.coldStartMs.toFixed(0)} ms (first boot on the empty db ${bare.coldStartMs.toFixed(0)} ms, bare Strapi ${out.scenarios.coldStartBare.ms.toFixed(0)} ms: ${fmt(out.scenarios.coldStart.ratio.ms)}x), idle RSS ${fmt(out.scenarios.coldStart.idleRssMb)} MB (bare ${fmt(out.scenarios.coldStartBare.idleRssMb)} MB)`);

    const people = Math.min(500, out.dataset.people - 1); // the last person is the probe
    const mailBefore = (await sink.stats()).count;
    const b = await S.burst([app], knex, { people });
    b.mail = await burstMail(sink, mailBefore, people + 1, b.endedAt); // + the probe's
    const bf = await S.burstFloor(db, knex, people);
    out.scenarios.burst = { ...b, floor: bf.floor, floorCheck: bf.check, ratio: { rps: b.ours.rps / bf.floor.rps, p50: b.ours.p50 / bf.floor.p50 } };
    line('burst (1 process)', b.ours, bf.floor, `statuses ${JSON.stringify(b.ours.statuses)} overbooked ${b.check.overbooked} waitlist-order-errors ${b.check.waitlistOrderErrors}`);
    log(`  emails: ${b.mail.delivered} of ${b.mail.expected} delivered over SMTP, the last ${fmt(b.mail.lastAfterBurstMs / 1000)} s after the burst's last response`);
    const stock = await S.stockBurst(app, knex, people);
    out.scenarios.burst.stock = stock;
    line('  stock GET /users/me', stock, bf.floor, `(500 at once: Strapi's pipeline alone; ours is ${fmt(b.ours.rps / stock.rps)}x its throughput)`);
    const health = await S.healthBurst(app, people);
    out.scenarios.burst.health = health;
    line('  ceiling GET /_health', health, bf.floor, `(500 at once: Strapi's HTTP server alone, no auth, no database; ours is ${fmt(b.ours.rps / health.rps)}x its throughput)`);
    const node = await S.nodeBurst(people);
    out.scenarios.burst.node = node;
    line('  bare Node.js http', node, bf.floor, `(500 at once: no framework; the most this client shows on this machine)`);
    if (kind === 'postgres') {
      const app2 = await startServer(appEnv); servers.push(app2);
      const mail2Before = (await sink.stats()).count;
      const b2 = await S.burst([app, app2], knex, { people, eventDocumentId: S.BURST_EVENT_2 });
      b2.mail = await burstMail(sink, mail2Before, people + 1, b2.endedAt);
      out.scenarios.burst2 = { ...b2, ratio: { rps: b2.ours.rps / bf.floor.rps, p50: b2.ours.p50 / bf.floor.p50 } };
      line('burst (2 processes)', b2.ours, bf.floor, `statuses ${JSON.stringify(b2.ours.statuses)} overbooked ${b2.check.overbooked} waitlist-order-errors ${b2.check.waitlistOrderErrors}`);
      log(`  emails: ${b2.mail.delivered} of ${b2.mail.expected} delivered over SMTP, the last ${fmt(b2.mail.lastAfterBurstMs / 1000)} s after the burst's last response`);
      await app2.stop(); servers.pop();
    }

    for (const [name, fn] of [['occurrences', S.occurrences], ['feed', S.feed], ['search', S.search], ['eventsPage', S.eventsPage]]) {
      const r = await fn(app, knex, seconds);
      out.scenarios[name] = r;
      line(name, r.ours, r.floor);
      if (r.poll) line('feed 304 poll', r.poll, r.floor, `statuses ${JSON.stringify(r.pollStatuses)}`);
    }
    out.scenarios.coldStart.afterLoadRssMb = app.rssMb();
  } finally {
    for (const s of servers) await s.stop();
    if (knex) await knex.destroy();
    await db.close();
    process.removeListener('SIGINT', onSignal); process.removeListener('SIGTERM', onSignal);
  }
  return out;
}

function machine() {
  return { nproc: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

async function main() {
  const t0 = Date.now();
  if (!process.argv.includes('--no-compile')) await compile();
  const resultsDir = path.resolve(arg('out', path.join(__dirname, 'results')));
  fs.mkdirSync(resultsDir, { recursive: true });
  const wrong = [];
  for (const kind of dbs) {
    const t = Date.now();
    const out = await benchOne(kind);
    out.seconds = (Date.now() - t) / 1000;
    const file = path.join(resultsDir, `${out.date.slice(0, 10)}-${kind}${size === 'smoke' ? '-smoke' : ''}.json`);
    // correctness is asserted (it is not a timing): no overbooking, waitlist in order, every request answered 201
    for (const name of ['burst', 'burst2']) {
      const b = out.scenarios[name];
      if (!b) continue;
      if (b.check.overbooked || b.check.waitlistOrderErrors) wrong.push(`${kind} ${name}: overbooked ${b.check.overbooked}, waitlist errors ${b.check.waitlistOrderErrors}`);
      const refused = Object.entries(b.ours.statuses).filter(([st]) => st !== '201');
      if (refused.length) wrong.push(`${kind} ${name}: answers other than 201: ${JSON.stringify(Object.fromEntries(refused))}`);
    }
    fs.writeFileSync(file, JSON.stringify(out, null, 2));
    log(`${kind}: done in ${out.seconds.toFixed(0)} s -> ${path.relative(root, file)}`);
  }
  log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (wrong.length) {
    console.error(`bench: wrong results:\n${wrong.join('\n')}`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch((err) => { console.error(err); process.exit(1); });
