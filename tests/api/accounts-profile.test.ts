import sharp from 'sharp';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;
let buildingA: { id: number; documentId: string };
let buildingB: { id: number; documentId: string };
let directorA: TestUser;
let directorB: TestUser;
let memberA: TestUser;
let guest: TestUser;

const stored = (user: TestUser) =>
  app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: user.id }, populate: ['role', 'social', 'avatar'] });

beforeAll(async () => {
  app = await startApp();
  buildingA = await app.createBuilding({ name: 'Prairie Creek Library' });
  buildingB = await app.createBuilding({ name: 'Lakeside Library' });
  directorA = await app.createUser('director', { building: buildingA, firstName: 'Dana', lastName: 'Director' });
  directorB = await app.createUser('director', { building: buildingB });
  memberA = await app.createUser('member', { building: buildingA, firstName: 'Morgan', lastName: 'Quill', jobTitle: 'Youth Services Librarian' });
  guest = await app.createUser('guest', { firstName: 'Gale', lastName: 'Guest' });
});

afterAll(async () => {
  await app?.stop();
});

describe('PUT /api/profile', () => {
  it("edits the caller's own name, phone, bio and social links", async () => {
    const res = await app.as(guest).put('/api/profile').send({ firstName: 'Gail', phone: '217-555-0100', bio: 'Cataloger', social: { linkedin: 'https://linkedin.example/gail' } }).expect(200);
    expect(res.body.data).toMatchObject({ firstName: 'Gail', lastName: 'Guest', phone: '217-555-0100', bio: 'Cataloger', social: { linkedin: 'https://linkedin.example/gail' } });
    expect(JSON.stringify(res.body)).not.toMatch(/password|Token/);
    const me = await app.as(guest).get('/api/users/me').expect(200);
    expect(me.body).toMatchObject({ firstName: 'Gail', phone: '217-555-0100' });
  });

  it('sets an avatar by uploading an image, and clears it with null; a file id is refused', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toBuffer();
    const res = await app.as(guest).post('/api/profile/avatar').attach('avatar', png, { filename: 'face.png', contentType: 'image/png' }).expect(200);
    expect(res.body.data.avatar).toMatchObject({ url: expect.stringMatching(/^\/uploads\/.+\.png$/), mime: 'image/png' });
    const bad = await app.as(guest).put('/api/profile').send({ avatar: res.body.data.avatar.id }).expect(400);
    expect(bad.body.error.message).toContain('avatar');
    await app.as(guest).put('/api/profile').send({ avatar: null }).expect(200);
    expect((await stored(guest)).avatar).toBeNull();
  });

  it.each([
    ['role', 1],
    ['confirmed', false],
    ['blocked', true],
    ['email', 'new@library.example'],
    ['password', 'An0ther-passphrase'],
    ['provider', 'google'],
    ['calendarToken', 'abc'],
    ['affiliations', [1]],
    ['resetPasswordToken', 'x'],
  ])('refuses %s with 400 naming it, and stores nothing of the request', async (field, value) => {
    const before = await stored(guest);
    const res = await app.as(guest).put('/api/profile').send({ lastName: 'Changed', [field]: value }).expect(400);
    expect(res.body.error.message).toContain(field);
    const after = await stored(guest);
    expect(after.lastName).toBe(before.lastName);
    expect(after.role.type).toBe('authenticated');
    expect(after).toMatchObject({ email: before.email, username: before.username, confirmed: true, blocked: false });
  });

  it.each([
    ['firstName', { firstName: '' }],
    ['phone', { phone: 12 }],
    ['social.myspace', { social: { myspace: 'x' } }],
    ['social.website', { social: { website: 'javascript:alert(document.cookie)' } }],
    ['social.linkedin', { social: { linkedin: ' JavaScript:alert(1)' } }],
    ['social.mastodon', { social: { mastodon: 'data:text/html,<script>alert(1)</script>' } }],
    ['bio', { bio: 'x'.repeat(2001) }],
  ])('refuses a bad %s, naming it', async (field, body) => {
    const res = await app.as(guest).put('/api/profile').send(body).expect(400);
    expect(res.body.error.message).toContain(field);
  });

  it('takes web addresses and handles as social links, nothing a page would run', async () => {
    const social = { website: 'https://prairiecreek.example/staff', linkedin: 'http://linkedin.example/in/gail', bluesky: '@gail.bsky.social', mastodon: '@gail@glammr.us', instagram: 'www.instagram.example/gail' };
    const res = await app.as(guest).put('/api/profile').send({ social }).expect(200);
    expect(res.body.data.social).toMatchObject(social);
    // a director editing a colleague is held to the same rule
    const refused = await app.as(directorA).put(`/api/people/${memberA.documentId}`).send({ social: { website: 'javascript:alert(1)' } }).expect(400);
    expect(refused.body.error.message).toContain('social.website');
  });

  it('needs a signed-in person', async () => {
    await app.as(null).put('/api/profile').send({ firstName: 'X' }).expect(403);
  });
});

