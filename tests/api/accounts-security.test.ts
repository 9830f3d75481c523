import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

/**
 * Who may do what on every accounts route, and that nobody can raise their
 * own privileges or read private fields through REST, GraphQL or populate.
 */
let app: TestApp;
let buildingA: { id: number; documentId: string };
let buildingB: { id: number; documentId: string };
let buildingC: { id: number; documentId: string };
let people: Record<Persona, TestUser | null>;
let stranger: TestUser;
let strangerAffiliation: string;
/** A seat the stranger holds for a fee not yet paid: in nobody else's cart. */
let strangerHold: string;

type Persona = 'anonymous' | 'guest' | 'member' | 'directorB' | 'directorA';
// directorA last: the routes that change state succeed only for that persona
const PERSONAS: Persona[] = ['anonymous', 'guest', 'member', 'directorB', 'directorA'];

const roleOf = async (user: TestUser) =>
  (await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: user.id }, populate: ['role'] })).role.type;

beforeAll(async () => {
  app = await startApp();
  buildingA = await app.createBuilding({ name: 'Alpha Library' });
  buildingB = await app.createBuilding({ name: 'Beta Library' });
  buildingC = await app.createBuilding({ name: 'Gamma Library' });
  people = {
    anonymous: null,
    guest: await app.createUser('guest'),
    member: await app.createUser('member', { building: buildingA }),
    directorB: await app.createUser('director', { building: buildingB }),
    directorA: await app.createUser('director', { building: buildingA }),
  };
  stranger = await app.createUser('member', { building: buildingC });
  strangerAffiliation = (await app.as(stranger).get('/api/affiliations').expect(200)).body.data[0].documentId;
  const feeEvent = await app.strapi.documents('api::event.event').create({
    data: { title: 'Paid workshop', audience: 'public', start: new Date(Date.now() + 10 * 86_400_000).toISOString(), registrationMode: 'platform', fee: 10 } as never,
    status: 'published',
  });
  strangerHold = (await app.as(stranger).post(`/api/events/${feeEvent.documentId}/registrations`).send({}).expect(201)).body.data[0].documentId;
});

afterAll(async () => {
  await app?.stop();
});

type Call = (p: Persona, user: TestUser | null) => Promise<{ status: number }>;
const ROUTES: [name: string, call: Call, expected: Record<Persona, number>][] = [
  ['GET /api/affiliations', (_p, u) => app.as(u).get('/api/affiliations'), { anonymous: 403, guest: 200, member: 200, directorB: 200, directorA: 200 }],
  ['POST /api/affiliations', (_p, u) => app.as(u).post('/api/affiliations').send({ data: { building: buildingC.documentId, jobTitle: 'Volunteer', roles: ['staff'] } }), { anonymous: 403, guest: 201, member: 201, directorB: 201, directorA: 201 }],
  ["DELETE /api/affiliations/:someone else's", (_p, u) => app.as(u).delete(`/api/affiliations/${strangerAffiliation}`), { anonymous: 403, guest: 404, member: 404, directorB: 404, directorA: 404 }],
  ["PUT /api/affiliations/:someone else's", (_p, u) => app.as(u).put(`/api/affiliations/${strangerAffiliation}`).send({ data: { jobTitle: 'Mine now' } }), { anonymous: 403, guest: 404, member: 404, directorB: 404, directorA: 404 }],
  ['GET /api/profile', (_p, u) => app.as(u).get('/api/profile'), { anonymous: 403, guest: 200, member: 200, directorB: 200, directorA: 200 }],
  ['PUT /api/profile', (_p, u) => app.as(u).put('/api/profile').send({ bio: 'Hello' }), { anonymous: 403, guest: 200, member: 200, directorB: 200, directorA: 200 }],
  ['GET /api/users/me', (_p, u) => app.as(u).get('/api/users/me?populate=affiliations'), { anonymous: 403, guest: 200, member: 200, directorB: 200, directorA: 200 }],
  ['GET /api/people?q=', (_p, u) => app.as(u).get('/api/people?q=a'), { anonymous: 403, guest: 403, member: 200, directorB: 200, directorA: 200 }],
  ['PUT /api/people/:member', (_p, u) => app.as(u).put(`/api/people/${people.member!.documentId}`).send({ phone: '555-0101' }), { anonymous: 403, guest: 403, member: 403, directorB: 403, directorA: 200 }],
  ['GET /api/buildings/A/staff', (_p, u) => app.as(u).get(`/api/buildings/${buildingA.documentId}/staff`), { anonymous: 403, guest: 403, member: 200, directorB: 200, directorA: 200 }],
  ['POST /api/buildings/A/staff', (p, u) => app.as(u).post(`/api/buildings/${buildingA.documentId}/staff`).send({ firstName: 'N', lastName: p, email: `new-${p}@alpha.example`, jobTitle: 'Clerk' }), { anonymous: 403, guest: 403, member: 403, directorB: 403, directorA: 201 }],
  ['PUT /api/buildings/A/staff/:member', (p, u) => app.as(u).put(`/api/buildings/${buildingA.documentId}/staff/${people.member!.documentId}`).send({ jobTitle: `Clerk (${p})` }), { anonymous: 403, guest: 403, member: 403, directorB: 403, directorA: 200 }],
  ['DELETE /api/buildings/A/staff/:member', (_p, u) => app.as(u).delete(`/api/buildings/${buildingA.documentId}/staff/${stranger.documentId}`), { anonymous: 403, guest: 403, member: 403, directorB: 403, directorA: 404 }],
  ['GET /api/users', (_p, u) => app.as(u).get('/api/users'), { anonymous: 403, guest: 403, member: 403, directorB: 403, directorA: 403 }],
  ['GET /api/users/:id', (_p, u) => app.as(u).get(`/api/users/${people.member!.id}`), { anonymous: 403, guest: 403, member: 403, directorB: 403, directorA: 403 }],
  ['POST /api/users', (p, u) => app.as(u).post('/api/users').send({ username: `x-${p}`, email: `x-${p}@evil.example`, password: 'Passw0rd!!', role: 4, confirmed: true }), { anonymous: 403, guest: 403, member: 403, directorB: 403, directorA: 403 }],
  ['GET /api/me/cart', (_p, u) => app.as(u).get('/api/me/cart'), { anonymous: 403, guest: 200, member: 200, directorB: 200, directorA: 200 }],
  ['POST /api/me/cart/checkout (an empty cart)', (_p, u) => app.as(u).post('/api/me/cart/checkout').send({ paymentVerified: true }), { anonymous: 403, guest: 409, member: 409, directorB: 409, directorA: 409 }],
  ["POST /api/me/cart/checkout (someone else's hold)", (_p, u) => app.as(u).post('/api/me/cart/checkout').send({ paymentVerified: true, registrations: [strangerHold] }), { anonymous: 403, guest: 404, member: 404, directorB: 404, directorA: 404 }],
  ["POST /api/registrations/:someone else's hold/checkout", (_p, u) => app.as(u).post(`/api/registrations/${strangerHold}/checkout`).send({ paymentVerified: true }), { anonymous: 403, guest: 404, member: 404, directorB: 404, directorA: 404 }],
  ['GET /approvals/queue (content-API token)', (_p, u) => app.as(u).get('/approvals/queue'), { anonymous: 401, guest: 401, member: 401, directorB: 401, directorA: 401 }],
];

