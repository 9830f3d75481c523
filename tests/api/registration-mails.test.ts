import { DateTime } from 'luxon';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { platformEvent } from '../helpers/registration';
import { nodeIcalParse } from '../helpers/ical-check';
import { sendReminders } from '../../src/api/registration/jobs';
import { localTime } from '../../src/api/registration/mails';
import type { CapturedMail } from '../helpers/mailbox';

/** The registration emails as their reader meets them: the words, and the calendar file a mail program acts on. */
let app: TestApp;
const HOUR = 3_600_000;
const ZONE = 'America/Chicago';
const register = (who: TestUser, ev: { documentId: string }, body: Record<string, unknown> = {}) => app.as(who).post(`/api/events/${ev.documentId}/registrations`).send(body);
const deliver = async () => {
  const outbox = app.strapi.service('api::outbox-message.outbox');
  await outbox.run();
  return outbox.deliverDue();
};
const mine = async (who: TestUser, ev: { documentId: string }) =>
  (await app.as(who).get('/api/me/registrations').expect(200)).body.data.find((r: any) => r.event?.documentId === ev.documentId && r.status !== 'cancelled');
const icsOf = (mail: CapturedMail) => mail.attachments.find((a) => a.filename === 'event.ics')?.content.toString();
/** The file that withdraws the calendar entry of the date a registration left (METHOD:CANCEL), if the mail has one. */
const previousDateOf = (mail: CapturedMail) => mail.attachments.find((a) => a.filename === 'previous-date.ics')?.content.toString();
/** node-ical's reading of the one event of a mail's calendar file, with the file's METHOD. */
const readIcs = (text: string) => {
  const parsed = nodeIcalParse(text);
  const events = Object.values(parsed).filter((c: any) => c.type === 'VEVENT');
  expect(events).toHaveLength(1);
  return { event: events[0] as any, method: /\r\nMETHOD:([^\r\n]+)/.exec(text)?.[1] };
};
const localAt = (days: number, hour: number) => DateTime.now().setZone(ZONE).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });
const iso = (dt: DateTime) => dt.toUTC().toISO()!;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('the calendar file of a registration email', () => {
  it('is valid iCalendar: METHOD:PUBLISH as its MIME type says, DTSTAMP in UTC, the date in Chicago time across DST', async () => {
    const member = await app.createUser('member');
    // a weekly series whose third date falls after the end of daylight saving time
    const first = localAt(30, 10).set({ month: 10, day: 26 }).plus({ years: 1 });
    const series = await platformEvent(app, { title: 'Cataloging hour', start: iso(first), end: iso(first.plus({ hours: 1 })), rrule: 'FREQ=WEEKLY;COUNT=4' });
    const third = first.plus({ weeks: 2 });
    await register(member, series, { occurrence: iso(third) }).expect(201);
    await deliver();
    const [mail] = app.mail.to(member.email);
    expect(mail.text).toContain(`Cataloging hour (${third.toFormat('cccc, LLLL d, yyyy')}, 10:00 AM ${third.offsetNameShort})`);
    const text = icsOf(mail)!;
    const { event, method } = readIcs(text);
    expect(method).toBe('PUBLISH');
    expect(text).toMatch(/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);
    expect(event.uid).toBe(`${series.documentId}-${third.toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'")}@library-learning`);
    expect(event.start.toISOString()).toBe(third.toUTC().toISO());
    expect(event.end.toISOString()).toBe(third.plus({ hours: 1 }).toUTC().toISO());
    expect(event.summary).toBe('Cataloging hour');
  });

  it('an all-day event: the email names its day (no midnight time) and the file is an all-day date', async () => {
    const member = await app.createUser('member');
    const day = localAt(20, 0);
    const ev = await platformEvent(app, { title: 'Summer reading kickoff', allDay: true, start: iso(day), end: iso(day.set({ hour: 23, minute: 59 })), locations: [{ key: 'hall', name: 'Main hall' }] });
    await register(member, ev, { location: 'hall' }).expect(201);
    await deliver();
    const [mail] = app.mail.to(member.email);
    expect(mail.text).toContain(`Summer reading kickoff (${day.toFormat('cccc, LLLL d, yyyy')}) at Main hall`);
    expect(mail.text).not.toContain(`${day.toFormat('cccc, LLLL d, yyyy')}, 12:00 AM`);
    const text = icsOf(mail)!;
    expect(text).toContain(`DTSTART;VALUE=DATE:${day.toFormat('yyyyLLdd')}`);
    expect(text).toContain(`DTEND;VALUE=DATE:${day.plus({ days: 1 }).toFormat('yyyyLLdd')}`);
    const { event } = readIcs(text);
    expect(event.datetype).toBe('date');
    expect(event.location).toBe('Main hall');
  });
});

