import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { releaseExpiredHolds } from '../../src/api/registration/jobs';
import createOutbox from '../../src/api/outbox-message/services/outbox';
import { localTime } from '../../src/api/registration/mails';

let app: TestApp;
let n = 0;
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();

const event = async (data: Record<string, unknown> = {}) => {
  n += 1;
  return app.strapi.documents('api::event.event').create({
    data: { title: `Storytime workshop ${n}`, audience: 'public', start: inDays(10), registrationMode: 'platform', ...data } as never,
    status: 'published',
  });
};
const register = (who: TestUser | null, ev: { documentId: string }, body: Record<string, unknown> = {}) =>
  app.as(who).post(`/api/events/${ev.documentId}/registrations`).send(body);
/** Runs the outbox worker the way cron does (cron is off in tests). */
const deliver = async () => {
  const outbox = app.strapi.service('api::outbox-message.outbox');
  await outbox.run();
  return outbox.deliverDue();
};

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('registering yourself', () => {
  it('confirms a seat and emails a confirmation with the event as a calendar file', async () => {
    const member = await app.createUser('member');
    const ev = await event({ title: 'Weeding the collection', capacity: 10 });
    const res = await register(member, ev, { emergencyPhone: '217-555-0100', specialNeeds: 'Wheelchair access' }).expect(201);
    expect(res.body.data).toHaveLength(1);
    // Strapi's success shape (API.md): { data, meta }, on the action routes too
    expect(res.body).toHaveProperty('meta');
    expect(res.body.data[0]).toMatchObject({ status: 'confirmed', waitlistPosition: null, emergencyPhone: '217-555-0100' });
    await deliver();
    const [mail] = app.mail.to(member.email);
    expect(mail.subject).toMatch(/confirmed.*Weeding the collection/i);
    const ics = mail.attachments.find((a) => a.filename === 'event.ics');
    expect(ics).toBeDefined();
    expect(ics!.content.toString()).toMatch(/SUMMARY:Weeding the collection/);
    expect(ics!.content.toString()).toMatch(/DTSTART;TZID=America\/Chicago:/);
  });

  it('never takes status, payment or price from the caller: refused with 400 naming the field, nothing stored', async () => {
    const member = await app.createUser('member');
    const ev = await event({ fee: 25 });
    for (const [field, value] of [['status', 'confirmed'], ['paymentVerified', true], ['feeCharged', 0]] as const) {
      const refused = await register(member, ev, { [field]: value }).expect(400);
      expect(refused.body.error.message).toContain(field);
    }
    expect(await app.strapi.db.query('api::registration.registration').count({ where: { user: { id: member.id } } })).toBe(0);
    const res = await register(member, ev).expect(201);
    expect(res.body.data[0]).toMatchObject({ status: 'pending-payment', paymentVerified: false, feeCharged: 25 });
  });

  it('refuses a second registration of the same person with 409', async () => {
    const member = await app.createUser('member');
    const ev = await event();
    await register(member, ev).expect(201);
    const res = await register(member, ev).expect(409);
    expect(res.body.error.message).toMatch(/already registered/);
  });

  it('tells how to sign up when the event does not register on the platform', async () => {
    const member = await app.createUser('member');
    const ext = await event({ registrationMode: 'external', signupInstructions: 'Sign up at the ALA website.' });
    const res = await register(member, ext).expect(422);
    expect(res.body.error.message).toMatch(/Sign up at the ALA website/);
    const none = await event({ registrationMode: 'none' });
    await register(member, none).expect(422);
  });

  it('keeps members-only registration for members, and hidden events hidden', async () => {
    const guest = await app.createUser('guest');
    const member = await app.createUser('member');
    const membersReg = await event({ registrationAudience: 'members' });
    await register(guest, await event()).expect(201); // guests may register for events open to everyone
    const res = await register(guest, membersReg).expect(403);
    expect(res.body.error.message).toMatch(/member/);
    await register(member, membersReg).expect(201);
    const hidden = await event({ audience: 'members' });
    await register(guest, hidden).expect(404);
    await register(null, membersReg).expect(403);
  });

  it('respects the registration window', async () => {
    const member = await app.createUser('member');
    const early = await event({ registrationOpens: inDays(2) });
    expect((await register(member, early).expect(409)).body.error.message).toMatch(/Registration opens/);
    const late = await event({ registrationCloses: inDays(-1) });
    expect((await register(member, late).expect(409)).body.error.message).toMatch(/Registration closed/);
  });

  it('needs a real occurrence for recurring events, expanded in Chicago time', async () => {
    const member = await app.createUser('member');
    // Thursdays at 1 p.m. Chicago from January 2027: 19:00 UTC in winter, 18:00 UTC in summer
    const ev = await event({ start: '2027-01-07T19:00:00.000Z', rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=40', exdates: ['2027-01-14T19:00:00.000Z'] });
    expect((await register(member, ev).expect(400)).body.error.message).toMatch(/occurrence/);
    expect((await register(member, ev, { occurrence: '2027-01-08T19:00:00.000Z' }).expect(400)).body.error.message).toMatch(/not a date/);
    await register(member, ev, { occurrence: '2027-01-14T19:00:00.000Z' }).expect(400); // excluded date
    await register(member, ev, { occurrence: '2027-07-01T19:00:00.000Z' }).expect(400); // wrong hour after DST
    const ok = await register(member, ev, { occurrence: '2027-07-01T18:00:00.000Z' }).expect(201);
    expect(ok.body.data[0].occurrence).toBe('2027-07-01T18:00:00.000Z');
    await register(member, ev, { occurrence: '2027-01-21T13:00:00-06:00' }).expect(201);
  });

  it('needs a location when there are several, each with its own capacity', async () => {
    const [a, b, c] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    const ev = await event({
      locations: [
        { key: 'springfield', name: 'Springfield branch', capacity: 1 },
        { key: 'online', name: 'Online', onlineUrl: 'https://meet.example/x', capacity: 5 },
      ],
    });
    expect((await register(a, ev).expect(400)).body.error.message).toMatch(/location is required.*springfield/);
    await register(a, ev, { location: 'nowhere' }).expect(400);
    expect((await register(a, ev, { location: 'springfield' }).expect(201)).body.data[0].status).toBe('confirmed');
    expect((await register(b, ev, { location: 'springfield' }).expect(201)).body.data[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await register(c, ev, { location: 'online' }).expect(201)).body.data[0].status).toBe('confirmed');
  });
});

describe('waitlist and cancellation', () => {
  it('waitlists in order when full, and a cancellation promotes exactly the first and emails them', async () => {
    const people = [];
    for (let i = 0; i < 4; i += 1) people.push(await app.createUser('member'));
    const ev = await event({ title: 'Grant writing basics', capacity: 1 });
    const statuses = [];
    for (const p of people) statuses.push((await register(p, ev).expect(201)).body.data[0]);
    expect(statuses.map((s) => [s.status, s.waitlistPosition])).toEqual([
      ['confirmed', null], ['waitlisted', 1], ['waitlisted', 2], ['waitlisted', 3],
    ]);
    await deliver();
    expect(app.mail.to(people[1].email)[0].subject).toMatch(/Waitlisted/);
    expect(app.mail.to(people[1].email)[0].text).toMatch(/number 1 on the waitlist/);

    const cancelled = await app.as(people[0]).post(`/api/registrations/${statuses[0].documentId}/cancel`).expect(200);
    expect(cancelled.body.data.status).toBe('cancelled');
    expect(cancelled.body).toHaveProperty('meta');
    await deliver();
    expect(app.mail.to(people[0].email).map((m) => m.subject)).toContainEqual(expect.stringMatching(/cancelled/i));
    const promotedMail = app.mail.to(people[1].email).find((m) => /seat opened/i.test(m.subject));
    expect(promotedMail?.attachments.some((a) => a.filename === 'event.ics')).toBe(true);
    expect(app.mail.to(people[2].email).some((m) => /seat opened/i.test(m.subject))).toBe(false);

    const mine = async (p: TestUser) => (await app.as(p).get('/api/me/registrations').expect(200)).body.data.find((r: any) => r.event.documentId === ev.documentId);
    expect(await mine(people[1])).toMatchObject({ status: 'confirmed', waitlistPosition: null });
    expect(await mine(people[2])).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await mine(people[3])).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    // leaving the waitlist renumbers those behind
    const third = await mine(people[2]);
    await app.as(people[2]).post(`/api/registrations/${third.documentId}/cancel`).expect(200);
    expect(await mine(people[3])).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    // the person can register again after cancelling
    await register(people[0], ev).expect(201);
  });

  it('refuses to cancel within the cancellation hours, naming the deadline', async () => {
    const member = await app.createUser('member');
    const ev = await event({ start: new Date(Date.now() + 24 * 3_600_000).toISOString() });
    const reg = (await register(member, ev).expect(201)).body.data[0];
    const res = await app.as(member).post(`/api/registrations/${reg.documentId}/cancel`).expect(409);
    const deadline = new Date(new Date(ev.start as string).getTime() - 48 * 3_600_000).toISOString();
    expect(res.body.error.message).toContain(deadline);
    expect(res.body.error.message).toMatch(/C[SD]T/);
    const short = await event({ start: new Date(Date.now() + 24 * 3_600_000).toISOString(), cancellationHours: 12 });
    const reg2 = (await register(member, short).expect(201)).body.data[0];
    await app.as(member).post(`/api/registrations/${reg2.documentId}/cancel`).expect(200);
  });

  it('lets a person release an unpaid hold at any time, and the seat goes to the waitlist; a paid seat keeps the deadline', async () => {
    const [ann, bo] = [await app.createUser('member'), await app.createUser('member')];
    const ev = await event({ title: 'Bookkeeping for trustees', fee: 20, capacity: 1, start: new Date(Date.now() + 24 * 3_600_000).toISOString() });
    const hold = (await register(ann, ev).expect(201)).body.data[0];
    expect(hold.status).toBe('pending-payment');
    expect((await register(bo, ev).expect(201)).body.data[0].status).toBe('waitlisted');
    // a day before the start, inside the 48 hours: Ann has not paid and lets the seat go
    expect((await app.as(ann).post(`/api/registrations/${hold.documentId}/cancel`).expect(200)).body.data.status).toBe('cancelled');
    const boReg = (await app.as(bo).get('/api/me/registrations').expect(200)).body.data.find((r: any) => r.event.documentId === ev.documentId);
    expect(boReg).toMatchObject({ status: 'pending-payment', waitlistPosition: null });
    await app.as(bo).post(`/api/registrations/${boReg.documentId}/checkout`).send({ paymentVerified: true }).expect(200);
    expect((await app.as(bo).post(`/api/registrations/${boReg.documentId}/cancel`).expect(409)).body.error.message).toMatch(/Cancellation closed 48 hours/);
  });

  it('emails each cancellation, saying what was let go: a seat, a waitlist place, or an unpaid hold that expired', async () => {
    const [sat, waited, unpaid] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    const ev = await event({ title: 'Cataloging basics', capacity: 1 });
    const seat = (await register(sat, ev).expect(201)).body.data[0];
    const place = (await register(waited, ev).expect(201)).body.data[0];
    expect(place.status).toBe('waitlisted');
    // L2: "You will see a confirmation message, and confirmation will also be emailed to you."
    await app.as(waited).post(`/api/registrations/${place.documentId}/cancel`).expect(200);
    await app.as(sat).post(`/api/registrations/${seat.documentId}/cancel`).expect(200);
    const feeEvent = await event({ title: 'Paid webinar', fee: 15 });
    await register(unpaid, feeEvent).expect(201);
    expect(await releaseExpiredHolds(app.strapi, new Date(Date.now() + 61 * 60_000))).toBeGreaterThanOrEqual(1);
    await deliver();

    const cancelled = (who: TestUser) => app.mail.to(who.email).filter((m) => m.subject.startsWith('Registration cancelled'));
    expect(cancelled(sat)).toHaveLength(1);
    expect(cancelled(sat)[0].text).toMatch(/^Your registration for Cataloging basics \(.+\) has been cancelled\.$/);
    expect(cancelled(waited)).toHaveLength(1);
    expect(cancelled(waited)[0].text).toMatch(/^Your place on the waitlist for Cataloging basics \(.+\) has been cancelled\.$/);
    // nobody is registered before paying (L2): the hold's end is no cancelled registration, and its reason is told
    expect(cancelled(unpaid)).toHaveLength(1);
    expect(cancelled(unpaid)[0].text).toMatch(/^The seat held for you for Paid webinar \(.+\) has been released: checkout \(payment verified\) was not completed before the hold expired\. You are not registered; register again while seats remain\.$/);
  });

  it("does not let others cancel someone's registration", async () => {
    const [owner, other] = [await app.createUser('member'), await app.createUser('member')];
    const reg = (await register(owner, await event()).expect(201)).body.data[0];
    await app.as(other).post(`/api/registrations/${reg.documentId}/cancel`).expect(404);
    await app.as(null).post(`/api/registrations/${reg.documentId}/cancel`).expect(403);
  });
});

describe('fees', () => {
  it('holds a seat until checkout, and an expired hold goes to the waitlist', async () => {
    const [payer, late, waiting] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    const ev = await event({ fee: 40, capacity: 1, paymentInstructions: 'Pay by check to IHLS.' });
    const held = (await register(payer, ev).expect(201)).body.data[0];
    expect(held.status).toBe('pending-payment');
    expect(new Date(held.holdExpiresAt).getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    await app.as(payer).post(`/api/registrations/${held.documentId}/checkout`).send({}).expect(400);
    const paid = await app.as(payer).post(`/api/registrations/${held.documentId}/checkout`).send({ paymentVerified: true }).expect(200);
    expect(paid.body.data).toMatchObject({ status: 'confirmed', paymentVerified: true });
    expect(paid.body).toHaveProperty('meta');
    await app.as(payer).post(`/api/registrations/${held.documentId}/checkout`).send({ paymentVerified: true }).expect(409);
    // L2: after checkout "a confirmation will be emailed to you. Pay the registration fee as instructed."
    await deliver();
    const [heldMail] = app.mail.to(payer.email).filter((m) => m.subject.startsWith('Payment needed'));
    expect(heldMail.text).toContain('check out to confirm it. Registration fee: $40.00. Pay it as instructed: Pay by check to IHLS.');
    const [confirmation] = app.mail.to(payer.email).filter((m) => m.subject.startsWith('Registration confirmed'));
    expect(confirmation.text).toContain('Registration fee: $40.00. Pay it as instructed: Pay by check to IHLS.');

    const ev2 = await event({ fee: 40, capacity: 1 });
    const hold = (await register(late, ev2).expect(201)).body.data[0];
    expect((await register(waiting, ev2).expect(201)).body.data[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await releaseExpiredHolds(app.strapi)).toBe(0);
    expect(await releaseExpiredHolds(app.strapi, new Date(Date.now() + 61 * 60_000))).toBeGreaterThanOrEqual(1);
    const mine = (await app.as(late).get('/api/me/registrations').expect(200)).body.data.find((r: any) => r.documentId === hold.documentId);
    expect(mine.status).toBe('cancelled');
    const promoted = (await app.as(waiting).get('/api/me/registrations').expect(200)).body.data[0];
    expect(promoted).toMatchObject({ status: 'pending-payment', waitlistPosition: null });
  });
});

describe('an event whose fee is 0 or empty is free (API.md)', () => {
  it.each([[0], ['0.00'], [null]])('fee %p: a confirmed seat at once, no payment hold, no checkout', async (fee) => {
    const member = await app.createUser('member');
    const ev = await event({ fee });
    const res = await register(member, ev).expect(201);
    expect(res.body.data[0]).toMatchObject({ status: 'confirmed', holdExpiresAt: null, feeCharged: null });
    await app.as(member).post(`/api/registrations/${res.body.data[0].documentId}/checkout`).send({ paymentVerified: true }).expect(409);
  });
});

describe('a seat from the waitlist held for a fee (REGISTRATION_PROMOTION_HOLD_HOURS)', () => {
  const HOUR = 3_600_000;
  const REG = 'api::registration.registration';
  const holdOf = async (documentId: string) => {
    const row = await app.strapi.db.query(REG).findOne({ where: { documentId }, select: ['status', 'holdExpiresAt'] });
    return { status: row.status, until: row.holdExpiresAt ? new Date(row.holdExpiresAt).getTime() : null };
  };
  /** A paid event of one seat held (unpaid) by a first person, `waiting` in line; the first lets it go: the line's first is given it. */
  const promote = async (data: Record<string, unknown>, waiting: TestUser[]) => {
    const first = await app.createUser('member');
    const ev = await event({ fee: 30, capacity: 1, ...data });
    const held = (await register(first, ev).expect(201)).body.data[0];
    const regs = [];
    for (const w of waiting) regs.push((await register(w, ev).expect(201)).body.data[0]);
    const from = Date.now();
    await app.as(first).post(`/api/registrations/${held.documentId}/cancel`).expect(200);
    return { ev, held, regs, from, to: Date.now() };
  };
  const heldMail = async (who: TestUser) => {
    await deliver();
    const mails = app.mail.to(who.email).filter((m) => m.subject.startsWith('Payment needed'));
    expect(mails).toHaveLength(1);
    return mails[0];
  };

  it('holds it a day, not the hour someone at the screen gets; the email says until when; the hold-expiry job keeps it that long', async () => {
    const [bea, cy] = [await app.createUser('member'), await app.createUser('member')];
    const { ev, held, regs, from, to } = await promote({ title: 'Preservation on a budget', start: inDays(10) }, [bea, cy]);
    // registering oneself: the ordinary hold
    expect(new Date(held.holdExpiresAt).getTime()).toBeLessThan(Date.now() + 61 * 60_000);
    const hold = await holdOf(regs[0].documentId);
    expect(hold.status).toBe('pending-payment');
    expect(hold.until).toBeGreaterThanOrEqual(from + 24 * HOUR);
    expect(hold.until).toBeLessThanOrEqual(to + 24 * HOUR);
    const mail = await heldMail(bea);
    expect(mail.subject).toBe(`Payment needed: ${ev.title}`);
    expect(mail.text).toMatch(/^Good news: a seat became available for Preservation on a budget \(.+\), and it is held for you until /);
    expect(mail.text).toContain(`held for you until ${localTime(new Date(hold.until!))}. Check out by then to confirm it; after that the seat is released and you are not registered. Registration fee: $30.00.`);
    // My Events shows the same expiry
    const mine = (await app.as(bea).get('/api/me/registrations').expect(200)).body.data.find((r: any) => r.documentId === regs[0].documentId);
    expect(new Date(mine.holdExpiresAt).getTime()).toBe(hold.until);

    // an hour later (the old hold's end) the seat is still hers; past the day it goes to the next in line, for a day too
    await releaseExpiredHolds(app.strapi, new Date(Date.now() + 61 * 60_000));
    expect((await holdOf(regs[0].documentId)).status).toBe('pending-payment');
    expect((await holdOf(regs[1].documentId)).status).toBe('waitlisted');
    expect(await releaseExpiredHolds(app.strapi, new Date(hold.until! + 60_000))).toBeGreaterThanOrEqual(1);
    expect((await holdOf(regs[0].documentId)).status).toBe('cancelled');
    const next = await holdOf(regs[1].documentId);
    expect(next.status).toBe('pending-payment');
    expect(next.until).toBeGreaterThan(Date.now() + 23 * HOUR);
  });

  it('ends the hold at the date\'s start when that comes sooner, and the email names that time', async () => {
    const dee = await app.createUser('member');
    const start = new Date(Math.ceil((Date.now() + 5 * HOUR) / 60_000) * 60_000);
    const { ev, regs } = await promote({ title: 'Evening board basics', start: start.toISOString() }, [dee]);
    expect(await holdOf(regs[0].documentId)).toEqual({ status: 'pending-payment', until: start.getTime() });
    expect((await heldMail(dee)).text).toContain(`${ev.title} (${localTime(start)})`);
    expect((await heldMail(dee)).text).toContain(`held for you until ${localTime(start)}.`);
  });

  it('given shortly before the start, still the ordinary hold (as anyone registering then gets), not one over before the email is read', async () => {
    const eli = await app.createUser('member');
    const { regs, from, to } = await promote({ title: 'Last-minute genealogy', start: new Date(Date.now() + 20 * 60_000).toISOString() }, [eli]);
    const hold = await holdOf(regs[0].documentId);
    expect(hold.status).toBe('pending-payment');
    expect(hold.until).toBeGreaterThanOrEqual(from + 60 * 60_000);
    expect(hold.until).toBeLessThanOrEqual(to + 60 * 60_000);
    expect((await heldMail(eli)).text).toContain(`held for you until ${localTime(new Date(hold.until!))}.`);
  });

  it('takes its length from REGISTRATION_PROMOTION_HOLD_HOURS (0: the ordinary hold)', async () => {
    const saved = process.env.REGISTRATION_PROMOTION_HOLD_HOURS;
    try {
      for (const [hours, ms] of [['6', 6 * HOUR], ['0', 60 * 60_000], ['not a number', 24 * HOUR]] as const) {
        process.env.REGISTRATION_PROMOTION_HOLD_HOURS = hours;
        const who = await app.createUser('member');
        const { regs, from, to } = await promote({ start: inDays(5) }, [who]);
        const { until } = await holdOf(regs[0].documentId);
        expect([hours, until! >= from + ms && until! <= to + ms]).toEqual([hours, true]);
      }
    } finally {
      if (saved === undefined) delete process.env.REGISTRATION_PROMOTION_HOLD_HOURS;
      else process.env.REGISTRATION_PROMOTION_HOLD_HOURS = saved;
    }
  });
});

describe('registering others', () => {
  it('lets a director register colleagues of their building, each with their own registration and email', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const [c1, c2] = [await app.createUser('member', { building }), await app.createUser('member', { building })];
    const stranger = await app.createUser('member');
    const ev = await event({ title: 'Board training' });
    const res = await register(director, ev, { attendees: [c1.documentId, c2.documentId], specialNeeds: 'none' }).expect(201);
    expect(res.body.data).toHaveLength(2);
    expect(res.body.data.every((r: any) => r.status === 'confirmed' && !('specialNeeds' in r))).toBe(true);
    await deliver();
    expect(app.mail.to(c1.email).some((m) => /Board training/.test(m.subject))).toBe(true);
    expect(app.mail.to(c2.email).some((m) => /Board training/.test(m.subject))).toBe(true);
    const mine = (await app.as(c1).get('/api/me/registrations').expect(200)).body.data;
    expect(mine.map((r: any) => r.event.title)).toContain('Board training');

    await register(director, ev, { attendees: [stranger.documentId] }).expect(403);
    await register(c1, ev, { attendees: [c2.documentId] }).expect(403);
  });

  it("lets a building's directory-editor register its colleagues as a director does, and nobody else's", async () => {
    const building = await app.createBuilding();
    const editor = await app.createUser('member', { building });
    const own = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { user: { id: editor.id } } });
    await app.strapi.documents('api::affiliation.affiliation').update({ documentId: own.documentId, data: { roles: ['directory-editor'] } as never });
    const colleague = await app.createUser('member', { building });
    const stranger = await app.createUser('member');
    const ev = await event({ title: 'Trustee orientation' });
    const res = await register(editor, ev, { attendees: [colleague.documentId] }).expect(201);
    expect(res.body.data).toEqual([expect.objectContaining({ status: 'confirmed', user: { documentId: colleague.documentId } })]);
    const refused = await register(editor, ev, { attendees: [stranger.documentId] }).expect(403);
    expect(refused.body.error.details.errors.map((e: { path: string[] }) => e.path)).toEqual([['attendees', '0']]);
  });

  it('tells a colleague who registered them (by name, not email), on a seat and on the waitlist; the director\'s own mail does not', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building, firstName: 'Dana', lastName: 'Aspen' });
    const [c1, c2] = [await app.createUser('member', { building }), await app.createUser('member', { building })];
    const ev = await event({ title: 'Grant writing', capacity: 2 });
    const regs = (await register(director, ev, { attendees: [director.documentId, c1.documentId, c2.documentId] }).expect(201)).body.data;
    expect(regs.map((r: any) => r.status)).toEqual(['confirmed', 'confirmed', 'waitlisted']);
    await deliver();
    const mailOf = (who: TestUser, subject: RegExp) => app.mail.to(who.email).find((m) => subject.test(m.subject))!;
    expect(mailOf(c1, /^Registration confirmed: Grant writing$/).text).toContain('Dana Aspen registered you.');
    expect(mailOf(c2, /^Waitlisted: Grant writing$/).text).toMatch(/number 1 on the waitlist[\s\S]*Dana Aspen registered you\./);
    expect(mailOf(c1, /^Registration confirmed/).text).not.toContain(director.email);
    expect(mailOf(director, /^Registration confirmed: Grant writing$/).text).not.toContain('registered you');
  });

  it('emails a director who cancels a colleague\'s registration a copy; the colleague is told who cancelled it, and cancelling their own sends the director nothing', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building, firstName: 'Dana', lastName: 'Aspen' });
    const [c1, c2] = [await app.createUser('member', { building, firstName: 'Ada', lastName: 'Okafor' }), await app.createUser('member', { building })];
    const ev = await event({ title: 'Trustee orientation' });
    const regs = (await register(director, ev, { attendees: [c1.documentId, c2.documentId] }).expect(201)).body.data;
    const regOf = (who: TestUser) => regs.find((r: any) => r.user.documentId === who.documentId);
    await app.as(director).post(`/api/registrations/${regOf(c1).documentId}/cancel`).expect(200);
    await deliver();
    const cancelledMails = (who: TestUser) => app.mail.to(who.email).filter((m) => /^Registration cancelled: Trustee orientation$/.test(m.subject));
    expect(cancelledMails(director).map((m) => m.text.trim())).toEqual([
      expect.stringMatching(/^As you asked, the registration of Ada Okafor for Trustee orientation \(.+\) has been cancelled\. Ada Okafor has been emailed as well\.$/),
    ]);
    // Ada did not cancel it herself: she is told who did (by name, never their email)
    expect(cancelledMails(c1).map((m) => m.text.trim())).toEqual([expect.stringMatching(/^Your registration for Trustee orientation \(.+\) has been cancelled by Dana Aspen\.$/)]);

    await app.as(c2).post(`/api/registrations/${regOf(c2).documentId}/cancel`).expect(200);
    await deliver();
    expect(cancelledMails(c2).map((m) => m.text.trim())).toEqual([expect.stringMatching(/^Your registration for Trustee orientation \(.+\) has been cancelled\.$/)]);
    expect(cancelledMails(director)).toHaveLength(1);
  });

  it('lists the registrations a director made for colleagues (GET /api/me/registrations?for=colleagues), with whose each is and nothing private', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const c1 = await app.createUser('member', { building, firstName: 'Bea', lastName: 'Lindqvist' });
    const ev = await event({ title: 'Summer reading kickoff' });
    await register(director, ev, { attendees: [director.documentId, c1.documentId], emergencyPhone: '217-555-0100', specialNeeds: 'Step-free access' }).expect(201);
    const forColleagues = (await app.as(director).get('/api/me/registrations?for=colleagues').expect(200)).body;
    expect(forColleagues.data).toEqual([
      expect.objectContaining({
        status: 'confirmed',
        event: expect.objectContaining({ title: 'Summer reading kickoff' }),
        person: { documentId: c1.documentId, firstName: 'Bea', lastName: 'Lindqvist' },
        registeredBy: { documentId: director.documentId },
      }),
    ]);
    expect(forColleagues.meta).toEqual({ total: 1 });
    // the colleague's My Events says the director registered them (API.md's registeredBy)
    expect((await app.as(c1).get('/api/me/registrations').expect(200)).body.data[0]).toMatchObject({ registeredBy: { documentId: director.documentId } });
    expect(JSON.stringify(forColleagues)).not.toMatch(/217-555-0100|Step-free|emergencyPhone|specialNeeds/);
    // the director's own My Events is theirs alone, as the colleague's is
    expect((await app.as(director).get('/api/me/registrations').expect(200)).body.data.map((r: any) => r.person)).toEqual([undefined]);
    await app.as(director).post(`/api/registrations/${forColleagues.data[0].documentId}/cancel`).expect(200);
    expect((await app.as(director).get('/api/me/registrations?for=colleagues').expect(200)).body.data[0]).toMatchObject({ status: 'cancelled' });
    expect((await app.as(c1).get('/api/me/registrations?for=colleagues').expect(200)).body.data).toEqual([]);
    const bad = await app.as(director).get('/api/me/registrations?for=everyone').expect(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['for']);
  });

  it('names the refused attendee, or the attendees field, in details.errors[].path (403s as 400s do)', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const colleague = await app.createUser('member', { building });
    const stranger = await app.createUser('member');
    const ev = await event({ title: 'Grant writing' });
    const unaffiliated = await register(director, ev, { attendees: [colleague.documentId, stranger.documentId] }).expect(403);
    expect(unaffiliated.body.error.message).toMatch(/not affiliated/);
    expect(unaffiliated.body.error.details.errors).toEqual([{ path: ['attendees', '1'], message: unaffiliated.body.error.message, name: 'ForbiddenError' }]);
    const notDirector = await register(colleague, ev, { attendees: [director.documentId] }).expect(403);
    expect(notDirector.body.error.details.errors.map((e: { path: string[] }) => e.path)).toEqual([['attendees']]);
    // nothing stored for anyone listed
    expect(await app.strapi.db.query('api::registration.registration').count({ where: { event: { documentId: ev.documentId } } })).toBe(0);
  });

  it('refuses a list naming one colleague twice (400 at the second place), registering nobody', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const [c1, c2] = [await app.createUser('member', { building }), await app.createUser('member', { building })];
    const ev = await event({ title: 'Storytime skills' });
    const res = await register(director, ev, { attendees: [c1.documentId, c2.documentId, c1.documentId] }).expect(400);
    expect(res.body.error.message).toContain(`attendees lists ${c1.documentId} twice`);
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path)).toEqual([['attendees', '2']]);
    expect(await app.strapi.db.query('api::registration.registration').count({ where: { event: { documentId: ev.documentId } } })).toBe(0);
  });
});

