import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

/**
 * GraphQL offers nothing the REST routes would refuse: Strapi's generated
 * resolvers call the document service directly and are authorised by the same
 * CRUD-named permissions as the REST routes (`api::building.building.update`,
 * `api::site-visit.site-visit.find`, ...), so a grant meant for a REST route must
 * not open a resolver that skips the route's rules (own building only, locked
 * fields, status set by the server, owners read only their own rows).
 * The app runs here with GRAPHQL_INTROSPECTION=false, as production does by default.
 */
let app: TestApp;
let buildingA: { documentId: string };
let buildingB: { documentId: string };
let people: Record<Persona, TestUser | null>;
let visitB: string;
let publicEvent: { documentId: string };

type Persona = 'anonymous' | 'guest' | 'member' | 'directorA' | 'directorB';
const PERSONAS: Persona[] = ['anonymous', 'guest', 'member', 'directorA', 'directorB'];

const VISIT = 'api::site-visit.site-visit';
const APPLICATION = 'api::mentorship-application.mentorship-application';

beforeAll(async () => {
  app = await startApp({ GRAPHQL_INTROSPECTION: 'false' });
  buildingA = await app.createBuilding({ name: 'Atwood Public Library', phone: '217-555-0101' });
  buildingB = await app.createBuilding({ name: 'Bement Public Library', phone: '217-555-0202', deliveryRoute: 'IHLS-09', oclcSymbol: 'BMT' });
  people = {
    anonymous: null,
    guest: await app.createUser('guest'),
    member: await app.createUser('member', { building: buildingA }),
    directorA: await app.createUser('director', { building: buildingA }),
    directorB: await app.createUser('director', { building: buildingB }),
  };
  // Bement's own visit request, and a mentee's application: private to their owners
  visitB = (await app.as(people.directorB).post('/api/site-visits')
    .send({ data: { building: buildingB.documentId, kind: 'visit', topic: 'Bement budget worries', preferredDates: ['2027-02-03'] } })
    .expect(201)).body.data.documentId;
  await app.as(people.directorB).post('/api/mentorship-applications')
    .send({ data: { role: 'mentee', yearsExperience: 2, membership: 'ila-personal', employedInLibrary: true, goals: 'Bement succession plan', interests: ['budgets'] } })
    .expect(201);
  publicEvent = await app.strapi.documents('api::event.event').create({
    data: { title: 'Open webinar on weeding', audience: 'public', start: '2027-03-01T18:00:00.000Z', registrationMode: 'platform' } as never,
    status: 'published',
  });
  await app.as(people.member).post(`/api/events/${publicEvent.documentId}/registrations`).send({ specialNeeds: 'Bement wheelchair note' }).expect(201);
  await app.strapi.documents('api::tag.tag').create({ data: { name: 'Collections', slug: 'collections' } as never });
  await app.strapi.documents('api::networking-group.networking-group').create({ data: { name: 'Small Pubs', slug: 'small-pubs' } as never });
  await app.strapi.documents('api::provider.provider').create({ data: { name: 'IHLS', slug: 'ihls' } as never });
});

afterAll(async () => {
  await app?.stop();
});

const gql = (who: TestUser | null, query: string, variables: Record<string, unknown> = {}) =>
  app.as(who).post('/graphql').send({ query, variables });

/** Refused: GraphQL errors (HTTP 200 with errors[], or 400/403), and no data for the operation. */
const expectRefused = (res: { status: number; body: any }, field: string, secrets: string[] = []) => {
  expect([200, 400, 401, 403]).toContain(res.status);
  expect(res.body.errors?.length ?? 0).toBeGreaterThan(0);
  expect(res.body.data?.[field] ?? null).toBeNull();
  const text = JSON.stringify(res.body);
  for (const secret of secrets) expect(text).not.toContain(secret);
};

const buildingRow = () =>
  app.strapi.db.query('api::building.building').findOne({ where: { documentId: buildingB.documentId }, select: ['phone', 'deliveryRoute', 'oclcSymbol', 'name'] });

