import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { keepsSecret, sentRow } from '../helpers/outbox';

let app: TestApp;
let buildingA: { id: number; documentId: string };
let buildingB: { id: number; documentId: string };
let directorA: TestUser;
let directorB: TestUser;
let memberA: TestUser;
let guest: TestUser;

beforeAll(async () => {
  app = await startApp();
  buildingA = await app.createBuilding({ name: 'Willow Public Library' });
  buildingB = await app.createBuilding({ name: 'Cedar Library' });
  directorA = await app.createUser('director', { building: buildingA, firstName: 'Dana', lastName: 'Director' });
  directorB = await app.createUser('director', { building: buildingB });
  memberA = await app.createUser('member', { building: buildingA, firstName: 'Morgan', lastName: 'Quill', jobTitle: 'Reference Librarian' });
  guest = await app.createUser('guest');
});

afterAll(async () => {
  await app?.stop();
});

const staffUrl = (b: { documentId: string }) => `/api/buildings/${b.documentId}/staff`;

describe('GET /api/buildings/:documentId/staff', () => {
  it('shows members the people with an approved affiliation: name, job title, roles and phone, never their email', async () => {
    const pending = await app.createUser('guest', { firstName: 'Penny', lastName: 'Pending' });
    await app.as(pending).post('/api/affiliations').send({ data: { building: buildingA.documentId, jobTitle: 'Page' } }).expect(201);
    for (const viewer of [directorB, memberA]) {
      const res = await app.as(viewer).get(staffUrl(buildingA)).expect(200);
      expect(res.body.data).toEqual([
        { documentId: directorA.documentId, firstName: 'Dana', lastName: 'Director', jobTitle: 'Library Director', roles: ['director'], phone: null },
        { documentId: memberA.documentId, firstName: 'Morgan', lastName: 'Quill', jobTitle: 'Reference Librarian', roles: ['staff'], phone: null },
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/@|password|Token/);
    }
  });

  it("shows the building's own directors each person's email: they manage these accounts", async () => {
    const res = await app.as(directorA).get(staffUrl(buildingA)).expect(200);
    expect(res.body.data.map((p: any) => [p.documentId, p.email])).toEqual([
      [directorA.documentId, directorA.email],
      [memberA.documentId, memberA.email],
    ]);
  });

  it('is closed to guests and anonymous visitors, and 404 for an unknown building', async () => {
    await app.as(guest).get(staffUrl(buildingA)).expect(403);
    await app.as(null).get(staffUrl(buildingA)).expect(403);
    await app.as(memberA).get('/api/buildings/nope/staff').expect(404);
  });
});

describe('POST /api/buildings/:documentId/staff', () => {
  it('creates a pending account and affiliation and emails a set-password link (no password) that activates the account', async () => {
    app.mail.clear();
    const res = await app.as(directorA).post(staffUrl(buildingA)).send({ firstName: 'Nia', lastName: 'New', email: 'Nia.New@willow.example', jobTitle: 'Circulation Clerk' }).expect(201);
    expect(res.body.data.person).toMatchObject({ firstName: 'Nia', lastName: 'New', email: 'nia.new@willow.example', confirmed: false });
    expect(res.body.data.affiliation).toMatchObject({ status: 'pending', jobTitle: 'Circulation Clerk', roles: ['staff'], building: { documentId: buildingA.documentId } });
    const user = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { email: 'nia.new@willow.example' }, populate: ['role'] });
    expect(user).toMatchObject({ confirmed: false, password: null });
    expect(user.role.type).toBe('authenticated');
    const aff = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { user: { id: user.id } }, populate: ['addedBy'] });
    expect(aff.addedBy.id).toBe(directorA.id);

    const [mail] = await app.mail.waitFor(() => app.mail.to('nia.new@willow.example').length > 0).then(() => app.mail.to('nia.new@willow.example'));
    expect(mail.subject).toBe('You were added to the staff of Willow Public Library on Library Learning');
    expect(mail.text).toContain('Dana Director');
    expect(mail.text).not.toMatch(/password:\s*\S/i);
    const link = new URL(/https?:\/\/\S+reset-password\?code=[0-9a-f]+/.exec(mail.text)![0]);
    expect(link.origin).toBe('http://localhost:1337');
    // the link is the person's alone: the outbox keeps no copy of it once sent
    expect(keepsSecret(await sentRow(app, 'nia.new@willow.example', mail.subject), link.searchParams.get('code')!)).toBe(false);

    // still a pending staff member: not on the staff list yet
    expect((await app.as(directorA).get(staffUrl(buildingA)).expect(200)).body.data.map((p: any) => p.email)).not.toContain('nia.new@willow.example');

    await app.http().post('/api/auth/reset-password').send({ code: link.searchParams.get('code'), password: 'N1a-passphrase!', passwordConfirmation: 'N1a-passphrase!' }).expect(200);
    const login = await app.http().post('/api/auth/local').send({ identifier: 'nia.new@willow.example', password: 'N1a-passphrase!' }).expect(200);
    expect(login.body.user.confirmed).toBe(true);
  });

  it("tells the building's other directors who added the person, not that the person asked to join", async () => {
    const building = await app.createBuilding({ name: 'Aspen Library' });
    const dana = await app.createUser('director', { building, firstName: 'Dana', lastName: 'Aspen' });
    const co = await app.createUser('director', { building, firstName: 'Cole', lastName: 'Aspen' });
    app.mail.clear();
    await app.as(dana).post(staffUrl(building)).send({ firstName: 'Ola', lastName: 'Other', email: 'ola.other@aspen.example', jobTitle: 'Page' }).expect(201);
    await app.mail.waitFor(() => app.mail.to(co.email).length > 0 && app.mail.to('ola.other@aspen.example').length > 0);
    const [mail] = app.mail.to(co.email);
    expect(mail.subject).toBe('Dana Aspen added Ola Other to the staff of Aspen Library on Library Learning');
    expect(mail.text).toContain('Dana Aspen added Ola Other (ola.other@aspen.example) to the staff list of Aspen Library as Page');
    expect(mail.text).not.toMatch(/asked/);
    // the director who added them is not told what they did
    expect(app.mail.to(dana.email)).toHaveLength(0);
  });

  it('answers 409 for an email that already has an account, telling the director what to do', async () => {
    const res = await app.as(directorA).post(staffUrl(buildingA)).send({ firstName: 'G', lastName: 'Guest', email: guest.email.toUpperCase(), jobTitle: 'Trustee' }).expect(409);
    expect(res.body.error.message).toMatch(/already exists/);
    expect(res.body.error.message).toMatch(/add .*Willow Public Library.* to their own profile/);
    expect(await app.strapi.db.query('api::affiliation.affiliation').count({ where: { user: { id: guest.id } } })).toBe(0);
  });

  it('is refused to directors of other buildings, members, guests and anonymous callers', async () => {
    const body = { firstName: 'X', lastName: 'Y', email: 'xy@willow.example', jobTitle: 'Clerk' };
    // the refusal says which rule refused it (Strapi's router answers a bare "Forbidden" for a plain ForbiddenError)
    const refused = await app.as(directorB).post(staffUrl(buildingA)).send(body).expect(403);
    expect(refused.body.error).toMatchObject({ status: 403, name: 'ForbiddenError' });
    expect(refused.body.error.message).toMatch(/^Only a director or directory-editor of .+ can change its staff list$/);
    await app.as(memberA).post(staffUrl(buildingA)).send(body).expect(403);
    await app.as(guest).post(staffUrl(buildingA)).send(body).expect(403);
    await app.as(null).post(staffUrl(buildingA)).send(body).expect(403);
    expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { email: 'xy@willow.example' } })).toBe(0);
  });

  it.each([
    ['email', { firstName: 'X', lastName: 'Y', email: 'not-an-email', jobTitle: 'Clerk' }],
    ['jobTitle', { firstName: 'X', lastName: 'Y', email: 'x1@willow.example' }],
    ['lastName', { firstName: 'X', email: 'x2@willow.example', jobTitle: 'Clerk' }],
    ['roles', { firstName: 'X', lastName: 'Y', email: 'x3@willow.example', jobTitle: 'Clerk', roles: ['king'] }],
    ['password', { firstName: 'X', lastName: 'Y', email: 'x4@willow.example', jobTitle: 'Clerk', password: 'Secr3t-secret' }],
    ['status', { firstName: 'X', lastName: 'Y', email: 'x5@willow.example', jobTitle: 'Clerk', status: 'approved' }],
  ])('refuses a bad %s with 400 naming it', async (field, body) => {
    const res = await app.as(directorA).post(staffUrl(buildingA)).send(body).expect(400);
    expect(res.body.error.message).toContain(field);
  });

  it('keeps director rights requested only: the added person is not a director until system staff grant it', async () => {
    const res = await app.as(directorA).post(staffUrl(buildingA)).send({ firstName: 'Ava', lastName: 'Assistant', email: 'ava@willow.example', jobTitle: 'Assistant Director', roles: ['directory-editor'] }).expect(201);
    expect(res.body.data.affiliation).toMatchObject({ roles: [], requestedRoles: ['directory-editor'], status: 'pending' });
  });
});

