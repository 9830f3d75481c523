/** The scenarios, each beside its floor: the least work that gives the same answer on the same machine. */
const jwt = require('jsonwebtoken');
const { RRule, rrulestr } = require('rrule');
const { load, alternate, floor, summarise, ratio } = require('./measure');
const { JWT_SECRET, cpuMsOf } = require('./server');
const { BURST_EVENT, BURST_EVENT_2, YEAR } = require('./dataset');

const tokenFor = (id) => jwt.sign({ id }, JWT_SECRET, { expiresIn: '1h' });

/** A reading of the servers' CPU time: the function returns the ms they have used since. */
function cpuSince(servers) {
  const before = servers.map((s) => cpuMsOf(s.child.pid));
  return () => servers.reduce((sum, s, k) => sum + (cpuMsOf(s.child.pid) - before[k]), 0);
}

/** The servers' CPU time (ms) while fn runs, per request answered: set on fn's result as cpuMsPerRequest. */
async function withCpu(servers, fn) {
  const used = cpuSince(servers);
  const result = await fn();
  const ms = used();
  const target = result.ours ?? result;
  if (Number.isFinite(ms) && target.requests) target.cpuMsPerRequest = ms / target.requests;
  return result;
}
const MONTH = { from: `${YEAR}-03-01T00:00:00Z`, to: `${YEAR}-04-01T00:00:00Z` };
const QUERIES = ['springfield', 'public library', 'chicago', 'oak park', 'county', 'memorial', 'river', 'main street', 'lincoln', 'washington'];
const EVENTS_PAGE = '/api/events?pagination[pageSize]=25&populate=*';

/** 1. N simultaneous registrations (distinct people) for a 50-seat event, spread over the given servers. */
async function burst(servers, knex, { people = 500, eventDocumentId = BURST_EVENT } = {}) {
  const users = await knex('up_users').select('id').orderBy('id').limit(people);
  const tokens = users.map((u) => tokenFor(u.id));
  // one probe request by a person outside the burst, to surface a refusal's message
  const [probeUser] = await knex('up_users').select('id').orderBy('id', 'desc').limit(1);
  const pr = await fetch(`${servers[0].url}/api/events/${eventDocumentId}/registrations`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(probeUser.id)}` }, body: '{}' });
  if (pr.status !== 201) throw new Error(`burst probe refused: ${pr.status} ${await pr.text()}`);
  const per = Math.ceil(tokens.length / servers.length);
  let next = 0;
  const runs = servers.map((s, k) => {
    const mine = tokens.slice(k * per, (k + 1) * per);
    let i = 0;
    return load({
      url: s.url, connections: mine.length, amount: mine.length, timeout: 60,
      requests: [{ method: 'POST', path: `/api/events/${eventDocumentId}/registrations`, headers: { 'content-type': 'application/json' }, body: '{}',
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${mine[i++ % mine.length]}` } }) }],
    });
  });
  const used = cpuSince(servers);
  const results = await Promise.all(runs);
  const cpuMs = used();
  // from the first part's start to the last response of any part
  const seconds = (Math.max(...results.map((r) => r.lastAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
  const statuses = {};
  // merge: recompute from the parts (each part's percentiles are of its own requests)
  for (const r of results) { for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] || 0) + v; }
  const ours = { requests: results.reduce((a, r) => a + r.requests, 0), p50: Math.max(...results.map((r) => r.p50)), p95: Math.max(...results.map((r) => r.p95)),
    p99: Math.max(...results.map((r) => r.p99)), rps: results.reduce((a, r) => a + r.requests, 0) / seconds, statuses };
  // the servers' CPU per registration (their email deliveries wait up to 3 s for the burst, so mostly not counted)
  ours.cpuMsPerRequest = cpuMs / ours.requests;
  return { ours, endedAt: Date.now(), check: await checkSeats(knex, eventDocumentId, 50) }; // includes the probe's registration
}

/**
 * The stock ceiling beside the burst: the same people, the same 500 simultaneous connections, each asking the
 * cheapest signed-in Strapi route (`GET /api/users/me`: authentication, one user read). What Strapi's request
 * pipeline costs before any registration work.
 */
