/**
 * Writes made in the admin panel (the content manager's forms, its "Duplicate", the plugins' routes) hold the rules the
 * public API holds, for every admin role.
 */
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { platformEvent, registerFor } from '../helpers/registration';

let app: TestApp;
let staffToken: string;
let membershipToken: string;
const DAY = 86_400_000;
const CM = '/content-manager/collection-types/';
const REG = 'api::registration.registration';
const EVENT = 'api::event.event';
const PAIRING = 'api::mentorship-pairing.mentorship-pairing';
const USER = 'plugin::users-permissions.user';
const rel = (doc: { id: number; documentId: string }) => ({ connect: [{ id: doc.id, documentId: doc.documentId }], disconnect: [] });
const errorPaths = (res: { body: any }) => (res.body?.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path);

beforeAll(async () => {
  app = await startApp();
  staffToken = (await app.createAdmin('staff@rails.example', 'll-system-staff')).token;
  membershipToken = (await app.createAdmin('membership@rails.example', 'll-membership-staff')).token;
});

afterAll(async () => {
  await app?.stop();
});

describe('an event provider files events under its own provider organisations only', () => {
  let providerToken: string;
  let share: any;
  let isl: any;
  const start = new Date(Date.now() + 20 * DAY).toISOString();

  beforeAll(async () => {
    const provider = await app.createAdmin('ce@share.example', 'll-event-provider');
    providerToken = provider.token;
    await app.strapi.documents('api::provider.provider').create({ data: { name: 'SHARE', slug: 'share', kind: 'consortium', adminUsers: [provider.id] } as never });
    await app.strapi.documents('api::provider.provider').create({ data: { name: 'Illinois State Library', slug: 'isl', kind: 'state-agency' } as never });
    share = await app.strapi.db.query('api::provider.provider').findOne({ where: { slug: 'share' } });
    isl = await app.strapi.db.query('api::provider.provider').findOne({ where: { slug: 'isl' } });
  });

  const titled = (title: string) => app.strapi.db.query(EVENT).count({ where: { title } });

  it("cannot create an event under another provider's name: 403 naming provider, nothing stored", async () => {
    const res = await app.as(providerToken).post(`${CM}${EVENT}`).send({ title: 'ISL grant deadline moved', start, registrationMode: 'none', provider: rel(isl) });
    expect(res.status).toBe(403);
    expect(errorPaths(res)).toEqual([['provider']]);
    expect(await titled('ISL grant deadline moved')).toBe(0);
    // its own organisation's event is created as before
    await app.as(providerToken).post(`${CM}${EVENT}`).send({ title: 'SHARE Polaris basics', start, registrationMode: 'none', provider: rel(share) }).expect(201);
  });

  it('cannot move its own event to another provider', async () => {
    const own = (await app.as(providerToken).post(`${CM}${EVENT}`).send({ title: 'SHARE cataloging lab', start, registrationMode: 'none', provider: rel(share) }).expect(201)).body.data;
    const res = await app.as(providerToken).put(`${CM}${EVENT}/${own.documentId}`).send({ provider: { connect: [{ id: isl.id, documentId: isl.documentId }], disconnect: [{ id: share.id, documentId: share.documentId }] } });
    expect(res.status).toBe(403);
    const stored = await app.strapi.db.query(EVENT).findOne({ where: { documentId: own.documentId }, populate: ['provider'] });
    expect(stored.provider.slug).toBe('share');
    // other edits of its own event still save
    await app.as(providerToken).put(`${CM}${EVENT}/${own.documentId}`).send({ title: 'SHARE cataloging lab (full day)' }).expect(200);
  });

  it("cannot copy (and so read) another provider's event with Duplicate", async () => {
    const other = await app.strapi.documents(EVENT).create({ data: { title: 'ISL per capita grant Q&A', description: 'Draft: figures not final', start, provider: isl.documentId, reviewNote: 'internal' } as never });
    const res = await app.as(providerToken).post(`${CM}${EVENT}/clone/${other.documentId}`).send({ title: 'Copied', provider: rel(share) });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toContain('figures not final');
    expect(await titled('Copied')).toBe(0);
    // staff copy any event
    await app.as(staffToken).post(`${CM}${EVENT}/clone/${other.documentId}`).send({ title: 'ISL per capita grant Q&A (repeat)' }).expect(200);
  });
});

