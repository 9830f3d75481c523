import { DateTime } from 'luxon';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { sendReminders } from '../../src/api/registration/jobs';
import { localTime } from '../../src/api/registration/mails';

let app: TestApp;
const HOUR = 3_600_000;
const start = new Date(Date.now() + 10 * 24 * HOUR);
start.setUTCMinutes(0, 0, 0);

const register = (who: TestUser, ev: { documentId: string }) => app.as(who).post(`/api/events/${ev.documentId}/registrations`).send({});
const deliver = async () => {
  const outbox = app.strapi.service('api::outbox-message.outbox');
  await outbox.run();
  return outbox.deliverDue();
};
const hoursBefore = (h: number) => new Date(start.getTime() - h * HOUR);

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('reminder the day before', () => {
  it('emails each confirmed registrant once, 24–48 hours ahead, with the event as a calendar file; never the waitlist or cancelled', async () => {
    const ev = await app.strapi.documents('api::event.event').create({
      data: { title: 'Grant writing basics', audience: 'public', start: start.toISOString(), registrationMode: 'platform', capacity: 2 } as never,
      status: 'published',
    });
    const ann = await app.createUser('member');
    const bo = await app.createUser('member');
    const cy = await app.createUser('member');
    const dee = await app.createUser('member');
    for (const who of [ann, bo, cy]) await register(who, ev).expect(201); // cy is waitlisted
    const boReg = (await app.as(bo).get('/api/me/registrations').expect(200)).body.data[0];
    await app.as(bo).post(`/api/registrations/${boReg.documentId}/cancel`).expect(200); // cy is promoted
    await register(dee, ev).expect(201); // waitlisted
    await deliver();
    app.mail.clear();

    // too early: 60 hours before the start
    expect(await sendReminders(app.strapi, hoursBefore(60))).toBe(0);
    // the day before
    expect(await sendReminders(app.strapi, hoursBefore(36))).toBe(2);
    await deliver();
    const reminded = app.mail.messages.filter((m) => /^Reminder:/.test(m.subject));
    expect(reminded.flatMap((m) => m.to).sort()).toEqual([ann.email, cy.email].sort());
    const mail = app.mail.to(ann.email)[0];
    expect(mail.subject).toBe('Reminder: Grant writing basics');
    expect(mail.text).toMatch(/you are registered for Grant writing basics/);
    expect(mail.attachments.find((a) => a.filename === 'event.ics')!.content.toString()).toMatch(/SUMMARY:Grant writing basics/);
    expect(app.mail.to(bo.email)).toHaveLength(0);
    expect(app.mail.to(dee.email)).toHaveLength(0);

    // later rounds (every hour) do not send it again
    expect(await sendReminders(app.strapi, hoursBefore(35))).toBe(0);
    expect(await sendReminders(app.strapi, hoursBefore(25))).toBe(0);
    await deliver();
    expect(app.mail.to(ann.email)).toHaveLength(1);
    const row = await app.strapi.db.query('api::registration.registration').findOne({ where: { user: { id: ann.id } } });
    expect(row.reminderSentAt).toBeTruthy();
  });

  it('gives the place the person chose with its meeting link, as the confirmation did', async () => {
    const at = new Date(start.getTime() + 3 * HOUR);
    const ev = await app.strapi.documents('api::event.event').create({
      data: {
        title: 'Cataloging office hours', audience: 'public', start: at.toISOString(), registrationMode: 'platform',
        locations: [{ key: 'hall', name: 'Main hall' }, { key: 'online', name: 'Online', onlineUrl: 'https://zoom.example.org/j/cataloging' }],
      } as never,
      status: 'published',
    });
    const member = await app.createUser('member');
    await app.as(member).post(`/api/events/${ev.documentId}/registrations`).send({ location: 'online' }).expect(201);
    await deliver();
    expect(app.mail.to(member.email)[0].text).toContain(`Cataloging office hours (${localTime(at)}) at Online (https://zoom.example.org/j/cataloging).`);
    expect(await sendReminders(app.strapi, new Date(at.getTime() - 30 * HOUR))).toBe(1);
    await deliver();
    const reminder = app.mail.to(member.email).find((m) => m.subject === 'Reminder: Cataloging office hours')!;
    expect(reminder.text).toContain(`you are registered for Cataloging office hours (${localTime(at)}) at Online (https://zoom.example.org/j/cataloging).`);
  });

  it('sends no reminders for a cancelled event', async () => {
    const ev = await app.strapi.documents('api::event.event').create({
      data: { title: 'Cancelled talk', audience: 'public', start: new Date(start.getTime() + HOUR).toISOString(), registrationMode: 'platform' } as never,
      status: 'published',
    });
    const member = await app.createUser('member');
    await register(member, ev).expect(201);
    await app.strapi.db.query('api::event.event').updateMany({ where: { documentId: ev.documentId }, data: { cancelled: true } });
    expect(await sendReminders(app.strapi, hoursBefore(30))).toBe(0);
  });

  it('schedules the reminder job hourly', () => {
    const tasks = app.strapi.config.get('server.cron.tasks') as Record<string, { options: { rule: string } }>;
    expect(tasks.registrationReminders.options.rule).toBe('0 15 * * * *');
  });
});

