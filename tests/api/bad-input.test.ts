import type { Response } from 'supertest';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { platformEvent } from '../helpers/registration';

/**
 * Bad input gets a 4xx naming the field and the rule, never a 500, and nothing is stored or changed.
 * NUL characters, integers beyond 32 bits, emails over 255 characters and year-0 dates are 500s on
 * PostgreSQL only; the answers asserted here are the same on both databases.
 */
let app: TestApp;
let building: { id: number; documentId: string };
let director: TestUser;
let member: TestUser;
let guest: TestUser;
let group: { documentId: string };
let single: { documentId: string };
let series: { documentId: string };

const DAY = 86_400_000;
const NUL = '\u0000';
const NUL_RULE = 'must not contain NUL (\\u0000) characters';
const LONG_EMAIL = `${'a'.repeat(300)}@library.example`;

const db = (uid: string) => app.strapi.db.query(uid as never);
const registrationsOf = (user: TestUser) => db('api::registration.registration').count({ where: { user: { id: user.id } } });

/** The status and the message naming the field, in one object so a failure shows both. */
const answer = (res: Response) => ({ status: res.status, message: String(res.body?.error?.message ?? res.text) });
const refused = (res: Response, status: number, field: string) => expect(answer(res)).toEqual({ status, message: expect.stringContaining(field) });

/** The file data a request may send where no route sets a limit (UPLOAD_MAX_BYTES, formidable's 200 MB by default): small here. */
const UPLOAD_MAX_BYTES = 64 * 1024;

beforeAll(async () => {
  app = await startApp({ UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) });
  building = await app.createBuilding();
  director = await app.createUser('director', { building });
  // a member of a system that takes event submissions, so a submission for its group fails on its input only
  const rails = await app.strapi.documents('api::library-system.library-system').create({ data: { name: 'Reaching Across Illinois Library System', code: 'RAILS', kind: 'system', acceptsEventSubmissions: true } as never });
  member = await app.createUser('member', { building: await app.createBuilding({}, { system: rails }) });
  guest = await app.createUser('guest');
  group = await app.strapi.documents('api::networking-group.networking-group').create({
    data: { name: 'Bad Input Forum', slug: 'bad-input-forum', scope: 'regional', primaryAdmin: director.documentId, system: rails.documentId } as never,
  });
  single = await platformEvent(app, { title: 'Single Workshop' });
  series = await platformEvent(app, { title: 'Daily Drop-in', rrule: 'FREQ=DAILY', start: new Date(Date.now() + 10 * DAY).toISOString() });
}, 300000);

afterAll(async () => {
  await app?.stop();
});

describe('NUL characters are refused with 400 naming the field, on every database', () => {
  it.each([
    ['Find Colleagues q', '/api/people?q=%00', 'query.q'],
    ['directory search city', '/api/directory/search?city=%00', 'query.city'],
    ['occurrences tag', '/api/occurrences?from=2026-01-01&to=2026-02-01&tag=%00', 'query.tag'],
    ['a filter of a list route', '/api/buildings?filters[name][$eq]=a%00', 'query.filters[name][$eq]'],
  ])('in the query: %s', async (_label, url, field) => {
    refused(await app.as(member).get(url), 400, field);
  });

  it("names a field inside a list or brackets by its path as a list, as Strapi's own validation does", async () => {
    const paths = (res: Response) => (res.body?.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path);
    // were ['query', 'filters[name][$eq]'] and ['locations[0]', 'name']: one name a client had to split again
    expect(paths(await app.as(member).get('/api/buildings?filters[name][$eq]=a%00'))).toEqual([['query', 'filters', 'name', '$eq']]);
    const event = { title: 'Path Forum', start: '2027-03-17T10:00:00-05:00', locations: [{ name: `Main hall${NUL}`, capacity: 20 }] };
    expect(paths(await app.as(director).post(`/api/networking-groups/${group.documentId}/events`).send(event))).toEqual([['locations', '0', 'name']]);
  });

  it('in a path parameter', async () => {
    refused(await app.as(member).get('/api/events/%00'), 400, 'id');
  });

  it('in a GraphQL single-document query (its documentId argument was looked up as given: a 500 on PostgreSQL)', async () => {
    const res = await app.http().post('/graphql').send({ query: 'query($id: ID!) { building(documentId: $id) { name } }', variables: { id: `${building.documentId}${NUL}` } });
    expect(res.body.errors?.[0]).toMatchObject({ message: expect.stringContaining(`documentId: ${NUL_RULE}`), extensions: { code: 'BAD_USER_INPUT' } });
    const found = await app.http().post('/graphql').send({ query: 'query($id: ID!) { building(documentId: $id) { name } }', variables: { id: building.documentId } });
    expect(found.body.data.building.name).toEqual(expect.any(String));
  });

  it("in a path parameter of the admin plugins' routes (looked up as given: a 500 on PostgreSQL)", async () => {
    const staff = (await app.createAdmin('nul-paths@ihls.example', 'll-system-staff')).token;
    refused(await app.as(staff).post('/approvals/submissions/x%00/publish').send({}), 400, 'params.documentId');
    refused(await app.as(staff).post('/approvals/submissions/x%00/reject').send({ reason: 'Duplicate' }), 400, 'params.documentId');
    refused(await app.as(staff).post('/approvals/x%00/approve').send({}), 400, 'params.documentId');
    refused(await app.as(staff).get('/rosters/seats?events=a%00'), 400, 'query.events');
    // a documentId that names nothing is still the plugin's own 404
    expect((await app.as(staff).post('/approvals/nothing/approve').send({})).status).toBe(404);
  });

  it("in a multipart body's fields (Strapi's sign-in looked the identifier up: a 500 on PostgreSQL)", async () => {
    const signIn = await app.http().post('/api/auth/local').field('identifier', `${member.email}${NUL}`).field('password', member.password);
    refused(signIn, 400, `identifier: ${NUL_RULE}`);
    const reset = await app.http().post('/api/auth/reset-password').field('code', `abc${NUL}`).field('password', 'An0ther-passphrase!').field('passwordConfirmation', 'An0ther-passphrase!');
    refused(reset, 400, `code: ${NUL_RULE}`);
    // a multipart form without one signs in as JSON does
    expect((await app.http().post('/api/auth/local').field('identifier', member.email).field('password', member.password).expect(200)).body.jwt).toEqual(expect.any(String));
  });

  it('in the profile: nothing changes', async () => {
    refused(await app.as(member).put('/api/profile').send({ firstName: `a${NUL}` }), 400, 'firstName');
    expect((await app.as(member).get('/api/profile').expect(200)).body.data.firstName).toBe('Member');
  });

  it('in an affiliation request: nothing stored', async () => {
    const res = await app.as(guest).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: `Clerk${NUL}`, roles: ['staff'] } });
    refused(res, 400, 'data.jobTitle');
    expect(await db('api::affiliation.affiliation').count({ where: { user: { id: guest.id } } })).toBe(0);
  });

  it('in a mentorship application: nothing stored', async () => {
    const data = { role: 'mentee', yearsExperience: 2, membership: 'ila-personal', employedInLibrary: true, goals: `Grow${NUL}`, interests: ['youth services'] };
    refused(await app.as(member).post('/api/mentorship-applications').send({ data }), 400, 'data.goals');
    expect(await db('api::mentorship-application.mentorship-application').count({ where: { user: { id: member.id } } })).toBe(0);
  });

  it("in a group's event and an event submission: nothing stored", async () => {
    const event = { title: `Forum${NUL}`, start: '2027-03-17T10:00:00-05:00', end: '2027-03-17T12:00:00-05:00' };
    refused(await app.as(director).post(`/api/networking-groups/${group.documentId}/events`).send(event), 400, 'title');
    const submission = { networkingGroup: 'bad-input-forum', title: 'Swap', description: `Bring books${NUL}`, start: '2027-04-08T13:00:00-05:00', openToAllMembers: true };
    refused(await app.as(member).post('/api/event-submissions').send(submission), 400, 'description');
    expect(await db('api::event.event').count({ where: { networkingGroup: { documentId: group.documentId } } })).toBe(0);
  });

  it('in a staff member added by a director: no account, and the same person can be added afterwards', async () => {
    const person = { firstName: 'Nola', lastName: 'Null', email: 'nola.null@library.example', jobTitle: `Page${NUL}` };
    refused(await app.as(director).post(`/api/buildings/${building.documentId}/staff`).send(person), 400, 'jobTitle');
    expect(await db('plugin::users-permissions.user').count({ where: { email: person.email } })).toBe(0);
    await app.as(director).post(`/api/buildings/${building.documentId}/staff`).send({ ...person, jobTitle: 'Page' }).expect(201);
  });
});