describe('PUT /api/profile { username }: the alternate username', () => {
  const signIn = (identifier: string, password: string) => app.http().post('/api/auth/local').send({ identifier, password });
  let other: TestUser;
  beforeAll(async () => {
    other = await app.createUser('guest');
    await app.as(other).put('/api/profile').send({ username: 'other.person' }).expect(200);
  });

  it('keeps one\'s own address as the email is kept, lowercase, whatever case it is typed in', async () => {
    const user = await app.createUser('guest');
    await app.as(user).put('/api/profile').send({ username: 'custom.name' }).expect(200);
    await app.as(user).put('/api/profile').send({ username: user.email.toUpperCase() }).expect(200);
    expect((await stored(user)).username).toBe(user.email.toLowerCase());
  });

  it('changes it: sign-in works with the new one, no longer with the old one, and still with the email', async () => {
    const user = await app.createUser('guest');
    const first = await app.as(user).put('/api/profile').send({ username: '  reads.a.lot ' }).expect(200);
    expect(first.body.data.username).toBe('reads.a.lot');
    await signIn('reads.a.lot', user.password).expect(200);
    await app.as(user).put('/api/profile').send({ username: 'reads.more' }).expect(200);
    await signIn('reads.more', user.password).expect(200);
    await signIn('reads.a.lot', user.password).expect(400);
    await signIn(user.email, user.password).expect(200);
    expect((await stored(user)).username).toBe('reads.more');
  });

  it.each([
    ['empty', () => ''],
    ['blank', () => '   '],
    ['too short', () => 'ab'],
    ['not a text', () => 42],
    ["another person's username, in another case", () => 'Other.Person'],
    ["another person's email, in another case", () => other.email.toUpperCase()],
    ['an address nobody uses yet (its owner could not sign up)', () => 'someone.else@library.example'],
  ])('refuses a username that is %s with 400 naming username, changing nothing', async (_what, value) => {
    await app.as(memberA).put('/api/profile').send({ username: 'morgan.q' }).expect(200);
    const res = await app.as(memberA).put('/api/profile').send({ username: value(), lastName: 'Changed' }).expect(400);
    expect(res.body.error.details.errors[0].path).toEqual(['username']);
    expect(await stored(memberA)).toMatchObject({ username: 'morgan.q', lastName: 'Quill' });
  });

  it('refuses a username taken by another person at sign-up as well, whatever its case', async () => {
    const res = await app.http().post('/api/auth/local/register').send({ email: 'newcomer@library.example', username: 'OTHER.person', password: 'Str0ng-passphrase!', firstName: 'New', lastName: 'Comer' }).expect(400);
    expect(res.body.error.details.errors[0].path).toEqual(['username']);
  });

  it('is the account holder’s own: a director cannot change it', async () => {
    const res = await app.as(directorA).put(`/api/people/${memberA.documentId}`).send({ username: 'renamed' }).expect(400);
    expect(res.body.error.message).toContain('username');
  });
});

describe('GET /api/users/me?populate=affiliations', () => {
  it("shows the caller's own affiliations with their buildings, in every populate form", async () => {
    for (const query of ['populate=affiliations', 'populate[0]=affiliations', 'populate[affiliations]=true']) {
      const res = await app.as(memberA).get(`/api/users/me?${query}`).expect(200);
      expect(res.body.affiliations).toEqual([expect.objectContaining({ jobTitle: 'Youth Services Librarian', status: 'approved', roles: ['staff'], building: expect.objectContaining({ documentId: buildingA.documentId, name: 'Prairie Creek Library' }) })]);
      expect(JSON.stringify(res.body)).not.toMatch(/password|resetPasswordToken|confirmationToken|calendarToken/);
    }
    const guestMe = await app.as(guest).get('/api/users/me?populate=affiliations').expect(200);
    expect(guestMe.body.affiliations).toEqual([]);
  });

  it('does not open affiliations through the populate of other routes', async () => {
    const res = await app.as(memberA).get(`/api/buildings/${buildingA.documentId}?populate=affiliations`);
    expect(res.status === 400 || !res.body.data?.affiliations).toBe(true);
    const anon = await app.as(null).get(`/api/buildings?populate[affiliations][populate]=user`);
    expect(JSON.stringify(anon.body)).not.toContain('Youth Services Librarian');
  });
});

