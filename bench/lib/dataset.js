/**
 * Deterministic state-scale dataset, written straight into the tables the app
 * created on its first boot (bulk knex inserts in batches inside one
 * transaction; the document service per row would take hours).
 */
const fs = require('fs');
const path = require('path');
const { activeKey, slotKey } = require('../../dist/src/api/registration/keys');
const { parseImlsCsv } = require('../../dist/src/api/building/imls/parse');
const { searchTextOf } = require('../../dist/src/api/building/services/search');

const SIZES = {
  smoke: { buildings: 800, people: 500, events: 200, recurring: 20, registrations: 2000 },
  full: { buildings: 17407, people: 50000, events: 10000, recurring: 500, registrations: 200000 },
};
const CSV = process.env.BENCH_CSV || path.resolve(__dirname, '../../database/data/imls-pls-fy2015-outlets-all-states.csv');

/** mulberry32: a small seeded PRNG, so every run builds the same data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Starts with letters: Strapi takes a string that parses as a number ("000...") for a row id, not a documentId.
const docId = (prefix, n) => prefix + n.toString(36).padStart(24 - prefix.length, '0');
const FIRST = ['Ana', 'Ben', 'Carla', 'Dev', 'Elena', 'Frank', 'Grace', 'Hugo', 'Iris', 'Jamal', 'Kim', 'Luis', 'Maya', 'Noor', 'Omar', 'Pat'];
const LAST = ['Smith', 'Garcia', 'Nguyen', 'Johnson', 'Brown', 'Lee', 'Patel', 'Kowalski', 'Okafor', 'Rossi', 'Murphy', 'Chen'];
const TOPICS = ['Cataloging', 'Storytime', 'Grant writing', 'Makerspace', 'Reference', 'Genealogy', 'Teen services', 'Board governance', 'Digital literacy', 'Weeding'];
// Burst event: fixed id so the scenario can find it.
const BURST_EVENT = docId('burst', 1);
const BURST_EVENT_2 = docId('burst', 2);
const YEAR = 2027;

async function batchInsert(trx, table, rows, size = 500) {
  const ids = [];
  for (let i = 0; i < rows.length; i += size) {
    const part = rows.slice(i, i + size);
    const out = await trx(table).insert(part).returning('id');
    for (const r of out) ids.push(typeof r === 'object' ? r.id : r);
  }
  return ids;
}

async function generate(knex, size, log = () => {}) {
  const N = SIZES[size];
  const rnd = prng(20270101);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const now = new Date();
  const stamp = { created_at: now, updated_at: now, published_at: now };
  const counts = {};

  const { outlets } = parseImlsCsv(fs.readFileSync(CSV, 'utf8'));
  const chosen = outlets.slice(0, N.buildings);
  const roles = await knex('up_roles').select('id', 'type');
  const roleId = (t) => roles.find((r) => r.type === t).id;

  await knex.transaction(async (trx) => {
    // libraries (one per administrative entity) and buildings
    const libs = new Map();
    for (const o of chosen) if (!libs.has(o.imlsLibraryId)) libs.set(o.imlsLibraryId, { document_id: docId('lib', libs.size + 1), name: o.libraryName, fscs_id: o.fscsId, ...stamp });
    const libKeys = [...libs.keys()];
    const libIds = await batchInsert(trx, 'libraries', [...libs.values()]);
    const libIdOf = new Map(libKeys.map((k, i) => [k, libIds[i]]));
    const bRows = chosen.map((o, i) => ({
      document_id: docId('bld', i + 1), name: o.name, street: o.street, city: o.city, state: o.state, county: o.county,
      latitude: o.latitude, longitude: o.longitude, phone: o.phone, outlet_type: o.outletType, fscs_id: o.fscsId, fscs_seq: o.fscsSeq,
      square_feet: o.squareFeet, hours_per_year: o.hoursPerYear, needs_review: o.needsReview, review_note: o.reviewNote,
      search_text: searchTextOf({ name: o.name, libraryName: o.libraryName, city: o.city, county: o.county }), ...stamp,
    }));
    const bIds = await batchInsert(trx, 'buildings', bRows);
    await batchInsert(trx, 'buildings_library_lnk', chosen.map((o, i) => ({ building_id: bIds[i], library_id: libIdOf.get(o.imlsLibraryId), building_ord: 1 })));
    counts.libraries = libIds.length; counts.buildings = bIds.length;
    log(`buildings ${bIds.length}`);

    // people: 90% members with an approved affiliation, the rest guests
    const uRows = [];
    for (let i = 1; i <= N.people; i++) {
      const first = pick(FIRST); const last = pick(LAST);
      uRows.push({ document_id: docId('usr', i), username: `person${i}@bench.example`, email: `person${i}@bench.example`, provider: 'local',
        password: '$2a$10$benchbenchbenchbenchbeOr9x9x9x9x9x9x9x9x9x9x9x9x9x9x9x9', confirmed: true, blocked: false, first_name: first, last_name: last, ...stamp });
    }
    const uIds = await batchInsert(trx, 'up_users', uRows);
    const member = uIds.map(() => rnd() < 0.9);
    await batchInsert(trx, 'up_users_role_lnk', uIds.map((id, i) => ({ user_id: id, role_id: roleId(member[i] ? 'member' : 'authenticated'), user_ord: 1 })));
    const affUsers = uIds.filter((_, i) => member[i]);
    const aIds = await batchInsert(trx, 'affiliations', affUsers.map((_, i) => ({ document_id: docId('aff', i + 1), job_title: pick(TOPICS) + ' librarian', roles: JSON.stringify(['staff']), status: 'approved', decided_at: now, ...stamp })));
    await batchInsert(trx, 'affiliations_user_lnk', aIds.map((id, i) => ({ affiliation_id: id, user_id: affUsers[i], affiliation_ord: 1 })));
    await batchInsert(trx, 'affiliations_building_lnk', aIds.map((id) => ({ affiliation_id: id, building_id: pick(bIds), affiliation_ord: 1 })));
    counts.people = uIds.length; counts.members = affUsers.length;
    log(`people ${uIds.length}`);

    // events across the year; the first N.recurring recur; 10% members-only
    const eRows = [];
    for (let i = 1; i <= N.events; i++) {
      const day = Math.floor(rnd() * 330);
      const start = new Date(Date.UTC(YEAR, 0, 1, 14 + Math.floor(rnd() * 6)) + day * 86400000);
      const burst = i <= 2; // events 1 and 2: empty 50-seat events for the registration bursts
      const recurring = i > 2 && i <= N.recurring + 2;
      eRows.push({
        document_id: burst ? docId('burst', i) : docId('evt', i), title: `${pick(TOPICS)} ${i}`, slug: `event-${i}`, summary: 'A benchmark event',
        audience: !burst && rnd() < 0.1 ? 'members' : 'public', kind: 'continuing-education', start, end: new Date(start.getTime() + 90 * 60000), all_day: false,
        rrule: recurring ? pick(['FREQ=WEEKLY;COUNT=20', 'FREQ=MONTHLY;BYDAY=1TH;COUNT=12', 'FREQ=WEEKLY;INTERVAL=2;COUNT=10']) : null,
        cancelled: false, capacity: burst ? 50 : 20 + Math.floor(rnd() * 100), registration_mode: 'platform', registration_audience: 'everyone',
        cancellation_hours: 48, submission_state: 'none', ...stamp,
      });
    }
    const eIds = await batchInsert(trx, 'events', eRows);
    // Strapi 5 keeps a draft row beside every published one; relations from other documents resolve through it
    const draftIds = await batchInsert(trx, 'events', eRows.map((r) => ({ ...r, published_at: null })));
    // where each event happens (a component list, one copy per row as Strapi keeps them): a building of the
    // state, and for one event in ten a videoconference site as well; the burst events are online-only (none)
    const sites = eRows.map((_, i) => (i < 2 ? [] : [{ key: 'main', name: 'Main site', building: pick(bIds) }, ...(i % 10 === 0 ? [{ key: 'online', name: 'Online', onlineUrl: 'https://meet.example/room' }] : [])]));
    const owners = []; const locRows = [];
    for (const ids of [eIds, draftIds]) {
      ids.forEach((rowId, i) => sites[i].forEach((site, k) => {
        owners.push({ rowId, order: k + 1, building: site.building });
        locRows.push({ key: site.key, name: site.name, online_url: site.onlineUrl ?? null, capacity: null });
      }));
    }
    const locIds = await batchInsert(trx, 'components_event_locations', locRows);
    await batchInsert(trx, 'events_cmps', owners.map((o, k) => ({ entity_id: o.rowId, cmp_id: locIds[k], component_type: 'event.location', field: 'locations', order: o.order })));
    await batchInsert(trx, 'components_event_locations_building_lnk', owners.flatMap((o, k) => (o.building ? [{ location_id: locIds[k], building_id: o.building }] : [])));
    // topics (tags: one or two per event) and who offers it (a provider each), on both rows of every event
    const tagIds = await batchInsert(trx, 'tags', TOPICS.map((name, i) => ({ document_id: docId('tag', i + 1), name, slug: name.toLowerCase().replace(/ /g, '-'), ...stamp })));
    const providerIds = await batchInsert(trx, 'providers', Array.from({ length: 60 }, (_, i) => ({ document_id: docId('prv', i + 1), name: `Provider ${i + 1}`, slug: `provider-${i + 1}`, kind: ['system', 'consortium', 'association', 'other'][i % 4], ...stamp })));
    const topics = eRows.map(() => { const a = Math.floor(rnd() * tagIds.length); const b = Math.floor(rnd() * tagIds.length); return a === b ? [a] : [a, b]; });
    const offeredBy = eRows.map(() => Math.floor(rnd() * providerIds.length));
    for (const ids of [eIds, draftIds]) {
      await batchInsert(trx, 'events_tags_lnk', ids.flatMap((rowId, i) => topics[i].map((t, k) => ({ event_id: rowId, tag_id: tagIds[t], tag_ord: k + 1, event_ord: 1 }))));
      await batchInsert(trx, 'events_provider_lnk', ids.map((rowId, i) => ({ event_id: rowId, provider_id: providerIds[offeredBy[i]], event_ord: 1 })));
    }
    counts.events = eIds.length; counts.recurring = N.recurring; counts.eventLocations = locIds.length; counts.tags = tagIds.length; counts.providers = providerIds.length;
    log(`events ${eIds.length}`);

    // registrations: distinct (event, person) pairs on non-recurring events (the burst event stays empty)
    const seen = new Set(); const rRows = []; const links = [];
    while (rRows.length < N.registrations) {
      const e = N.recurring + 2 + Math.floor(rnd() * (N.events - N.recurring - 2)); // index into eRows: one-off events only
      const u = Math.floor(rnd() * uIds.length);
      const k = e * 1e6 + u;
      if (seen.has(k)) continue;
      seen.add(k);
      const ev = eRows[e];
      const location = sites[e].length > 1 && rnd() < 0.3 ? 'online' : 'main';
      const parts = { eventDocumentId: ev.document_id, occurrence: ev.start, userDocumentId: uRows[u].document_id, location };
      rRows.push({ document_id: docId('reg', rRows.length + 1), occurrence: ev.start, location, status: 'confirmed', payment_verified: false, attended: false, confirmed_at: now,
        event_document_id: ev.document_id, user_document_id: uRows[u].document_id, slot_key: slotKey(parts), active_key: activeKey(parts), ...stamp });
      links.push([eIds[e], uIds[u]]);
    }
    const rIds = await batchInsert(trx, 'registrations', rRows);
    await batchInsert(trx, 'registrations_event_lnk', rIds.map((id, i) => ({ registration_id: id, event_id: links[i][0] })));
    await batchInsert(trx, 'registrations_user_lnk', rIds.map((id, i) => ({ registration_id: id, user_id: links[i][1], registration_ord: 1 })));
    await batchInsert(trx, 'registrations_registered_by_lnk', rIds.map((id, i) => ({ registration_id: id, user_id: links[i][1] })));
    counts.registrations = rIds.length;
    log(`registrations ${rIds.length}`);
  });
  return { counts, memberDocIds: null, burstEvent: BURST_EVENT };
}

module.exports = { generate, SIZES, BURST_EVENT, BURST_EVENT_2, YEAR, prng };