async function stockBurst(server, knex, people = 500) {
  // other people than the burst's where the dataset has them: nobody's authentication is cached yet, as in the burst
  const [{ n }] = await knex('up_users').count({ n: '*' });
  const users = await knex('up_users').select('id').orderBy('id').offset(Number(n) > 2 * people + 1 ? people : 0).limit(people);
  const tokens = users.map((u) => tokenFor(u.id));
  let i = 0;
  return withCpu([server], () => load({ url: server.url, connections: tokens.length, amount: tokens.length, timeout: 60,
    requests: [{ method: 'GET', path: '/api/users/me', setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[i++ % tokens.length]}` } }) }] }));
}

/**
 * The framework ceiling: 500 connections at once, each asking `GET /_health` (no authentication, no database:
 * Strapi's HTTP server and global middlewares only). No route of any Strapi app answers a burst faster here.
 */
async function healthBurst(server, people = 500) {
  return withCpu([server], () => load({ url: server.url, connections: people, amount: people, timeout: 60, requests: [{ method: 'GET', path: '/_health' }] }));
}

/**
 * The load generator's own ceiling: the same burst against a bare Node.js HTTP server answering 204 (a child
 * process, no framework). What this machine and autocannon can show for 500 connections at once.
 */
async function nodeBurst(people = 500) {
  const { spawn } = require('child_process');
  const child = spawn(process.execPath, ['-e', "require('http').createServer((q, s) => { s.statusCode = 204; s.end(); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); })"], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise((resolve, reject) => { child.stdout.once('data', (d) => resolve(Number(String(d).trim()))); child.once('error', reject); });
    return await load({ url: `http://127.0.0.1:${port}`, connections: people, amount: people, timeout: 60, requests: [{ method: 'GET', path: '/' }] });
  } finally {
    child.kill();
  }
}

/** Overbookings and waitlist order, read back from the database. */
async function checkSeats(knex, eventDocumentId, capacity) {
  const rows = await knex('registrations').where({ event_document_id: eventDocumentId }).whereNot({ status: 'cancelled' }).select('id', 'status', 'waitlist_position').orderBy('id');
  const confirmed = rows.filter((r) => r.status === 'confirmed' || r.status === 'pending-payment').length;
  const waitlist = rows.filter((r) => r.status === 'waitlisted');
  let orderErrors = 0;
  waitlist.forEach((r, i) => { if (Number(r.waitlist_position) !== i + 1) orderErrors++; });
  // nobody may be waitlisted while a seat is free
  if (confirmed < capacity && waitlist.length) orderErrors += waitlist.length;
  return { registrations: rows.length, confirmed, waitlisted: waitlist.length, overbooked: Math.max(0, confirmed - capacity), waitlistOrderErrors: orderErrors };
}

/** Floor of 1: the same lock + count + insert, 500 at once, with a bare driver. */
async function burstFloor(db, knex, people = 500) {
  const cap = 50; const ev = 'floorburst00000000000001';
  if (db.kind === 'postgres') {
    const { Pool } = require('pg');
    const pool = new Pool({ ...db.pgConnection, max: 10 });
    const lat = []; const t0 = performance.now();
    await Promise.all(Array.from({ length: people }, async (_, i) => {
      const s = performance.now();
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ev]);
        const { rows: [{ n }] } = await c.query("SELECT count(*)::int n FROM registrations WHERE slot_key = $1 AND status IN ('confirmed','pending-payment')", [ev]);
        let status = 'confirmed'; let pos = null;
        if (n >= cap) { const { rows: [m] } = await c.query("SELECT max(waitlist_position) m FROM registrations WHERE slot_key = $1 AND status = 'waitlisted'", [ev]); status = 'waitlisted'; pos = (m.m || 0) + 1; }
        await c.query('INSERT INTO registrations (document_id, occurrence, status, waitlist_position, event_document_id, slot_key, active_key, created_at, updated_at, published_at) VALUES ($1, now(), $2, $3, $4, $4, $1, now(), now(), now())',
          [`floor${String(i).padStart(19, '0')}`, status, pos, ev]);
        await c.query('COMMIT');
      } finally { c.release(); }
      lat.push(performance.now() - s);
    }));
    const seconds = (performance.now() - t0) / 1000;
    await pool.end();
    return { floor: summarise(lat, lat.length, seconds), check: await checkSeats(knex, ev, cap) };
  }
  const Database = require('better-sqlite3');
  // the app's own settings (config/database.ts: WAL, synchronous FULL), waiting out the server's last writes
  const d = new Database(db.knexConfig.connection.filename, { timeout: 30_000 });
  d.pragma('synchronous = FULL');
  const mode = `${d.pragma('journal_mode', { simple: true })}, synchronous ${['OFF', 'NORMAL', 'FULL', 'EXTRA'][d.pragma('synchronous', { simple: true })]}`;
  const count = d.prepare("SELECT count(*) n FROM registrations WHERE slot_key = ? AND status IN ('confirmed','pending-payment')");
  const max = d.prepare("SELECT max(waitlist_position) m FROM registrations WHERE slot_key = ? AND status = 'waitlisted'");
  const ins = d.prepare("INSERT INTO registrations (document_id, occurrence, status, waitlist_position, event_document_id, slot_key, active_key, created_at, updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const take = d.transaction((i) => {
    const { n } = count.get(ev); let status = 'confirmed'; let pos = null;
    if (n >= cap) { status = 'waitlisted'; pos = (max.get(ev).m || 0) + 1; }
    const now = Date.now(); const id = `floor${String(i).padStart(19, '0')}`;
    ins.run(id, now, status, pos, ev, ev, id, now, now, now);
  });
  // all arrive at once and are served one after another: request i waits for the i before it
  const lat = []; const t0 = performance.now();
  for (let i = 0; i < people; i++) { take.immediate(i); lat.push(performance.now() - t0); }
  const seconds = (performance.now() - t0) / 1000;
  d.close();
  return { floor: summarise(lat, lat.length, seconds, { mode }), check: await checkSeats(knex, ev, cap) };
}