describe('directors edit the people of their buildings: PUT /api/people/:documentId', () => {
  it('lets the director of the building edit profile fields', async () => {
    const res = await app.as(directorA).put(`/api/people/${memberA.documentId}`).send({ phone: '217-555-0199', lastName: 'Quill-Smith' }).expect(200);
    expect(res.body.data).toMatchObject({ phone: '217-555-0199', lastName: 'Quill-Smith' });
  });

  it('refuses directors of other buildings, members and guests with 403, and private fields with 400', async () => {
    const refused = await app.as(directorB).put(`/api/people/${memberA.documentId}`).send({ phone: '1' }).expect(403);
    expect(refused.body.error.message).toBe('You can edit the profiles of people affiliated with a building you direct only');
    await app.as(memberA).put(`/api/people/${directorA.documentId}`).send({ phone: '1' }).expect(403);
    await app.as(guest).put(`/api/people/${memberA.documentId}`).send({ phone: '1' }).expect(403);
    const res = await app.as(directorA).put(`/api/people/${memberA.documentId}`).send({ email: 'takeover@evil.example' }).expect(400);
    expect(res.body.error.message).toContain('email');
    const blocked = await app.as(directorA).put(`/api/people/${memberA.documentId}`).send({ blocked: true }).expect(400);
    expect(blocked.body.error.message).toContain('blocked');
    expect((await stored(memberA)).phone).toBe('217-555-0199');
    await app.as(directorA).put('/api/people/nobody').send({ phone: '1' }).expect(404);
  });

  it('leaves alone someone who only asked to join the building, until system staff approve them; not someone the director added', async () => {
    const applicant = await app.createUser('guest', { firstName: 'Ari', lastName: 'Applicant' });
    await app.as(applicant).post('/api/affiliations').send({ data: { building: buildingA.documentId, jobTitle: 'Page' } }).expect(201);
    const refused = await app.as(directorA).put(`/api/people/${applicant.documentId}`).send({ lastName: 'Renamed' }).expect(403);
    expect(refused.body.error.message).toBe('You can edit the profiles of people affiliated with a building you direct only');
    expect((await stored(applicant)).lastName).toBe('Applicant');
    // an account the director made from the staff list (pending until staff confirm it) is the director's to correct
    const added = await app.as(directorA).post(`/api/buildings/${buildingA.documentId}/staff`).send({ firstName: 'Nell', lastName: 'Nwe', email: 'nell.new@prairie.example', jobTitle: 'Clerk' }).expect(201);
    const fixed = await app.as(directorA).put(`/api/people/${added.body.data.person.documentId}`).send({ lastName: 'New' }).expect(200);
    expect(fixed.body.data.lastName).toBe('New');
  });
});

describe('Find Colleagues: GET /api/people?q=', () => {
  it('finds members by name, job title and building, showing no private fields', async () => {
    const byName = await app.as(memberA).get('/api/people?q=dana').expect(200);
    expect(byName.body.data).toEqual([
      { documentId: directorA.documentId, firstName: 'Dana', lastName: 'Director', affiliations: [{ jobTitle: 'Library Director', roles: ['director'], building: expect.objectContaining({ documentId: buildingA.documentId, name: 'Prairie Creek Library' }) }], formerBuildings: [] },
    ]);
    const byTitle = await app.as(directorB).get('/api/people?q=youth services').expect(200);
    expect(byTitle.body.data.map((p: any) => p.documentId)).toEqual([memberA.documentId]);
    const byBuilding = await app.as(memberA).get('/api/people?q=prairie').expect(200);
    expect(byBuilding.body.data.map((p: any) => p.documentId).sort()).toEqual([directorA.documentId, memberA.documentId].sort());
    const all = await app.as(memberA).get('/api/people?pagination[pageSize]=2').expect(200);
    expect(all.body.meta.pagination).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect(all.body.data).toHaveLength(2);
    const text = JSON.stringify(all.body) + JSON.stringify(byName.body);
    expect(text).not.toMatch(/@|password|Token|phone/);
  });

  it('leaves out guests and people whose affiliation is only pending', async () => {
    const res = await app.as(memberA).get('/api/people?q=gail').expect(200);
    expect(res.body.data).toEqual([]);
  });

  it('finds someone who left a member library, naming it (L2: a co-worker checks for an account in your name)', async () => {
    const leaver = await app.createUser('member', { building: buildingB, firstName: 'Robin', lastName: 'Formerly' });
    await app.as(directorB).delete(`/api/buildings/${buildingB.documentId}/staff/${leaver.documentId}`).expect(200);
    const res = await app.as(memberA).get('/api/people?q=robin formerly').expect(200);
    expect(res.body.data).toEqual([
      { documentId: leaver.documentId, firstName: 'Robin', lastName: 'Formerly', affiliations: [], formerBuildings: [expect.objectContaining({ documentId: buildingB.documentId, name: 'Lakeside Library' })] },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/@|phone/);
    // a library's name finds the people who work there now
    const lakeside = await app.as(memberA).get('/api/people?q=lakeside').expect(200);
    expect(lakeside.body.data.map((p: any) => p.documentId)).toEqual([directorB.documentId]);
  });

  it('is for members only', async () => {
    await app.as(guest).get('/api/people?q=dana').expect(403);
    await app.as(null).get('/api/people?q=dana').expect(403);
  });

  it('names a bad pagination parameter', async () => {
    const res = await app.as(memberA).get('/api/people?pagination[pageSize]=1000').expect(400);
    expect(res.body.error.message).toContain('pageSize');
  });
});
