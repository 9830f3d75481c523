'use strict';

/**
 * One waitlist per date: places count across all of an event's locations (the order in which a freed seat is offered,
 * src/api/registration/services/capacity.ts). Registrations written before numbered each location's waitlist on its
 * own (two people "number 1" on one date). Once, each date's lines are merged into one, every location's own order
 * kept and, where lines meet, the earlier registration first; then numbered 1..n.
 * Runs before Strapi syncs the schema: a new database has no registrations table yet, and nothing to renumber.
 */
module.exports = {
  async up(knex) {
    if (!(await knex.schema.hasTable('registrations'))) return;
    const waiting = () => knex('registrations').where({ status: 'waitlisted' }).whereNotNull('slot_key');
    // slot_key is event|date|location: the date's key (the seat rules' lock) is what precedes the location
    const dateOf = (slot) => slot.slice(0, slot.lastIndexOf('|'));
    if (knex.client.dialect === 'postgresql') {
      // under each date's lock, in key order as the seat rules take them: no seat changes on these dates meanwhile
      const dates = [...new Set((await waiting().distinct('slot_key')).map((r) => dateOf(r.slot_key)))].sort();
      for (const key of dates) await knex.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
    }
    const rows = await waiting().select('id', 'slot_key', 'waitlist_position', 'created_at');
    const time = (r) => (r.created_at == null ? Infinity : new Date(r.created_at).getTime());
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
};