describe("the content manager's Duplicate", () => {
  it('copies a registration as staff adding someone: the seat rules decide its place (it was a 500), never twice for one person', async () => {
    const ev = await platformEvent(app, { title: 'Makerspace safety', capacity: 1 });
    const [holder, waiting, added] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    const [held] = (await registerFor(app, holder, ev)).body.data;
    await registerFor(app, waiting, ev);
    const addedRow = await app.strapi.db.query(USER).findOne({ where: { id: added.id } });

    const copy = await app.as(staffToken).post(`${CM}${REG}/clone/${held.documentId}`).send({ user: rel(addedRow) });
    expect(copy.status).toBe(200);
    expect(copy.body.data).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    const roster = (await app.as(staffToken).get(`/rosters/events/${ev.documentId}`).expect(200)).body.data;
    expect(roster.confirmed.map((r: any) => r.email)).toEqual([holder.email]);
    expect(roster.waitlist.map((r: any) => [r.email, r.waitlistPosition])).toEqual([[waiting.email, 1], [added.email, 2]]);

    const same = await app.as(staffToken).post(`${CM}${REG}/auto-clone/${held.documentId}`).send({});
    expect(same.status).toBe(409);
    expect(same.body.error.message).toMatch(/already registered/);
    expect(await app.strapi.db.query(REG).count({ where: { eventDocumentId: ev.documentId } })).toBe(3);
  });

  it('copies a mentorship pairing under the pairing rules: a mentor at their limit, or a mentee already paired, is refused', async () => {
    const apply = async (data: Record<string, unknown>) => {
      const user = await app.createUser('member');
      await app.as(user).post('/api/mentorship-applications').send({ data }).expect(201);
      return app.strapi.db.query(USER).findOne({ where: { id: user.id } });
    };
    const mentor = await apply({ role: 'mentor', yearsExperience: 12, membership: 'ila-personal', employedInLibrary: true, goals: 'Give back', interests: ['cataloging'], maxMentees: 1 });
    const mentee = { role: 'mentee', yearsExperience: 1, membership: 'ila-personal', employedInLibrary: true, goals: 'Learn cataloging', interests: ['cataloging'] };
    const [first, second] = [await apply(mentee), await apply(mentee)];
    const pairing = (await app.as(membershipToken).post(`${CM}${PAIRING}`).send({ mentor: rel(mentor), mentee: rel(first) }).expect(201)).body.data;

    const toSecond = await app.as(membershipToken).post(`${CM}${PAIRING}/clone/${pairing.documentId}`).send({ mentee: rel(second) });
    expect(toSecond.status).toBe(409);
    expect(errorPaths(toSecond)).toEqual([['mentor']]);
    const again = await app.as(membershipToken).post(`${CM}${PAIRING}/clone/${pairing.documentId}`).send({});
    expect(again.status).toBe(409);
    expect(errorPaths(again)).toEqual([['mentee']]);
    expect(await app.strapi.db.query(PAIRING).count({ where: { mentor: { id: mentor.id } } })).toBe(1);
  });
});

