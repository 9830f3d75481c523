import { DateTime } from 'luxon';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { platformEvent, registerFor } from '../helpers/registration';
import { releaseExpiredHolds } from '../../src/api/registration/jobs';

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
  const staffSave = async (reg: { documentId: string }, changes: Record<string, unknown>) => {
    const form = (await app.as(staffToken).get(`${CM}/${REG}/${reg.documentId}`).expect(200)).body.data;
    const attributes = (app.strapi.contentType(REG as never) as any).attributes;
    const meta = ['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations'];
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries<unknown>(form)) {
      if (!attributes[key] || meta.includes(key) || value == null) continue;
      body[key] = attributes[key].type === 'relation' ? { connect: [], disconnect: [] } : value;
    }
    return app.as(staffToken).put(`${CM}/${REG}/${reg.documentId}`).send({ ...body, ...changes });
  };
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
});
