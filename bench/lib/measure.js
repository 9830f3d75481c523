/** Load (autocannon) against the server, and the same percentiles for in-process floors. */
const autocannon = require('autocannon');

function summarise(lat, count, seconds, extra = {}) {
  lat.sort((a, b) => a - b);
  const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : null);
  return { requests: count, p50: q(0.5), p95: q(0.95), p99: q(0.99), rps: count / seconds, ...extra };
}

/** autocannon with every latency recorded (so p95 is exact, not autocannon's p97.5 bucket). */
async function load(opts) {
  const lat = [];
  const statuses = {};
  const t0 = performance.now();
  let lastAt = t0;
  const inst = autocannon({ connections: Number(process.env.BENCH_CONNECTIONS || 10), timeout: 120, ...opts });
  inst.on('response', (_c, status, _b, time) => { lat.push(time); statuses[status] = (statuses[status] || 0) + 1; lastAt = performance.now(); });
  const res = await inst;
  // until the last response, not until autocannon resolves: it finishes on its 1-second ticks, which made a
  // 500-request burst that was done in 0.2 s read as 1.07 s (465 req/s)
  const seconds = (lastAt - t0) / 1000;
  await drain(opts.url);
  const out = summarise(lat, lat.length, seconds, { statuses, errors: res.errors, timeouts: res.timeouts, startedAt: t0, lastAt });
  // kept for merging windows (alternate), not written to the results file
  return Object.defineProperties(out, { latencies: { value: lat }, seconds: { value: seconds } });
}

/**
 * Two loads compared on a shared host: `rounds` pairs of short windows in ABBA order (a, b, b, a, a, b, ...), each
 * side's windows merged. Measured one after the other, a slowdown of the host during the second (a neighbour, a
 * garbage collection of the server) counted wholly against it; alternating cancels a steady drift.
 */
async function alternate(a, b, { seconds, rounds = 4 }) {
  const windows = { a: [], b: [] };
  for (let i = 0; i < rounds; i += 1) {
    for (const side of i % 2 ? ['b', 'a'] : ['a', 'b']) {
      const opts = side === 'a' ? a : b;
      windows[side].push(await load({ ...opts, duration: seconds / rounds }));
    }
  }
  return { a: merge(windows.a), b: merge(windows.b) };
}

/** One result of several windows of the same load: latencies pooled, throughput over their summed time. */
function merge(parts) {
  const sum = (key) => parts.reduce((t, p) => t + (p[key] || 0), 0);
  const statuses = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.statuses || {})) statuses[k] = (statuses[k] || 0) + v;
  const lat = parts.flatMap((p) => p.latencies);
  return summarise(lat, lat.length, parts.reduce((t, p) => t + p.seconds, 0), { statuses, errors: sum('errors'), timeouts: sum('timeouts'), windows: parts.length });
}

/** Waits until the server has worked off requests autocannon left in flight, so the next scenario starts on an idle server. */
async function drain(url) {
  const origin = new URL(url).origin;
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    const s = Date.now();
    try { await fetch(origin + '/_health'); } catch { /* busy */ }
    if (Date.now() - s < 100) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs fn with `concurrency` callers for `seconds` (or `amount` calls) and records each call's latency. */
async function floor(fn, { seconds = 3, concurrency = 1, amount } = {}) {
  const lat = [];
  const t0 = performance.now();
  let left = amount ?? Infinity;
  const worker = async (w) => {
    while (left > 0 && (amount != null || performance.now() - t0 < seconds * 1000)) {
      left--;
      const s = performance.now();
      await fn(w);
      lat.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  return summarise(lat, lat.length, (performance.now() - t0) / 1000);
}

const ratio = (ours, base) => ({ rps: base.rps ? ours.rps / base.rps : null, p50: base.p50 ? ours.p50 / base.p50 : null });

module.exports = { load, alternate, floor, summarise, ratio };