describe('what the action routes answer: the registration with its event, its person and who registered them (API.md)', () => {
  const myEvent = async (who: TestUser, documentId: string) =>
    (await app.as(who).get('/api/me/registrations').expect(200)).body.data.find((r: any) => r.documentId === documentId).event;

  it('registering yourself and cancelling answer the event (as My Events shows it), you as user and registrant, your private details', async () => {
    const member = await app.createUser('member');
    const ev = await event({ title: 'Reference interview refresher', pdhHours: 1.5 });
    const [reg] = (await register(member, ev, { emergencyPhone: '217-555-0140', specialNeeds: 'Large print' }).expect(201)).body.data;
    expect(reg).toMatchObject({
      status: 'confirmed',
      event: { documentId: ev.documentId, title: 'Reference interview refresher' },
      user: { documentId: member.documentId },
      registeredBy: { documentId: member.documentId },
      emergencyPhone: '217-555-0140',
      specialNeeds: 'Large print',
    });
    // one shape of a registration's event, on every route that answers registrations
    expect(reg.event).toEqual(await myEvent(member, reg.documentId));

    const cancelled = (await app.as(member).post(`/api/registrations/${reg.documentId}/cancel`).expect(200)).body.data;
    expect(cancelled).toMatchObject({
      documentId: reg.documentId,
      status: 'cancelled',
      event: { documentId: ev.documentId, title: 'Reference interview refresher' },
      user: { documentId: member.documentId },
      registeredBy: { documentId: member.documentId },
      emergencyPhone: '217-555-0140',
    });
    expect(cancelled.event).toEqual(reg.event);
    // the event's summary: nothing of the seat logic (locations' capacities, the series' rule internals)
    expect(Object.keys(cancelled.event).sort()).toEqual(['audience', 'cancellationHours', 'cancelled', 'documentId', 'end', 'fee', 'id', 'kind', 'pdhHours', 'slug', 'start', 'title']);
  });

  it("a director registering colleagues gets each one's registration (user: the colleague, registeredBy: the director), without the colleague's private details", async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const [c1, c2] = [await app.createUser('member', { building }), await app.createUser('member', { building })];
    const ev = await event({ title: 'Collection development day' });
    const regs = (await register(director, ev, { attendees: [director.documentId, c1.documentId, c2.documentId], emergencyPhone: '217-555-0150' }).expect(201)).body.data;
    expect(regs.map((r: any) => [r.user?.documentId, r.registeredBy?.documentId, r.event?.documentId, r.event?.title])).toEqual([
      [director.documentId, director.documentId, ev.documentId, 'Collection development day'],
      [c1.documentId, director.documentId, ev.documentId, 'Collection development day'],
      [c2.documentId, director.documentId, ev.documentId, 'Collection development day'],
    ]);
    expect(regs[0].emergencyPhone).toBe('217-555-0150');
    for (const r of regs.slice(1)) expect(r).not.toHaveProperty('emergencyPhone');
    expect(JSON.stringify(regs)).not.toMatch(new RegExp(`${c1.email}|${c2.email}|${director.email}|specialNeeds":"`));

    // staff recorded the colleague's emergency phone (admin panel): the director cancelling sees it not
    await app.strapi.db.query('api::registration.registration').update({ where: { documentId: regs[1].documentId }, data: { emergencyPhone: '217-555-0161', specialNeeds: 'Hearing loop' } });
    const forC1 = (await app.as(director).post(`/api/registrations/${regs[1].documentId}/cancel`).expect(200)).body.data;
    expect(forC1).toMatchObject({ status: 'cancelled', event: { documentId: ev.documentId, title: 'Collection development day' }, user: { documentId: c1.documentId }, registeredBy: { documentId: director.documentId } });
    expect(forC1).not.toHaveProperty('emergencyPhone');
    expect(JSON.stringify(forC1)).not.toMatch(/217-555-0161|Hearing loop|@/);

    // the colleague cancelling their own: they are the user, the director who registered them the registrant
    const own = (await app.as(c2).post(`/api/registrations/${regs[2].documentId}/cancel`).expect(200)).body.data;
    expect(own).toMatchObject({ status: 'cancelled', event: { documentId: ev.documentId }, user: { documentId: c2.documentId }, registeredBy: { documentId: director.documentId }, emergencyPhone: null });
  });

  it('checking out a held seat answers it with its event, person and registrant', async () => {
    const member = await app.createUser('member');
    const ev = await event({ title: 'Budgeting for branches', fee: 35 });
    const [held] = (await register(member, ev).expect(201)).body.data;
    expect(held).toMatchObject({ status: 'pending-payment', event: { documentId: ev.documentId, title: 'Budgeting for branches' }, user: { documentId: member.documentId } });
    const paid = (await app.as(member).post(`/api/registrations/${held.documentId}/checkout`).send({ paymentVerified: true }).expect(200)).body.data;
    expect(paid).toMatchObject({
      status: 'confirmed',
      paymentVerified: true,
      event: { documentId: ev.documentId, title: 'Budgeting for branches' },
      user: { documentId: member.documentId },
      registeredBy: { documentId: member.documentId },
    });
    expect(paid.event).toEqual(await myEvent(member, held.documentId));
  });
});