describe('DELETE /api/buildings/:documentId/staff/:userDocumentId', () => {
  it('ends the affiliation and keeps the account; the person stops being a member', async () => {
    const leaving = await app.createUser('member', { building: buildingA, firstName: 'Lee', lastName: 'Leaving' });
    await app.as(directorB).delete(`${staffUrl(buildingA)}/${leaving.documentId}`).expect(403);
    await app.as(memberA).delete(`${staffUrl(buildingA)}/${leaving.documentId}`).expect(403);
    const res = await app.as(directorA).delete(`${staffUrl(buildingA)}/${leaving.documentId}`).expect(200);
    expect(res.body.data.affiliations).toEqual([expect.objectContaining({ status: 'ended' })]);
    const user = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: leaving.id }, populate: ['role'] });
    expect(user).not.toBeNull();
    expect(user.role.type).toBe('authenticated');
    const list = await app.as(memberA).get(staffUrl(buildingA)).expect(200);
    expect(list.body.data.map((p: any) => p.documentId)).not.toContain(leaving.documentId);
    await app.as(directorA).delete(`${staffUrl(buildingA)}/${leaving.documentId}`).expect(404);
    // the person can still sign in
    await app.http().post('/api/auth/local').send({ identifier: leaving.email, password: leaving.password }).expect(200);
  });
});

