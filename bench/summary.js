#!/usr/bin/env node
/** Prints the markdown table of results files: node bench/summary.js bench/results/<file>.json ... */
const f = (x, d = 0) => (x == null || Number.isNaN(x) ? '–' : Number(x).toFixed(x < 10 && d === 0 ? 2 : d));
const rows = [];
for (const file of process.argv.slice(2)) {
  const r = require(require('path').resolve(file));
  const s = r.scenarios; const tag = `${r.db} ${r.size}`;
  const add = (name, ours, floor, note = '') => rows.push(`| ${tag} | ${name} | ${f(ours?.p50)} / ${f(ours?.p95)} / ${f(ours?.p99)} | ${f(ours?.rps, 1)} | ${f(floor?.p50)} / ${f(floor?.p99)} | ${f(floor?.rps, 1)} | ${floor?.rps ? f(ours.rps / floor.rps) + '×' : '–'} | ${note} |`);
  // the burst's emails as the SMTP server received them (runs since 2026-12-01, third)
  // the server's CPU per request (runs since 2026-12-06)
  const cpu = (o) => (o?.cpuMsPerRequest != null ? `; server CPU ${o.cpuMsPerRequest.toFixed(2)} ms/request` : '');
  const mail = (b) => (b.mail ? `; emails ${b.mail.delivered}/${b.mail.expected} delivered, the last ${(b.mail.lastAfterBurstMs / 1000).toFixed(1)} s after the burst` : '');
  if (s.burst) add('registration burst, 1 process', s.burst.ours, s.burst.floor, `overbooked ${s.burst.check.overbooked}, waitlist errors ${s.burst.check.waitlistOrderErrors}, ${JSON.stringify(s.burst.ours.statuses)}${cpu(s.burst.ours)}${mail(s.burst)}${s.burst.floor.mode ? `; floor in ${s.burst.floor.mode.replace(/\/synchronous (\d)/, (_, n) => `, synchronous ${['OFF', 'NORMAL', 'FULL', 'EXTRA'][n]}`)}` : ''}`);
  if (s.burst?.stock) add('  stock ceiling: 500 × GET /api/users/me', s.burst.stock, s.burst.floor, `ours / stock throughput ${f(s.burst.ours.rps / s.burst.stock.rps)}×${cpu(s.burst.stock)}`);
  if (s.burst?.health) add('  framework ceiling: 500 × GET /_health (no auth, no database)', s.burst.health, s.burst.floor, `ours / ceiling throughput ${f(s.burst.ours.rps / s.burst.health.rps)}×${cpu(s.burst.health)}`);
  if (s.burst?.node) add('  load-generator ceiling: 500 × a bare Node.js http server (204)', s.burst.node, s.burst.floor, `ours / bare Node throughput ${f(s.burst.ours.rps / s.burst.node.rps)}×`);
  if (s.burst2) add('registration burst, 2 processes', s.burst2.ours, s.burst.floor, `overbooked ${s.burst2.check.overbooked}, waitlist errors ${s.burst2.check.waitlistOrderErrors}${cpu(s.burst2.ours)}${mail(s.burst2)}`);
  if (s.occurrences) add('a month of /api/occurrences', s.occurrences.ours, s.occurrences.floor, `${s.occurrences.returned} occurrences`);
  if (s.feed) { add('/api/calendar.ics', s.feed.ours, s.feed.floor, `${s.feed.events} events, ${Math.round(s.feed.bytes / 1024)} KiB`); add('calendar.ics If-None-Match', s.feed.poll, s.feed.floor, JSON.stringify(s.feed.pollStatuses)); }
  if (s.search) add('/api/directory/search', s.search.ours, s.search.floor, '10 fixed queries');
  if (s.eventsPage) add('events page: anonymous (filtered) vs member', s.eventsPage.ours, s.eventsPage.floor, 'floor = the same page for a member');
  if (s.coldStart) {
    const bare = s.coldStart.bareMs != null ? `; bare Strapi app ${f(s.coldStart.bareMs / 1000)} s, ${f(s.coldStart.ratio.ms)}× | | idle RSS ${f(s.coldStart.idleRssMb, 0)} MB (bare Strapi ${f(s.coldStart.bareIdleRssMb, 0)} MB, ${f(s.coldStart.ratio.idleRss)}×)` : ` | | idle RSS ${f(s.coldStart.idleRssMb, 0)} MB`;
    rows.push(`| ${tag} | cold start → /_health 204 | ${f(s.coldStart.ms / 1000)} s (first boot on the empty DB ${f(s.coldStart.emptyDbMs / 1000)} s)${bare}, after load ${f(s.coldStart.afterLoadRssMb, 0)} MB | | | dataset built in ${f(r.dataset?.seconds, 1)} s |`);
  }
}
console.log('| run | scenario | ours p50 / p95 / p99 ms | ours req/s | floor p50 / p99 ms | floor req/s | throughput ratio | notes |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(rows.join('\n'));