describe("Duplicate leaves the source's one-to-many relations where they are", () => {
  it("a copy of an account takes neither the person's affiliations nor their registrations, nor their director role", async () => {
    const head = await app.createUser('director');
    const ev = await platformEvent(app, { title: 'Trustee roundtable' });
    await registerFor(app, head, ev);
    const copy = await app.as(staffToken).post(`${CM}${USER}/clone/${head.documentId}`).send({ email: 'copy.of.director@library.example', username: 'copy.of.director@library.example' }).expect(200);
    const [original, copied] = await Promise.all([head.documentId, copy.body.data.documentId].map((documentId) =>
      app.strapi.db.query(USER).findOne({ where: { documentId }, populate: ['role', 'affiliations', 'registrations'] })));
    expect([original.role.type, original.affiliations.length, original.registrations.length]).toEqual(['director', 1, 1]);
    expect([copied.role.type, copied.affiliations.length, copied.registrations.length]).toEqual(['authenticated', 0, 0]);
    expect((await app.as(head).get('/api/me/registrations').expect(200)).body.data).toHaveLength(1);
  });

  it("a copy of a provider organisation takes none of its events; the provider keeps them all", async () => {
    const provider = await app.strapi.documents('api::provider.provider').create({ data: { name: 'Reaching Across Illinois', slug: 'rails-ce', kind: 'system' } as never });
    for (const title of ['Weeding 101', 'Weeding 201']) await platformEvent(app, { title, provider: provider.documentId });
    const copy = await app.as(staffToken).post(`${CM}api::provider.provider/clone/${provider.documentId}`).send({ name: 'Reaching Across Illinois (2027)', slug: 'rails-ce-2027' }).expect(200);
    const eventsOf = async (slug: string) => (await app.as(null).get(`/api/events?filters[provider][slug][$eq]=${slug}`).expect(200)).body.data.map((e: any) => e.title).sort();
    expect(await eventsOf('rails-ce')).toEqual(['Weeding 101', 'Weeding 201']);
    expect(await eventsOf('rails-ce-2027')).toEqual([]);
  });
});

describe('accounts and affiliations edited in the admin panel', () => {
  it("an account's role follows its affiliations: a role picked in the form does not make a guest a director", async () => {
    const guest = await app.createUser('guest');
    const director = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'director' } });
    await app.as(staffToken).put(`${CM}${USER}/${guest.documentId}`).send({ role: { connect: [{ id: director.id }], disconnect: [] } }).expect(200);
    const stored = await app.strapi.db.query(USER).findOne({ where: { id: guest.id }, populate: ['role'] });
    expect(stored.role.type).toBe('authenticated');
  });

  it("the account form holds the sign-in rules: no one else's email or username in any case, no javascript: links (400 naming the field)", async () => {
    const [alice, bob] = [await app.createUser('member'), await app.createUser('member')];
    await app.as(alice).put('/api/profile').send({ username: 'alice-ref' }).expect(200);
    const form = (data: Record<string, unknown>) => app.as(staffToken).put(`${CM}${USER}/${bob.documentId}`).send(data);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ username: alice.email.toUpperCase() }, ['username']],
      [{ username: 'Alice-Ref' }, ['username']],
      [{ social: { website: 'javascript:alert(document.cookie)' } }, ['social', 'website']],
    ];
    for (const [data, path] of cases) {
      const res = await form(data);
      expect({ data, status: res.status, paths: errorPaths(res) }).toEqual({ data, status: 400, paths: [path] });
    }
    // an email that is someone's username (sign-in takes either as the identifier)
    await app.strapi.db.query(USER).update({ where: { id: alice.id }, data: { username: 'alice.alt@library.example' } });
    const clash = await form({ email: 'Alice.Alt@library.example' });
    expect({ status: clash.status, paths: errorPaths(clash) }).toEqual({ status: 400, paths: [['email']] });
    const stored = await app.strapi.db.query(USER).findOne({ where: { id: bob.id } });
    expect([stored.email, stored.username, stored.social ?? null]).toEqual([bob.email, bob.username, null]);
    // Bob still signs in as himself, Alice's alternate still finds Alice
    const signIn = (identifier: string, password: string) => app.http().post('/api/auth/local').send({ identifier, password }).expect(200);
    expect((await signIn('alice.alt@library.example', alice.password)).body.user.id).toBe(alice.id);
    expect((await signIn(bob.email, bob.password)).body.user.id).toBe(bob.id);
    // a new address of his own is stored lowercase
    await form({ email: 'Bob.New@Library.example' }).expect(200);
    expect((await app.strapi.db.query(USER).findOne({ where: { id: bob.id } })).email).toBe('bob.new@library.example');
  });

  it('affiliation roles are role names the membership rules know: anything else is a 400 naming the field, nothing stored', async () => {
    const person = await app.createUser('guest');
    const building = await app.createBuilding();
    const asked = (await app.as(person).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Clerk', roles: ['staff'] } }).expect(201)).body.data;
    const res = await app.as(staffToken).put(`${CM}api::affiliation.affiliation/${asked.documentId}`).send({ roles: ['superuser'] });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual([['roles']]);
    const stored = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { documentId: asked.documentId } });
    expect(stored.roles).toEqual(['staff']);
    await app.as(staffToken).put(`${CM}api::affiliation.affiliation/${asked.documentId}`).send({ roles: ['staff', 'trustee'] }).expect(200);
  });
});