describe('role × route matrix', () => {
  it.each(ROUTES.map(([name, call, expected]) => [name, call, expected] as const))('%s', async (_name, call, expected) => {
    const got: Record<string, number> = {};
    for (const p of PERSONAS) got[p] = (await call(p, people[p])).status;
    expect(got).toEqual(expected);
  });
});

describe('no privilege escalation', () => {
  const directorRoleId = async () => (await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'director' } })).id;

  it('PUT /api/users/:id and /api/users/me cannot change role, confirmed or blocked', async () => {
    const guest = await app.createUser('guest');
    const role = await directorRoleId();
    for (const url of [`/api/users/${guest.id}`, '/api/users/me']) {
      const res = await app.as(guest).put(url).send({ role, confirmed: true, blocked: false });
      expect([403, 404, 405]).toContain(res.status);
    }
    expect(await roleOf(guest)).toBe('authenticated');
  });

  it('affiliations cannot be updated or approved by their owner through any REST route', async () => {
    const guest = await app.createUser('guest');
    const aff = (await app.as(guest).post('/api/affiliations').send({ data: { building: buildingA.documentId, jobTitle: 'Director', roles: ['director'] } }).expect(201)).body.data.documentId;
    const put = await app.as(guest).put(`/api/affiliations/${aff}`).send({ data: { status: 'approved', roles: ['director'] } }).expect(400);
    expect(put.body.error.message).toContain('status');
    await app.as(guest).put(`/api/affiliations/${aff}`).send({ data: { roles: ['director'] } }).expect(200);
    for (const res of [
      await app.as(guest).post(`/api/affiliations/${aff}/approve`).send({}),
      await app.as(guest).get(`/api/affiliations/${aff}`),
    ]) {
      expect([403, 404, 405]).toContain(res.status);
    }
    const row = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { documentId: aff } });
    expect(row).toMatchObject({ status: 'pending', roles: [] });
    expect(await roleOf(guest)).toBe('authenticated');
  });

  const gql = (user: TestUser | null, query: string, variables: Record<string, unknown> = {}) => {
    const req = app.http().post('/graphql').send({ query, variables });
    return user ? req.set('Authorization', `Bearer ${user.jwt}`) : req;
  };

  it('GraphQL mutations cannot create users, change roles or approve affiliations', async () => {
    const guest = await app.createUser('guest');
    const role = await directorRoleId();
    const aff = (await app.as(guest).post('/api/affiliations').send({ data: { building: buildingA.documentId, jobTitle: 'Director' } }).expect(201)).body.data.documentId;
    // the permission check refuses the users' ones; affiliations have no GraphQL mutations at all
    // (src/bootstrap/graphql.ts); register's input has no role field at all
    const attempts: [() => ReturnType<typeof gql>, RegExp][] = [
      [() => gql(guest, 'mutation($id: ID!, $role: ID) { updateUsersPermissionsUser(id: $id, data: { role: $role, confirmed: true }) { data { documentId } } }', { id: String(guest.id), role: String(role) }), /^Forbidden access$/],
      [() => gql(guest, 'mutation { createUsersPermissionsUser(data: { username: "evil", email: "evil@evil.example", password: "Passw0rd!!", confirmed: true }) { data { documentId } } }'), /^Forbidden access$/],
      [() => gql(guest, 'mutation($id: ID!) { updateAffiliation(documentId: $id, data: { status: approved, roles: ["director"] }) { documentId } }', { id: aff }), /^Cannot query field "updateAffiliation"/],
      [() => gql(guest, 'mutation { createAffiliation(data: { jobTitle: "x", status: approved, roles: ["director"] }) { documentId } }'), /^Cannot query field "createAffiliation"/],
      [() => gql(guest, 'mutation($id: ID!) { deleteAffiliation(documentId: $id) { documentId } }', { id: aff }), /^Cannot query field "deleteAffiliation"/],
      [() => gql(null, 'mutation { register(input: { username: "x", email: "x@evil.example", password: "Passw0rd!!", role: 4 }) { jwt } }'), /role/],
    ];
    for (const [attempt, refusal] of attempts) {
      const res = await attempt();
      expect(res.body.errors?.length ?? 0).toBeGreaterThan(0);
      expect(res.body.errors[0].message).toMatch(refusal);
    }
    expect(await roleOf(guest)).toBe('authenticated');
    expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { email: { $in: ['evil@evil.example', 'x@evil.example'] } } })).toBe(0);
    expect(await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { documentId: aff } })).toMatchObject({ status: 'pending' });
  });

  it('GraphQL does not read affiliations, users or private fields', async () => {
    const member = people.member!;
    // users: refused by the permission check; affiliations: not in the GraphQL schema at all
    const reads: [() => ReturnType<typeof gql>, RegExp][] = [
      [() => gql(member, '{ affiliations { jobTitle status } }'), /^Cannot query field "affiliations" on type "Query"/],
      [() => gql(member, '{ usersPermissionsUsers { email } }'), /^Forbidden access$/],
      [() => gql(null, '{ buildings { name affiliations { jobTitle user { email } } } }'), /^Cannot query field "affiliations" on type "Building"/],
      [() => gql(member, '{ buildings { name affiliations { jobTitle user { email } } } }'), /^Cannot query field "affiliations" on type "Building"/],
    ];
    for (const [read, refusal] of reads) {
      const res = await read();
      expect(res.body.errors?.[0]?.message).toMatch(refusal);
      expect(res.body.data ?? null).toBeNull();
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('Library Director');
      expect(text).not.toContain(people.directorA!.email);
    }
    const me = await gql(member, '{ me { id email username confirmed blocked } }').expect(200);
    expect(me.body.data.me.email).toBe(member.email);
    for (const field of ['password', 'resetPasswordToken', 'confirmationToken', 'calendarToken']) {
      const res = await gql(member, `{ me { ${field} } }`);
      expect(res.body.errors?.[0]?.message).toMatch(/Cannot query field/);
    }
  });
});