describe('GraphQL writes', () => {
  it.each(PERSONAS)('%s cannot edit a building through GraphQL, locked fields included (even its own director: the REST form is the way)', async (persona) => {
    const before = await buildingRow();
    const res = await gql(people[persona],
      'mutation($id: ID!) { updateBuilding(documentId: $id, data: { deliveryRoute: "X", oclcSymbol: "EVIL", phone: "000" }) { documentId deliveryRoute oclcSymbol } }',
      { id: buildingB.documentId });
    expectRefused(res, 'updateBuilding', ['EVIL']);
    const del = await gql(people[persona], 'mutation($id: ID!) { deleteBuilding(documentId: $id) { documentId } }', { id: buildingB.documentId });
    expectRefused(del, 'deleteBuilding');
    expect(await buildingRow()).toEqual(before);
  });

  it.each(PERSONAS)('%s cannot create a site visit (any building, any status) or change one through GraphQL', async (persona) => {
    const count = await app.strapi.db.query(VISIT).count();
    const res = await gql(people[persona],
      'mutation($b: ID!) { createSiteVisit(data: { building: $b, kind: visit, topic: "Injected visit", status: completed }) { documentId status } }',
      { b: buildingB.documentId });
    expectRefused(res, 'createSiteVisit');
    const upd = await gql(people[persona], 'mutation($id: ID!) { updateSiteVisit(documentId: $id, data: { status: cancelled }) { status } }', { id: visitB });
    expectRefused(upd, 'updateSiteVisit');
    expect(await app.strapi.db.query(VISIT).count()).toBe(count);
    expect(await app.strapi.db.query(VISIT).findOne({ where: { documentId: visitB } })).toMatchObject({ status: 'requested', topic: 'Bement budget worries' });
  });

  it.each(PERSONAS)('%s cannot create a mentorship application through GraphQL, skipping eligibility and choosing its status', async (persona) => {
    const count = await app.strapi.db.query(APPLICATION).count();
    const res = await gql(people[persona],
      'mutation { createMentorshipApplication(data: { role: mentee, yearsExperience: 40, membership: none, employedInLibrary: false, status: accepted }) { documentId status } }');
    expectRefused(res, 'createMentorshipApplication');
    expect(await app.strapi.db.query(APPLICATION).count()).toBe(count);
    expect(await app.strapi.db.query(APPLICATION).count({ where: { status: 'accepted' } })).toBe(0);
  });

  it.each(PERSONAS)('%s cannot create events or registrations through GraphQL', async (persona) => {
    const events = await app.strapi.db.query('api::event.event').count();
    const registrations = await app.strapi.db.query('api::registration.registration').count();
    expectRefused(await gql(people[persona], 'mutation { createEvent(data: { title: "Injected event", audience: public }) { documentId } }'), 'createEvent');
    expectRefused(await gql(people[persona], 'mutation($e: ID!) { createRegistration(data: { event: $e, status: confirmed }) { documentId } }', { e: publicEvent.documentId }), 'createRegistration');
    expect(await app.strapi.db.query('api::event.event').count()).toBe(events);
    expect(await app.strapi.db.query('api::registration.registration').count()).toBe(registrations);
  });

  it('offers no generated mutation for any of our content types: every write goes through its REST route', async () => {
    const { naming } = app.strapi.plugin('graphql').service('utils');
    for (const [uid, model] of Object.entries(app.strapi.contentTypes)) {
      if (!uid.startsWith('api::')) continue;
      for (const name of [naming.getCreateMutationTypeName(model), naming.getUpdateMutationTypeName(model), naming.getDeleteMutationTypeName(model)]) {
        const res = await gql(people.directorB, `mutation { ${name} }`);
        expect(res.body.errors?.[0]?.message).toMatch(new RegExp(`^Cannot query field "${name}" on type "Mutation"\\.`));
      }
    }
  });
});

