import { DateTime } from 'luxon';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { platformEvent } from '../helpers/registration';
import { releaseExpiredHolds, sendReminders } from '../../src/api/registration/jobs';

/** Staff change when events take place: registrations stay counted against the date they are for. */

let app: TestApp;
let staffToken: string;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'America/Chicago';
const REG = 'api::registration.registration';

const docs = () => app.strapi.documents('api::event.event');
const register = (who: TestUser, ev: { documentId: string }, body: Record<string, unknown> = {}) => app.as(who).post(`/api/events/${ev.documentId}/registrations`).send(body);
const mine = async (who: TestUser, ev: { documentId: string }) =>
  (await app.as(who).get('/api/me/registrations').expect(200)).body.data.filter((r: any) => r.event?.documentId === ev.documentId && r.status !== 'cancelled');
const deliver = async () => {
  const outbox = app.strapi.service('api::outbox-message.outbox');
  await outbox.run();
  return outbox.deliverDue();
};
/** Staff edit the event and publish the edit, as in the admin panel. */
const reschedule = async (ev: { documentId: string }, data: Record<string, unknown>) => {
  await docs().update({ documentId: ev.documentId, data: data as never });
  await docs().publish({ documentId: ev.documentId } as never);
};
const icsOf = (mail: { attachments: { filename?: string; content: Buffer }[] }) => mail.attachments.find((a) => a.filename === 'event.ics')!.content.toString();
const uidOf = (ics: string) => /\r\nUID:([^\r\n]+)/.exec(ics)?.[1];
/** A local wall-clock time in the calendar zone, `days` ahead. */
const localAt = (days: number, hour: number) => DateTime.now().setZone(ZONE).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });
const iso = (dt: DateTime) => dt.toUTC().toISO()!;

beforeAll(async () => {
  app = await startApp();
  staffToken = (await app.createAdmin('staff@schedule.example', 'll-system-staff')).token;
});
afterAll(async () => {
  await app?.stop();
});