describe('the HTML part of an email written as text', () => {
  it('shows a title with < & " as written (escaped), not as markup', async () => {
    const member = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Teens <b>&</b> "Tweens" <script>x</script>' });
    await register(member, ev).expect(201);
    await deliver();
    const [mail] = app.mail.to(member.email);
    expect(mail.text).toContain('Teens <b>&</b> "Tweens" <script>x</script> (');
    // mail programs show the HTML part: the title must read there as it does in the text
    expect(mail.html).toContain('Teens &lt;b&gt;&amp;&lt;/b&gt; &quot;Tweens&quot; &lt;script&gt;x&lt;/script&gt; (');
    expect(mail.html).not.toMatch(/<b>|<script>/);
  });
});

describe('the fee of a paid registration', () => {
  it('is shown in dollars and cents, with the hold\'s end in Chicago time, and the payment instructions end their sentence', async () => {
    const member = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Budget basics', fee: 25, paymentInstructions: 'Mail a check to RAILS' });
    await register(member, ev).expect(201);
    const held = await mine(member, ev);
    await deliver();
    const [mail] = app.mail.to(member.email);
    expect(mail.subject).toBe('Payment needed: Budget basics');
    expect(mail.text).toContain(`is held for you until ${localTime(held.holdExpiresAt)}: check out to confirm it.`);
    expect(mail.text).toMatch(/ (CST|CDT):/);
    expect(mail.text.trim()).toMatch(/Registration fee: \$25\.00\. Pay it as instructed: Mail a check to RAILS\.$/);
    app.mail.clear();
    await app.as(member).post(`/api/registrations/${held.documentId}/checkout`).send({ paymentVerified: true }).expect(200);
    await deliver();
    const [confirmed] = app.mail.to(member.email);
    expect(confirmed.text).toContain('Registration fee: $25.00. Pay it as instructed: Mail a check to RAILS. The event is attached as a calendar file.');
  });

  it('ends instructions that close with a bracket with a full stop, and leaves a full stop inside one as it is', async () => {
    const [a, b] = [await app.createUser('member'), await app.createUser('member')];
    const bracket = await platformEvent(app, { title: 'Board basics', fee: 30, paymentInstructions: 'Mail a check (payable to RAILS)' });
    const stopped = await platformEvent(app, { title: 'Board advanced', fee: 30, paymentInstructions: 'Mail a check (payable to RAILS.)' });
    await register(a, bracket).expect(201);
    await register(b, stopped).expect(201);
    await deliver();
    expect(app.mail.to(a.email)[0].text.trim()).toMatch(/Pay it as instructed: Mail a check \(payable to RAILS\)\.$/);
    expect(app.mail.to(b.email)[0].text.trim()).toMatch(/Pay it as instructed: Mail a check \(payable to RAILS\.\)$/);
  });
});

describe('the fee of a registration the organisers cancel', () => {
  it('someone who paid is told whom to ask about it; someone whose seat was only held is told not to pay', async () => {
    const [paid, held] = [await app.createUser('member'), await app.createUser('member')];
    const ev = await platformEvent(app, { title: 'Strategic planning', fee: 40, contactName: 'Pat Organiser', contactEmail: 'pat@rails.example' });
    await register(paid, ev).expect(201);
    await app.as(paid).post(`/api/registrations/${(await mine(paid, ev)).documentId}/checkout`).send({ paymentVerified: true }).expect(200);
    await register(held, ev).expect(201);
    await deliver();
    app.mail.clear();
    await app.strapi.documents('api::event.event').update({ documentId: ev.documentId, data: { cancelled: true } as never });
    await app.strapi.documents('api::event.event').publish({ documentId: ev.documentId } as never);
    await deliver();
    await app.mail.waitFor(() => app.mail.to(paid.email).length >= 1 && app.mail.to(held.email).length >= 1);
    expect(app.mail.to(paid.email)[0].text).toContain('has been cancelled by its organisers, and your registration with it. About the $40.00 registration fee you paid, please contact the organisers (Pat Organiser, pat@rails.example).');
    expect(app.mail.to(held.email)[0].text).toContain('and your registration with it. Do not pay the $40.00 registration fee: nothing is owed.');
  });
});