describe('text that is no Unicode is refused with 400 naming the field, on every database', () => {
  // JSON lets a body write half of a surrogate pair ("\ud800"): SQLite stored its bytes, read back as three
  // replacement characters, and PostgreSQL's driver wrote one instead: the stored text was never the text sent
  const UNPAIRED = 'Forum \ud800';

  it("a group's event title and a site visit's topic: nothing stored", async () => {
    refused(await app.as(director).post(`/api/networking-groups/${group.documentId}/events`).send({ title: UNPAIRED, start: '2027-03-17T10:00:00-05:00' }), 400, 'title');
    refused(await app.as(director).post('/api/site-visits').send({ data: { building: building.documentId, kind: 'visit', topic: `Board ${'\udc00'}training` } }), 400, 'data.topic');
    expect(await db('api::event.event').count({ where: { networkingGroup: { documentId: group.documentId } } })).toBe(0);
    expect(await db('api::site-visit.site-visit').count({ where: { building: { id: building.id } } })).toBe(0);
  });

  it("a registration's special needs and a mentorship interest inside a list: nothing stored", async () => {
    const person = await app.createUser('member');
    refused(await app.as(person).post(`/api/events/${single.documentId}/registrations`).send({ specialNeeds: UNPAIRED }), 400, 'specialNeeds');
    const application = { role: 'mentee', yearsExperience: 2, membership: 'ila-personal', employedInLibrary: true, goals: 'Grow', interests: ['reference', UNPAIRED] };
    refused(await app.as(person).post('/api/mentorship-applications').send({ data: application }), 400, 'data.interests[1]');
    expect(await registrationsOf(person)).toBe(0);
    expect(await db('api::mentorship-application.mentorship-application').count({ where: { user: { id: person.id } } })).toBe(0);
  });

  it('whole surrogate pairs (emoji) are text like any other and are stored as sent', async () => {
    const title = 'Book Swap \u{1F4DA}';
    const res = await app.as(director).post(`/api/networking-groups/${group.documentId}/events`).send({ title, start: '2027-03-17T10:00:00-05:00' }).expect(201);
    expect((await db('api::event.event').findOne({ where: { documentId: res.body.data.documentId } })).title).toBe(title);
    await app.strapi.documents('api::event.event').delete({ documentId: res.body.data.documentId });
  });
});

describe("a nonresident card's notes are bounded as other free text is", () => {
  it('notes of 300,000 characters are refused with 400 naming notes: the building keeps its cards', async () => {
    const own = await app.createBuilding();
    const head = await app.createUser('director', { building: own });
    const url = `/api/buildings/${own.documentId}/nonresident-card`;
    const cards = async () => ((await app.strapi.documents('api::building.building').findOne({ documentId: own.documentId, populate: { nonresidentCards: true } as never })) as any).nonresidentCards;
    await app.as(head).put(url).send({ fiscalYear: 2027, participates: true, notes: 'Board vote in May' }).expect(200);
    refused(await app.as(head).put(url).send({ fiscalYear: 2027, participates: false, notes: 'n'.repeat(300_000) }), 400, 'notes');
    expect(await cards()).toEqual([expect.objectContaining({ fiscalYear: 2027, participates: true, notes: 'Board vote in May' })]);
    const res = await app.as(head).put(url).send({ fiscalYear: 2027, participates: false, notes: 'n'.repeat(2000) }).expect(200);
    expect(res.body.data.nonresidentCards).toEqual([expect.objectContaining({ fiscalYear: 2027, participates: false, notes: 'n'.repeat(2000) })]);
  });
});

describe('adding staff is all or nothing', () => {
  it('a failure after the account is created leaves no account behind (no 409 on retry)', async () => {
    const requests = app.strapi.service('api::affiliation.requests');
    const spy = jest.spyOn(requests, 'request').mockRejectedValueOnce(new Error('simulated failure while storing the affiliation'));
    const person = { firstName: 'Otto', lastName: 'Orphan', email: 'otto.orphan@library.example', jobTitle: 'Page' };
    try {
      await app.as(director).post(`/api/buildings/${building.documentId}/staff`).send(person).expect(500);
    } finally {
      spy.mockRestore();
    }
    expect(await db('plugin::users-permissions.user').count({ where: { email: person.email } })).toBe(0);
    await app.as(director).post(`/api/buildings/${building.documentId}/staff`).send(person).expect(201);
  });
});