describe('a registration status set in the form', () => {
  it('never makes a payment hold by hand (it had no expiry: "Payment needed" for good on a free event): 400 naming status', async () => {
    const ev = await platformEvent(app, { title: 'Local history roundtable', capacity: 3 });
    const who = await app.createUser('member');
    const [reg] = (await registerFor(app, who, ev)).body.data;
    const res = await app.as(staffToken).put(`${CM}${REG}/${reg.documentId}`).send({ status: 'pending-payment' });
    expect({ status: res.status, paths: errorPaths(res) }).toEqual({ status: 400, paths: [['status']] });
    expect((await app.strapi.db.query(REG).findOne({ where: { documentId: reg.documentId } })).status).toBe('confirmed');
  });
});

describe('a registration staff delete', () => {
  it('is told to its person as a cancellation by the organisers (the date withdrawn), and its seat goes to the first in line', async () => {
    const ev = await platformEvent(app, { title: 'Makerspace safety', capacity: 1 });
    const [seated, waiting] = [await app.createUser('member'), await app.createUser('member')];
    const [reg] = (await registerFor(app, seated, ev)).body.data;
    await registerFor(app, waiting, ev);
    // the registration emails delivered first, so that what follows is the delete's
    await app.mail.waitFor(() => app.mail.to(seated.email).length > 0 && app.mail.to(waiting.email).length > 0);
    app.mail.clear();
    await app.as(staffToken).delete(`${CM}${REG}/${reg.documentId}`).expect(200);
    await app.mail.waitFor(() => app.mail.to(seated.email).length > 0 && app.mail.to(waiting.email).length > 0);
    const told = app.mail.to(seated.email);
    expect(told.map((m) => m.subject)).toEqual(['Registration cancelled: Makerspace safety']);
    expect(told[0].text).toContain('has been cancelled by the organisers');
    expect(told[0].attachments.map((a) => a.content.toString('utf8')).join('')).toContain('METHOD:CANCEL');
    expect(app.mail.to(waiting.email).map((m) => m.subject)).toEqual(['A seat opened up: Makerspace safety']);
  });
});

describe('attendance ticked in the registration form', () => {
  it("is the roster's rule: not on a waitlisted place or a date still ahead (409 naming attended), so no hours on a transcript", async () => {
    const ev = await platformEvent(app, { title: 'Summer reading kickoff', capacity: 1, pdhHours: 2 });
    const [holder, waiting] = [await app.createUser('member'), await app.createUser('member')];
    const [held] = (await registerFor(app, holder, ev)).body.data;
    const [queued] = (await registerFor(app, waiting, ev)).body.data;
    for (const reg of [held, queued]) {
      const res = await app.as(staffToken).put(`${CM}${REG}/${reg.documentId}`).send({ attended: true });
      expect(res.status).toBe(409);
      expect(errorPaths(res)).toEqual([['attended']]);
    }
    for (const who of [holder, waiting] as TestUser[]) expect((await app.as(who).get('/api/me/transcript').expect(200)).body.meta.totalHours).toBe(0);
  });
});

describe('the home page work-queue counts', () => {
  it('tell each admin only the queues they work on', async () => {
    const provider = await app.createAdmin('counts@share.example', 'll-event-provider');
    const asProvider = (await app.as(provider.token).get('/approvals/counts').expect(200)).body.data;
    expect(asProvider).toEqual({ affiliations: null, submissions: null, siteVisits: null });
    const asMembership = (await app.as(membershipToken).get('/approvals/counts').expect(200)).body.data;
    expect(asMembership).toEqual({ affiliations: expect.any(Number), submissions: null, siteVisits: expect.any(Number) });
    const asStaff = (await app.as(staffToken).get('/approvals/counts').expect(200)).body.data;
    expect(asStaff).toEqual({ affiliations: expect.any(Number), submissions: expect.any(Number), siteVisits: expect.any(Number) });
  });
});

