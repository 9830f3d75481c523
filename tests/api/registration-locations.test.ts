import { DateTime } from 'luxon';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { platformEvent, registerFor } from '../helpers/registration';
import { releaseExpiredHolds } from '../../src/api/registration/jobs';
import { listen } from '../helpers/burst';

/**
 * An event at several locations (a room and a videoconference) has one waitlist per date: first come, first
 * served across its locations. A freed seat goes to whoever has waited longest among the people whose location
 * has room too; people whose location is full keep their place.
 */
let app: TestApp;
let superToken: string;
const CM = '/content-manager/collection-types';
const EVENT = 'api::event.event';
const OUTBOX = 'api::outbox-message.outbox-message';

beforeAll(async () => {
  app = await startApp();
  superToken = (await app.createAdmin('staff@locations.example', 'strapi-super-admin')).token;
});
afterAll(async () => {
  await app?.stop();
});

const members = async (n: number) => {
  const out: TestUser[] = [];
  for (let i = 0; i < n; i += 1) out.push(await app.createUser('member'));
  return out;
};
/** Two locations sharing the event's seats unless `a`/`b` give them seats of their own. */
const twoLocations = (a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) => [
  { key: 'a', name: 'Meeting room A', ...a },
  { key: 'b', name: 'Videoconference', onlineUrl: 'https://meet.example/l2', ...b },
];
const join = async (who: TestUser, ev: { documentId: string }, location: string, body: Record<string, unknown> = {}) =>
  (await registerFor(app, who, ev, { location, ...body })).body.data[0];
/** What the person sees in My Events for the event: [status, waitlist place]. */
const seen = async (who: TestUser, ev: { documentId: string }) => {
  const regs = (await app.as(who).get('/api/me/registrations').expect(200)).body.data.filter((r: any) => r.event?.documentId === ev.documentId && r.status !== 'cancelled');
  expect(regs.length).toBeLessThanOrEqual(1);
  return regs[0] ? [regs[0].status, regs[0].waitlistPosition] : ['none', null];
};
const mineFor = async (who: TestUser, ev: { documentId: string }) =>
  (await app.as(who).get('/api/me/registrations').expect(200)).body.data.find((r: any) => r.event?.documentId === ev.documentId && r.status !== 'cancelled');
const cancel = async (who: TestUser, ev: { documentId: string }) => app.as(who).post(`/api/registrations/${(await mineFor(who, ev)).documentId}/cancel`).expect(200);
/** The subjects of the emails queued for the person (written with the change, in the same transaction). */
const mailsTo = async (who: TestUser) =>
  (await app.strapi.db.query(OUTBOX).findMany({ where: { to: who.email }, orderBy: { id: 'asc' } })).map((m: { subject: string; text: string }) => m);
const seatOpened = async (who: TestUser) => (await mailsTo(who)).filter((m) => /seat opened/i.test(m.subject)).length;
/** Staff edit the event in the admin panel and publish the edit. */
const staffEdit = async (ev: { documentId: string }, data: Record<string, unknown>) => {
  await app.as(superToken).put(`${CM}/${EVENT}/${ev.documentId}`).send(data).expect(200);
  await app.as(superToken).post(`${CM}/${EVENT}/${ev.documentId}/actions/publish`).send({}).expect(200);
};
/** The event's locations as the admin panel's form holds them (with their ids), `changes` applied by key. */
const locationsWith = async (ev: { documentId: string }, changes: Record<string, Record<string, unknown>>) => {
  const form = (await app.as(superToken).get(`${CM}/${EVENT}/${ev.documentId}`).expect(200)).body.data;
  return form.locations.map((l: any) => ({ id: l.id, key: l.key, name: l.name, onlineUrl: l.onlineUrl ?? null, capacity: l.capacity ?? null, ...(changes[l.key] ?? {}) }));
};