/** 2. A month of occurrences (anonymous). Floor: the same rows and their topics, provider, group and locations by SQL, then rrule expansion, in one script. */
async function occurrences(server, knex, seconds) {
  const path = `/api/occurrences?from=${MONTH.from}&to=${MONTH.to}`;
  const probe = await (await fetch(server.url + path)).json();
  const ours = await load({ url: server.url + path, duration: seconds });
  const from = new Date(MONTH.from); const to = new Date(MONTH.to);
  const base = await floor(async () => {
    // the same answer: each event's fields the API gives, its topics, provider, group and locations
    const rows = await knex('events').select('id', 'document_id', 'title', 'slug', 'summary', 'audience', 'kind', 'all_day', 'registration_mode',
      'registration_audience', 'fee', 'pdh_hours', 'cancelled', 'start', 'end', 'rrule')
      .whereNotNull('published_at').where({ audience: 'public', cancelled: false }).where('start', '<', to)
      .where((w) => w.whereNotNull('rrule').orWhere('start', '>=', from));
    const ids = rows.map((r) => r.id);
    const byEvent = (list) => { const m = new Map(); for (const x of list) { const k = x.event_id; delete x.event_id; m.set(k, [...(m.get(k) || []), x]); } return m; };
    const locations = byEvent(await knex('events_cmps as c').join('components_event_locations as l', 'l.id', 'c.cmp_id').where('c.field', 'locations')
      .whereIn('c.entity_id', ids).orderBy('c.order').select('c.entity_id as event_id', 'l.key', 'l.name', 'l.online_url'));
    const tags = byEvent(await knex('events_tags_lnk as t').join('tags', 'tags.id', 't.tag_id').whereIn('t.event_id', ids).orderBy('t.tag_ord').select('t.event_id', 'tags.name', 'tags.slug'));
    const providers = byEvent(await knex('events_provider_lnk as p').join('providers as x', 'x.id', 'p.provider_id').whereIn('p.event_id', ids).select('p.event_id', 'x.document_id', 'x.name', 'x.slug'));
    const groups = byEvent(await knex('events_networking_group_lnk as g').join('networking_groups as x', 'x.id', 'g.networking_group_id').whereIn('g.event_id', ids).select('g.event_id', 'x.document_id', 'x.name', 'x.slug'));
    const out = [];
    for (const r of rows) {
      const event = { ...r, tags: tags.get(r.id) || [], provider: (providers.get(r.id) || [null])[0], networkingGroup: (groups.get(r.id) || [null])[0] };
      const where = locations.get(r.id) || [];
      const start = new Date(r.start);
      if (!r.rrule) { out.push({ event, start, location: where[0], locations: where }); continue; }
      for (const d of new RRule({ ...RRule.parseString(r.rrule), dtstart: start }).between(from, to, true)) out.push({ event, start: d, location: where[0], locations: where });
    }
    out.sort((a, b) => a.start - b.start);
    return JSON.stringify(out);
  }, { seconds });
  return { ours, floor: base, ratio: ratio(ours, base), returned: probe?.meta?.total ?? null };
}