describe('cancelling takes the date out of the calendar', () => {
  it('cancelling a seat sends METHOD:CANCEL, STATUS:CANCELLED for the UID of the confirmation; leaving the waitlist sends no file', async () => {
    const [ann, bo] = [await app.createUser('member'), await app.createUser('member')];
    const ev = await platformEvent(app, { title: 'Grant writing basics', capacity: 1 });
    await register(ann, ev).expect(201);
    await register(bo, ev).expect(201); // waitlisted
    await deliver();
    const confirmation = readIcs(icsOf(app.mail.to(ann.email)[0])!).event;
    app.mail.clear();

    await app.as(bo).post(`/api/registrations/${(await mine(bo, ev)).documentId}/cancel`).expect(200);
    await app.as(ann).post(`/api/registrations/${(await mine(ann, ev)).documentId}/cancel`).expect(200);
    await deliver();
    const [cancelled] = app.mail.to(ann.email);
    expect(cancelled.subject).toBe('Registration cancelled: Grant writing basics');
    const { event, method } = readIcs(icsOf(cancelled)!);
    expect(method).toBe('CANCEL');
    expect(event.status).toBe('CANCELLED');
    expect(event.uid).toBe(confirmation.uid);
    expect(event.start.toISOString()).toBe(confirmation.start.toISOString());
    expect(icsOf(app.mail.to(bo.email)[0])).toBeUndefined();

    // registering again: the new confirmation is stamped after the cancellation, so the calendar takes it
    await register(ann, ev).expect(201);
    await deliver();
    const again = icsOf(app.mail.to(ann.email)[1])!;
    const stamp = (t: string) => /\r\nDTSTAMP:([^\r\n]+)/.exec(t)![1];
    expect(stamp(again) >= stamp(icsOf(cancelled)!)).toBe(true);
  });

  it('a registration staff cancel: the email says the organisers cancelled it, and withdraws the date', async () => {
    const ann = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Genealogy resources', capacity: 5 });
    await register(ann, ev).expect(201);
    await deliver();
    const uid = readIcs(icsOf(app.mail.to(ann.email)[0])!).event.uid;
    app.mail.clear();
    await app.strapi.documents('api::registration.registration').update({ documentId: (await mine(ann, ev)).documentId, data: { status: 'cancelled' } as never });
    await deliver();
    const [mail] = app.mail.to(ann.email);
    expect(mail.text).toMatch(/^Your registration for Genealogy resources \(.+\) has been cancelled by the organisers\.$/);
    expect(readIcs(icsOf(mail)!).event.uid).toBe(uid);
  });

  it('a seat held for payment that staff release: the email says the organisers released it (whom to ask, no invitation to register again) and that nothing is owed', async () => {
    const ann = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Grant writing lab', fee: 40, capacity: 5, contactName: 'Pat Organiser', contactEmail: 'pat@rails.example' });
    await register(ann, ev).expect(201);
    await deliver();
    app.mail.clear();
    await app.strapi.documents('api::registration.registration').update({ documentId: (await mine(ann, ev)).documentId, data: { status: 'cancelled' } as never });
    await deliver();
    const [mail] = app.mail.to(ann.email);
    expect(mail.text.trim()).toMatch(/^The seat held for you for Grant writing lab \(.+\) has been released by the organisers\. You are not registered\. If you have questions, please contact the organisers \(Pat Organiser, pat@rails\.example\)\. Do not pay the \$40\.00 registration fee: nothing is owed\.$/);
  });

  it('an event staff cancel: its registrants get METHOD:CANCEL for the UID they were sent', async () => {
    const ann = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Trustee training', capacity: 5 });
    await register(ann, ev).expect(201);
    await deliver();
    const uid = readIcs(icsOf(app.mail.to(ann.email)[0])!).event.uid;
    app.mail.clear();
    await app.strapi.documents('api::event.event').update({ documentId: ev.documentId, data: { cancelled: true } as never });
    await app.strapi.documents('api::event.event').publish({ documentId: ev.documentId } as never);
    await deliver();
    await app.mail.waitFor(() => app.mail.to(ann.email).length >= 1);
    const [mail] = app.mail.to(ann.email);
    expect(mail.subject).toBe('Cancelled: Trustee training');
    const { event, method } = readIcs(icsOf(mail)!);
    expect([method, event.status, event.uid]).toEqual(['CANCEL', 'CANCELLED', uid]);
  });
});