describe('private fields never leave through REST', () => {
  it('no tokens, hashes or other people\'s emails in the accounts routes (only a building\'s directors see emails, on its staff list)', async () => {
    const member = people.member!;
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: people.directorA!.id }, data: { calendarToken: 'secret-calendar-token', resetPasswordToken: 'secret-reset-token', confirmationToken: 'secret-confirm-token' } });
    const calls = [
      () => app.as(member).get('/api/users/me?populate=affiliations'),
      () => app.as(member).get('/api/profile'),
      () => app.as(member).get('/api/affiliations'),
      () => app.as(member).get('/api/people?q=director'),
      () => app.as(member).get(`/api/buildings/${buildingA.documentId}/staff`),
      () => app.as(member).get(`/api/buildings/${buildingA.documentId}?populate=*`),
      () => app.as(null).get(`/api/buildings?populate=*`),
      () => app.as(people.directorA).get('/api/users/me?populate=*'),
    ];
    const bodies = [];
    for (const call of calls) bodies.push(await call());
    for (const res of bodies) {
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/secret-|"password"|\$2[aby]\$/);
    }
    expect(JSON.stringify(bodies[3].body)).not.toContain('@');
    expect(JSON.stringify(bodies[4].body)).not.toContain('@');
    expect(JSON.stringify(bodies[6].body)).not.toContain('@library.example');
  });
});