describe('integers beyond the 32-bit range are refused with 400 naming the field', () => {
  it.each([[2147483648], [1e21]])('the profile avatar %p', async (avatar) => {
    refused(await app.as(member).put('/api/profile').send({ avatar }), 400, 'avatar');
  });

  it("a location's capacity in an event submission and a group's event: nothing stored", async () => {
    const location = { name: 'Main hall', capacity: 3000000000 };
    const submission = { networkingGroup: 'bad-input-forum', title: 'Big Swap', start: '2027-04-08T13:00:00-05:00', location, openToAllMembers: true };
    refused(await app.as(member).post('/api/event-submissions').send(submission), 400, 'capacity');
    const event = { title: 'Big Forum', start: '2027-03-17T10:00:00-05:00', locations: [location] };
    refused(await app.as(director).post(`/api/networking-groups/${group.documentId}/events`).send(event), 400, 'capacity');
    expect(await db('api::event.event').count({ where: { networkingGroup: { documentId: group.documentId } } })).toBe(0);
  });

  it("a building's resource-sharing loan period: the building keeps its values", async () => {
    const url = `/api/buildings/${building.documentId}`;
    await app.as(director).put(url).send({ data: { resourceSharing: { loanPeriodDays: 21 } } }).expect(200);
    refused(await app.as(director).put(url).send({ data: { resourceSharing: { loanPeriodDays: 3000000000 } } }), 400, 'loanPeriodDays');
    const stored = await app.strapi.documents('api::building.building').findOne({ documentId: building.documentId, populate: { resourceSharing: true } as never });
    expect((stored as any).resourceSharing.loanPeriodDays).toBe(21);
  });

  it.each([
    ['a number field given text', 'filters[fscsSeq][$eq]=abc', 'filters[fscsSeq][$eq]'],
    ['the id given text', 'filters[id][$eq]=abc', 'filters[id][$eq]'],
    ['the id beyond 32 bits', 'filters[id][$eq]=2147483648', 'filters[id][$eq]'],
    ['a list of ids', 'filters[id][$in][0]=1&filters[id][$in][1]=x', 'filters[id][$in][1]'],
    ['a related id', 'filters[library][id][$eq]=abc', 'filters[library][id][$eq]'],
    ['a relation compared directly', 'filters[library][$eq]=abc', 'filters[library][$eq]'],
    ['in a populated relation', 'populate[library][filters][id][$eq]=abc', 'populate[library][filters][id][$eq]'],
  ])("Strapi's list route filtering %s", async (_label, query, field) => {
    refused(await app.http().get(`/api/buildings?${query}`), 400, field);
  });

  it('well-formed filters still answer', async () => {
    const res = await app.http().get(`/api/buildings?filters[id][$eq]=${building.id}&filters[fscsSeq][$null]=true`).expect(200);
    expect(res.body.data.map((b: any) => b.documentId)).toEqual([building.documentId]);
  });
});