describe('events in the admin panel', () => {
  it('an event with registrations is not deleted from under them (409); cancelled and published first, it may go', async () => {
    const ev = await platformEvent(app, { title: 'Grant writing clinic', capacity: 1 });
    const [holder, waiting] = [await app.createUser('member'), await app.createUser('member')];
    await registerFor(app, holder, ev);
    await registerFor(app, waiting, ev);
    const refused = await app.as(staffToken).delete(`${CM}${EVENT}/${ev.documentId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/2 registration\(s\) not cancelled/);
    const bulk = await app.as(staffToken).post(`${CM}${EVENT}/actions/bulkDelete`).send({ documentIds: [ev.documentId] });
    expect(bulk.status).toBe(409);
    expect((await app.as(holder).get('/api/me/registrations').expect(200)).body.data.map((r: any) => r.event?.title)).toEqual(['Grant writing clinic']);

    await app.as(staffToken).put(`${CM}${EVENT}/${ev.documentId}`).send({ cancelled: true }).expect(200);
    await app.as(staffToken).post(`${CM}${EVENT}/${ev.documentId}/actions/publish`).send({}).expect(200);
    await app.as(staffToken).delete(`${CM}${EVENT}/${ev.documentId}`).expect(200);
  });

  it('an event with people registered for an upcoming date is not unpublished from under them, untold (409 naming cancelled); cancelled and published first, it may be', async () => {
    const ev = await platformEvent(app, { title: 'Oral history workshop', capacity: 5 });
    const person = await app.createUser('member');
    await registerFor(app, person, ev);
    const refused = await app.as(staffToken).post(`${CM}${EVENT}/${ev.documentId}/actions/unpublish`).send({});
    expect({ status: refused.status, field: refused.body.error?.details?.field }).toEqual({ status: 409, field: 'cancelled' });
    expect(refused.body.error.message).toMatch(/1 registration\(s\) for upcoming dates: tick Cancelled and publish/);
    const bulk = await app.as(staffToken).post(`${CM}${EVENT}/actions/bulkUnpublish`).send({ documentIds: [ev.documentId] });
    expect(bulk.status).toBe(409);
    expect((await app.as(person).get(`/api/events/${ev.documentId}`)).status).toBe(200);

    // cancelled and published: the person is told, their registration ends; then it may be unpublished
    await app.as(staffToken).put(`${CM}${EVENT}/${ev.documentId}`).send({ cancelled: true }).expect(200);
    await app.as(staffToken).post(`${CM}${EVENT}/${ev.documentId}/actions/publish`).send({}).expect(200);
    await app.mail.waitFor(() => app.mail.to(person.email).some((m) => m.subject === 'Cancelled: Oral history workshop'));
    await app.as(staffToken).post(`${CM}${EVENT}/${ev.documentId}/actions/unpublish`).send({}).expect(200);
  });

  it('registration is not switched off under the people registered (409 naming registrationMode); once their registrations are cancelled it may be', async () => {
    const ev = await platformEvent(app, { title: 'Makerspace safety training', capacity: 5 });
    const person = await app.createUser('member');
    const [reg] = (await registerFor(app, person, ev)).body.data;
    for (const mode of ['none', 'external']) {
      await app.as(staffToken).put(`${CM}${EVENT}/${ev.documentId}`).send({ registrationMode: mode }).expect(200);
      const refused = await app.as(staffToken).post(`${CM}${EVENT}/${ev.documentId}/actions/publish`).send({});
      expect({ status: refused.status, field: refused.body.error?.details?.field }).toEqual({ status: 409, field: 'registrationMode' });
      expect(refused.body.error.message).toMatch(/1 registration\(s\) for upcoming dates/);
    }
    // the published event still takes registrations, and the person still holds their seat
    const published = await app.strapi.db.query(EVENT).findOne({ where: { documentId: ev.documentId, publishedAt: { $notNull: true } } });
    expect(published.registrationMode).toBe('platform');
    expect((await app.as(person).get('/api/me/registrations').expect(200)).body.data.map((r: any) => r.status)).toEqual(['confirmed']);

    await app.as(person).post(`/api/registrations/${reg.documentId}/cancel`).send({}).expect(200);
    await app.as(staffToken).post(`${CM}${EVENT}/${ev.documentId}/actions/publish`).send({}).expect(200);
    expect((await app.strapi.db.query(EVENT).findOne({ where: { documentId: ev.documentId, publishedAt: { $notNull: true } } })).registrationMode).toBe('external');
  });

  it('a series meeting staff postponed from days ago to next week counts as upcoming: registration is not switched off under its people', async () => {
    const first = new Date(Date.now() - 2 * DAY);
    first.setUTCMinutes(0, 0, 0);
    const postponedTo = new Date(first.getTime() + 5 * DAY).toISOString();
    const ev = await platformEvent(app, {
      title: 'Postponed readers circle',
      start: first.toISOString(),
      rrule: 'FREQ=WEEKLY;COUNT=2',
      occurrenceChanges: [{ occurrence: first.toISOString(), start: postponedTo, end: new Date(first.getTime() + 5 * DAY + 3_600_000).toISOString() }],
    });
    const person = await app.createUser('member');
    const key = `${ev.documentId}|${first.toISOString()}`;
    // registered for the first meeting before it was postponed (its key stays the original start)
    await app.strapi.db.query(REG).create({
      data: { event: ev.id, user: person.id, eventDocumentId: ev.documentId, userDocumentId: person.documentId, occurrence: first.toISOString(), status: 'confirmed', confirmedAt: new Date(), slotKey: `${key}|`, activeKey: `${key}|${person.documentId}` },
    });
    await app.as(staffToken).put(`${CM}${EVENT}/${ev.documentId}`).send({ registrationMode: 'none' }).expect(200);
    const refused = await app.as(staffToken).post(`${CM}${EVENT}/${ev.documentId}/actions/publish`).send({});
    expect({ status: refused.status, field: refused.body.error?.details?.field, registrations: refused.body.error?.details?.registrations }).toEqual({ status: 409, field: 'registrationMode', registrations: 1 });
    expect((await app.strapi.db.query(EVENT).findOne({ where: { documentId: ev.documentId, publishedAt: { $notNull: true } } })).registrationMode).toBe('platform');
  });

  it('the form holds the group-event rules: an end after the start, a registration window that closes after it opens, each location key once', async () => {
    const start = new Date(Date.now() + 30 * DAY).toISOString();
    const before = (days: number) => new Date(Date.now() + days * DAY).toISOString();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ end: before(29) }, ['end']],
      [{ registrationOpens: before(10), registrationCloses: before(5) }, ['registrationCloses']],
      [{ locations: [{ key: 'main', name: 'Main library', capacity: 1 }, { key: 'main', name: 'Branch', capacity: 50 }] }, ['locations', '1', 'key']],
    ];
    for (const [data, path] of cases) {
      const res = await app.as(staffToken).post(`${CM}${EVENT}`).send({ title: 'Booktalk bootcamp', start, registrationMode: 'platform', ...data });
      expect({ status: res.status, paths: errorPaths(res) }).toEqual({ status: 400, paths: [path] });
    }
    expect(await app.strapi.db.query(EVENT).count({ where: { title: 'Booktalk bootcamp' } })).toBe(0);
    const ok = await app.as(staffToken).post(`${CM}${EVENT}`).send({ title: 'Booktalk bootcamp', start, end: before(30.1), registrationMode: 'platform' }).expect(201);
    const edit = await app.as(staffToken).put(`${CM}${EVENT}/${ok.body.data.documentId}`).send({ start, end: start });
    expect({ status: edit.status, paths: errorPaths(edit) }).toEqual({ status: 400, paths: [['end']] });
  });
});