/** 3. The public feed, fresh and as a repeat poll. Floor: ical-generator fed preloaded rows. */
async function feed(server, knex, seconds) {
  const r = await fetch(server.url + '/api/calendar.ics');
  const etag = r.headers.get('etag'); const bytes = (await r.text()).length;
  const ours = await load({ url: server.url + '/api/calendar.ics', duration: seconds });
  const poll = await load({ url: server.url + '/api/calendar.ics', duration: seconds, headers: { 'if-none-match': etag } });
  const rows = await knex('events').select('document_id', 'title', 'summary', 'start', 'end', 'rrule').whereNotNull('published_at').where({ audience: 'public' });
  const { default: ical } = await import('ical-generator');
  const base = await floor(() => {
    const cal = ical({ name: 'Library Learning' });
    for (const e of rows) cal.createEvent({ id: e.document_id, summary: e.title, description: e.summary, start: new Date(e.start), end: new Date(e.end), repeating: e.rrule ? `RRULE:${e.rrule}` : undefined });
    return cal.toString();
  }, { seconds });
  return { ours, poll, floor: base, ratio: ratio(ours, base), bytes, events: rows.length, pollStatuses: poll.statuses };
}

/** 4. Directory search over a fixed list. Floor: one LIKE query per query on search_text. */
async function search(server, knex, seconds) {
  const ours = await load({ url: server.url, duration: seconds, requests: QUERIES.map((q) => ({ method: 'GET', path: `/api/directory/search?q=${encodeURIComponent(q)}` })) });
  let k = 0;
  const base = await floor(async () => {
    const words = QUERIES[k++ % QUERIES.length].split(' ');
    return knex('buildings').select('document_id', 'name', 'city', 'county').where((w) => { for (const x of words) w.orWhere('search_text', 'like', `% ${x}%`); }).limit(50);
  }, { seconds });
  return { ours, floor: base, ratio: ratio(ours, base) };
}

/** 5. The events page anonymously (visibility filter applied) beside the same page for a member (no filter). */
async function eventsPage(server, knex, seconds) {
  const [member] = await knex('up_users_role_lnk as l').join('up_roles as r', 'r.id', 'l.role_id').where('r.type', 'member').select('l.user_id').limit(1);
  const headers = { authorization: `Bearer ${tokenFor(member.user_id)}` };
  // both pages warmed alike before either is measured: the one measured first paid for the route's first runs
  // (JIT, populate plans, caches): the anonymous page, measured first and cold, read 0.59x the member one on 2026-12-07
  const warm = Math.max(1, Math.min(2, seconds / 2));
  await load({ url: server.url + EVENTS_PAGE, duration: warm });
  await load({ url: server.url + EVENTS_PAGE, duration: warm, headers });
  // then measured in alternating windows (ABBA): one after the other, a slow spell of the host fell on one page only
  const { a: ours, b: stock } = await alternate({ url: server.url + EVENTS_PAGE }, { url: server.url + EVENTS_PAGE, headers }, { seconds });
  return { ours, floor: stock, ratio: ratio(ours, stock) };
}

module.exports = {
  healthBurst, nodeBurst, burst, burstFloor, stockBurst, occurrences, feed, search, eventsPage, BURST_EVENT, BURST_EVENT_2 };