describe('one waitlist per date across the locations', () => {
  it.each([
    ['the locations share the event’s seats', twoLocations()],
    ['each location has room of its own', twoLocations({ capacity: 5 }, { capacity: 5 })],
  ])('Alice (A) cancels: Carol, who waited first at B, gets the seat before Dan at A (%s)', async (_, locations) => {
    const [alice, bob, carol, dan] = await members(4);
    const ev = await platformEvent(app, { title: 'Readers’ advisory roundtable', capacity: 2, locations });
    expect(await join(alice, ev, 'a')).toMatchObject({ status: 'confirmed' });
    expect(await join(bob, ev, 'b')).toMatchObject({ status: 'confirmed' });
    expect(await join(carol, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    // Dan is second in line for the date, whichever location he chose
    expect(await join(dan, ev, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    expect((await mailsTo(dan)).map((m) => m.text)).toEqual([expect.stringContaining('You are number 2 on the waitlist')]);
    const roster = (await app.as(superToken).get(`/rosters/events/${ev.documentId}`).expect(200)).body.data;
    expect(roster.waitlist.map((r: any) => [r.email, r.waitlistPosition, r.location.key])).toEqual([[carol.email, 1, 'b'], [dan.email, 2, 'a']]);

    await cancel(alice, ev);
    expect(await seen(carol, ev)).toEqual(['confirmed', null]);
    expect(await seen(dan, ev)).toEqual(['waitlisted', 1]);
    expect(await seatOpened(carol)).toBe(1);
    expect(await seatOpened(dan)).toBe(0);

    // Bob (B) cancels: Dan, now first, gets the seat at A
    await cancel(bob, ev);
    expect(await seen(dan, ev)).toEqual(['confirmed', null]);
    expect(await seatOpened(dan)).toBe(1);
  });

  it('names the location each person chose in their confirmation, waitlist and seat-opened emails', async () => {
    const [alice, bob] = await members(2);
    const ev = await platformEvent(app, { title: 'Genealogy drop-in', capacity: 1, locations: twoLocations() });
    await join(alice, ev, 'b');
    await join(bob, ev, 'a');
    expect((await mailsTo(alice)).map((m) => m.text)).toEqual([expect.stringMatching(/^You are registered for Genealogy drop-in \(.+\) at Videoconference \(https:\/\/meet\.example\/l2\)\./)]);
    expect((await mailsTo(bob)).map((m) => m.text)).toEqual([expect.stringMatching(/^Genealogy drop-in is full\. You are number 1 on the waitlist for .+ at Meeting room A; /)]);
    await cancel(alice, ev);
    expect((await mailsTo(bob)).filter((m) => /seat opened/i.test(m.subject)).map((m) => m.text)).toEqual([
      expect.stringMatching(/you are now registered for Genealogy drop-in \(.+\) at Meeting room A\./),
    ]);
  });

  it('passes over people whose location is full (they keep their place): the next in line whose location has room gets the seat', async () => {
    const [alice, bob, cy, carol, dan, erin] = await members(6);
    const ev = await platformEvent(app, {
      title: 'Makerspace open lab', capacity: 3,
      locations: [{ key: 'a', name: 'Lab (one station)', capacity: 1 }, { key: 'b', name: 'Classroom' }, { key: 'c', name: 'Videoconference', onlineUrl: 'https://meet.example/lab' }],
    });
    await join(alice, ev, 'a');
    await join(bob, ev, 'b');
    await join(cy, ev, 'c');
    expect(await join(carol, ev, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await join(dan, ev, 'c')).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    expect(await join(erin, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 3 });

    // Bob (B) frees a seat of the event; the lab is still full, so Carol waits on and Dan (C) is next
    await cancel(bob, ev);
    expect(await seen(carol, ev)).toEqual(['waitlisted', 1]);
    expect(await seen(dan, ev)).toEqual(['confirmed', null]);
    expect(await seen(erin, ev)).toEqual(['waitlisted', 2]);
    expect([await seatOpened(carol), await seatOpened(dan), await seatOpened(erin)]).toEqual([0, 1, 0]);

    // Alice frees the lab's station: Carol, first in line, gets it
    await cancel(alice, ev);
    expect(await seen(carol, ev)).toEqual(['confirmed', null]);
    expect(await seen(erin, ev)).toEqual(['waitlisted', 1]);
  });

  it('promotes nobody when only a location’s seat frees while the event is full; the next seat of the event goes to the first in line', async () => {
    const [alice, bob, carol, dan] = await members(4);
    // the videoconference is listed first: the order of the locations gives nobody priority
    const ev = await platformEvent(app, { title: 'Grant writing clinic', capacity: 2, locations: [{ key: 'b', name: 'Videoconference' }, { key: 'a', name: 'Meeting room A', capacity: 1 }] });
    await join(alice, ev, 'a');
    await join(bob, ev, 'b');
    expect(await join(carol, ev, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await join(dan, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    // a bigger room A: the event is still full
    await staffEdit(ev, { locations: await locationsWith(ev, { a: { capacity: 2 } }) });
    expect(await seen(carol, ev)).toEqual(['waitlisted', 1]);
    expect(await seen(dan, ev)).toEqual(['waitlisted', 2]);
    expect([await seatOpened(carol), await seatOpened(dan)]).toEqual([0, 0]);

    // one more seat for the event: Carol waited first and room A now has room
    await staffEdit(ev, { capacity: 3 });
    expect(await seen(carol, ev)).toEqual(['confirmed', null]);
    expect(await seen(dan, ev)).toEqual(['waitlisted', 1]);
    expect([await seatOpened(carol), await seatOpened(dan)]).toEqual([1, 0]);
  });

  it('promotes several at once in the same order when staff raise the capacity, passing over a location that fills', async () => {
    const [alice, bob, dan, erin, carol, finn, gus] = await members(7);
    const ev = await platformEvent(app, { title: 'Trustee essentials', capacity: 2, locations: [{ key: 'b', name: 'Videoconference' }, { key: 'a', name: 'Meeting room A', capacity: 2 }] });
    await join(alice, ev, 'a');
    await join(bob, ev, 'b');
    const line: [TestUser, string][] = [[dan, 'a'], [erin, 'a'], [carol, 'b'], [finn, 'b'], [gus, 'b']];
    for (const [i, [who, where]] of line.entries()) expect(await join(who, ev, where)).toMatchObject({ status: 'waitlisted', waitlistPosition: i + 1 });

    // three more seats: Dan (room A is then full), Carol and Finn; Erin keeps her place at the head of the line
    await staffEdit(ev, { capacity: 5 });
    const after: unknown[] = [];
    for (const [who] of line) after.push([await seen(who, ev), await seatOpened(who)]);
    expect(after).toEqual([
      [['confirmed', null], 1], // Dan
      [['waitlisted', 1], 0], // Erin
      [['confirmed', null], 1], // Carol
      [['confirmed', null], 1], // Finn
      [['waitlisted', 2], 0], // Gus
    ]);

    // Dan gives his seat in room A back: it is Erin's, first in line
    await cancel(dan, ev);
    expect(await seen(erin, ev)).toEqual(['confirmed', null]);
    expect(await seen(gus, ev)).toEqual(['waitlisted', 1]);
  });

  it('gives an unpaid hold that ran out to whoever waited longest, held for payment in turn', async () => {
    const [alice, carol, dan] = await members(3);
    const ev = await platformEvent(app, { title: 'Bookkeeping for trustees', capacity: 1, fee: 20, locations: twoLocations() });
    expect(await join(alice, ev, 'a')).toMatchObject({ status: 'pending-payment' });
    expect(await join(carol, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await join(dan, ev, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    expect(await releaseExpiredHolds(app.strapi, new Date(Date.now() + 61 * 60_000))).toBeGreaterThanOrEqual(1);
    expect(await seen(carol, ev)).toEqual(['pending-payment', null]);
    expect(await seen(dan, ev)).toEqual(['waitlisted', 1]);
    expect((await mailsTo(carol)).map((m) => m.subject)).toContain('Payment needed: Bookkeeping for trustees');

    // Carol lets the seat go: Dan's turn
    await cancel(carol, ev);
    expect(await seen(dan, ev)).toEqual(['pending-payment', null]);
  });

  it('puts someone staff move back to the waitlist at the end of the date’s line: the seat goes to whoever waited first', async () => {
    const [alice, bob, carol, dan] = await members(4);
    const ev = await platformEvent(app, { title: 'Cataloging update', capacity: 2, locations: twoLocations() });
    const aliceReg = await join(alice, ev, 'a');
    await join(bob, ev, 'b');
    await join(carol, ev, 'b');
    await join(dan, ev, 'b');

    await app.as(superToken).put(`${CM}/api::registration.registration/${aliceReg.documentId}`).send({ status: 'waitlisted' }).expect(200);
    expect(await seen(carol, ev)).toEqual(['confirmed', null]);
    expect(await seen(dan, ev)).toEqual(['waitlisted', 1]);
    expect(await seen(alice, ev)).toEqual(['waitlisted', 2]);

    // the next seat (at B) is Dan's: Alice joined the line after him
    await cancel(bob, ev);
    expect(await seen(dan, ev)).toEqual(['confirmed', null]);
    expect(await seen(alice, ev)).toEqual(['waitlisted', 1]);
    expect(await seatOpened(alice)).toBe(0);
  });

  it('never gives a newcomer a seat someone at another location is waiting for; people waiting for a full location hold back nobody', async () => {
    const [alice, carol, nina, bob, cy, olga] = await members(6);
    const ev = await platformEvent(app, { title: 'Summer reading kickoff', capacity: 1, locations: twoLocations() });
    await join(alice, ev, 'a');
    expect(await join(carol, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    // a seat opened by a write that promoted nobody (a raw import, a promotion still to come)
    await app.strapi.db.query(EVENT).updateMany({ where: { documentId: ev.documentId }, data: { capacity: 2 } });
    expect(await join(nina, ev, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    const other = await platformEvent(app, { title: 'Summer reading wrap-up', capacity: 3, locations: twoLocations({ capacity: 1 }) });
    await join(bob, other, 'a');
    expect(await join(cy, other, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    // Cy waits for room A, which is full: the videoconference's seat is free for Olga
    expect(await join(olga, other, 'b')).toMatchObject({ status: 'confirmed' });
  });

  it('keeps a waitlist per date of a series', async () => {
    const [alice, bob, carol, dan, erin] = await members(5);
    // weekly at 1 p.m. in the calendar's zone (the second date's UTC hour follows daylight saving time)
    const first = DateTime.now().setZone('America/Chicago').plus({ days: 10 }).set({ hour: 13, minute: 0, second: 0, millisecond: 0 });
    const second = first.plus({ weeks: 1 });
    const ev = await platformEvent(app, { title: 'Directors’ chat', capacity: 1, start: first.toUTC().toISO(), rrule: 'FREQ=WEEKLY;COUNT=4', locations: twoLocations() });
    const on = (d: DateTime) => ({ occurrence: d.toUTC().toISO() });
    await join(alice, ev, 'a', on(first));
    expect(await join(carol, ev, 'b', on(first))).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await join(dan, ev, 'a', on(first))).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    await join(bob, ev, 'b', on(second));
    expect(await join(erin, ev, 'a', on(second))).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    await cancel(alice, ev);
    expect(await seen(carol, ev)).toEqual(['confirmed', null]);
    expect(await seen(dan, ev)).toEqual(['waitlisted', 1]);
    expect(await seen(erin, ev)).toEqual(['waitlisted', 1]);
  });
});

describe('a database written when each location had a waitlist of its own', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const migration = require('../../database/migrations/2026.12.01T00.00.00.waitlist-per-date.js');

  it('gets one line per date once: each location’s order kept, the earlier registration first where the lines meet', async () => {
    const [alice, bob, carol, dan, erin, finn] = await members(6);
    const ev = await platformEvent(app, { title: 'Trustee finance', capacity: 2, locations: twoLocations() });
    await join(alice, ev, 'a');
    await join(bob, ev, 'b');
    const line: [TestUser, string][] = [[carol, 'b'], [dan, 'a'], [erin, 'b'], [finn, 'a']];
    for (const [who, where] of line) await join(who, ev, where);
    // as the old rules numbered them: B 1, 2 and A 1, 2
    const REG = 'api::registration.registration';
    for (const [who, place] of [[carol, 1], [dan, 1], [erin, 2], [finn, 2]] as const) {
      await app.strapi.db.query(REG).update({ where: { eventDocumentId: ev.documentId, userDocumentId: who.documentId }, data: { waitlistPosition: place } });
    }

    await app.strapi.db.transaction(({ trx }) => migration.up(trx));
    const places: unknown[] = [];
    for (const [who] of line) places.push(await seen(who, ev));
    expect(places).toEqual([['waitlisted', 1], ['waitlisted', 2], ['waitlisted', 3], ['waitlisted', 4]]);

    await cancel(alice, ev);
    expect(await seen(carol, ev)).toEqual(['confirmed', null]);
    expect(await seen(dan, ev)).toEqual(['waitlisted', 1]);
  });

  it('first makes again the seat keys that staff edits left naming the old place, except where the person already holds that date (a warning names both)', async () => {
    const [alice, bob, carol, dan] = await members(4);
    const first = DateTime.now().setZone('America/Chicago').plus({ days: 10 }).set({ hour: 13, minute: 0, second: 0, millisecond: 0 });
    const second = first.plus({ weeks: 1 });
    const on = (d: DateTime) => ({ occurrence: d.toUTC().toISO() });
    const ev = await platformEvent(app, {
      title: 'Trustee orientation', start: first.toUTC().toISO(), rrule: 'FREQ=WEEKLY;COUNT=3',
      locations: [{ key: 'a', name: 'Meeting room A', capacity: 1 }, { key: 'b', name: 'Videoconference' }],
    });
    const aliceReg = await join(alice, ev, 'a', on(first));
    const bobReg = await join(bob, ev, 'b', on(first));
    const carolFirst = await join(carol, ev, 'b', on(first));
    const carolSecond = await join(carol, ev, 'b', on(second));
    // edited by staff before the seat keys followed such edits: the rows say the new place, their keys the old one
    const REG = 'api::registration.registration';
    const edit = (reg: { documentId: string }, data: Record<string, unknown>) => app.strapi.db.query(REG).update({ where: { documentId: reg.documentId }, data });
    await edit(aliceReg, { location: 'b' });
    await edit(bobReg, { occurrence: new Date(on(second).occurrence!) });
    // Carol's registration for the first date moved onto the second, for which she is registered already
    await edit(carolFirst, { occurrence: new Date(on(second).occurrence!) });
    const rows = async () => (await app.strapi.db.query(REG).findMany({ where: { eventDocumentId: ev.documentId }, orderBy: { id: 'asc' } })).map((r: any) => [r.id, r.slotKey, r.activeKey, r.waitlistPosition]);

    const warn = jest.spyOn(app.strapi.log, 'warn');
    try {
      await app.strapi.db.transaction(({ trx }) => migration.up(trx));
      const warnings = warn.mock.calls.map((c) => String(c[0]));
      expect(warnings).toEqual([expect.stringMatching(new RegExp(`registration ${carolFirst.id} keeps its stale seat keys: registration ${carolSecond.id} holds`))]);
      // running it again changes nothing
      const once = await rows();
      await app.strapi.db.transaction(({ trx }) => migration.up(trx));
      expect(await rows()).toEqual(once);
    } finally {
      warn.mockRestore();
    }

    // Alice counts in the videoconference, no longer in room A: its one seat is Dan's
    expect(await join(dan, ev, 'a', on(first))).toMatchObject({ status: 'confirmed' });
    // Bob holds the second date: a second registration for it is refused; the first date is free for him
    await app.as(bob).post(`/api/events/${ev.documentId}/registrations`).send({ location: 'b', ...on(second) }).expect(409);
    expect(await join(bob, ev, 'b', on(first))).toMatchObject({ status: 'confirmed' });
  });
});

describe('staff moving a registration to another location or date in the admin panel', () => {
  const REG = 'api::registration.registration';
  let staffToken: string;
  beforeAll(async () => {
    staffToken = (await app.createAdmin('system.staff@locations.example', 'll-system-staff')).token;
  });

  /**
   * Staff open the registration in the admin panel, change `changes` and save. The form sends every field back as
   * it was loaded (the seat keys included; relations left alone as empty connect/disconnect lists), as the content
   * manager does.
   */
  const formOf = async (reg: { documentId: string }) => {
    const form = (await app.as(staffToken).get(`${CM}/${REG}/${reg.documentId}`).expect(200)).body.data;
    const attributes = (app.strapi.contentType(REG as never) as any).attributes;
    const meta = ['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations'];
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries<unknown>(form)) {
      if (!attributes[key] || meta.includes(key) || value == null) continue;
      body[key] = attributes[key].type === 'relation' ? { connect: [], disconnect: [] } : value;
    }
    return body;
  };
  /** `form`: one staff opened earlier (the default: opened now). */
  const staffSave = async (reg: { documentId: string }, changes: Record<string, unknown>, form?: Record<string, unknown>) =>
    app.as(staffToken).put(`${CM}/${REG}/${reg.documentId}`).send({ ...(form ?? (await formOf(reg))), ...changes });
  const mine = async (who: TestUser, ev: { documentId: string }) => {
    const r = await mineFor(who, ev);
    return r ? { status: r.status, location: r.location, occurrence: r.occurrence, waitlistPosition: r.waitlistPosition } : null;
  };
  const changedMails = async (who: TestUser) => (await mailsTo(who)).filter((m) => /^Registration changed/.test(m.subject));

  it('moves a seat to a location with room: the counts follow, the old location’s first in line gets the freed seat and is emailed', async () => {
    const [alice, bob, carol, dan] = await members(4);
    const ev = await platformEvent(app, { title: 'Storytime skills', locations: [{ key: 'a', name: 'Story room', capacity: 1 }, { key: 'b', name: 'Springfield branch', capacity: 2 }] });
    const aliceReg = await join(alice, ev, 'a');
    await join(bob, ev, 'b');
    expect(await join(carol, ev, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    const res = await staffSave(aliceReg, { location: 'b' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ location: 'b', status: 'confirmed' });
    expect(await mine(alice, ev)).toMatchObject({ status: 'confirmed', location: 'b' });
    // the story room's seat went to Carol, who waited for it
    expect(await mine(carol, ev)).toMatchObject({ status: 'confirmed', location: 'a' });
    expect(await seatOpened(carol)).toBe(1);
    // Alice is told where she now has her seat, with the updated calendar file
    expect((await changedMails(alice)).map((m) => m.text)).toEqual([expect.stringContaining('Springfield branch')]);

    // Springfield is full now (Bob and Alice), the story room too (Carol)
    expect(await join(dan, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const roster = (await app.as(staffToken).get(`/rosters/events/${ev.documentId}`).expect(200)).body.data;
    expect(roster.confirmed.map((r: any) => [r.email, r.location.key]).sort()).toEqual([[alice.email, 'b'], [bob.email, 'b'], [carol.email, 'a']].sort());
    // Alice leaves Springfield: its seat goes to Dan
    await cancel(alice, ev);
    expect(await mine(dan, ev)).toMatchObject({ status: 'confirmed', location: 'b' });
  });

  it('refuses to move a seat to a full location, and changes nothing; with status waitlisted in the same save the person joins the end of the line', async () => {
    const [alice, bob, carol, dan] = await members(4);
    const ev = await platformEvent(app, { title: 'Genealogy databases', locations: [{ key: 'a', name: 'Story room', capacity: 2 }, { key: 'b', name: 'Springfield branch', capacity: 1 }] });
    const aliceReg = await join(alice, ev, 'a');
    await join(bob, ev, 'b');
    expect(await join(carol, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    const res = await staffSave(aliceReg, { location: 'b' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^location: Springfield branch has no free seat/);
    expect(await mine(alice, ev)).toMatchObject({ status: 'confirmed', location: 'a' });
    expect(await mine(carol, ev)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await changedMails(alice)).toEqual([]);
    // the story room still counts Alice: one seat left there
    expect(await join(dan, ev, 'a')).toMatchObject({ status: 'confirmed' });

    // staff put Alice on Springfield's waitlist instead: behind Carol
    expect((await staffSave(aliceReg, { location: 'b', status: 'waitlisted' })).status).toBe(200);
    expect(await mine(alice, ev)).toMatchObject({ status: 'waitlisted', location: 'b', waitlistPosition: 2 });
    await app.as(bob).post(`/api/registrations/${(await mineFor(bob, ev)).documentId}/cancel`).expect(200);
    expect(await mine(carol, ev)).toMatchObject({ status: 'confirmed', location: 'b' });
    expect(await mine(alice, ev)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
  });

  it('moves a seat between locations sharing the event’s seats while the event is full: the person keeps the event’s seat, nobody in line loses one', async () => {
    const [alice, bob, carol, dan] = await members(4);
    const ev = await platformEvent(app, { title: 'Serving patrons in crisis', capacity: 2, locations: twoLocations({}, { capacity: 2 }) });
    const aliceReg = await join(alice, ev, 'a');
    await join(bob, ev, 'b');
    expect(await join(carol, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    expect((await staffSave(aliceReg, { location: 'b' })).status).toBe(200);
    expect(await mine(alice, ev)).toMatchObject({ status: 'confirmed', location: 'b' });
    expect(await mine(carol, ev)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await seatOpened(carol)).toBe(0);
    // one more seat for the event: the videoconference is full (Bob, Alice), so it goes to Dan in the room
    await staffEdit(ev, { capacity: 3 });
    expect(await mine(carol, ev)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await join(dan, ev, 'a')).toMatchObject({ status: 'confirmed' });
    await cancel(alice, ev);
    expect(await mine(carol, ev)).toMatchObject({ status: 'confirmed', location: 'b' });
  });

  it('moves a waitlisted person to another location with their place in the date’s line, seated there when it has room', async () => {
    const [alice, bob, carol] = await members(3);
    const ev = await platformEvent(app, { title: 'Weeding the collection', locations: [{ key: 'a', name: 'Story room', capacity: 1 }, { key: 'b', name: 'Springfield branch', capacity: 1 }] });
    await join(alice, ev, 'a');
    const bobReg = await join(bob, ev, 'a');
    expect(bobReg).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await staffSave(bobReg, { location: 'b' })).status).toBe(200);
    // Springfield had a free seat: it is Bob's
    expect(await mine(bob, ev)).toMatchObject({ status: 'confirmed', location: 'b' });
    expect(await join(carol, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
  });

  it('refuses a location the event does not have and another event, and changes nothing', async () => {
    const [alice, dan] = await members(2);
    const ev = await platformEvent(app, { title: 'Library law', locations: [{ key: 'a', name: 'Story room', capacity: 1 }, { key: 'b', name: 'Springfield branch' }] });
    const other = await platformEvent(app, { title: 'Library law II' });
    const aliceReg = await join(alice, ev, 'a');

    const unknown = await staffSave(aliceReg, { location: 'springfield' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/location must be one of: a, b/);
    expect(unknown.body.error.details.errors[0].path).toEqual(['location']);
    const elsewhere = await staffSave(aliceReg, { event: { connect: [{ documentId: other.documentId }], disconnect: [] } });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.details.errors[0].path).toEqual(['event']);
    // as every 400 about a field: the message says "field: rule", each error the rule under its path
    expect(elsewhere.body.error.message).toMatch(/^event: /);
    expect(elsewhere.body.error.details.errors[0].message).toBe(elsewhere.body.error.message.slice('event: '.length));
    expect(await mine(alice, ev)).toMatchObject({ status: 'confirmed', location: 'a' });
    expect(await join(dan, ev, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
  });

  it('takes no seat keys from the form: the seat stays counted, the person keeps one registration', async () => {
    const [alice, dan] = await members(2);
    const ev = await platformEvent(app, { title: 'Library law III', locations: [{ key: 'a', name: 'Story room', capacity: 1 }, { key: 'b', name: 'Springfield branch' }] });
    const aliceReg = await join(alice, ev, 'a');
    expect((await staffSave(aliceReg, { slotKey: `${ev.documentId}|elsewhere|b`, activeKey: 'anything', eventDocumentId: 'other', userDocumentId: 'someone' })).status).toBe(200);
    expect(await join(dan, ev, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    await app.as(alice).post(`/api/events/${ev.documentId}/registrations`).send({ location: 'b' }).expect(409);
    expect(await mine(alice, ev)).toMatchObject({ status: 'confirmed', location: 'a' });
  });

  it('moves a registration to another date of a series: the freed seat goes to that date’s first in line; a full date, a date the series does not have and a second registration are refused', async () => {
    const [alice, bob, carol, dan, erin] = await members(5);
    const first = DateTime.now().setZone('America/Chicago').plus({ days: 10 }).set({ hour: 13, minute: 0, second: 0, millisecond: 0 });
    const second = first.plus({ weeks: 1 });
    const third = first.plus({ weeks: 2 });
    const iso = (d: DateTime) => d.toUTC().toISO()!;
    const ev = await platformEvent(app, { title: 'Directors’ roundtable', capacity: 1, start: iso(first), rrule: 'FREQ=WEEKLY;COUNT=4', locations: twoLocations() });
    const aliceReg = await join(alice, ev, 'a', { occurrence: iso(first) });
    expect(await join(carol, ev, 'b', { occurrence: iso(first) })).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    await join(bob, ev, 'a', { occurrence: iso(third) });

    // Alice can only come the week after: her seat on the first date is Carol's
    const res = await staffSave(aliceReg, { occurrence: iso(second) });
    expect(res.status).toBe(200);
    expect(await mine(alice, ev)).toMatchObject({ status: 'confirmed', location: 'a', occurrence: new Date(iso(second)).toISOString() });
    expect(await mine(carol, ev)).toMatchObject({ status: 'confirmed', occurrence: new Date(iso(first)).toISOString() });
    expect(await seatOpened(carol)).toBe(1);
    expect(await changedMails(alice)).toHaveLength(1);
    // the second date counts her seat
    expect(await join(dan, ev, 'b', { occurrence: iso(second) })).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    // the third date is full (Bob)
    const full = await staffSave(aliceReg, { occurrence: iso(third) });
    expect(full.status).toBe(400);
    expect(full.body.error.message).toMatch(/^occurrence: .* has no free seat/);
    // not a date of the series
    const notADate = await staffSave(aliceReg, { occurrence: iso(second.plus({ days: 1 })) });
    expect(notADate.status).toBe(400);
    expect(notADate.body.error.details.errors[0].path).toEqual(['occurrence']);
    expect(await mine(alice, ev)).toMatchObject({ status: 'confirmed', occurrence: new Date(iso(second)).toISOString() });

    // Erin waits for the second date and holds a seat on the fourth: one person, one registration per date
    const erinWaiting = await join(erin, ev, 'a', { occurrence: iso(second) });
    expect(erinWaiting).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    await join(erin, ev, 'a', { occurrence: iso(first.plus({ weeks: 3 })) });
    const twice = await staffSave(erinWaiting, { occurrence: iso(first.plus({ weeks: 3 })) });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(new RegExp(`occurrence: ${erin.email} is already registered`));

    // Dan, waiting for the second date, moves to the third: at the end of its line
    const danReg = await mineFor(dan, ev);
    expect((await staffSave(danReg, { occurrence: iso(third) })).status).toBe(200);
    expect(await mine(dan, ev)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1, occurrence: new Date(iso(third)).toISOString() });
    const secondDate = (await app.as(staffToken).get(`/rosters/events/${ev.documentId}?occurrence=${encodeURIComponent(iso(second))}`).expect(200)).body.data;
    expect(secondDate.waitlist.map((r: any) => [r.email, r.waitlistPosition])).toEqual([[erin.email, 1]]);
  });

  it('takes no waitlist place from the form: a form opened before the line moved on puts nobody ahead of anyone', async () => {
    const [alice, bob, carol, dan, erin, frank] = await members(6);
    const ev = await platformEvent(app, { title: 'Programming for teens', capacity: 1, locations: [{ key: 'a', name: 'Story room' }] });
    const aliceReg = await join(alice, ev, 'a');
    for (const who of [bob, carol, dan]) await join(who, ev, 'a');
    const erinReg = await join(erin, ev, 'a');
    expect(erinReg).toMatchObject({ status: 'waitlisted', waitlistPosition: 4 });
    // staff open Erin's registration (number 4); meanwhile two ahead of her leave and Frank joins after her
    const stale = await formOf(erinReg);
    await cancel(bob, ev);
    await cancel(carol, ev);
    expect(await seen(erin, ev)).toEqual(['waitlisted', 2]);
    const frankReg = await join(frank, ev, 'a');
    expect(frankReg).toMatchObject({ status: 'waitlisted', waitlistPosition: 3 });
    const line = async () => (await app.as(staffToken).get(`/rosters/events/${ev.documentId}`).expect(200)).body.data.waitlist.map((r: any) => [r.email, r.waitlistPosition]);

    // staff add a note to the form they opened and save it
    expect((await staffSave(erinReg, { specialNeeds: 'Wheelchair access' }, stale)).status).toBe(200);
    expect(await line()).toEqual([[dan.email, 1], [erin.email, 2], [frank.email, 3]]);
    // nor a place typed in
    expect((await staffSave(frankReg, { waitlistPosition: 1 })).status).toBe(200);
    expect(await line()).toEqual([[dan.email, 1], [erin.email, 2], [frank.email, 3]]);
    // Alice sent back to the waitlist joins its end, whatever place the form says; her seat goes to Dan
    expect((await staffSave(aliceReg, { status: 'waitlisted', waitlistPosition: 1 })).status).toBe(200);
    expect(await seen(dan, ev)).toEqual(['confirmed', null]);
    expect(await line()).toEqual([[erin.email, 1], [frank.email, 2], [alice.email, 3]]);
  });

  it('tells someone staff send from their seat to the waitlist that the seat is no longer theirs, with their place, moved or not', async () => {
    const [alice, bob, carol, dan, erin] = await members(5);
    const ev = await platformEvent(app, { title: 'Readers’ theatre', locations: [{ key: 'a', name: 'Story room', capacity: 1 }, { key: 'b', name: 'Springfield branch', capacity: 1 }] });
    const aliceReg = await join(alice, ev, 'a');
    await join(bob, ev, 'b');
    expect(await join(carol, ev, 'b')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    // Alice moved to Springfield, which is full: on its waitlist, behind Carol
    expect((await staffSave(aliceReg, { location: 'b', status: 'waitlisted' })).status).toBe(200);
    expect(await mine(alice, ev)).toMatchObject({ status: 'waitlisted', location: 'b', waitlistPosition: 2 });
    expect((await changedMails(alice)).map((m) => m.text)).toEqual([
      expect.stringMatching(/^The organisers have put you on the waitlist: your seat is no longer held for you\. You are now number 2 on the waitlist for Readers’ theatre \(.*\) at Springfield branch\./),
    ]);

    // Dan, seated in the story room, sent back to the waitlist where he is: the seat is Erin's, who waited for it
    const danReg = await join(dan, ev, 'a');
    expect(danReg).toMatchObject({ status: 'confirmed' });
    expect(await join(erin, ev, 'a')).toMatchObject({ status: 'waitlisted', waitlistPosition: 3 });
    expect((await staffSave(danReg, { status: 'waitlisted' })).status).toBe(200);
    expect(await mine(erin, ev)).toMatchObject({ status: 'confirmed', location: 'a' });
    expect(await mine(dan, ev)).toMatchObject({ status: 'waitlisted', location: 'a', waitlistPosition: 3 });
    expect((await changedMails(dan)).map((m) => m.text)).toEqual([
      expect.stringMatching(/^The organisers have put you on the waitlist: your seat is no longer held for you\. You are now number 3 on the waitlist for Readers’ theatre \(.*\) at Story room\./),
    ]);
  });

  describe('while another session holds the lock of the date it was moved to (PostgreSQL: one connection per session)', () => {
    const onPostgres = (process.env.DATABASE_CLIENT || 'sqlite') === 'postgres';
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    /**
     * The registration is read on the first date; before the lock of that date is granted, staff move it to the
     * second date (committed), two people join the second date's waitlist, and another session takes the second
     * date's lock (e.g. someone cancelling there). Whatever acts on the registration must wait for that lock before
     * it changes the second date's seats or waitlist.
     */
    (onPostgres ? it : it.skip).each([
      ['the person cancels', {}],
      ['staff cancel it in the admin panel', {}],
      ['its payment hold runs out', { fee: 15 }],
    ] as const)('changes the seats of the date a registration was just moved to only under that date’s lock: %s', async (how, fee) => {
      const [alice, bob, w1, w2] = await members(4);
      const first = DateTime.now().setZone('America/Chicago').plus({ days: 10 }).set({ hour: 13, minute: 0, second: 0, millisecond: 0 });
      const second = first.plus({ weeks: 1 });
      const iso = (d: DateTime) => d.toUTC().toISO()!;
      const ev = await platformEvent(app, { title: `Moved meanwhile: ${how}`, capacity: 2, start: iso(first), rrule: 'FREQ=WEEKLY;COUNT=3', locations: [{ key: 'a', name: 'Story room' }], ...fee });
      const seated = 'fee' in fee ? 'pending-payment' : 'confirmed';
      const aliceReg = await join(alice, ev, 'a', { occurrence: iso(first) });
      const bobReg = await join(bob, ev, 'a', { occurrence: iso(second) });
      if ('fee' in fee) await app.as(bob).post(`/api/registrations/${bobReg.documentId}/checkout`).send({ paymentVerified: true }).expect(200);
      const lockOf = (d: DateTime) => `${ev.documentId}|${new Date(iso(d)).toISOString()}`;

      const knex = app.strapi.db.connection;
      // (knex.raw is read-only: it hands the statement to its client's)
      const raw = knex.client.raw.bind(knex.client);
      let other: any;
      let meanwhile: Promise<void> | undefined;
      const spy = jest.spyOn(knex.client, 'raw').mockImplementation(((sql: string, bindings?: unknown) => {
        const builder: any = raw(sql, bindings);
        if (meanwhile || !/pg_advisory_xact_lock/.test(sql) || !Array.isArray(bindings) || bindings[0] !== lockOf(first)) return builder;
        meanwhile = (async () => {
          expect((await staffSave(aliceReg, { occurrence: iso(second) })).status).toBe(200);
          expect(await join(w1, ev, 'a', { occurrence: iso(second) })).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
          expect(await join(w2, ev, 'a', { occurrence: iso(second) })).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
          other = await knex.transaction();
          await other.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [lockOf(second)]);
        })();
        const then = builder.then.bind(builder);
        builder.then = (resolve: any, reject: any) => meanwhile!.then(() => then(resolve, reject), reject);
        return builder;
      }) as never);
      const lockWaits = async () =>
        Number((await knex.raw("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND datname = current_database()")).rows[0].n);

      // staff act in requests of their own (a request started inside the transaction would join it)
      const server = await listen(app);
      let done = false;
      try {
        const act =
          how === 'the person cancels' ? app.as(alice).post(`/api/registrations/${aliceReg.documentId}/cancel`).then((r) => expect(r.status).toBe(200))
          : how === 'staff cancel it in the admin panel' ? app.as(staffToken).put(`${CM}/${REG}/${aliceReg.documentId}`).send({ status: 'cancelled' }).then((r) => expect(r.status).toBe(200))
          : releaseExpiredHolds(app.strapi, new Date(Date.now() + 61 * 60_000)).then((n) => expect(n).toBeGreaterThanOrEqual(1));
        const acting = act.finally(() => { done = true; });
        for (let i = 0; i < 2000 && !meanwhile; i += 1) await sleep(5);
        await meanwhile;
        // it waits for the second date's lock (or, wrongly, finishes without it)
        for (let i = 0; i < 2000 && !done && (await lockWaits()) === 0; i += 1) await sleep(10);
        expect(done).toBe(false);
        expect(await seen(w1, ev)).toEqual(['waitlisted', 1]);
        await other.rollback();
        other = undefined;
        await acting;
      } finally {
        spy.mockRestore();
        await other?.rollback().catch(() => undefined);
        await server.close();
      }
      // then Alice's seat on the second date goes to the first in line there
      expect(await mine(alice, ev)).toBeNull();
      expect(await seen(w1, ev)).toEqual([seated, null]);
      expect(await seen(w2, ev)).toEqual(['waitlisted', 1]);
    });

    /**
     * Staff publish an edit that calls off the second date while other staff move Alice there from the first (a
     * date nobody had registered for yet): the move commits after the edit began but before it read which dates
     * have people. The edit must see her there: her registration ends with the date and she is told.
     */
    (onPostgres ? it : it.skip)('an edit of the event sees a registration moved onto one of its dates meanwhile', async () => {
      const [alice] = await members(1);
      const first = DateTime.now().setZone('America/Chicago').plus({ days: 10 }).set({ hour: 13, minute: 0, second: 0, millisecond: 0 });
      const second = first.plus({ weeks: 1 });
      const iso = (d: DateTime) => d.toUTC().toISO()!;
      const ev = await platformEvent(app, { title: 'Called off meanwhile', capacity: 5, start: iso(first), rrule: 'FREQ=WEEKLY;COUNT=3', locations: [{ key: 'a', name: 'Story room' }] });
      const aliceReg = await join(alice, ev, 'a', { occurrence: iso(first) });
      const docs = app.strapi.documents(EVENT as never);
      await docs.update({ documentId: ev.documentId, data: { occurrenceChanges: [{ occurrence: iso(second), cancelled: true }] } as never });

      const knex = app.strapi.db.connection;
      const raw = knex.client.raw.bind(knex.client);
      let meanwhile: Promise<void> | undefined;
      // the edit's first lock waits until the move has committed
      const spy = jest.spyOn(knex.client, 'raw').mockImplementation(((sql: string, bindings?: unknown) => {
        const builder: any = raw(sql, bindings);
        if (meanwhile || !/pg_advisory_xact_lock/.test(sql)) return builder;
        meanwhile = (async () => {
          expect((await staffSave(aliceReg, { occurrence: iso(second) })).status).toBe(200);
        })();
        const then = builder.then.bind(builder);
        builder.then = (resolve: any, reject: any) => meanwhile!.then(() => then(resolve, reject), reject);
        return builder;
      }) as never);
      const server = await listen(app);
      try {
        await docs.publish({ documentId: ev.documentId } as never);
      } finally {
        spy.mockRestore();
        await server.close();
      }
      expect(meanwhile).toBeDefined();
      await meanwhile;
      expect(await mine(alice, ev)).toBeNull();
      const [reg] = (await app.as(alice).get('/api/me/registrations').expect(200)).body.data.filter((r: any) => r.event?.documentId === ev.documentId);
      expect(reg).toMatchObject({ status: 'cancelled', cancellationReason: 'the event was cancelled', occurrence: iso(second) });
      expect((await mailsTo(alice)).map((m) => m.subject)).toContain('Cancelled: Called off meanwhile');
    });
  });
});