describe('a one-off event moved to another time', () => {
  it('keeps its registrations: full stays full, nobody registers twice, the waitlist moves up, Seats and My Events follow', async () => {
    const start = localAt(20, 10);
    const ev = await platformEvent(app, { title: 'Collection development', capacity: 2, start: iso(start), end: iso(start.plus({ hours: 2 })) });
    const [ann, bo, cy, dee] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    expect((await register(ann, ev).expect(201)).body.data[0].status).toBe('confirmed');
    const boReg = (await register(bo, ev).expect(201)).body.data[0];
    expect((await register(cy, ev).expect(201)).body.data[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    await deliver();
    const confirmationUid = uidOf(icsOf(app.mail.to(ann.email)[0]));

    // staff move it an hour later
    const moved = start.plus({ hours: 1 });
    await reschedule(ev, { start: iso(moved), end: iso(moved.plus({ hours: 2 })) });

    // still full: a newcomer waits behind Cy, and Ann cannot take a second registration
    expect((await register(dee, ev).expect(201)).body.data[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    expect((await register(ann, ev).expect(409)).body.error.message).toMatch(/already registered/);
    const seats = (await app.as(staffToken).get(`/rosters/seats?events=${ev.documentId}`).expect(200)).body.data[ev.documentId];
    expect(seats).toMatchObject({ used: 2, total: 2 });
    expect(await mine(ann, ev)).toEqual([expect.objectContaining({ status: 'confirmed', occurrence: iso(moved), start: iso(moved) })]);

    // Bo gives back a seat: Cy, first on the waitlist, gets it; Dee moves up
    await app.as(bo).post(`/api/registrations/${boReg.documentId}/cancel`).expect(200);
    expect(await mine(cy, ev)).toEqual([expect.objectContaining({ status: 'confirmed' })]);
    expect(await mine(dee, ev)).toEqual([expect.objectContaining({ status: 'waitlisted', waitlistPosition: 1 })]);
    const roster = (await app.as(staffToken).get(`/rosters/events/${ev.documentId}?occurrence=${encodeURIComponent(iso(moved))}`).expect(200)).body.data;
    expect(roster.confirmed.map((r: any) => r.email).sort()).toEqual([ann.email, cy.email].sort());

    // the reminder comes the day before the new time, and updates the calendar entry of the confirmation
    app.mail.clear();
    await sendReminders(app.strapi, new Date(moved.toMillis() - 36 * HOUR));
    await deliver();
    const reminder = app.mail.to(ann.email).find((m) => /^Reminder:/.test(m.subject))!;
    expect(icsOf(reminder)).toContain(`DTSTART;TZID=${ZONE}:${moved.toFormat("yyyyLLdd'T'HHmmss")}`);
    expect(uidOf(icsOf(reminder))).toBe(confirmationUid);
  });
});

describe('a series whose time of day changes', () => {
  it('keeps each future date’s registrations on that day: no overbooking, no second registration', async () => {
    const first = localAt(14, 13);
    const ev = await platformEvent(app, { title: 'Cataloging roundtable', capacity: 1, start: iso(first), end: iso(first.plus({ hours: 1 })), rrule: 'FREQ=WEEKLY;COUNT=6' });
    const second = first.plus({ weeks: 1 });
    const [ann, bo, cy] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    expect((await register(ann, ev, { occurrence: iso(second) }).expect(201)).body.data[0].status).toBe('confirmed');
    expect((await register(bo, ev, { occurrence: iso(second) }).expect(201)).body.data[0].status).toBe('waitlisted');

    // from now on the roundtable meets at 2 p.m. instead of 1 p.m.
    const newFirst = first.set({ hour: 14 });
    await reschedule(ev, { start: iso(newFirst), end: iso(newFirst.plus({ hours: 1 })) });
    const newSecond = newFirst.plus({ weeks: 1 });

    expect((await register(cy, ev, { occurrence: iso(newSecond) }).expect(201)).body.data[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    await register(ann, ev, { occurrence: iso(newSecond) }).expect(409);
    await register(cy, ev, { occurrence: iso(second) }).expect(400); // 1 p.m. is no longer a date of it
    expect(await mine(ann, ev)).toEqual([expect.objectContaining({ status: 'confirmed', occurrence: iso(newSecond), start: iso(newSecond) })]);
    expect(await mine(bo, ev)).toEqual([expect.objectContaining({ status: 'waitlisted', waitlistPosition: 1, occurrence: iso(newSecond) })]);
  });
});

describe('a series whose two dates a day become one', () => {
  it('gathers both dates’ registrations on the day’s new date without overbooking it or registering anyone twice', async () => {
    const morning = localAt(30, 9);
    const ev = await platformEvent(app, { title: 'Open lab', capacity: 2, start: iso(morning), end: iso(morning.plus({ hours: 1 })), rrule: 'FREQ=DAILY;BYHOUR=9,14;COUNT=6' });
    const afternoon = morning.set({ hour: 14 });
    const [ann, bo, cy] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    for (const [who, when] of [[ann, morning], [cy, morning], [ann, afternoon], [bo, afternoon]] as const) {
      expect((await register(who, ev, { occurrence: iso(when) }).expect(201)).body.data[0].status).toBe('confirmed');
    }
    await deliver();
    const boAfternoonUid = uidOf(icsOf(app.mail.to(bo.email)[0]));
    const outbox = app.strapi.db.query('api::outbox-message.outbox-message');
    const lastBefore = (await outbox.findOne({ orderBy: { id: 'desc' }, select: ['id'] }))?.id ?? 0;
    app.mail.clear();

    // one lab a day from now on, at 11: the morning's two keep their seats, Ann is not registered twice, Bo waits
    const late = morning.set({ hour: 11 });
    await reschedule(ev, { start: iso(late), end: iso(late.plus({ hours: 1 })), rrule: 'FREQ=DAILY;COUNT=3' });
    await deliver();
    expect(await mine(ann, ev)).toEqual([expect.objectContaining({ status: 'confirmed', occurrence: iso(late) })]);
    expect(await mine(cy, ev)).toEqual([expect.objectContaining({ status: 'confirmed', occurrence: iso(late) })]);
    expect(await mine(bo, ev)).toEqual([expect.objectContaining({ status: 'waitlisted', waitlistPosition: 1, occurrence: iso(late) })]);
    // told the new time once each (Ann's second registration, for the afternoon, ended quietly: she is still registered);
    // the outbox worker kicked after the commit may still be sending some of them
    // (the outbox, written in the edit's transaction, says what was sent to whom, whatever the worker still delivers)
    const written = async (who: TestUser) => (await outbox.findMany({ where: { to: who.email, id: { $gt: lastBefore } } })).map((m: any) => m.subject);
    expect(await written(ann)).toEqual(['New date or time: Open lab']);
    // Bo lost his seat: one mail says both the new time and that he now waits (not "Waitlisted" and then a "stands")
    expect(await written(bo)).toEqual(['New date or time, now on the waitlist: Open lab']);
    await app.mail.waitFor(() => app.mail.to(ann.email).length >= 1 && app.mail.to(bo.email).length >= 1);
    const [boMail] = app.mail.to(bo.email);
    expect(boMail.text).toContain(`planned for ${afternoon.toFormat('cccc, LLLL d, yyyy, h:mm a')}`);
    expect(boMail.text).toContain(`now takes place ${late.toFormat('cccc, LLLL d, yyyy, h:mm a')}`);
    expect(boMail.text).toMatch(/full: your seat is no longer held for you\. You are now number 1 on the waitlist/);
    expect(boMail.text).not.toMatch(/stands/);
    // his confirmation's calendar entry (the afternoon's UID) is withdrawn, and no file puts the new date in his calendar
    expect(boMail.attachments.map((a: any) => a.filename)).toEqual(['previous-date.ics']);
    const withdrawn = boMail.attachments[0].content.toString();
    expect(withdrawn).toContain('METHOD:CANCEL');
    expect(uidOf(withdrawn)).toBe(boAfternoonUid);
    const seats = await app.strapi.db.query(REG).count({ where: { eventDocumentId: ev.documentId, occurrence: new Date(iso(late)), status: { $in: ['confirmed', 'pending-payment'] } } });
    expect(seats).toBe(2);
  });
});

describe('dates that have begun', () => {
  it('take nobody from their waitlist when staff raise the capacity; later dates do', async () => {
    const first = localAt(2, 13);
    const ev = await platformEvent(app, { title: 'Tech petting zoo', capacity: 1, start: iso(first), end: iso(first.plus({ hours: 1 })), rrule: 'FREQ=WEEKLY;COUNT=3' });
    const second = first.plus({ weeks: 1 });
    const [ann, bo, cy, dee] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    await register(ann, ev, { occurrence: iso(first) }).expect(201);
    expect((await register(bo, ev, { occurrence: iso(first) }).expect(201)).body.data[0].status).toBe('waitlisted');
    await register(cy, ev, { occurrence: iso(second) }).expect(201);
    expect((await register(dee, ev, { occurrence: iso(second) }).expect(201)).body.data[0].status).toBe('waitlisted');

    // the first date was brought forward and is under way; then staff raise the capacity
    await reschedule(ev, { occurrenceChanges: [{ occurrence: iso(first), start: new Date(Date.now() - HOUR).toISOString() }] });
    await deliver();
    app.mail.clear();
    await reschedule(ev, { capacity: 2 });
    await deliver();

    expect(await mine(bo, ev)).toEqual([expect.objectContaining({ status: 'waitlisted', waitlistPosition: 1 })]);
    expect(app.mail.to(bo.email)).toHaveLength(0);
    expect(await mine(dee, ev)).toEqual([expect.objectContaining({ status: 'confirmed' })]);
    expect(app.mail.to(dee.email).map((m) => m.subject)).toEqual([expect.stringMatching(/seat opened/i)]);
  });

  it('take nobody from their waitlist when an unpaid hold expires after the start', async () => {
    const start = localAt(5, 10);
    const ev = await platformEvent(app, { title: 'Grant writing intensive', capacity: 1, fee: 30, start: iso(start), end: iso(start.plus({ hours: 3 })) });
    const [ann, bo] = [await app.createUser('member'), await app.createUser('member')];
    expect((await register(ann, ev).expect(201)).body.data[0].status).toBe('pending-payment');
    expect((await register(bo, ev).expect(201)).body.data[0].status).toBe('waitlisted');
    // staff moved it to this morning (it is under way) before Ann's hold ran out
    await reschedule(ev, { start: new Date(Date.now() - HOUR).toISOString(), end: new Date(Date.now() + 2 * HOUR).toISOString() });
    await deliver();
    app.mail.clear();

    expect(await releaseExpiredHolds(app.strapi, new Date(Date.now() + 61 * 60_000))).toBeGreaterThanOrEqual(1);
    await deliver();
    expect((await app.strapi.db.query(REG).findOne({ where: { eventDocumentId: ev.documentId, userDocumentId: ann.documentId } })).status).toBe('cancelled');
    expect(await mine(bo, ev)).toEqual([expect.objectContaining({ status: 'waitlisted', waitlistPosition: 1 })]);
    expect(app.mail.to(bo.email)).toHaveLength(0);
  });
});

describe('staff cancel or move a date: the people registered for it are told', () => {
  const all = async (who: TestUser, ev: { documentId: string }) =>
    (await app.as(who).get('/api/me/registrations').expect(200)).body.data.filter((r: any) => r.event?.documentId === ev.documentId);

  it('a cancelled event: everyone registered or waiting is emailed and their registrations end; an unpublished edit tells nobody', async () => {
    const start = localAt(12, 10);
    const ev = await platformEvent(app, { title: 'Summer reading kickoff', capacity: 1, start: iso(start), end: iso(start.plus({ hours: 1 })) });
    const [ann, bo, cy] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    await register(ann, ev).expect(201);
    expect((await register(bo, ev).expect(201)).body.data[0].status).toBe('waitlisted');
    await deliver();
    app.mail.clear();

    // a draft edit nobody published yet changes nothing people see
    await docs().update({ documentId: ev.documentId, data: { cancelled: true } as never });
    await deliver();
    expect(app.mail.messages).toHaveLength(0);

    await docs().publish({ documentId: ev.documentId } as never);
    await deliver();
    await app.mail.waitFor(() => app.mail.to(ann.email).length >= 1 && app.mail.to(bo.email).length >= 1);
    for (const who of [ann, bo]) {
      const [mail] = app.mail.to(who.email);
      expect(mail.subject).toBe('Cancelled: Summer reading kickoff');
      expect(mail.text).toContain(start.toFormat('LLLL d, yyyy'));
      expect(await all(who, ev)).toEqual([expect.objectContaining({ status: 'cancelled', cancellationReason: 'the event was cancelled' })]);
    }
    expect(app.mail.to(ann.email)).toHaveLength(1);
    expect(app.mail.to(ann.email)[0].text).toMatch(/your registration/);
    expect(app.mail.to(bo.email)[0].text).toMatch(/place on the waitlist/);
    expect((await register(cy, ev).expect(409)).body.error.message).toMatch(/cancelled/);
  });

  it('a moved event: its people get the new time with the calendar file; a cancelled date of a series tells only that date’s people', async () => {
    const start = localAt(15, 9);
    const ev = await platformEvent(app, { title: 'Board orientation', capacity: 5, start: iso(start), end: iso(start.plus({ hours: 2 })) });
    const ann = await app.createUser('member');
    await register(ann, ev).expect(201);
    await deliver();
    app.mail.clear();
    const later = start.plus({ days: 1, hours: 4 });
    await reschedule(ev, { start: iso(later), end: iso(later.plus({ hours: 2 })) });
    await deliver();
    await app.mail.waitFor(() => app.mail.to(ann.email).length >= 1);
    const [moved] = app.mail.to(ann.email);
    expect(moved.subject).toBe('New date or time: Board orientation');
    expect(moved.text).toContain(start.toFormat('h:mm a'));
    expect(moved.text).toContain(later.toFormat('LLLL d, yyyy, h:mm a'));
    expect(icsOf(moved)).toContain(`DTSTART;TZID=${ZONE}:${later.toFormat("yyyyLLdd'T'HHmmss")}`);
    expect(await all(ann, ev)).toEqual([expect.objectContaining({ status: 'confirmed', start: iso(later) })]);

    // a series: its second date is called off; the third date's people hear nothing
    const first = localAt(9, 14);
    const series = await platformEvent(app, { title: 'Makerspace meetup', capacity: 5, start: iso(first), end: iso(first.plus({ hours: 1 })), rrule: 'FREQ=WEEKLY;COUNT=4' });
    const [cy, dee] = [await app.createUser('member'), await app.createUser('member')];
    const second = first.plus({ weeks: 1 });
    await register(cy, series, { occurrence: iso(second) }).expect(201);
    await register(dee, series, { occurrence: iso(first.plus({ weeks: 2 })) }).expect(201);
    await deliver();
    app.mail.clear();
    await reschedule(series, { occurrenceChanges: [{ occurrence: iso(second), cancelled: true }] });
    await deliver();
    await app.mail.waitFor(() => app.mail.to(cy.email).length >= 1);
    expect(app.mail.to(cy.email).map((m) => m.subject)).toEqual(['Cancelled: Makerspace meetup']);
    expect(app.mail.to(dee.email)).toHaveLength(0);
    expect(await all(cy, series)).toEqual([expect.objectContaining({ status: 'cancelled', cancellationReason: 'the event was cancelled' })]);
    expect(await all(dee, series)).toEqual([expect.objectContaining({ status: 'confirmed' })]);
  });
});

describe('staff change the event while someone is registering', () => {
  /**
   * The registration has read the event (and decided it may go ahead) when staff publish their change: the seat is
   * taken by the event as it is now, as if the person had registered a moment later.
   */
  it.each([
    ['staff cancel the event: refused (409), not registered for an event nobody will hold', { cancelled: true }],
    ['staff lower the capacity to the seats already taken: waitlisted, not seated beyond it', { capacity: 1 }],
  ] as const)('%s', async (how, change) => {
    const start = localAt(14, 10);
    const ev = await platformEvent(app, { title: `Changed meanwhile: ${how}`, capacity: 2, start: iso(start), end: iso(start.plus({ hours: 1 })) });
    const [ann, bo] = [await app.createUser('member'), await app.createUser('member')];
    await register(ann, ev).expect(201);
    const service = app.strapi.service(REG) as any;
    const attendeesFor = service.attendeesFor;
    const spy = jest.spyOn(service, 'attendeesFor').mockImplementationOnce(async (...args: unknown[]) => {
      await reschedule(ev, change);
      return attendeesFor.apply(service, args);
    });
    try {
      const res = await register(bo, ev);
      expect(spy).toHaveBeenCalled();
      if ('cancelled' in change) {
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/cancelled/);
        expect(await mine(bo, ev)).toEqual([]);
      } else {
        expect(res.status).toBe(201);
        expect(res.body.data[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
        const seats = (await app.as(staffToken).get(`/rosters/seats?events=${ev.documentId}`).expect(200)).body.data[ev.documentId];
        expect(seats).toMatchObject({ used: 1, total: 1 });
      }
    } finally {
      spy.mockRestore();
    }
  });
});

