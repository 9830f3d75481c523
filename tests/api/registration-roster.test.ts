import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { platformEvent, registerFor } from '../helpers/registration';

let app: TestApp;
const DAY = 86_400_000;
let superToken: string;
let staffToken: string;
let editorToken: string;
let providerAToken: string;
let providerBToken: string;
let providerAAdminDoc: string;
let providerBAdminDoc: string;



let n = 0;
async function providerWith(adminDocumentId: string) {
  n += 1;
  return app.strapi.documents('api::provider.provider').create({ data: { name: `Provider ${n}`, slug: `provider-${n}`, kind: 'system', adminUsers: [adminDocumentId] } as never });
}
const event = (data: Record<string, unknown>) => platformEvent(app, data);
const register = (who: TestUser, ev: { documentId: string }, body: Record<string, unknown> = {}) => registerFor(app, who, ev, body);

/** Minimal RFC 4180 reader for the assertions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), (i += 1);
    } else field += c;
  }
  return rows;
}

let feeEvent: any;
let otherEvent: any;
let ann: TestUser;
let colleague: TestUser;
let director: TestUser;
let cy: TestUser;
let dee: TestUser;
let eve: TestUser;

beforeAll(async () => {
  app = await startApp();
  superToken = (await app.createAdmin('super@ihls.example', 'strapi-super-admin')).token;
  editorToken = (await app.createAdmin('editor@ihls.example', 'strapi-editor')).token;
  // the System Staff role (admin roles as code) holds the roster permissions
  staffToken = (await app.createAdmin('staff@rails.example', 'll-system-staff')).token;
  // provider administrators: an ordinary admin role, no roster permission of their own
  const a = await app.createAdmin('events@provider-a.example', 'strapi-author');
  const b = await app.createAdmin('events@provider-b.example', 'strapi-author');
  [providerAToken, providerAAdminDoc, providerBToken, providerBAdminDoc] = [a.token, a.documentId, b.token, b.documentId];
  const providerA = await providerWith(providerAAdminDoc);
  const providerB = await providerWith(providerBAdminDoc);

  feeEvent = await event({ title: 'Summer reading kickoff', capacity: 2, fee: 15, provider: providerA.documentId, locations: [{ key: 'main', name: 'Main Hall, Bloomington', capacity: 2 }] });
  otherEvent = await event({ title: 'Tech petting zoo', capacity: 5, provider: providerB.documentId });

  const building = await app.createBuilding();
  director = await app.createUser('director', { building, firstName: 'Dana', lastName: 'Director' });
  colleague = await app.createUser('member', { building, firstName: 'Colin', lastName: 'League' });
  ann = await app.createUser('member', { firstName: 'Ann', lastName: 'Archivist' });
  cy = await app.createUser('member', { firstName: 'Cy', lastName: 'Cataloger' });
  dee = await app.createUser('member', { firstName: 'Dee', lastName: 'Desk' });
  eve = await app.createUser('member', { firstName: 'Eve', lastName: 'Evening' });

  const [annReg] = (await register(ann, feeEvent, { emergencyPhone: '+1 217-555-0101', specialNeeds: 'Needs "quiet" seating, near exit\nand a ramp' })).body.data;
  await app.as(ann).post(`/api/registrations/${annReg.documentId}/checkout`).send({ paymentVerified: true }).expect(200);
  await register(director, feeEvent, { attendees: [colleague.documentId] }); // pending payment, registered by the director
  await register(cy, feeEvent, { emergencyPhone: '=HYPERLINK("x")' }); // waitlist 1
  await register(dee, feeEvent); // waitlist 2
  const [eveReg] = (await register(eve, feeEvent)).body.data; // waitlist 3, then leaves
  await app.as(eve).post(`/api/registrations/${eveReg.documentId}/cancel`).expect(200);
  await register(ann, otherEvent, { emergencyPhone: '217-555-0199' });
});
afterAll(async () => {
  await app?.stop();
});

describe('GET /rosters/events/:documentId (admin API)', () => {
  it('lists confirmed, pending payment, the waitlist in order and cancelled, with private details for staff', async () => {
    const res = await app.as(superToken).get(`/rosters/events/${feeEvent.documentId}`).expect(200);
    const r = res.body.data;
    expect(r.event).toMatchObject({ documentId: feeEvent.documentId, title: 'Summer reading kickoff', capacity: 2 });
    expect(r.confirmed).toEqual([
      expect.objectContaining({
        name: 'Ann Archivist', email: ann.email, status: 'confirmed', registeredBy: null, location: { key: 'main', name: 'Main Hall, Bloomington' },
        emergencyPhone: '+1 217-555-0101', specialNeeds: 'Needs "quiet" seating, near exit\nand a ramp',
      }),
    ]);
    expect(r.pendingPayment).toEqual([expect.objectContaining({ name: 'Colin League', email: colleague.email, registeredBy: { name: 'Dana Director', email: director.email } })]);
    expect(r.waitlist.map((w: any) => [w.name, w.waitlistPosition])).toEqual([['Cy Cataloger', 1], ['Dee Desk', 2]]);
    expect(r.cancelled.map((c: any) => c.name)).toEqual(['Eve Evening']);
    expect(res.body.meta.counts).toEqual({ confirmed: 1, pendingPayment: 1, waitlist: 2, cancelled: 1 });
  });

  it('narrows to one occurrence, and answers 400 for a date that is not one', async () => {
    const one = await app.as(superToken).get(`/rosters/events/${feeEvent.documentId}?occurrence=${encodeURIComponent(feeEvent.start)}`).expect(200);
    expect(one.body.meta.counts.waitlist).toBe(2);
    const other = await app.as(superToken).get(`/rosters/events/${feeEvent.documentId}?occurrence=2030-01-01T15:00:00.000Z`).expect(200);
    expect(other.body.meta.counts).toEqual({ confirmed: 0, pendingPayment: 0, waitlist: 0, cancelled: 0 });
    const bad = await app.as(superToken).get(`/rosters/events/${feeEvent.documentId}?occurrence=soon`).expect(400);
    expect(bad.body.error.message).toMatch(/occurrence must be an ISO date-time/);
    await app.as(superToken).get('/rosters/events/no-such-event').expect(404);
  });

  it('exports the same roster as a CSV attachment with a header row and proper quoting', async () => {
    for (const url of [`/rosters/events/${feeEvent.documentId}.csv`, `/rosters/events/${feeEvent.documentId}?format=csv`]) {
      const res = await app.as(superToken).get(url).buffer(true).parse((r, cb) => {
        let s = '';
        r.setEncoding('utf8');
        r.on('data', (d: string) => (s += d));
        r.on('end', () => cb(null, s));
      }).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="roster-.*\.csv"$/);
      const rows = parseCsv((res.body as string).replace(/^\uFEFF/, ''));
      expect(rows[0]).toEqual(['List', 'Waitlist position', 'Occurrence', 'Name', 'Email', 'Registered by', 'Location', 'Emergency phone', 'Special needs', 'Attended', 'PD hours', 'Registered at']);
      expect(rows.slice(1).map((row) => [row[0], row[1], row[3]])).toEqual([
        ['confirmed', '', 'Ann Archivist'],
        ['pending payment', '', 'Colin League'],
        ['waitlist', '1', 'Cy Cataloger'],
        ['waitlist', '2', 'Dee Desk'],
        ['cancelled', '', 'Eve Evening'],
      ]);
      expect(rows[1].slice(4, 9)).toEqual([ann.email, '', 'Main Hall, Bloomington', '+1 217-555-0101', 'Needs "quiet" seating, near exit\nand a ramp']);
      expect(rows[2][5]).toBe(`Dana Director <${director.email}>`);
      // a cell that a spreadsheet would run as a formula is neutralised
      expect(rows[3][7]).toBe(`'=HYPERLINK("x")`);
    }
  });

  it('lets an event provider’s administrators read their own events only; staff read all; others get 403', async () => {
    const mine = await app.as(providerAToken).get(`/rosters/events/${feeEvent.documentId}`).expect(200);
    expect(mine.body.data.confirmed[0].emergencyPhone).toBe('+1 217-555-0101');
    const notMine = await app.as(providerAToken).get(`/rosters/events/${otherEvent.documentId}`).expect(403);
    expect(notMine.body.error.message).toMatch(/Only staff and the administrators of Provider 2/);
    await app.as(providerAToken).get(`/rosters/events/${otherEvent.documentId}.csv`).expect(403);
    await app.as(providerBToken).get(`/rosters/events/${feeEvent.documentId}`).expect(403);
    const b = await app.as(providerBToken).get(`/rosters/events/${otherEvent.documentId}`).expect(200);
    expect(b.body.data.confirmed[0]).toMatchObject({ name: 'Ann Archivist', emergencyPhone: '217-555-0199' });
    for (const ev of [feeEvent, otherEvent]) await app.as(staffToken).get(`/rosters/events/${ev.documentId}`).expect(200);
    await app.as(editorToken).get(`/rosters/events/${feeEvent.documentId}`).expect(403);
    await app.as(null).get(`/rosters/events/${feeEvent.documentId}`).expect(401);
    // a content-API user's token is no admin token
    await app.http().get(`/rosters/events/${feeEvent.documentId}`).set('Authorization', `Bearer ${ann.jwt}`).expect(401);
  });
});

describe('POST /rosters/registrations/:documentId/attendance (admin API)', () => {
  it('marks attendance with the event hours, shown on the person’s transcript; providers only on their events', async () => {
    const provider = (await app.strapi.db.query('api::provider.provider').findOne({ where: { slug: 'provider-1' } })).documentId;
    const past = await app.strapi.documents('api::event.event').create({
      data: { title: 'Intro to genealogy', audience: 'public', start: new Date(Date.now() - 2 * DAY).toISOString(), registrationMode: 'platform', pdhHours: 2, provider } as never,
      status: 'published',
    });
    const capacity = app.strapi.service('api::registration.capacity');
    const seatEvent = await app.strapi.service('api::registration.registration').seatEvent(past.id);
    const [reg] = await capacity.register({ event: seatEvent, occurrence: past.start, location: null, registeredBy: dee, people: [{ user: dee }] });
    const url = `/rosters/registrations/${reg.documentId}/attendance`;
    await app.as(providerBToken).post(url).send({ attended: true }).expect(403);
    await app.as(editorToken).post(url).send({ attended: true }).expect(403);
    const bad = await app.as(providerAToken).post(url).send({ attended: 'yes' }).expect(400);
    expect(bad.body.error.message).toMatch(/attended must be true or false/);
    const ok = await app.as(providerAToken).post(url).send({ attended: true }).expect(200);
    expect(ok.body.data).toMatchObject({ attended: true, pdhEarned: 2 });
    const transcript = await app.as(dee).get('/api/me/transcript').expect(200);
    expect(transcript.body.meta.totalHours).toBe(2);
    expect(transcript.body.data[0].event.title).toBe('Intro to genealogy');
    const roster = await app.as(staffToken).get(`/rosters/events/${past.documentId}`).expect(200);
    expect(roster.body.data.confirmed[0]).toMatchObject({ attended: true, pdhEarned: 2 });

    // not before the event: 409 naming the rule
    const [annFee] = (await app.as(superToken).get(`/rosters/events/${feeEvent.documentId}`)).body.data.confirmed;
    const early = await app.as(staffToken).post(`/rosters/registrations/${annFee.documentId}/attendance`).send({ attended: true }).expect(409);
    expect(early.body.error.message).toMatch(/once the occurrence has started/);
    await app.as(staffToken).post('/rosters/registrations/nope/attendance').send({ attended: true }).expect(404);
  });
});

describe('adding someone in the admin panel (content manager create)', () => {
  const CM = '/content-manager/collection-types/api::registration.registration';
  const rel = (doc: { id: number; documentId: string }) => ({ connect: [{ id: doc.id, documentId: doc.documentId }], disconnect: [] });

  it('takes a seat, or a waitlist place once full, whatever the form says; never twice for one person', async () => {
    const ev = await event({ title: 'Board trustee orientation', capacity: 1 });
    const first = await app.createUser('member');
    const second = await app.createUser('member');
    app.mail.clear();

    const a = await app.as(superToken).post(CM).send({ event: rel(ev as any), user: rel(first as any), occurrence: ev.start, status: 'confirmed', waitlistPosition: 7, activeKey: 'forged' });
    expect([200, 201]).toContain(a.status);
    const b = await app.as(superToken).post(CM).send({ event: rel(ev as any), user: rel(second as any), occurrence: ev.start, status: 'confirmed', waitlistPosition: 7, activeKey: 'forged' });
    expect([200, 201]).toContain(b.status);

    const roster = (await app.as(superToken).get(`/rosters/events/${ev.documentId}`).expect(200)).body.data;
    expect(roster.confirmed.map((r: any) => r.email)).toEqual([first.email]);
    expect(roster.waitlist).toEqual([expect.objectContaining({ email: second.email, waitlistPosition: 1 })]);

    const again = await app.as(superToken).post(CM).send({ event: rel(ev as any), user: rel(first as any), occurrence: ev.start, status: 'confirmed', waitlistPosition: 7, activeKey: 'forged' }).expect(409);
    expect(again.body.error.message).toMatch(/already registered/);
    const wrongDate = await app.as(superToken).post(CM).send({ event: rel(ev as any), user: rel(second as any), occurrence: '2031-01-01T00:00:00.000Z' }).expect(400);
    expect(wrongDate.body.error.message).toMatch(/not a date of this event/);

    // the people are emailed as if they had registered themselves
    const outbox = app.strapi.service('api::outbox-message.outbox');
    await outbox.run();
    await outbox.deliverDue();
    expect(app.mail.to(first.email).map((m) => m.subject)).toEqual(['Registration confirmed: Board trustee orientation']);
    expect(app.mail.to(second.email).map((m) => m.subject)).toEqual(['Waitlisted: Board trustee orientation']);
  });
});

describe('editing a registration in the admin panel (content manager form)', () => {
  const CM = '/content-manager/collection-types/api::registration.registration';

  it('saves the whole form (its registration status included), ticking attendance sets the hours', async () => {
    const past = await app.strapi.documents('api::event.event').create({
      data: { title: 'Weeding workshop', audience: 'public', start: new Date(Date.now() - DAY).toISOString(), registrationMode: 'platform', pdhHours: 1.25 } as never,
      status: 'published',
    });
    const who = await app.createUser('member');
    const capacity = app.strapi.service('api::registration.capacity');
    const seatEvent = await app.strapi.service('api::registration.registration').seatEvent(past.id);
    const [reg] = await capacity.register({ event: seatEvent, occurrence: past.start, location: null, registeredBy: who, people: [{ user: who }] });
    const res = await app.as(superToken).put(`${CM}/${reg.documentId}`).send({ status: 'confirmed', attended: true, pdhEarned: null, occurrence: past.start }).expect(200);
    expect(res.body.data).toMatchObject({ status: 'confirmed', attended: true });
    // the edit form shows the registration status
    expect((await app.as(superToken).get(`${CM}/${reg.documentId}`).expect(200)).body.data).toMatchObject({ status: 'confirmed', attended: true });
    const list = (await app.as(superToken).get(CM).expect(200)).body.results;
    expect(list.find((r: any) => r.documentId === reg.documentId)).toMatchObject({ status: 'confirmed' });
    expect(Number(res.body.data.pdhEarned)).toBe(1.25);
    expect((await app.strapi.db.query('api::registration.registration').findOne({ where: { documentId: reg.documentId } })).status).toBe('confirmed');
    expect((await app.as(who).get('/api/me/transcript').expect(200)).body.meta.totalHours).toBe(1.25);
  });

  it('cancelling in the form frees the seat for the first person on the waitlist', async () => {
    const ev = await event({ title: 'Story time techniques', capacity: 1 });
    const holder = await app.createUser('member');
    const waiting = await app.createUser('member');
    const [held] = (await register(holder, ev)).body.data;
    await register(waiting, ev);
    await app.as(superToken).put(`${CM}/${held.documentId}`).send({ status: 'cancelled' }).expect(200);
    const roster = (await app.as(superToken).get(`/rosters/events/${ev.documentId}`).expect(200)).body.data;
    expect(roster.confirmed.map((r: any) => r.email)).toEqual([waiting.email]);
    expect(roster.cancelled.map((r: any) => r.email)).toEqual([holder.email]);
    expect(roster.waitlist).toEqual([]);
  });

  it('tells someone given a seat once cancelling has closed that they cannot cancel online; earlier, nothing of it', async () => {
    const seatOpened = async (who: TestUser) => (await app.strapi.db.query('api::outbox-message.outbox-message').findMany({ where: { to: who.email } }))
      .filter((m: { subject: string }) => /^A seat opened up/.test(m.subject)).map((m: { text: string }) => m.text);
    for (const [days, late] of [[1, true], [10, false]] as const) {
      const ev = await event({ title: `Grant basics in ${days} days`, capacity: 1, start: new Date(Date.now() + days * DAY).toISOString() });
      const [holder, waiting] = [await app.createUser('member'), await app.createUser('member')];
      const [held] = (await register(holder, ev)).body.data;
      await register(waiting, ev);
      await app.as(superToken).put(`${CM}/${held.documentId}`).send({ status: 'cancelled' }).expect(200);
      const note = 'Cancelling online closed 48 hours before the start: if you cannot come, please tell the organisers so the seat can go to someone else.';
      expect(await seatOpened(waiting)).toEqual([late ? expect.stringContaining(note) : expect.not.stringContaining('Cancelling online closed')]);
    }
  });

  it('moving someone back to the waitlist puts them at its end: the seat goes to whoever waited first', async () => {
    const ev = await event({ title: 'Genealogy databases', capacity: 1 });
    const holder = await app.createUser('member');
    const waiting = await app.createUser('member');
    const [held] = (await register(holder, ev)).body.data;
    await register(waiting, ev);
    const outbox = app.strapi.service('api::outbox-message.outbox');
    const deliver = async () => (await outbox.run(), outbox.deliverDue());
    await deliver();
    app.mail.clear();
    await app.as(superToken).put(`${CM}/${held.documentId}`).send({ status: 'waitlisted' }).expect(200);
    const roster = (await app.as(superToken).get(`/rosters/events/${ev.documentId}`).expect(200)).body.data;
    expect(roster.confirmed.map((r: any) => r.email)).toEqual([waiting.email]);
    expect(roster.waitlist.map((r: any) => [r.email, r.waitlistPosition])).toEqual([[holder.email, 1]]);
    await deliver();
    expect(app.mail.to(waiting.email).map((m) => m.subject)).toEqual([expect.stringMatching(/seat opened/i)]);
    expect(app.mail.to(holder.email).some((m) => /seat opened/i.test(m.subject))).toBe(false);
  });

  it('never hands out a seat by editing a status in the form: no overbooking from the admin panel', async () => {
    const ev = await event({ title: 'Board governance basics', capacity: 1 });
    const holder = await app.createUser('member');
    const waiting = await app.createUser('member');
    const [held] = (await register(holder, ev)).body.data;
    const [queued] = (await register(waiting, ev)).body.data;
    const res = await app.as(superToken).put(`${CM}/${queued.documentId}`).send({ status: 'confirmed' }).expect(400);
    expect(res.body.error.message).toMatch(/raise the event capacity/);
    await app.as(superToken).put(`${CM}/${held.documentId}`).send({ status: 'cancelled' }).expect(200);
    const reopen = await app.as(superToken).put(`${CM}/${held.documentId}`).send({ status: 'confirmed' }).expect(400);
    expect(reopen.body.error.message).toMatch(/cannot be reopened/);
    const roster = (await app.as(superToken).get(`/rosters/events/${ev.documentId}`).expect(200)).body.data;
    expect(roster.confirmed.map((r: any) => r.email)).toEqual([waiting.email]);
  });
});