describe('My Events', () => {
  it('shows the published event, not edits staff have not published (time, title, hours)', async () => {
    const member = await app.createUser('member');
    const ev = await event({ title: 'Readers’ advisory', pdhHours: 2 });
    await register(member, ev).expect(201);
    await app.strapi.documents('api::event.event').update({ documentId: ev.documentId, data: { title: 'Readers’ advisory (draft)', pdhHours: 5, start: inDays(11) } as never });
    const [reg] = (await app.as(member).get('/api/me/registrations').expect(200)).body.data.filter((r: any) => r.event.documentId === ev.documentId);
    expect(reg).toMatchObject({ start: new Date(ev.start as string).toISOString(), event: expect.objectContaining({ title: 'Readers’ advisory' }) });
    expect(Number(reg.event.pdhHours)).toBe(2);

    // the hours staff award and the transcript go by the published event too
    const past = await event({ title: 'Summer reading recap', pdhHours: 1.5, start: new Date(Date.now() - 3_600_000).toISOString() });
    const seatEvent = await app.strapi.service('api::registration.registration').seatEvent(past.id);
    const [held] = await app.strapi.service('api::registration.capacity').register({ event: seatEvent, occurrence: past.start, location: null, registeredBy: member, people: [{ user: member }] });
    await app.strapi.documents('api::event.event').update({ documentId: past.documentId, data: { title: 'Summer reading recap (draft)', pdhHours: 6 } as never });
    await expect(app.strapi.service('api::registration.attendance').mark(held.documentId, true)).resolves.toMatchObject({ pdhEarned: 1.5 });
    const transcript = (await app.as(member).get('/api/me/transcript').expect(200)).body;
    expect(transcript.data).toEqual([expect.objectContaining({ event: expect.objectContaining({ title: 'Summer reading recap' }), hours: 1.5 })]);
  });

  it('lists upcoming and past registrations with status, attendance and hours', async () => {
    const member = await app.createUser('member');
    const ev = await event({ title: 'Cataloging update', pdhHours: 2 });
    const reg = (await register(member, ev).expect(201)).body.data[0];
    await app.strapi.db.query('api::registration.registration').update({ where: { documentId: reg.documentId }, data: { attended: true } });
    const res = await app.as(member).get('/api/me/registrations').expect(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({ status: 'confirmed', upcoming: true, attended: true, pdhEarned: 2, event: expect.objectContaining({ title: 'Cataloging update' }) }),
    ]);
    await app.as(null).get('/api/me/registrations').expect(403);
  });

  it("says beside each registration whether its Cancel link works now, and until when (the cancel route's rule)", async () => {
    // L2: "For the registration you want to cancel, click the event's Cancel link"; "Cancellations need to be made no
    // less than 48 hours before an event begins"
    const [member, first] = [await app.createUser('member'), await app.createUser('member')];
    const later = await event({ title: 'Budget basics', start: inDays(10) });
    const soon = await event({ title: 'Weeding day', start: inDays(1), capacity: 1 });
    const shortNotice = await event({ title: 'Quick chat', start: inDays(1), cancellationHours: 12 });
    await register(member, later).expect(201);
    await register(member, shortNotice).expect(201);
    await register(first, soon).expect(201);
    await register(member, soon).expect(201); // full: the waitlist, which one may always leave
    const dropped = await event({ title: 'Dropped workshop' });
    const gone = (await register(member, dropped).expect(201)).body.data[0];
    await app.as(member).post(`/api/registrations/${gone.documentId}/cancel`).expect(200);
    const firstSoon = (await app.as(first).get('/api/me/registrations').expect(200)).body.data[0];

    const mine = (await app.as(member).get('/api/me/registrations').expect(200)).body.data;
    const byTitle = (title: string) => mine.find((r: any) => r.event.title === title);
    const hoursBefore = (ev: { start?: unknown }, h: number) => new Date(new Date(ev.start as string).getTime() - h * 3_600_000).toISOString();
    expect(byTitle('Budget basics')).toMatchObject({ status: 'confirmed', cancellable: true, cancelUntil: hoursBefore(later, 48) });
    expect(byTitle('Quick chat')).toMatchObject({ status: 'confirmed', cancellable: true, cancelUntil: hoursBefore(shortNotice, 12) });
    expect(byTitle('Weeding day')).toMatchObject({ status: 'waitlisted', cancellable: true, cancelUntil: null });
    expect(byTitle('Dropped workshop')).toMatchObject({ status: 'cancelled', cancellable: false, cancelUntil: null });
    // a confirmed seat a day away: the link is closed, and the route agrees
    expect(firstSoon).toMatchObject({ status: 'confirmed', cancellable: false, cancelUntil: hoursBefore(soon, 48) });
    await app.as(first).post(`/api/registrations/${firstSoon.documentId}/cancel`).expect(409);
    for (const r of mine.filter((x: any) => x.cancellable)) await app.as(member).post(`/api/registrations/${r.documentId}/cancel`).expect(200);
  });
});