describe('a series given a new time', () => {
  it("withdraws the calendar entry of the old time (its UID) beside the new one, so the person's calendar does not show both", async () => {
    const ann = await app.createUser('member');
    const first = localAt(21, 10);
    const series = await platformEvent(app, { title: 'Storytime skills', start: iso(first), end: iso(first.plus({ hours: 1 })), rrule: 'FREQ=WEEKLY;COUNT=3' });
    const second = first.plus({ weeks: 1 });
    await register(ann, series, { occurrence: iso(second) }).expect(201);
    await deliver();
    const confirmation = readIcs(icsOf(app.mail.to(ann.email)[0])!).event;
    app.mail.clear();

    // every date now at 2 PM: Ann's registration follows to 2 PM of the same day
    const later = first.set({ hour: 14 });
    await app.strapi.documents('api::event.event').update({ documentId: series.documentId, data: { start: iso(later), end: iso(later.plus({ hours: 1 })) } as never });
    await app.strapi.documents('api::event.event').publish({ documentId: series.documentId } as never);
    await deliver();
    await app.mail.waitFor(() => app.mail.to(ann.email).length >= 1);
    const [moved] = app.mail.to(ann.email);
    expect(moved.subject).toBe('New date or time: Storytime skills');
    const now = readIcs(icsOf(moved)!);
    expect(now.method).toBe('PUBLISH');
    expect(now.event.start.toISOString()).toBe(iso(second.set({ hour: 14 })));
    const old = previousDateOf(moved);
    expect(old).toBeDefined();
    const withdrawn = readIcs(old!);
    expect([withdrawn.method, withdrawn.event.status, withdrawn.event.uid]).toEqual(['CANCEL', 'CANCELLED', confirmation.uid]);
    expect(now.event.uid).not.toBe(confirmation.uid);
  });
});

describe('staff moving a registration to another date of a series', () => {
  it('names the date left and withdraws its calendar entry (its UID) beside the new date\'s file', async () => {
    const ann = await app.createUser('member');
    const first = localAt(22, 15);
    const series = await platformEvent(app, { title: 'Makerspace hours', start: iso(first), end: iso(first.plus({ hours: 1 })), rrule: 'FREQ=WEEKLY;COUNT=4' });
    const [second, third] = [first.plus({ weeks: 1 }), first.plus({ weeks: 2 })];
    await register(ann, series, { occurrence: iso(second) }).expect(201);
    await deliver();
    const confirmation = readIcs(icsOf(app.mail.to(ann.email)[0])!).event;
    app.mail.clear();

    await app.strapi.documents('api::registration.registration').update({ documentId: (await mine(ann, series)).documentId, data: { occurrence: iso(third) } as never });
    await deliver();
    const [moved] = app.mail.to(ann.email);
    expect(moved.subject).toBe('Registration changed: Makerspace hours');
    expect(moved.text).toContain(`The organisers moved your seat from ${localTime(iso(second))}: it is now for Makerspace hours (${localTime(iso(third))}).`);
    const now = readIcs(icsOf(moved)!);
    expect([now.method, now.event.start.toISOString()]).toEqual(['PUBLISH', iso(third)]);
    const old = previousDateOf(moved);
    expect(old).toBeDefined();
    const withdrawn = readIcs(old!);
    expect([withdrawn.method, withdrawn.event.status, withdrawn.event.uid]).toEqual(['CANCEL', 'CANCELLED', confirmation.uid]);
    expect(now.event.uid).not.toBe(confirmation.uid);
  });
});