describe('PUT /api/buildings/:documentId/staff/:userDocumentId', () => {
  let clerk: TestUser;
  const titleOf = async (user: TestUser) =>
    (await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { user: { id: user.id }, building: { id: buildingA.id } }, select: ['jobTitle'] })).jobTitle;
  const rowOf = (user: TestUser) =>
    app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { user: { id: user.id }, building: { id: buildingA.id } }, select: ['jobTitle', 'roles', 'status'] });

  beforeAll(async () => {
    clerk = await app.createUser('member', { building: buildingA, firstName: 'Cleo', lastName: 'Clerk', jobTitle: 'Circulation Clerk' });
  });

  it("lets the building's director correct a job title; the staff list shows it", async () => {
    const res = await app.as(directorA).put(`${staffUrl(buildingA)}/${clerk.documentId}`).send({ jobTitle: '  Head of Circulation ' }).expect(200);
    expect(res.body).toEqual({
      data: { documentId: clerk.documentId, firstName: 'Cleo', lastName: 'Clerk', jobTitle: 'Head of Circulation', roles: ['staff'], email: clerk.email, phone: null },
      meta: {},
    });
    const list = await app.as(directorA).get(staffUrl(buildingA)).expect(200);
    expect(list.body.data.find((p: any) => p.documentId === clerk.documentId)).toEqual(res.body.data);
    expect(await rowOf(clerk)).toMatchObject({ status: 'approved', roles: ['staff'] });
  });

  it('also corrects the title of a person the director added who is still pending', async () => {
    const added = await app.as(directorA).post(staffUrl(buildingA)).send({ firstName: 'Pat', lastName: 'Page', email: 'pat.page@willow.example', jobTitle: 'Pgae' }).expect(201);
    const res = await app.as(directorA).put(`${staffUrl(buildingA)}/${added.body.data.person.documentId}`).send({ jobTitle: 'Page' }).expect(200);
    expect(res.body.data).toMatchObject({ documentId: added.body.data.person.documentId, jobTitle: 'Page', roles: ['staff'] });
    const row = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { documentId: added.body.data.affiliation.documentId } });
    expect(row).toMatchObject({ jobTitle: 'Page', status: 'pending' });
  });

  it('is refused to a director of another building, a member, a guest and anonymous callers; nothing changes', async () => {
    const before = await titleOf(clerk);
    const url = `${staffUrl(buildingA)}/${clerk.documentId}`;
    await app.as(directorB).put(url).send({ jobTitle: 'Hijacked' }).expect(403);
    await app.as(memberA).put(url).send({ jobTitle: 'Hijacked' }).expect(403);
    await app.as(clerk).put(url).send({ jobTitle: 'Hijacked' }).expect(403);
    await app.as(guest).put(url).send({ jobTitle: 'Hijacked' }).expect(403);
    await app.as(null).put(url).send({ jobTitle: 'Hijacked' }).expect(403);
    expect(await titleOf(clerk)).toBe(before);
  });

  it('answers 404 for a person not on the staff list (named) and for an unknown building', async () => {
    const other = await app.createUser('member', { building: buildingB });
    const res = await app.as(directorA).put(`${staffUrl(buildingA)}/${other.documentId}`).send({ jobTitle: 'Clerk' }).expect(404);
    expect(res.body.error.message).toContain(other.documentId);
    expect(res.body.error.message).toContain('Willow Public Library');
    await app.as(directorA).put(`${staffUrl(buildingA)}/nobody`).send({ jobTitle: 'Clerk' }).expect(404);
    await app.as(directorA).put(`/api/buildings/nope/staff/${clerk.documentId}`).send({ jobTitle: 'Clerk' }).expect(404);
    const theirs = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { user: { id: other.id } } });
    expect(theirs.jobTitle).not.toBe('Clerk');
  });

  it.each([
    ['jobTitle', { jobTitle: '' }],
    ['jobTitle', { jobTitle: '   ' }],
    ['jobTitle', { jobTitle: 'x'.repeat(201) }],
    ['jobTitle', { jobTitle: 42 }],
    ['jobTitle', {}],
    ['roles', { jobTitle: 'Director', roles: ['director'] }],
    ['status', { jobTitle: 'Clerk', status: 'rejected' }],
    // (it.each's table is built before beforeAll: plain strings, not the fixtures' documentIds)
    ['building', { jobTitle: 'Clerk', building: 'another-building' }],
    ['user', { jobTitle: 'Clerk', user: 'someone-else' }],
  ])('refuses a bad %s with 400 naming it; nothing changes', async (field, body) => {
    const before = await rowOf(clerk);
    const res = await app.as(directorA).put(`${staffUrl(buildingA)}/${clerk.documentId}`).send(body).expect(400);
    expect(res.body.error.message).toContain(field);
    expect(await rowOf(clerk)).toEqual(before);
  });
});