describe('email outbox', () => {
  it('never fails a registration when the mail server is down, and delivers each message once when it is back', async () => {
    const member = await app.createUser('member');
    const ev = await event({ title: 'Outage day' });
    await deliver();
    app.mail.down();
    await register(member, ev).expect(201);
    await deliver();
    expect(app.mail.to(member.email)).toHaveLength(0);
    const row = await app.strapi.db.query('api::outbox-message.outbox-message').findOne({ where: { to: member.email } });
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toBeTruthy();
    app.mail.up();
    const outbox = app.strapi.service('api::outbox-message.outbox');
    // two workers at once (e.g. two processes): still one message
    await Promise.all([outbox.deliverDue({ now: new Date(Date.now() + 3_600_000) }), outbox.deliverDue({ now: new Date(Date.now() + 3_600_000) })]);
    await outbox.deliverDue({ now: new Date(Date.now() + 3_600_000) });
    expect(app.mail.to(member.email).filter((m) => /Outage day/.test(m.subject))).toHaveLength(1);
  });
});

describe('outbox batches', () => {
  const OUTBOX = 'api::outbox-message.outbox-message';
  const queue = (addresses: string[], subject: string) =>
    app.strapi.db.transaction(async () => {
      // enqueue alone does not start delivery: the test runs it
      for (const to of addresses) await app.strapi.service('api::outbox-message.outbox').enqueue({ to, subject, text: `${subject} for ${to}` });
    });

  it('delivers more than one batch in a run, each message once', async () => {
    await deliver();
    const addresses = Array.from({ length: 60 }, (_, i) => `batch-${i}@example.org`);
    await queue(addresses, 'Batch notice');
    expect(await app.strapi.service('api::outbox-message.outbox').deliverDue()).toBe(60);
    for (const to of addresses) expect(app.mail.to(to).filter((m) => m.subject === 'Batch notice')).toHaveLength(1);
    const rows = await app.strapi.db.query(OUTBOX).findMany({ where: { to: { $in: addresses } } });
    expect(rows.map((r: any) => [r.status, r.attempts, r.lastError])).toEqual(addresses.map(() => ['sent', 1, null]));
    expect(rows.every((r: any) => r.sentAt)).toBe(true);
  });

  it("keeps one person's messages in the order they were written", async () => {
    await deliver();
    const outbox = app.strapi.service('api::outbox-message.outbox');
    await app.strapi.db.transaction(async () => {
      for (let i = 1; i <= 4; i += 1) {
        await outbox.enqueue({ to: 'in-order@example.org', subject: `Notice ${i}`, text: 'x'.repeat(20_000 * (5 - i)) });
        await outbox.enqueue({ to: `other-${i}@example.org`, subject: `Notice ${i}`, text: 'x' });
      }
    });
    await outbox.deliverDue();
    expect(app.mail.to('in-order@example.org').map((m) => m.subject)).toEqual(['Notice 1', 'Notice 2', 'Notice 3', 'Notice 4']);
  });

  it('stops trying when the mail server cannot be reached, never fails a message for it, and delivers every message once it can', async () => {
    await deliver();
    const addresses = Array.from({ length: 12 }, (_, i) => `far-${i}@example.org`);
    await queue(addresses, 'While unreachable');
    // messages go out over this many pooled connections at once (config/plugins.ts)
    const { pool, maxConnections } = app.strapi.config.get('plugin::email.providerOptions') as { pool: boolean; maxConnections: number };
    expect(pool).toBe(true);
    expect(maxConnections).toBeLessThan(addresses.length);
    const email = app.strapi.plugin('email').service('email');
    const send = jest.spyOn(email, 'send');
    await app.mail.unreachable();
    try {
      expect(await app.strapi.service('api::outbox-message.outbox').deliverDue()).toBe(0);
      // the sends already under way fail; no new one is started for the other messages
      expect(send.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(send.mock.calls.length).toBeLessThanOrEqual(maxConnections);
      // an outage longer than the attempts allow still fails nothing
      await app.strapi.db.query(OUTBOX).updateMany({ where: { to: { $in: addresses }, attempts: 1 }, data: { attempts: 11 } });
      expect(await app.strapi.service('api::outbox-message.outbox').deliverDue({ now: new Date(Date.now() + 3_600_000) })).toBe(0);
    } finally {
      send.mockRestore();
      await app.mail.reachable();
    }
    const rows = await app.strapi.db.query(OUTBOX).findMany({ where: { to: { $in: addresses } } });
    expect(rows.map((r: any) => r.status)).toEqual(addresses.map(() => 'pending'));
    // only the messages tried count an attempt
    const tried = rows.filter((r: any) => r.attempts > 0);
    expect(tried.length).toBeLessThanOrEqual(2 * maxConnections);
    expect(tried.every((r: any) => r.lastError)).toBe(true);
    // the next attempt waits for its backoff, then delivers each once
    expect(await app.strapi.service('api::outbox-message.outbox').deliverDue()).toBe(0);
    await app.strapi.service('api::outbox-message.outbox').deliverDue({ now: new Date(Date.now() + 3 * 3_600_000) });
    for (const to of addresses) expect(app.mail.to(to).filter((m) => m.subject === 'While unreachable')).toHaveLength(1);
  });

  it('leaves a mail server it found unreachable alone for a while: emails queued meanwhile wait instead of each commit trying it again', async () => {
    await deliver();
    const outbox = app.strapi.service('api::outbox-message.outbox');
    await queue(['first-down@example.org'], 'Found down');
    await app.mail.unreachable();
    const email = app.strapi.plugin('email').service('email');
    const send = jest.spyOn(email, 'send');
    try {
      expect(await outbox.deliverDue()).toBe(0);
      expect(send).toHaveBeenCalled();
      send.mockClear();
      // registrations go on queueing their emails, each starting delivery on commit: none tries the server yet
      const later = Array.from({ length: 3 }, (_, i) => `queued-while-down-${i}@example.org`);
      for (const to of later) await outbox.send([{ to, subject: 'Queued while down', text: 'x' }]);
      await new Promise((r) => setTimeout(r, 500));
      expect(send).not.toHaveBeenCalled();
      const rows = await app.strapi.db.query(OUTBOX).findMany({ where: { to: { $in: later } } });
      expect(rows.map((r: any) => [r.status, r.attempts])).toEqual(later.map(() => ['pending', 0]));
    } finally {
      send.mockRestore();
      await app.mail.reachable();
    }
    // a run that delivers (here an explicit one) shows the server is back: commits' runs need not wait any longer
    expect(await outbox.deliverDue()).toBe(3);
    await outbox.send([{ to: 'after-back@example.org', subject: 'After back', text: 'x' }]);
    await app.mail.waitFor((m) => m.some((x) => x.subject === 'After back'), 5000);
    // the message that found the server down goes after its own backoff, once
    await outbox.deliverDue({ now: new Date(Date.now() + 3 * 3_600_000) });
    for (const to of ['first-down@example.org', 'queued-while-down-0@example.org', 'queued-while-down-2@example.org']) {
      expect(app.mail.to(to).filter((m) => /Found down|Queued while down/.test(m.subject))).toHaveLength(1);
    }
  });

  it('never sends twice what a worker delivered before it stalled, and a late worker does not undo the delivery', async () => {
    await deliver();
    const addresses = Array.from({ length: 8 }, (_, i) => `stall-${i}@example.org`);
    await queue(addresses, 'Stalled batch');
    const email = app.strapi.plugin('email').service('email');
    const real = email.send.bind(email);
    const stalled: (() => void)[] = [];
    let calls = 0;
    // the first worker delivers three messages, then its connections hang (a process that stopped answering)
    const send = jest.spyOn(email, 'send').mockImplementation(async (options: any) => {
      calls += 1;
      if (calls <= 3) return real(options);
      return new Promise<void>((resolve) => stalled.push(resolve));
    });
    const first = app.strapi.service('api::outbox-message.outbox').deliverDue();
    await app.mail.waitFor((m) => m.filter((x) => x.subject === 'Stalled batch').length === 3);
    while (stalled.length < 5) await new Promise((r) => setTimeout(r, 20));
    send.mockRestore();
    // ten minutes later another process takes the abandoned claim
    const rows = await app.strapi.db.query(OUTBOX).findMany({ where: { to: { $in: addresses } } });
    expect(rows.filter((r: any) => r.status === 'sent')).toHaveLength(3);
    await app.strapi.db.query(OUTBOX).updateMany({ where: { to: { $in: addresses }, status: 'sending' }, data: { claimedAt: new Date(Date.now() - 11 * 60_000) } });
    expect(await createOutbox({ strapi: app.strapi }).deliverDue()).toBe(5);
    // the stalled worker wakes up and records its "deliveries"
    stalled.forEach((resolve) => resolve());
    await first;
    for (const to of addresses) expect(app.mail.to(to).filter((m) => m.subject === 'Stalled batch')).toHaveLength(1);
    const after = await app.strapi.db.query(OUTBOX).findMany({ where: { to: { $in: addresses } } });
    expect(after.map((r: any) => [r.status, r.attempts])).toEqual(addresses.map(() => ['sent', 1]));
  });

  it('stops a delivery run when the process stops: what was not sent stays pending, no attempt counted', async () => {
    await deliver();
    const addresses = Array.from({ length: 120 }, (_, i) => `stop-${i}@example.org`);
    await queue(addresses, 'Before shutdown');
    // a worker of its own (stopping the app's would stop it for the other tests)
    const worker = createOutbox({ strapi: app.strapi });
    const run = worker.run();
    await app.mail.waitFor((m) => m.some((x) => x.subject === 'Before shutdown'));
    await worker.stop();
    const delivered = await run;
    expect(delivered).toBeLessThan(addresses.length);
    const rows = await app.strapi.db.query(OUTBOX).findMany({ where: { to: { $in: addresses } } });
    expect(rows.filter((r: any) => r.status === 'sent')).toHaveLength(delivered);
    expect(rows.filter((r: any) => r.status !== 'sent').every((r: any) => r.status === 'pending' && r.attempts === 0)).toBe(true);
    expect(app.mail.messages.filter((m) => m.subject === 'Before shutdown')).toHaveLength(delivered);
    // the next worker sends the rest
    await app.strapi.service('api::outbox-message.outbox').deliverDue();
    for (const to of addresses) expect(app.mail.to(to).filter((m) => m.subject === 'Before shutdown')).toHaveLength(1);
  });

  it('keeps a message without an address from holding up the others', async () => {
    await deliver();
    await app.strapi.db.transaction(async () => {
      await app.strapi.db.query(OUTBOX).createMany({ data: [{ to: null, subject: 'Nobody', text: 'x', status: 'pending', attempts: 0, nextAttemptAt: new Date() }] });
      await app.strapi.service('api::outbox-message.outbox').enqueue({ to: 'somebody@example.org', subject: 'Somebody', text: 'x' });
    });
    await app.strapi.service('api::outbox-message.outbox').deliverDue();
    expect(app.mail.to('somebody@example.org').map((m) => m.subject)).toEqual(['Somebody']);
    const nobody = await app.strapi.db.query(OUTBOX).findOne({ where: { subject: 'Nobody' } });
    expect(nobody).toMatchObject({ status: 'pending', attempts: 1 });
    expect(nobody.lastError).toBeTruthy();
  });

  it("holds a person's later messages while an earlier one waits to be retried", async () => {
    await deliver();
    const outbox = app.strapi.service('api::outbox-message.outbox');
    await app.strapi.db.transaction(async () => {
      await outbox.enqueue({ to: 'retry-order@example.org', subject: 'Confirmed', text: 'x' });
      await outbox.enqueue({ to: 'retry-order@example.org', subject: 'Cancelled', text: 'x' });
    });
    // the server refuses the first message for now (a 4xx of that message), accepts the next
    const email = app.strapi.plugin('email').service('email');
    const real = email.send.bind(email);
    let calls = 0;
    const send = jest.spyOn(email, 'send').mockImplementation(async (options: any) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('451 Mailbox temporarily unavailable'), { code: 'EENVELOPE', responseCode: 451 });
      return real(options);
    });
    try {
      await outbox.deliverDue();
      await outbox.deliverDue();
    } finally {
      send.mockRestore();
    }
    expect(app.mail.to('retry-order@example.org')).toHaveLength(0);
    await outbox.deliverDue({ now: new Date(Date.now() + 3_600_000) });
    expect(app.mail.to('retry-order@example.org').map((m) => m.subject)).toEqual(['Confirmed', 'Cancelled']);
  });
});