describe('GraphQL reads of owner-only records', () => {
  const reads: [field: string, query: string][] = [
    ['siteVisits', '{ siteVisits { documentId topic status } }'],
    ['siteVisits_connection', '{ siteVisits_connection { nodes { topic } } }'],
    ['siteVisit', `query($id: ID!) { siteVisit(documentId: $id) { topic } }`],
    ['mentorshipApplications', '{ mentorshipApplications { goals status } }'],
    ['mentorshipPairings', '{ mentorshipPairings { status } }'],
    ['registrations', '{ registrations { status occurrence } }'],
    ['affiliations', '{ affiliations { jobTitle status } }'],
    ['buildingChanges', '{ buildingChanges { changedByName changes } }'],
  ];

  it.each(PERSONAS)('%s reads none of them (site visits, mentorship, registrations, affiliations, edit history)', async (persona) => {
    for (const [field, query] of reads) {
      expectRefused(await gql(people[persona], query, { id: visitB }), field, ['Bement budget worries', 'Bement succession plan', 'Bement wheelchair note']);
    }
  });

  it('the REST routes still give each owner their own', async () => {
    const mine = await app.as(people.directorB).get('/api/site-visits').expect(200);
    expect(mine.body.data).toEqual([expect.objectContaining({ documentId: visitB, topic: 'Bement budget worries' })]);
    expect((await app.as(people.directorA).get('/api/site-visits').expect(200)).body.data).toEqual([]);
  });
});

describe('GraphQL reads of people through public records', () => {
  it.each(PERSONAS)('%s reads a networking group contact\'s public text, never the account behind it (email, phone, username)', async (persona) => {
    const contact = people.member!;
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: contact.id }, data: { phone: '217-555-7788' } });
    const group = await app.strapi.documents('api::networking-group.networking-group').create({
      data: { name: 'Youth Services Forum', slug: 'youth-services-forum', contacts: [{ name: 'Pat Contact', library: 'Atwood', phone: '217-555-0303', user: contact.documentId }] } as never,
    });
    try {
      const leaks = [
        '{ networkingGroups { contacts { name user { email username phone } } } }',
        `{ networkingGroups(filters: { contacts: { user: { email: { startsWith: "${contact.email.slice(0, 4)}" } } } }) { name } }`,
      ];
      for (const query of leaks) {
        const res = await gql(people[persona], query);
        expect(res.body.errors?.[0]?.message).toMatch(/"user"/);
        expect(res.body.data ?? null).toBeNull();
        const text = JSON.stringify(res.body);
        expect(text).not.toContain(contact.email);
        expect(text).not.toContain('217-555-7788');
      }
      // what REST shows of a contact, GraphQL still shows
      const res = await gql(people[persona], '{ networkingGroups(filters: { slug: { eq: "youth-services-forum" } }) { contacts { name library phone } } }').expect(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.networkingGroups).toEqual([{ contacts: [{ name: 'Pat Contact', library: 'Atwood', phone: '217-555-0303' }] }]);
    } finally {
      await app.strapi.documents('api::networking-group.networking-group').delete({ documentId: group.documentId });
    }
  });
});

describe('GraphQL reads of the public calendar and directory', () => {
  it.each(PERSONAS)('%s reads buildings, libraries, systems, events, tags, groups and providers', async (persona) => {
    const res = await gql(people[persona], `query($b: ID!, $e: ID!) {
      buildings(filters: { documentId: { eq: $b } }) { name phone deliveryRoute library { name } }
      building(documentId: $b) { name oclcSymbol }
      libraries(pagination: { limit: 100 }) { name }
      librarySystems { name }
      events { title }
      event(documentId: $e) { title }
      tags { name }
      networkingGroups { name }
      providers { name }
    }`, { b: buildingB.documentId, e: publicEvent.documentId });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.buildings).toEqual([{ name: 'Bement Public Library', phone: '217-555-0202', deliveryRoute: 'IHLS-09', library: { name: expect.any(String) } }]);
    expect(res.body.data.building).toEqual({ name: 'Bement Public Library', oclcSymbol: 'BMT' });
    expect(res.body.data.libraries.length).toBeGreaterThanOrEqual(2);
    expect(res.body.data.events.map((e: { title: string }) => e.title)).toContain('Open webinar on weeding');
    expect(res.body.data.event).toEqual({ title: 'Open webinar on weeding' });
    expect(res.body.data.tags).toEqual([{ name: 'Collections' }]);
    expect(res.body.data.networkingGroups).toEqual([{ name: 'Small Pubs' }]);
    expect(res.body.data.providers).toEqual([{ name: 'IHLS' }]);
  });

  it('does not describe its schema when introspection is switched off (GRAPHQL_INTROSPECTION=false, the production default)', async () => {
    const res = await gql(null, '{ __schema { queryType { name } mutationType { fields { name } } } }');
    expect(res.body.errors?.[0]?.message).toMatch(/introspection/i);
    expect(res.body.data?.__schema ?? null).toBeNull();
  });
});