describe("a building's directory-editor keeps its staff list as a director does (API.md: a director is one with the director role, or a designated directory-editor)", () => {
  it('adds a person (pending account and affiliation, set-password email) and removes one (affiliation ended, account kept)', async () => {
    const editor = await app.createUser('member', { building: buildingA, firstName: 'Eddie', lastName: 'Editor' });
    const own = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { user: { id: editor.id } } });
    await app.strapi.documents('api::affiliation.affiliation').update({ documentId: own.documentId, data: { roles: ['directory-editor'] } as never });
    app.mail.clear();
    const added = await app.as(editor).post(staffUrl(buildingA)).send({ firstName: 'Ola', lastName: 'Added', email: 'ola.added@willow.example', jobTitle: 'Page' }).expect(201);
    expect(added.body.data.person).toMatchObject({ email: 'ola.added@willow.example', confirmed: false });
    expect(added.body.data.affiliation).toMatchObject({ status: 'pending', jobTitle: 'Page' });
    const [mail] = await app.mail.waitFor(() => app.mail.to('ola.added@willow.example').length > 0).then(() => app.mail.to('ola.added@willow.example'));
    expect(mail.text).not.toContain('Str0ng');
    // someone of another building's staff list stays out of their reach
    const elsewhere = await app.createUser('member', { building: buildingB });
    await app.as(editor).delete(`${staffUrl(buildingB)}/${elsewhere.documentId}`).expect(403);
    const leaving = await app.createUser('member', { building: buildingA });
    const removed = await app.as(editor).delete(`${staffUrl(buildingA)}/${leaving.documentId}`).expect(200);
    expect(removed.body.data.affiliations).toEqual([expect.objectContaining({ status: 'ended' })]);
    expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { id: leaving.id } })).toBe(1);
  });
});