describe('staff edits in the admin panel', () => {
  const REG = 'api::registration.registration';
  it('cancelling or deleting a registration promotes the waitlist; raising capacity too', async () => {
    const people = [];
    for (let i = 0; i < 5; i += 1) people.push(await app.createUser('member'));
    const ev = await event({ title: 'Makerspace safety', capacity: 1 });
    const regs = [];
    for (const p of people) regs.push((await register(p, ev).expect(201)).body.data[0]);
    const status = async (documentId: string) =>
      app.strapi.db.query(REG).findOne({ where: { documentId }, select: ['status', 'waitlistPosition', 'activeKey'] });

    // the content manager updates through the document service
    await app.strapi.documents(REG).update({ documentId: regs[0].documentId, data: { status: 'cancelled' } as never });
    expect(await status(regs[0].documentId)).toMatchObject({ status: 'cancelled', activeKey: null });
    expect(await status(regs[1].documentId)).toMatchObject({ status: 'confirmed', waitlistPosition: null });
    expect(await status(regs[2].documentId)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    await app.strapi.documents(REG).delete({ documentId: regs[1].documentId });
    expect(await status(regs[2].documentId)).toMatchObject({ status: 'confirmed' });
    expect(await status(regs[3].documentId)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    await app.strapi.documents('api::event.event').update({ documentId: ev.documentId, data: { capacity: 3 } as never });
    await app.strapi.documents('api::event.event').publish({ documentId: ev.documentId });
    expect(await status(regs[3].documentId)).toMatchObject({ status: 'confirmed' });
    expect(await status(regs[4].documentId)).toMatchObject({ status: 'confirmed' });
    await deliver();
    expect(app.mail.to(people[4].email).some((m) => /seat opened/i.test(m.subject))).toBe(true);
  });
});

describe('scheduled jobs', () => {
  it('schedules the outbox worker and the hold-expiry job (config/cron-tasks.ts, run when CRON_ENABLED is true)', () => {
    const tasks = app.strapi.config.get('server.cron.tasks') as Record<string, { task: unknown; options: { rule: string } }>;
    expect(Object.keys(tasks)).toEqual(expect.arrayContaining(['outboxDelivery', 'releaseExpiredHolds']));
    expect(tasks.outboxDelivery.options.rule).toBe('*/5 * * * * *');
  });
});

describe('GET /api/events/:documentId/availability (a website\'s "Register" or "Join the waitlist")', () => {
  const availability = (who: TestUser | null, ev: { documentId: string }, query = '') => app.as(who).get(`/api/events/${ev.documentId}/availability${query}`);

  it('says whether a seat is free and how many wait, as seats are taken and given back', async () => {
    const [a, b, c] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('guest')];
    const ev = await event({ title: 'Two-seat workshop', capacity: 2 });
    expect((await availability(null, ev).expect(200)).body.data).toEqual({
      event: ev.documentId, occurrence: new Date(ev.start as string).toISOString(), registrationMode: 'platform', registrationAudience: 'everyone',
      open: true, closedReason: null, signInRequired: true, seatAvailable: true, waitlisted: 0, locations: [], yourRegistration: null,
    });
    await register(a, ev).expect(201);
    await register(b, ev).expect(201);
    expect((await availability(c, ev).expect(200)).body.data).toMatchObject({ open: true, seatAvailable: false, waitlisted: 0 });
    await register(c, ev).expect(201);
    expect((await availability(null, ev).expect(200)).body.data).toMatchObject({ seatAvailable: false, waitlisted: 1 });
    // a seat given back goes to the person waiting: still none for a newcomer, nobody waits now
    const mine = (await app.as(a).get('/api/me/registrations').expect(200)).body.data.find((r: any) => r.event?.documentId === ev.documentId);
    await app.as(a).post(`/api/registrations/${mine.documentId}/cancel`).expect(200);
    expect((await availability(null, ev).expect(200)).body.data).toMatchObject({ seatAvailable: false, waitlisted: 0 });
    const cs = (await app.as(c).get('/api/me/registrations').expect(200)).body.data.find((r: any) => r.event?.documentId === ev.documentId);
    await app.as(c).post(`/api/registrations/${cs.documentId}/cancel`).expect(200);
    expect((await availability(null, ev).expect(200)).body.data).toMatchObject({ seatAvailable: true, waitlisted: 0 });
  });

  it('answers per location: a full room next to a videoconference with room', async () => {
    const ev = await event({
      title: 'Hybrid board training', capacity: 5,
      locations: [{ key: 'room', name: 'Board room', capacity: 1 }, { key: 'online', name: 'Videoconference', onlineUrl: 'https://meet.example/b' }],
    });
    await register(await app.createUser('member'), ev, { location: 'room' }).expect(201);
    expect((await availability(null, ev).expect(200)).body.data).toMatchObject({
      seatAvailable: true,
      locations: [{ key: 'room', name: 'Board room', seatAvailable: false }, { key: 'online', name: 'Videoconference', seatAvailable: true }],
    });
  });

  it('hides a members-only event from anonymous callers and guests (404), as the event itself', async () => {
    const ev = await event({ audience: 'members', capacity: 3 });
    await availability(null, ev).expect(404);
    await availability(await app.createUser('guest'), ev).expect(404);
    expect((await availability(await app.createUser('member'), ev).expect(200)).body.data).toMatchObject({ seatAvailable: true });
  });

  it('names a date of a series, refused (400 naming occurrence) when missing or not one of its dates', async () => {
    const ev = await event({ start: '2027-01-07T19:00:00.000Z', rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=10', capacity: 1 });
    expect((await availability(null, ev).expect(400)).body.error.details.errors[0].path).toEqual(['occurrence']);
    expect((await availability(null, ev, '?occurrence=2027-01-08T19:00:00.000Z').expect(400)).body.error.details.errors[0].path).toEqual(['occurrence']);
    expect((await availability(null, ev, '?occurrence=not-a-date').expect(400)).body.error.details.errors[0].path).toEqual(['occurrence']);
    await register(await app.createUser('member'), ev, { occurrence: '2027-01-14T19:00:00.000Z' }).expect(201);
    expect((await availability(null, ev, '?occurrence=2027-01-14T19:00:00.000Z').expect(200)).body.data).toMatchObject({ occurrence: '2027-01-14T19:00:00.000Z', seatAvailable: false });
    expect((await availability(null, ev, '?occurrence=2027-01-21T19:00:00.000Z').expect(200)).body.data).toMatchObject({ seatAvailable: true });
  });

  it('answers for the person asking: sign in first, members only, or their own registration for the date', async () => {
    // L2: "you need to be logged into L2 to sign up for the event. Registration for some events is restricted to members."
    const [guest, member, other] = [await app.createUser('guest'), await app.createUser('member'), await app.createUser('member')];
    const forMembers = await event({ title: 'Members Matter', registrationAudience: 'members', capacity: 1 });
    expect((await availability(null, forMembers).expect(200)).body.data).toMatchObject({ registrationAudience: 'members', open: true, signInRequired: true, yourRegistration: null });
    // a guest is not offered a "Register" the register route refuses
    const forGuest = (await availability(guest, forMembers).expect(200)).body.data;
    expect(forGuest).toMatchObject({ open: false, signInRequired: false, seatAvailable: true, yourRegistration: null });
    expect(forGuest.closedReason).toBe((await register(guest, forMembers).expect(403)).body.error.message);
    expect((await availability(member, forMembers).expect(200)).body.data).toMatchObject({ open: true, closedReason: null, signInRequired: false, yourRegistration: null });
    // registered, or waiting: told so (with what they need to cancel it), not offered "Register" again
    const seat = (await register(member, forMembers).expect(201)).body.data[0];
    const waiting = (await register(other, forMembers).expect(201)).body.data[0];
    expect((await availability(member, forMembers).expect(200)).body.data.yourRegistration).toEqual({ documentId: seat.documentId, status: 'confirmed', waitlistPosition: null, location: null });
    expect((await availability(other, forMembers).expect(200)).body.data.yourRegistration).toEqual({ documentId: waiting.documentId, status: 'waitlisted', waitlistPosition: 1, location: null });
    await app.as(member).post(`/api/registrations/${seat.documentId}/cancel`).expect(200);
    expect((await availability(member, forMembers).expect(200)).body.data.yourRegistration).toBeNull();
    expect((await availability(other, forMembers).expect(200)).body.data.yourRegistration).toMatchObject({ status: 'confirmed' });
    // an event open to everyone is open to the guest too
    expect((await availability(guest, await event()).expect(200)).body.data).toMatchObject({ registrationAudience: 'everyone', open: true, signInRequired: false });
  });

  it('says why registration is not taken: before its window opens, or an event registered elsewhere', async () => {
    const later = await event({ capacity: 3, registrationOpens: inDays(2) });
    expect((await availability(null, later).expect(200)).body.data).toMatchObject({ open: false, closedReason: expect.stringMatching(/^Registration opens /), seatAvailable: true });
    const elsewhere = await event({ registrationMode: 'external', signupInstructions: 'Sign up at the RAILS desk.' });
    expect((await availability(null, elsewhere).expect(200)).body.data).toMatchObject({
      registrationMode: 'external', open: false, closedReason: 'Registration for this event is not on this platform. Sign up at the RAILS desk.', signInRequired: false,
    });
  });
});