describe("malformed filters, sorts and searches of Strapi's list routes are a 400 naming them, never a 500", () => {
  it.each([
    ['$or given one value', '/api/buildings?filters[$or]=x', 'filters[$or]'],
    ["$and given an index beyond the query parser's list limit (an object)", '/api/buildings?filters[$and][150][name][$eq]=x', 'filters[$and]'],
    ['$or of a field given one value', '/api/buildings?filters[name][$or]=x', 'filters[name][$or]'],
    ['$not given text', '/api/buildings?filters[$not]=x', 'filters[$not]'],
    ['$between given one value', '/api/buildings?filters[fscsSeq][$between]=1', 'filters[fscsSeq][$between]'],
    ['$between given three values', '/api/buildings?filters[fscsSeq][$between][0]=1&filters[fscsSeq][$between][1]=2&filters[fscsSeq][$between][2]=3', 'filters[fscsSeq][$between]'],
    ['an operator given an object', '/api/buildings?filters[name][$containsi][a]=b', 'filters[name][$containsi]'],
    ['$in given more values than the query parser lists (an object)', `/api/buildings?${Array.from({ length: 120 }, (_, i) => `filters[id][$in][${i}]=${i}`).join('&')}`, 'filters[id][$in]'],
    ['a text operator on a relation (PostgreSQL: integer LIKE)', '/api/buildings?filters[library][$contains]=1', 'filters[library][$contains]'],
    ['a text operator on a number', '/api/buildings?filters[fscsSeq][$startsWith]=1', 'filters[fscsSeq][$startsWith]'],
    ['a sort direction given an object', '/api/buildings?sort[name][x]=asc', 'sort[name]'],
    ["a related field's sort direction given an object", '/api/buildings?sort[library][name][x]=desc', 'sort[library][name]'],
    ["a populated relation's filters", '/api/libraries?populate[buildings][filters][$or]=x', 'populate[buildings][filters][$or]'],
    ["a populated relation's sort", '/api/libraries?populate[buildings][sort][name][x]=asc', 'populate[buildings][sort][name]'],
    ['the search _q given as a list', '/api/buildings?_q[]=a', '_q'],
    ["a single document's filters", '/api/events/any?filters[$or]=x', 'filters[$or]'],
  ])('%s', async (_label, url, field) => {
    refused(await app.http().get(url), 400, field);
  });

  it('well-formed ones still answer', async () => {
    const or = `filters[$or][0][id][$eq]=${building.id}&filters[$or][1][name][$eq]=nothing`;
    const res = await app.http().get(`/api/buildings?${or}&filters[fscsSeq][$between][0]=0&filters[fscsSeq][$between][1]=9&sort[name]=desc&_q=Test`).expect(200);
    expect(res.body.data).toEqual([]);
    const found = await app.http().get(`/api/buildings?${or}&sort[library][name]=desc&filters[name][$containsi]=test`).expect(200);
    expect(found.body.data.map((b: any) => b.documentId)).toEqual([building.documentId]);
  });

  it.each([
    ['a root query', '{ buildings(filters: { fscsSeq: { between: [1] } }) { name } }', 'filters[fscsSeq][$between]'],
    ["a relation's own filters", '{ libraries { buildings(filters: { fscsSeq: { between: [1] } }) { name } } }', 'filters[fscsSeq][$between]'],
    // PostgreSQL binds at most 65535 values a statement: a longer list was an internal error quoting the SQL
    ['a list of over 1000 values', `{ buildings(filters: { fscsSeq: { in: [${Array(1001).fill(1).join(',')}] } }) { name } }`, 'filters[fscsSeq][$in]'],
    // SQLite refuses a LIKE pattern over 50,000 bytes: an internal error quoting the SQL
    ['a text to look for of 60,000 characters', `{ buildings(filters: { name: { containsi: "${'x'.repeat(60_000)}" } }) { name } }`, 'filters[name][$containsi]'],
    ['a JSON field compared with text that is no JSON', '{ events(filters: { exdates: { eq: "x" } }) { title } }', 'filters[exdates][$eq]'],
    ["a relation's text to look for of 60,000 characters", `{ libraries { buildings(filters: { city: { startsWith: "${'x'.repeat(60_000)}" } }) { name } } }`, 'filters[city][$startsWith]'],
  ])('GraphQL: %s is a user-input error naming the filter, not an internal one', async (_label, query, field) => {
    const res = await app.http().post('/graphql').send({ query });
    expect(res.body.errors?.[0]).toMatchObject({ message: expect.stringContaining(field), extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('emails longer than 254 characters are refused with 400 naming email', () => {
  it('at sign-up, with an alternate username: no account', async () => {
    const res = await app.http().post('/api/auth/local/register').send({ email: LONG_EMAIL, username: 'lena.long', password: 'Str0ng-passphrase!', firstName: 'Lena', lastName: 'Long' });
    refused(res, 400, 'email');
    expect(await db('plugin::users-permissions.user').count({ where: { lastName: 'Long' } })).toBe(0);
  });

  it('for a staff member added by a director: no account', async () => {
    const res = await app.as(director).post(`/api/buildings/${building.documentId}/staff`).send({ firstName: 'Lena', lastName: 'Longer', email: LONG_EMAIL, jobTitle: 'Page' });
    refused(res, 400, 'email');
    expect(await db('plugin::users-permissions.user').count({ where: { lastName: 'Longer' } })).toBe(0);
  });

  it('a very long address is refused before it is matched against the email pattern', async () => {
    // "a.a.a. … @" makes the pattern backtrack over every dot: checked by length first
    const email = `a@${'a.'.repeat(400000)}@`;
    const res = await app.as(director).post(`/api/buildings/${building.documentId}/staff`).send({ firstName: 'Rex', lastName: 'Regex', email, jobTitle: 'Page' });
    refused(res, 400, 'email');
  });

  it("a building's interlibrary-loan email", async () => {
    const res = await app.as(director).put(`/api/buildings/${building.documentId}`).send({ data: { resourceSharing: { illEmail: LONG_EMAIL } } });
    refused(res, 400, 'illEmail');
  });
});

describe('dates outside the years 1900-2200 are refused with 400 naming the field', () => {
  it("a nonresident card's action date: the building keeps its cards", async () => {
    const res = await app.as(director).put(`/api/buildings/${building.documentId}/nonresident-card`).send({ fiscalYear: 2027, participates: true, actionDate: '0000-01-01' });
    refused(res, 400, 'actionDate');
    const stored = await app.strapi.documents('api::building.building').findOne({ documentId: building.documentId, populate: { nonresidentCards: true } as never });
    expect((stored as any).nonresidentCards).toEqual([]);
  });

  it.each([['2027-02-30'], ['0000-01-01'], ['9999-12-31']])("a site visit's preferred date %s: nothing stored or emailed", async (date) => {
    const res = await app.as(director).post('/api/site-visits').send({ data: { building: building.documentId, kind: 'visit', topic: 'Board training', preferredDates: ['2027-03-01', date] } });
    refused(res, 400, 'preferredDates');
    expect(await db('api::site-visit.site-visit').count({ where: { building: { id: building.id } } })).toBe(0);
  });

  it("a nonresident card's date that does not exist (February 30) is refused naming the field", async () => {
    const res = await app.as(director).put(`/api/buildings/${building.documentId}/nonresident-card`).send({ fiscalYear: 2027, participates: true, effectiveDate: '2027-02-30' });
    refused(res, 400, 'effectiveDate');
  });

  it.each([['+275760-09-13T00:00:00.000Z'], ['9999-01-01T15:00:00.000Z']])('the occurrence %s of a recurring event: no registration', async (occurrence) => {
    refused(await app.as(member).post(`/api/events/${series.documentId}/registrations`).send({ occurrence }), 400, 'occurrence');
    expect(await registrationsOf(member)).toBe(0);
  });

  it.each([
    ['from=9999-01-01&to=9999-12-31', 'from'],
    ['from=0000-01-01&to=0000-02-01', 'from'],
    ['from=2026-01-01&to=+275760-01-01', 'to'],
  ])('the occurrences range %s', async (query, field) => {
    refused(await app.http().get(`/api/occurrences?${query}`), 400, field);
  });

  it.each([
    ['start', { start: '9999-03-17T10:00:00-05:00' }],
    ['start', { start: '0000-03-17T10:00:00-05:00' }],
    ['end', { end: '9999-03-17T12:00:00-05:00' }],
    ['exdates', { rrule: 'FREQ=DAILY;COUNT=3', exdates: ['9999-03-18T15:00:00.000Z'] }],
  ])("a group's event %s: nothing stored", async (field, over) => {
    const event = { title: 'Forum', start: '2027-03-17T10:00:00-05:00', ...over };
    refused(await app.as(director).post(`/api/networking-groups/${group.documentId}/events`).send(event), 400, field);
    expect(await db('api::event.event').count({ where: { networkingGroup: { documentId: group.documentId } } })).toBe(0);
  });
});

describe('a registration body is the registration fields, nothing else', () => {
  it.each([
    ['a list', [1], 'body'],
    ["Strapi's data wrapper", { data: { specialNeeds: 'wheelchair' } }, 'data'],
    ['an unknown field', { specialNeeds: 'wheelchair', dietaryNeeds: 'vegan' }, 'dietaryNeeds'],
  ])('%s is refused with 400 naming it, and no registration is stored', async (_label, body, field) => {
    const person = await app.createUser('member');
    refused(await app.as(person).post(`/api/events/${single.documentId}/registrations`).send(body as never), 400, field);
    expect(await registrationsOf(person)).toBe(0);
  });

  it.each([
    ['a list', [1], 'body'],
    ['a field (a cancellation takes none)', { reason: 'changed my mind', status: 'waitlisted' }, 'reason'],
  ])('a cancellation with %s is refused with 400 naming it, and the seat is kept', async (_label, body, field) => {
    const person = await app.createUser('member');
    const [reg] = (await app.as(person).post(`/api/events/${single.documentId}/registrations`).send({}).expect(201)).body.data;
    refused(await app.as(person).post(`/api/registrations/${reg.documentId}/cancel`).send(body as never), 400, field);
    expect((await db('api::registration.registration').findOne({ where: { documentId: reg.documentId } })).status).toBe('confirmed');
    await app.as(person).post(`/api/registrations/${reg.documentId}/cancel`).send({}).expect(200);
  });

  it('the accepted fields still register', async () => {
    const res = await app.as(member).post(`/api/events/${single.documentId}/registrations`).send({ specialNeeds: 'wheelchair', emergencyPhone: '217-555-0100' }).expect(201);
    expect(res.body.data[0]).toMatchObject({ status: 'confirmed', specialNeeds: 'wheelchair' });
  });
});

describe("a group's event body is an object of fields", () => {
  it.each([
    ['an empty list (answered 200, nothing changed)', []],
    ['a list holding the fields', [{ title: 'Renamed Forum' }]],
  ])('an edit given %s is refused with 400 naming body; the event keeps its title', async (_label, body) => {
    const url = `/api/networking-groups/${group.documentId}/events`;
    const made = await app.as(director).post(url).send({ title: 'Body Forum', start: '2027-03-17T10:00:00-05:00' }).expect(201);
    refused(await app.as(director).put(`${url}/${made.body.data.documentId}`).send(body), 400, 'body');
    refused(await app.as(director).post(url).send(body), 400, 'body');
    expect((await db('api::event.event').findOne({ where: { documentId: made.body.data.documentId } })).title).toBe('Body Forum');
    await app.strapi.documents('api::event.event').delete({ documentId: made.body.data.documentId });
  });
});

describe('a registration whose event was deleted', () => {
  it('cannot be cancelled or checked out: 404 with a clear message, not a 500', async () => {
    const person = await app.createUser('member');
    const doomed = await platformEvent(app, { title: 'Deleted Workshop', fee: 10 });
    const res = await app.as(person).post(`/api/events/${doomed.documentId}/registrations`).send({}).expect(201);
    const reg = res.body.data[0].documentId;
    await app.strapi.documents('api::event.event').delete({ documentId: doomed.documentId });
    refused(await app.as(person).post(`/api/registrations/${reg}/cancel`).send({}), 404, 'event');
    refused(await app.as(person).post(`/api/registrations/${reg}/checkout`).send({ paymentVerified: true }), 404, 'event');
  });
});

describe('pagination is a whole number in range, on every list route: a 400 naming the parameter and the rule', () => {
  /** The 400's message and the parameter's path, as a client reads them. */
  const pagingRefused = (res: Response, path: string[], rule: string) =>
    expect({ status: res.status, message: String(res.body?.error?.message), paths: (res.body?.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path) }).toEqual({
      status: 400,
      message: expect.stringContaining(rule),
      paths: [path],
    });

  it.each([
    ['page 0', 'pagination[page]=0', ['pagination', 'page'], 'whole number from 1'],
    ['a negative page', 'pagination[page]=-2', ['pagination', 'page'], 'whole number from 1'],
    ['a page that is no number', 'pagination[page]=abc', ['pagination', 'page'], 'whole number from 1'],
    ['a negative page size', 'pagination[pageSize]=-5', ['pagination', 'pageSize'], 'whole number from 1 (at most 100'],
    ['a page size that is no number', 'pagination[pageSize]=abc', ['pagination', 'pageSize'], 'whole number from 1 (at most 100'],
    ['a fractional page', 'pagination[page]=1.5', ['pagination', 'page'], 'whole number from 1'],
    ['a negative start', 'pagination[start]=-1', ['pagination', 'start'], 'whole number from 0'],
    ['a negative limit', 'pagination[limit]=-2', ['pagination', 'limit'], 'whole number from 1 (at most 100'],
    ['limit -1 (Strapi answered one entry)', 'pagination[limit]=-1', ['pagination', 'limit'], 'whole number from 1 (at most 100'],
    ['a top-level page that is no number', 'page=abc', ['page'], 'whole number from 1'],
    ['a page given twice', 'pagination[page]=1&pagination[page]=2', ['pagination', 'page'], 'given once'],
    ['pagination that names no parameter', 'pagination=abc', ['pagination'], 'pagination[page]'],
    ['an unknown pagination parameter', 'pagination[size]=10', ['pagination', 'size'], 'not a pagination parameter'],
    ['page and offset mixed', 'pagination[page]=1&pagination[start]=0', ['pagination', 'start'], 'cannot be combined'],
  ])("Strapi's list routes: %s", async (_label, query, path, rule) => {
    for (const route of ['/api/buildings', '/api/events', '/api/networking-groups', '/api/library-systems']) {
      pagingRefused(await app.http().get(`${route}?${query}`), path, rule);
    }
  });

  it.each([
    ['Find Colleagues', '/api/people?q=&pagination[page]=0', ['pagination', 'page']],
    ['Find Colleagues, top-level', '/api/people?q=&page=abc', ['page']],
    ['directory search', '/api/directory/search?q=library&page=abc', ['page']],
    ['directory search, the pagination object', '/api/directory/search?q=library&pagination[pageSize]=-1', ['pagination', 'pageSize']],
  ])('our routes that page follow the same rule: %s', async (_label, url, path) => {
    pagingRefused(await app.as(member).get(url), path, 'whole number from 1');
  });

  it('well-formed pagination still pages', async () => {
    await app.createBuilding();
    const page = await app.http().get('/api/buildings?pagination[page]=2&pagination[pageSize]=1').expect(200);
    expect(page.body.meta.pagination).toMatchObject({ page: 2, pageSize: 1 });
    expect(page.body.data).toHaveLength(1);
    const offset = await app.http().get('/api/buildings?pagination[start]=1&pagination[limit]=1&pagination[withCount]=false').expect(200);
    expect(offset.body.meta.pagination).toMatchObject({ start: 1, limit: 1 });
    // a parameter without a value (`?page`, `?pagination`) is one not given, as Strapi read it
    await app.http().get('/api/buildings?page').expect(200);
    await app.http().get('/api/buildings?pagination&pageSize').expect(200);
    const most = await app.http().get('/api/buildings?pagination[pageSize]=100').expect(200);
    expect(most.body.meta.pagination.pageSize).toBe(100);
    // Strapi's routes answer at most 100 a request and say so, as Strapi documents
    const over = await app.http().get('/api/buildings?pagination[pageSize]=1000').expect(200);
    expect(over.body.meta.pagination.pageSize).toBe(100);
    // our own routes refuse a larger page than they answer
    expect((await app.as(member).get('/api/people?q=&pagination[pageSize]=1000')).status).toBe(400);
    const people = await app.as(member).get('/api/people?q=&pagination[page]=1&pagination[pageSize]=1').expect(200);
    expect(people.body.meta.pagination).toMatchObject({ page: 1, pageSize: 1 });
    expect((await app.as(member).get('/api/directory/search?q=test&page=1&pageSize=1').expect(200)).body.meta.pagination).toMatchObject({ page: 1, pageSize: 1 });
  });
});

describe("the admin plugins' routes name the offending input in details.errors[].path, as every other 400 does", () => {
  /** The 400's message and the paths of its details.errors, as a client reads them (these routes gave details.field only). */
  const namedRefusal = (res: Response) => ({ status: res.status, message: String(res.body?.error?.message), paths: (res.body?.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path) });
  let staffToken: string;
  beforeAll(async () => {
    staffToken = (await app.createAdmin('plugins@ihls.example', 'll-system-staff')).token;
  });

  it.each([
    ['site visits due, years 0', 'get', '/membership/site-visits/not-visited?years=0', 'years'],
    ['site visits due, years no number', 'get', '/membership/site-visits/not-visited?years=zero', 'years'],
    ['mentor suggestions, limit over 50', 'get', '/membership/mentorship/suggestions/any?limit=500', 'limit'],
    ['roster seats, an event documentId that is none', 'get', '/rosters/seats?events=abc,%27%20OR%201=1', 'events'],
    ['roster seats, more than 100 events', 'get', `/rosters/seats?events=${Array.from({ length: 101 }, (_, i) => `id${i}`).join(',')}`, 'events'],
    ['roster seats, events given twice', 'get', '/rosters/seats?events=abc&events=def', 'events'],
    ['rejecting a submitted event without a reason', 'post', '/approvals/submissions/any/reject', 'reason'],
  ])('%s', async (_label, method, url, field) => {
    const res = method === 'post' ? await app.as(staffToken).post(url).send({}) : await app.as(staffToken).get(url);
    expect(namedRefusal(res)).toEqual({ status: 400, message: expect.stringContaining(field), paths: [[field]] });
  });
});

describe('409, 422 and 403 answers about one field name it in details.errors[].path too, as a 400 does', () => {
  /** The status and the paths of details.errors, with the message so a failure shows it. */
  const about = (res: Response) => ({ status: res.status, message: String(res.body?.error?.message), paths: (res.body?.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path) });
  const named = (res: Response, status: number, paths: string[][]) => expect(about(res)).toEqual({ status, message: expect.any(String), paths });
  const submission = (title: string, over: Record<string, unknown> = {}) => ({ networkingGroup: 'bad-input-forum', title, start: '2027-05-12T13:00:00-05:00', openToAllMembers: true, ...over });

  it('409: an affiliation with a building the caller already has (building), a staff member who already has an account (email)', async () => {
    named(await app.as(director).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Director' } }), 409, [['building']]);
    const person = { firstName: 'Gus', lastName: 'Guest', email: guest.email, jobTitle: 'Page' };
    named(await app.as(director).post(`/api/buildings/${building.documentId}/staff`).send(person), 409, [['email']]);
  });

  it('409: a second open mentorship application of the same role (role)', async () => {
    const application = { role: 'mentor', yearsExperience: 10, membership: 'ila-personal', employedInLibrary: true, goals: 'Give back', interests: ['reference'] };
    await app.as(director).post('/api/mentorship-applications').send({ data: application }).expect(201);
    named(await app.as(director).post('/api/mentorship-applications').send({ data: application }), 409, [['role']]);
  });

  it('422: an event submission not open to all members (openToAllMembers)', async () => {
    named(await app.as(member).post('/api/event-submissions').send(submission('Closed Swap', { openToAllMembers: false })), 422, [['openToAllMembers']]);
  });

  it("403: a submission for another system's group (networkingGroup), a guest group admin's members-only event (audience), a building's locked fields (each)", async () => {
    named(await app.as(director).post('/api/event-submissions').send(submission('Outside Swap')), 403, [['networkingGroup']]);
    const forum = await app.strapi.documents('api::networking-group.networking-group').create({ data: { name: 'Guest Forum', scope: 'regional', primaryAdmin: guest.documentId } as never });
    const meeting = { title: 'Guest members meetup', start: '2027-03-17T10:00:00-05:00', end: '2027-03-17T12:00:00-05:00', audience: 'members' };
    named(await app.as(guest).post(`/api/networking-groups/${forum.documentId}/events`).send(meeting), 403, [['audience']]);
    named(await app.as(director).put(`/api/buildings/${building.documentId}`).send({ data: { oclcSymbol: 'XYZ', deliveryRoute: 'R1' } }), 403, [['oclcSymbol'], ['deliveryRoute']]);
    expect(await db('api::event.event').count({ where: { title: { $in: ['Outside Swap', 'Closed Swap', 'Guest members meetup'] } } })).toBe(0);
  });
});

describe("GraphQL pagination follows the REST rule: a user-input error naming the argument, not a silently clamped answer", () => {
  const gql = async (query: string) => (await app.http().post('/graphql').send({ query })).body;
  /** The first error's code, path and message, as a client reads them. */
  const firstError = (body: any) => {
    const error = body.errors?.[0];
    return { code: error?.extensions?.code, paths: (error?.extensions?.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path), message: String(error?.message) };
  };

  it.each([
    ['page 0 (answered the first page)', '{ buildings(pagination: { page: 0 }) { name } }', ['pagination', 'page'], 'whole number from 1'],
    ['a negative page size (answered one entry)', '{ buildings(pagination: { pageSize: -5 }) { name } }', ['pagination', 'pageSize'], 'whole number from 1 (at most 100'],
    ['limit -1 (answered the most)', '{ buildings(pagination: { limit: -1 }) { name } }', ['pagination', 'limit'], 'whole number from 1 (at most 100'],
    ['a negative start', '{ buildings(pagination: { start: -1 }) { name } }', ['pagination', 'start'], 'whole number from 0'],
    ['page and offset mixed', '{ buildings(pagination: { page: 1, start: 0 }) { name } }', ['pagination', 'start'], 'cannot be combined'],
    ['a connection query', '{ buildings_connection(pagination: { page: -3 }) { nodes { name } } }', ['pagination', 'page'], 'whole number from 1'],
    ["a relation's own pagination", '{ libraries { buildings(pagination: { pageSize: 0 }) { name } } }', ['pagination', 'pageSize'], 'whole number from 1 (at most 100'],
  ])('%s', async (_label, query, path, rule) => {
    const body = await gql(query);
    expect(firstError(body)).toEqual({ code: 'BAD_USER_INPUT', paths: [path], message: expect.stringContaining(rule) });
    expect(body.data?.buildings ?? body.data?.buildings_connection ?? null).toBeNull();
  });

  it('well-formed pagination still pages; a larger page size than 100 answers 100 a page, as REST does', async () => {
    await app.createBuilding();
    expect((await gql('{ buildings(pagination: { page: 2, pageSize: 1 }) { name } }')).data.buildings).toHaveLength(1);
    expect((await gql('{ buildings(pagination: { start: 1, limit: 1, page: null }) { name } }')).data.buildings).toHaveLength(1);
    const over = await gql('{ buildings_connection(pagination: { pageSize: 1000 }) { pageInfo { pageSize } } }');
    expect(over.errors).toBeUndefined();
    expect(over.data.buildings_connection.pageInfo.pageSize).toBe(100);
  });
});

describe('requests found by fuzzing every content-API route: a 400 naming the input, never a 500', () => {
  it.each([
    ['a list of filters holding text (reached SQL as a column name)', '/api/buildings?filters[0]=x', 'filters[0]'],
    ['the same on a single document', `/api/libraries/any?filters[0]=x`, 'filters[0]'],
    ['filters given as text on the events list', '/api/events?filters=abc', 'filters'],
    ['a date filter given text', '/api/events?filters[start][$gt]=abc', 'filters[start][$gt]'],
    ['a date filter given a day that does not exist', '/api/buildings?filters[createdAt][$gt]=2026-02-30', 'filters[createdAt][$gt]'],
    // documentId is no attribute of the model: its filters went unchecked to the query builder
    ['a documentId filter given an operator inside an operator', '/api/events?filters[documentId][$eq][$eq]=1', 'filters[documentId][$eq]'],
    ['a documentId filter given a list of objects', '/api/buildings?filters[documentId][$in][0][$eq]=1', 'filters[documentId][$in]'],
    // PostgreSQL reads it as JSON to compare: "invalid input syntax for type json", a 500
    ['a JSON field compared with text that is no JSON', '/api/events?filters[exdates][$eq]=x', 'filters[exdates][$eq]'],
    ['a JSON field listed with text that is no JSON', '/api/events?filters[exdates][$in][0]=x', 'filters[exdates][$in][0]'],
    // PostgreSQL has no LIKE on jsonb (the case-insensitive operators cast it to text first)
    ['a JSON field given a case-sensitive text operator', '/api/events?filters[exdates][$startsWith]=x', 'filters[exdates][$startsWith]'],
  ])("Strapi's routes: %s", async (_label, url, field) => {
    refused(await app.http().get(url), 400, field);
  });

  it.each([
    ['a padded date', '/api/buildings?filters[createdAt][$gt]=%202026-01-01T00:00:00Z', 'filters[createdAt][$gt]'],
    ['a date with a space after it', '/api/buildings?filters[createdAt][$gt]=2026-01-01%20', 'filters[createdAt][$gt]'],
    ['a timestamp beyond any date', '/api/buildings?filters[createdAt][$gt]=99999999999999999999', 'filters[createdAt][$gt]'],
  ])('GET /api/users/me and Strapi\'s routes: %s', async (_label, url, field) => {
    refused(await app.http().get(url), 400, field);
    refused(await app.as(member).get(`/api/users/me?${url.split('?')[1]}`), 400, field);
  });

  it.each([
    ['a list of filters holding text', 'filters[0]=x', 'filters[0]'],
    ['a date filter given text', 'filters[createdAt][$gt]=abc', 'filters[createdAt][$gt]'],
    ['$or given one value, nested', 'filters[$or][0][$or][0][$or]=x', 'filters[$or][0][$or][0][$or]'],
    ['a documentId filter given an operator inside an operator', 'filters[documentId][$ne][$eq]=1', 'filters[documentId][$ne]'],
  ])('GET /api/users/me (read outside the document service): %s', async (_label, query, field) => {
    refused(await app.as(member).get(`/api/users/me?${query}`), 400, field);
  });

  it('documentId filters, a long text to look for and JSON compared with JSON still answer', async () => {
    const res = await app.http().get(`/api/buildings?filters[documentId][$eq]=${building.documentId}&filters[documentId][$in][0]=${building.documentId}`).expect(200);
    expect(res.body.data.map((b: any) => b.documentId)).toEqual([building.documentId]);
    const gql = await app.http().post('/graphql').send({ query: `{ buildings(filters: { name: { containsi: "${'x'.repeat(10_000)}" } }) { name } }` });
    expect(gql.body).toEqual({ data: { buildings: [] } });
    await app.http().get('/api/events?filters[exdates][$eq]=[]&filters[exdates][$containsi]=x&filters[exdates][$startsWithi]=x').expect(200);
  });

  it('well-formed date filters and the account still answer', async () => {
    await app.http().get('/api/buildings?filters[createdAt][$gt]=2020-01-01T00:00:00.000Z&filters[updatedAt][$lt]=2200-01-01').expect(200);
    await app.http().get(`/api/buildings?filters[createdAt][$gt]=${Date.now() - DAY}`).expect(200);
    expect((await app.as(member).get('/api/users/me?filters[createdAt][$gt]=2020-01-01').expect(200)).body.email).toBe(member.email);
  });

  it.each([
    ['sign-in', '/api/auth/local', null],
    ['forgot password', '/api/auth/forgot-password', null],
    ['reset password', '/api/auth/reset-password', null],
    ['resend the confirmation email', '/api/auth/send-email-confirmation', null],
    ['change password', '/api/auth/change-password', 'member'],
  ])("Strapi's %s without a body", async (_label, url, who) => {
    refused(await app.as(who ? member : null).post(url), 400, 'body');
  });

  it('a JSON body nested thousands of levels deep (overflowed the stack of the checks that walk it): nothing stored', async () => {
    const deep = `{"data":{"building":"${building.documentId}","jobTitle":"Clerk","roles":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    refused(await app.as(guest).post('/api/affiliations').set('Content-Type', 'application/json').send(deep), 400, 'body');
    refused(await app.http().post('/api/auth/local').set('Content-Type', 'application/json').send(`{"identifier":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`), 400, 'body');
    expect(await db('api::affiliation.affiliation').count({ where: { user: { id: guest.id } } })).toBe(0);
  });
});

/** API.md: every failure is `{ data: null, error: { status, name, message, details } }`, the message naming what is wrong. */
const failure = (res: Response) => ({ status: res.status, type: res.headers['content-type'], body: res.body });
const strapiFailure = (status: number, name: string, message: string | RegExp, details: Record<string, unknown>) => ({
  status,
  type: expect.stringMatching(/^application\/json/),
  body: { data: null, error: { status, name, message: typeof message === 'string' ? message : expect.stringMatching(message), details } },
});

describe("a body that cannot be read is answered in Strapi's error shape, naming body (koa-body's bare SyntaxError had no details)", () => {
  it.each([
    ['PUT', '/api/profile', 'member'],
    ['POST', '/api/affiliations', 'guest'],
    ['POST', '/api/auth/local', null],
    ['POST', '/api/auth/local/register', null],
    ['POST', '/api/mentorship-applications', 'member'],
  ] as const)('JSON that does not parse: %s %s is a 400 naming body, nothing changed', async (method, url, who) => {
    const caller = who === 'member' ? member : who === 'guest' ? guest : null;
    const before = await db('plugin::users-permissions.user').findOne({ where: { id: member.id } });
    const call = method === 'PUT' ? app.as(caller).put(url) : app.as(caller).post(url);
    const res = await call.set('Content-Type', 'application/json').send('{"firstName":"Changed",');
    expect(failure(res)).toEqual(strapiFailure(400, 'ValidationError', /^body: is not valid JSON \(.+\)$/, { errors: [expect.objectContaining({ path: ['body'] })] }));
    expect((await db('plugin::users-permissions.user').findOne({ where: { id: member.id } })).firstName).toBe(before.firstName);
  });

  it('JSON that is no object or list (strict JSON) is a 400 naming body', async () => {
    const res = await app.as(member).put('/api/profile').set('Content-Type', 'application/json').send('"Changed"');
    expect(failure(res)).toEqual(strapiFailure(400, 'ValidationError', /^body: is not valid JSON/, { errors: [expect.objectContaining({ path: ['body'] })] }));
  });

  it('a JSON body over its 1 MB limit is a 413 saying so and naming body; a form body over 56 KB too', async () => {
    const json = await app.as(member).put('/api/profile').set('Content-Type', 'application/json').send(JSON.stringify({ bio: 'x'.repeat(1_100_000) }));
    expect(failure(json)).toEqual(strapiFailure(413, 'PayloadTooLargeError', 'body: is larger than the 1 MB a JSON body may have', { errors: [expect.objectContaining({ path: ['body'] })] }));
    const form = await app.as(member).put('/api/profile').set('Content-Type', 'application/x-www-form-urlencoded').send(`bio=${'x'.repeat(60_000)}`);
    expect(failure(form)).toEqual(strapiFailure(413, 'PayloadTooLargeError', 'body: is larger than the 56 KB a form body may have', { errors: [expect.objectContaining({ path: ['body'] })] }));
    expect((await db('plugin::users-permissions.user').findOne({ where: { id: member.id } })).bio).toBeNull();
  });

  it('a multipart body cut short is a 400 naming body, one with too many fields a 413 naming body (both were 500s)', async () => {
    const multipart = (body: string) => app.as(guest).post('/api/affiliations').set('Content-Type', 'multipart/form-data; boundary=XYZ').send(body);
    const cut = await multipart('--XYZ\r\nContent-Disposition: form-data; name="data"\r\n\r\n{}');
    expect(failure(cut)).toEqual(strapiFailure(400, 'ValidationError', /^body: cannot be read \(.+\)$/, { errors: [expect.objectContaining({ path: ['body'] })] }));
    const fields = Array.from({ length: 1100 }, (_, i) => `--XYZ\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`).join('');
    const many = await multipart(`${fields}--XYZ--\r\n`);
    expect(failure(many)).toEqual(strapiFailure(413, 'PayloadTooLargeError', /^body: is too large \(.*maxFields.*\)$/, { errors: [expect.objectContaining({ path: ['body'] })] }));
    expect(await db('api::affiliation.affiliation').count({ where: { user: { id: guest.id } } })).toBe(0);
  });

  it.each([
    ["Strapi's upload route", 'files', '/api/upload'],
    ['a route that takes no file', 'body', '/api/affiliations'],
  ])("a file over UPLOAD_MAX_BYTES sent to %s is a 413 naming %s and the limit (it was Strapi's bare \"FileTooBig\"), nothing stored", async (_what, field, url) => {
    const files = () => db('plugin::upload.file').count({});
    const before = await files();
    const res = await app.as(member).post(url).attach('files', Buffer.alloc(UPLOAD_MAX_BYTES + 1, 1), 'big.bin');
    const rule = 'must be a file of at most 0.0625 MB';
    expect(failure(res)).toEqual(
      strapiFailure(413, 'PayloadTooLargeError', `${field}: ${rule}; this request has more file data`, {
        field,
        maxBytes: UPLOAD_MAX_BYTES,
        errors: [{ path: [field], message: rule, name: 'PayloadTooLargeError' }],
      }),
    );
    expect(await files()).toBe(before);
  });

  it('a building edit not wrapped in { data } names data', async () => {
    const res = await app.as(director).put(`/api/buildings/${building.documentId}`).send({ phone: '217-555-0199' });
    expect(failure(res)).toEqual(strapiFailure(400, 'ValidationError', /^data: send the building fields to change as \{ "data"/, { errors: [expect.objectContaining({ path: ['data'] })] }));
    expect((await db('api::building.building').findOne({ where: { documentId: building.documentId } })).phone).not.toBe('217-555-0199');
  });
});

describe("a method a route does not answer is a 405 in Strapi's error shape (it was the bare text \"Method Not Allowed\")", () => {
  it.each([
    ['PUT', '/api/events', ['HEAD', 'GET', 'POST']],
    ['DELETE', '/api/occurrences', ['HEAD', 'GET']],
    ['POST', '/api/calendar.ics', ['HEAD', 'GET']],
  ] as const)('%s %s', async (method, url, allowed) => {
    const res = await (method === 'PUT' ? app.http().put(url) : method === 'DELETE' ? app.http().delete(url) : app.http().post(url));
    expect(failure(res)).toEqual(strapiFailure(405, 'MethodNotAllowedError', `${method} is not allowed on ${url}: it answers ${allowed.join(', ')}`, { allowed: [...allowed] }));
    expect(res.headers.allow).toBe(allowed.join(', '));
  });
});