describe('staff moving a registration onto the waitlist of a date with a free seat', () => {
  it('sends one mail about where the person ends up: the seat there (the date left withdrawn), not a waitlist notice and then a seat notice', async () => {
    const [ann, bo] = [await app.createUser('member'), await app.createUser('member')];
    const first = localAt(23, 11);
    const series = await platformEvent(app, { title: 'Seed library', capacity: 1, start: iso(first), end: iso(first.plus({ hours: 1 })), rrule: 'FREQ=WEEKLY;COUNT=4' });
    const [second, third] = [first.plus({ weeks: 1 }), first.plus({ weeks: 2 })];
    await register(ann, series, { occurrence: iso(second) }).expect(201);
    await register(bo, series, { occurrence: iso(second) }).expect(201); // waitlisted, number 1
    await deliver();
    const confirmation = readIcs(icsOf(app.mail.to(ann.email)[0])!).event;
    app.mail.clear();

    // Ann's seat sent to the waitlist of the third date, where a seat is free: she has it at once
    const regs = app.strapi.documents('api::registration.registration');
    await regs.update({ documentId: (await mine(ann, series)).documentId, data: { occurrence: iso(third), status: 'waitlisted' } as never });
    await deliver();
    expect((await mine(ann, series)).status).toBe('confirmed');
    const annMails = app.mail.to(ann.email);
    expect(annMails.map((m) => m.subject)).toEqual(['Registration changed: Seed library']);
    expect(annMails[0].text).toContain(`The organisers moved your seat from ${localTime(iso(second))}: it is now for Seed library (${localTime(iso(third))}).`);
    expect(readIcs(icsOf(annMails[0])!).event.start.toISOString()).toBe(iso(third));
    expect(readIcs(previousDateOf(annMails[0])!).event.uid).toBe(confirmation.uid);

    // the seat Ann left goes to Bo, first in line for the second date
    expect(app.mail.to(bo.email).map((m) => m.subject)).toEqual(['A seat opened up: Seed library']);

    // someone waiting moved to a date with room: one mail, they are registered there
    const swap = await platformEvent(app, { title: 'Seed swap', capacity: 1, start: iso(first), end: iso(first.plus({ hours: 1 })), rrule: 'FREQ=WEEKLY;COUNT=2' });
    const [fay, gil] = [await app.createUser('member'), await app.createUser('member')];
    await register(fay, swap, { occurrence: iso(first) }).expect(201);
    await register(gil, swap, { occurrence: iso(first) }).expect(201); // waitlisted, number 1
    await deliver();
    app.mail.clear();
    await regs.update({ documentId: (await mine(gil, swap)).documentId, data: { occurrence: iso(first.plus({ weeks: 1 })) } as never });
    await deliver();
    expect((await mine(gil, swap)).status).toBe('confirmed');
    const gilMails = app.mail.to(gil.email);
    expect(gilMails.map((m) => m.subject)).toEqual(['Registration changed: Seed swap']);
    expect(gilMails[0].text).toContain(`The organisers moved you from ${localTime(iso(first))} to Seed swap (${localTime(iso(first.plus({ weeks: 1 })))}), and a seat was free there: you are now registered.`);
    expect(readIcs(icsOf(gilMails[0])!).method).toBe('PUBLISH');
    expect(previousDateOf(gilMails[0])).toBeUndefined();

    // a seat sent to the line of a date with no seat free: one mail, the waitlist place (the date left withdrawn)
    app.mail.clear();
    await regs.update({ documentId: (await mine(fay, swap)).documentId, data: { occurrence: iso(first.plus({ weeks: 1 })), status: 'waitlisted' } as never });
    await deliver();
    expect(await mine(fay, swap)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const fayMails = app.mail.to(fay.email);
    expect(fayMails.map((m) => m.subject)).toEqual(['Registration changed: Seed swap']);
    expect(fayMails[0].text).toContain(`The organisers have put you on the waitlist: your seat from ${localTime(iso(first))} is no longer held for you. You are now number 1 on the waitlist`);
    expect(icsOf(fayMails[0])).toBeUndefined();
    expect(readIcs(previousDateOf(fayMails[0])!).method).toBe('CANCEL');
  });
});

describe('staff moving a seat held for payment to another date', () => {
  it('sends no calendar file (only a confirmed seat goes in the calendar) and withdraws nothing (the hold never had one)', async () => {
    const ann = await app.createUser('member');
    const first = localAt(24, 13);
    const series = await platformEvent(app, { title: 'Fundraising lab', fee: 25, capacity: 5, start: iso(first), end: iso(first.plus({ hours: 1 })), rrule: 'FREQ=WEEKLY;COUNT=3' });
    const [second, third] = [first.plus({ weeks: 1 }), first.plus({ weeks: 2 })];
    await register(ann, series, { occurrence: iso(second) }).expect(201);
    await deliver();
    expect(app.mail.to(ann.email)[0].attachments).toHaveLength(0); // the hold's own mail: no calendar file
    app.mail.clear();
    const held = await mine(ann, series);
    await app.strapi.documents('api::registration.registration').update({ documentId: held.documentId, data: { occurrence: iso(third) } as never });
    await deliver();
    const [moved] = app.mail.to(ann.email);
    expect(moved.subject).toBe('Registration changed: Fundraising lab');
    expect(moved.text).toContain(`The organisers moved the seat held for you from ${localTime(iso(second))}: it is now for Fundraising lab (${localTime(iso(third))}). It is held for you until ${localTime(held.holdExpiresAt)}: check out by then to confirm it`);
    expect(moved.text).toContain('Registration fee: $25.00.');
    expect(moved.text).not.toMatch(/attached/);
    expect(moved.attachments).toHaveLength(0);
  });
});

describe('two dates of a series made one, and it is full', () => {
  it('tells someone whose seat held for payment is gone, once: the new time and their waitlist place, no calendar file', async () => {
    const [ann, bo] = [await app.createUser('member'), await app.createUser('member')];
    const morning = localAt(26, 9);
    const series = await platformEvent(app, { title: 'Budget clinic', fee: 20, capacity: 1, start: iso(morning), end: iso(morning.plus({ hours: 1 })), rrule: 'FREQ=DAILY;BYHOUR=9,14;COUNT=4' });
    const afternoon = morning.set({ hour: 14 });
    expect((await register(ann, series, { occurrence: iso(morning) }).expect(201)).body.data[0].status).toBe('pending-payment');
    expect((await register(bo, series, { occurrence: iso(afternoon) }).expect(201)).body.data[0].status).toBe('pending-payment');
    await deliver();
    app.mail.clear();

    // one clinic a day at 11: Ann's morning hold comes first and keeps the one seat, Bo's hold is gone
    const late = morning.set({ hour: 11 });
    await app.strapi.documents('api::event.event').update({ documentId: series.documentId, data: { start: iso(late), end: iso(late.plus({ hours: 1 })), rrule: 'FREQ=DAILY;COUNT=2' } as never });
    await app.strapi.documents('api::event.event').publish({ documentId: series.documentId } as never);
    await deliver();
    expect(await mine(bo, series)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const sent = await app.strapi.db.query('api::outbox-message.outbox-message').findMany({ where: { to: bo.email, subject: { $notContains: 'Payment needed' } } });
    expect(sent.map((m: any) => m.subject)).toEqual(['New date or time, now on the waitlist: Budget clinic']);
    await app.mail.waitFor(() => app.mail.to(bo.email).length >= 1);
    const [told] = app.mail.to(bo.email);
    expect(told.text).toContain(`Budget clinic, planned for ${localTime(iso(afternoon))}, now takes place ${localTime(iso(late))}.`);
    expect(told.text).toContain('full: the seat held for you is no longer held for you. You are now number 1 on the waitlist;');
    expect(told.text).not.toMatch(/stands|attached/);
    expect(told.attachments).toHaveLength(0);
  });
});

describe('an event moved to a new time', () => {
  it('sends the updated calendar file to the person with a seat, not to someone on the waitlist (who is not coming yet)', async () => {
    const [ann, bo] = [await app.createUser('member'), await app.createUser('member')];
    const start = localAt(16, 9);
    const ev = await platformEvent(app, { title: 'Board basics', capacity: 1, start: iso(start), end: iso(start.plus({ hours: 1 })) });
    await register(ann, ev).expect(201);
    await register(bo, ev).expect(201); // waitlisted, number 1
    await deliver();
    app.mail.clear();
    const later = start.plus({ hours: 3 });
    await app.strapi.documents('api::event.event').update({ documentId: ev.documentId, data: { start: iso(later), end: iso(later.plus({ hours: 1 })) } as never });
    await app.strapi.documents('api::event.event').publish({ documentId: ev.documentId } as never);
    await deliver();
    await app.mail.waitFor(() => app.mail.to(ann.email).length >= 1 && app.mail.to(bo.email).length >= 1);
    const [seat] = app.mail.to(ann.email);
    expect(readIcs(icsOf(seat)!).event.start.toISOString()).toBe(iso(later));
    const [waiting] = app.mail.to(bo.email);
    expect(waiting.subject).toBe('New date or time: Board basics');
    expect(waiting.text).toContain('Your place on the waitlist (number 1) stands');
    expect(waiting.text).not.toMatch(/attached/);
    expect(waiting.attachments).toHaveLength(0);
  });
});

describe('what the emails say about cancelling', () => {
  it('a confirmation says until when one can cancel online; the reminder, sent once that has closed, asks to tell the organisers instead', async () => {
    const start = new Date(Date.now() + 12.5 * 24 * HOUR); // apart from the other tests' events (ten days ahead)
    start.setUTCMinutes(0, 0, 0);
    const ann = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Weeding workshop', start: start.toISOString(), capacity: 5, contactName: 'Pat Organiser', contactEmail: 'pat@rails.example' });
    await register(ann, ev).expect(201);
    await deliver();
    const deadline = new Date(start.getTime() - 48 * HOUR);
    expect(app.mail.to(ann.email)[0].text).toContain(`please cancel in My Events by ${localTime(deadline)} (48 hours before the start)`);
    app.mail.clear();

    // the reminder goes out 24 to 48 hours ahead: past the deadline, where the cancel route answers 409
    expect(await sendReminders(app.strapi, new Date(start.getTime() - 36 * HOUR))).toBe(1);
    await deliver();
    const [reminder] = app.mail.to(ann.email);
    expect(reminder.subject).toBe('Reminder: Weeding workshop');
    expect(reminder.text).not.toMatch(/please cancel/);
    // whom to tell: the event's contact
    expect(reminder.text).toContain('Cancelling online closed 48 hours before the start: if you cannot come, please tell the organisers (Pat Organiser, pat@rails.example) so the seat');
  });
});

describe('a mail server saying "try again later"', () => {
  it('never loses the email: a 4xx refusal for longer than the attempts allow keeps it pending, and it is delivered once the server takes mail', async () => {
    const OUTBOX = 'api::outbox-message.outbox-message';
    const outbox = app.strapi.service('api::outbox-message.outbox');
    const member = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Greylisted day' });
    await deliver();
    const row = () => app.strapi.db.query(OUTBOX).findOne({ where: { to: member.email } });
    /** the retry's time has come (hours of 451s pass in a moment) */
    const due = () => app.strapi.db.query(OUTBOX).updateMany({ where: { to: member.email }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    app.mail.down(); // 451 to every message
    try {
      await register(member, ev).expect(201);
      await outbox.run(); // the run the registration's commit started
      expect(await row()).toMatchObject({ status: 'pending', attempts: 1 });
      // the refusals go on past the attempts a message's own error is given
      await app.strapi.db.query(OUTBOX).updateMany({ where: { to: member.email }, data: { attempts: 11 } });
      for (const attempt of [12, 13]) {
        await due();
        await outbox.deliverDue();
        expect(await row()).toMatchObject({ status: 'pending', attempts: attempt });
      }
    } finally {
      app.mail.up();
    }
    await due();
    await outbox.deliverDue();
    expect(app.mail.to(member.email).map((m) => m.subject)).toEqual(['Registration confirmed: Greylisted day']);
  });
});
