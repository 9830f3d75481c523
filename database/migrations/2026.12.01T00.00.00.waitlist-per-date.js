'use strict';

/**
 * One waitlist per date: places count across all of an event's locations (the order in which a freed seat is offered,
 * src/api/registration/services/capacity.ts). Registrations written before numbered each location's waitlist on its
 * own (two people "number 1" on one date). Once, each date's lines are merged into one, every location's own order
 * kept and, where lines meet, the earlier registration first; then numbered 1..n.
 * First, the seat keys of active registrations whose date or location staff changed before the seat rules followed
 * such edits (the keys still naming the old place) are made again from the row, as the app makes them: the seat
 * rules count by slot_key while the waitlist is numbered by date, and one such row breaks both.
 * Runs before Strapi syncs the schema: a new database has no registrations table yet, and nothing to renumber.
 * Running it again changes nothing.
 */

// The keys of src/api/registration/keys.ts, written again here (a migration is plain JavaScript, run before the app
// is built); tests/unit/registration-keys-migration.test.ts checks that both give the same keys.
const occurrenceKey = (occurrence) => new Date(occurrence).toISOString();
const eventOccurrenceKey = (eventDocumentId, occurrence) => `${eventDocumentId}|${occurrenceKey(occurrence)}`;
const slotKey = (p) => `${eventOccurrenceKey(p.eventDocumentId, p.occurrence)}|${p.location ?? ''}`;
const activeKey = (p) => `${eventOccurrenceKey(p.eventDocumentId, p.occurrence)}|${p.userDocumentId}`;

/** A datetime column as the driver returns it: a Date (PostgreSQL), epoch milliseconds (SQLite), or text. */
const asDate = (v) => (v instanceof Date ? v : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v));

const warn = (message) => ((typeof strapi !== 'undefined' && strapi.log) || console).warn(message);

/**
 * Makes the seat keys of active registrations (not cancelled) from their event, date, location and person where they
 * differ. A row whose new active_key another registration holds (the same person registered for that date twice)
 * keeps its keys, and is named in a warning for staff to settle (cancel one of the two).
 */
async function repairKeys(knex) {
  const rows = await knex('registrations')
    .whereNot({ status: 'cancelled' })
    .whereNotNull('event_document_id')
    .whereNotNull('user_document_id')
    .whereNotNull('occurrence')
    .select('id', 'event_document_id', 'user_document_id', 'occurrence', 'location', 'slot_key', 'active_key')
    .orderBy('id');
  const holder = new Map(
    (await knex('registrations').whereNotNull('active_key').select('id', 'active_key')).map((r) => [r.active_key, r.id]),
  );
  let stale = [];
  for (const r of rows) {
    const parts = { eventDocumentId: r.event_document_id, occurrence: asDate(r.occurrence), location: r.location, userDocumentId: r.user_document_id };
    const keys = { slot_key: slotKey(parts), active_key: activeKey(parts) };
    if (keys.slot_key !== r.slot_key || keys.active_key !== r.active_key) stale.push({ row: r, keys });
  }
  // in passes: a key one row needs may be freed by another row's repair (the unique index checks each update)
  for (let progress = true; progress && stale.length; ) {
    progress = false;
    const left = [];
    for (const s of stale) {
      const owner = holder.get(s.keys.active_key);
      if (owner !== undefined && owner !== s.row.id) {
        left.push(s);
        continue;
      }
      await knex('registrations').where({ id: s.row.id }).update(s.keys);
      if (s.row.active_key != null && holder.get(s.row.active_key) === s.row.id) holder.delete(s.row.active_key);
      holder.set(s.keys.active_key, s.row.id);
      progress = true;
    }
    stale = left;
  }
  for (const s of stale) {
    warn(
      `waitlist-per-date migration: registration ${s.row.id} keeps its stale seat keys: registration ${holder.get(s.keys.active_key)} ` +
        `holds the same person's place for that date (${s.keys.active_key}); cancel one of the two`,
    );
  }
}

module.exports = {
  async up(knex) {
    if (!(await knex.schema.hasTable('registrations'))) return;
    if (knex.client.dialect === 'postgresql') {
      // no registration written while the keys are repaired and the lines renumbered (one lock, whatever the number
      // of dates; reads go on); SQLite's write transaction already excludes every other writer
      await knex.raw('LOCK TABLE ?? IN SHARE ROW EXCLUSIVE MODE', ['registrations']);
    }
    await repairKeys(knex);
    const waiting = () => knex('registrations').where({ status: 'waitlisted' }).whereNotNull('slot_key');
    // slot_key is event|date|location: the date's key (the seat rules' lock) is what precedes the location
    const dateOf = (slot) => slot.slice(0, slot.lastIndexOf('|'));
    const rows = await waiting().select('id', 'slot_key', 'waitlist_position', 'created_at');
    const time = (r) => (r.created_at == null ? Infinity : asDate(r.created_at).getTime());
    const byDate = new Map();
    for (const r of rows) {
      const date = dateOf(r.slot_key);
      if (!byDate.has(date)) byDate.set(date, new Map());
      const lines = byDate.get(date);
      if (!lines.has(r.slot_key)) lines.set(r.slot_key, []);
      lines.get(r.slot_key).push(r);
    }
    for (const lines of byDate.values()) {
      // each location's line in its order (a place left empty by a script last)
      const queues = [...lines.values()].map((line) =>
        line.sort((a, b) => (a.waitlist_position ?? Infinity) - (b.waitlist_position ?? Infinity) || a.id - b.id),
      );
      let place = 0;
      while (queues.some((q) => q.length)) {
        const next = queues.filter((q) => q.length).sort((a, b) => time(a[0]) - time(b[0]) || a[0].id - b[0].id)[0].shift();
        place += 1;
        if (Number(next.waitlist_position) !== place) await knex('registrations').where({ id: next.id }).update({ waitlist_position: place });
      }
    }
  },
  // for tests/unit/registration-keys-migration.test.ts (Strapi reads only up and down)
  keys: { occurrenceKey, eventOccurrenceKey, slotKey, activeKey },
};