describe('moved and cancelled dates of a series', () => {
  const DAY = 24 * HOUR;
  const base = new Date(start.getTime() + 40 * DAY); // clear of the other tests' dates
  const at = (ms: number) => new Date(ms).toISOString();
  const icsStart = (iso: string) => `DTSTART;TZID=America/Chicago:${DateTime.fromISO(iso).setZone('America/Chicago').toFormat("yyyyLLdd'T'HHmmss")}`;

  async function weeklySeries(title: string, changes: Record<string, unknown>[], first = base) {
    const docs = app.strapi.documents('api::event.event');
    const ev = await docs.create({
      data: { title, audience: 'public', start: at(first.getTime()), end: at(first.getTime() + HOUR), rrule: 'FREQ=WEEKLY;COUNT=4', registrationMode: 'platform' } as never,
      status: 'published',
    });
    await docs.update({ documentId: ev.documentId, data: { occurrenceChanges: changes } as never });
    await docs.publish({ documentId: ev.documentId } as never);
    return ev;
  }

  it('a moved date shows in the transcript at its new time, and date filters go by that time', async () => {
    const first = new Date(base.getTime() + 60 * DAY); // clear of the reminder windows of the other tests here
    const moved = at(first.getTime() + 3 * DAY);
    const ev = await weeklySeries('Transcript: moved workshop', [{ occurrence: at(first.getTime()), start: moved, end: at(first.getTime() + 3 * DAY + HOUR) }], first);
    const cy = await app.createUser('member');
    const [reg] = (await app.as(cy).post(`/api/events/${ev.documentId}/registrations`).send({ occurrence: moved }).expect(201)).body.data;
    // attendance as staff would mark it once the date has taken place
    await app.strapi.db.query('api::registration.registration').update({ where: { documentId: reg.documentId }, data: { attended: true, pdhEarned: 2 } });
    const transcript = async (q = '') => (await app.as(cy).get(`/api/me/transcript${q}`).expect(200)).body;
    expect((await transcript()).data).toEqual([expect.objectContaining({ date: moved, hours: 2 })]);
    const between = at(first.getTime() + DAY);
    expect((await transcript(`?to=${encodeURIComponent(between)}`)).data).toEqual([]);
    expect((await transcript(`?from=${encodeURIComponent(between)}`)).meta.totalHours).toBe(2);
  });

  it('a moved date is confirmed, listed and reminded at its new time; a cancelled date gets no reminder', async () => {
    const moved = at(base.getTime() + 3 * DAY); // the first date, three days later
    const ev = await weeklySeries('Cataloging roundtable', [
      { occurrence: at(base.getTime()), start: moved, end: at(base.getTime() + 3 * DAY + HOUR), note: 'Moved to Thursday' },
      { occurrence: at(base.getTime() + 7 * DAY), cancelled: true },
    ]);
    const ann = await app.createUser('member');
    app.mail.clear();
    // named by its new start, stored under its original one
    await app.as(ann).post(`/api/events/${ev.documentId}/registrations`).send({ occurrence: moved }).expect(201);
    await deliver();
    const confirmation = app.mail.to(ann.email)[0];
    expect(confirmation.text).toContain(localTime(moved));
    expect(confirmation.attachments.find((a) => a.filename === 'event.ics')!.content.toString()).toContain(icsStart(moved));

    const mine = (await app.as(ann).get('/api/me/registrations').expect(200)).body.data.find((r: { event: { documentId: string } }) => r.event.documentId === ev.documentId);
    expect(mine).toMatchObject({ occurrence: at(base.getTime()), start: moved, end: at(base.getTime() + 3 * DAY + HOUR), upcoming: true });
    expect(mine.event).not.toHaveProperty('occurrenceChanges');

    // a day and a half before the original date: nothing; before the new date: the reminder, with the new time
    app.mail.clear();
    expect(await sendReminders(app.strapi, new Date(base.getTime() - 36 * HOUR))).toBe(0);
    expect(await sendReminders(app.strapi, new Date(base.getTime() + 3 * DAY - 36 * HOUR))).toBe(1);
    await deliver();
    const reminder = app.mail.to(ann.email)[0];
    expect(reminder.subject).toBe('Reminder: Cataloging roundtable');
    expect(reminder.text).toContain(localTime(moved));
    expect(reminder.attachments.find((a) => a.filename === 'event.ics')!.content.toString()).toContain(icsStart(moved));

    // the second date was cancelled after Bo registered for it: no reminder
    const bo = await app.createUser('member');
    const second = at(base.getTime() + 14 * DAY);
    await app.as(bo).post(`/api/events/${ev.documentId}/registrations`).send({ occurrence: second }).expect(201);
    const docs = app.strapi.documents('api::event.event');
    const current = (await docs.findOne({ documentId: ev.documentId, populate: { occurrenceChanges: true } } as never)) as any;
    await docs.update({ documentId: ev.documentId, data: { occurrenceChanges: [...current.occurrenceChanges.map(({ id, ...c }: any) => c), { occurrence: second, cancelled: true }] } as never });
    await docs.publish({ documentId: ev.documentId } as never);
    expect(await sendReminders(app.strapi, new Date(base.getTime() + 14 * DAY - 36 * HOUR))).toBe(0);
  });

  it('counts the cancellation deadline from the new time of a moved date', async () => {
    // the original date is 30 hours away (inside the 48-hour rule); it was moved five days later
    const original = new Date(Date.now() + 30 * HOUR);
    original.setUTCMinutes(0, 0, 0);
    const later = at(original.getTime() + 5 * DAY);
    const docs = app.strapi.documents('api::event.event');
    const ev = await docs.create({
      data: { title: 'Board governance hour', audience: 'public', start: at(original.getTime()), end: at(original.getTime() + HOUR), rrule: 'FREQ=WEEKLY;COUNT=3', registrationMode: 'platform',
        occurrenceChanges: [{ occurrence: at(original.getTime()), start: later }] } as never,
      status: 'published',
    });
    const cy = await app.createUser('member');
    const reg = (await app.as(cy).post(`/api/events/${ev.documentId}/registrations`).send({ occurrence: later }).expect(201)).body.data[0];
    await app.as(cy).post(`/api/registrations/${reg.documentId}/cancel`).expect(200);
  });

  it('lets staff mark attendance once a date moved earlier has taken place', async () => {
    const first = new Date(Date.now() + 3 * DAY);
    first.setUTCMinutes(0, 0, 0);
    const docs = app.strapi.documents('api::event.event');
    const ev = await docs.create({
      data: { title: 'Genealogy drop-in', audience: 'public', start: at(first.getTime()), end: at(first.getTime() + HOUR), rrule: 'FREQ=WEEKLY;COUNT=2', registrationMode: 'platform', pdhHours: 1 } as never,
      status: 'published',
    });
    const dee = await app.createUser('member');
    const reg = (await app.as(dee).post(`/api/events/${ev.documentId}/registrations`).send({ occurrence: at(first.getTime()) }).expect(201)).body.data[0];
    const attendance = app.strapi.service('api::registration.attendance');
    await expect(attendance.mark(reg.documentId, true)).rejects.toThrow(/once the occurrence has started/);
    // the first date was brought forward to an hour ago
    await docs.update({ documentId: ev.documentId, data: { occurrenceChanges: [{ occurrence: at(first.getTime()), start: at(Date.now() - HOUR) }] } as never });
    await docs.publish({ documentId: ev.documentId } as never);
    await expect(attendance.mark(reg.documentId, true)).resolves.toMatchObject({ attended: true, pdhEarned: 1 });
  });
});

describe('edits staff have not published', () => {
  it('do not change the seat rules: a cancellation promotes by the published capacity, not a draft one', async () => {
    const docs = app.strapi.documents('api::event.event');
    const ev = await docs.create({
      data: { title: 'Weeding workshop', audience: 'public', start: new Date(start.getTime() + 60 * 24 * HOUR).toISOString(), registrationMode: 'platform', capacity: 1 } as never,
      status: 'published',
    });
    const [eli, fay] = [await app.createUser('member'), await app.createUser('member')];
    const eliReg = (await register(eli, ev).expect(201)).body.data[0];
    expect((await register(fay, ev).expect(201)).body.data[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    // staff start closing the event in the draft (capacity 0) without publishing it
    await docs.update({ documentId: ev.documentId, data: { capacity: 0 } as never });
    await app.as(eli).post(`/api/registrations/${eliReg.documentId}/cancel`).expect(200);
    const fayReg = await app.strapi.db.query('api::registration.registration').findOne({ where: { eventDocumentId: ev.documentId, userDocumentId: fay.documentId } });
    expect(fayReg.status).toBe('confirmed');
  });
});
