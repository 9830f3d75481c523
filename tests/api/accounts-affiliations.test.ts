import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;
let adminToken: string;
let editorToken: string;

const roleOf = async (user: TestUser) =>
  (await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: user.id }, populate: ['role'] })).role.type;

const adminJwt = async (email: string, roleCode: 'strapi-super-admin' | 'strapi-editor') => (await app.createAdmin(email, roleCode)).token;

beforeAll(async () => {
  app = await startApp();
  adminToken = await adminJwt('staff@ihls.example', 'strapi-super-admin');
  editorToken = await adminJwt('editor@ihls.example', 'strapi-editor');
});

afterAll(async () => {
  await app?.stop();
});


describe('asking to join a building', () => {
  it('creates a pending request for the caller, keeps director rights as requested only, and tells the building director', async () => {
    const building = await app.createBuilding({ name: 'Maple Grove Public Library', website: 'https://www.maplegrove.lib.il.us' });
    const director = await app.createUser('director', { building });
    const guest = await app.createUser('guest', { email: 'pat@maplegrove.lib.il.us', firstName: 'Pat', lastName: 'Reader' });
    const other = await app.createUser('guest');
    app.mail.clear();

    const res = await app.as(guest).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Library Director', roles: ['director', 'staff'] } }).expect(201);
    expect(res.body.data).toMatchObject({ status: 'pending', jobTitle: 'Library Director', roles: ['staff'], requestedRoles: ['director', 'staff'], building: { documentId: building.documentId } });
    const stored = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { documentId: res.body.data.documentId }, populate: ['user'] });
    expect(stored.user.id).toBe(guest.id);

    // a pending request gives no member access
    expect(await roleOf(guest)).toBe('authenticated');

    const mails = await app.mail.waitFor(() => app.mail.to(director.email).length > 0).then(() => app.mail.to(director.email));
    expect(mails[0].subject).toBe('Pat Reader asked to join Maple Grove Public Library on Library Learning');
    expect(mails[0].text).toContain('pat@maplegrove.lib.il.us');
    expect(app.mail.to(guest.email)).toHaveLength(0);

    // the caller sees only their own affiliations
    const mine = await app.as(guest).get('/api/affiliations').expect(200);
    expect(mine.body.data.map((a: any) => a.documentId)).toEqual([res.body.data.documentId]);
    expect((await app.as(other).get('/api/affiliations').expect(200)).body.data).toEqual([]);
    // asking twice for the same building is a conflict
    const again = await app.as(guest).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Director' } }).expect(409);
    expect(again.body.error.message).toMatch(/already have an affiliation/);
  });

  it('writes what the person typed into the director\'s email exactly, in its text and its HTML', async () => {
    const building = await app.createBuilding({ name: 'Teens <&> Tweens Library' });
    const director = await app.createUser('director', { building });
    const guest = await app.createUser('guest', { firstName: 'Lee', lastName: 'Page' });
    app.mail.clear();
    // a job title that itself reads like markup and like an entity
    const jobTitle = 'Clerk, "A&V" <desk> &lt;nights&gt;';
    await app.as(guest).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle } }).expect(201);
    const [mail] = await app.mail.waitFor(() => app.mail.to(director.email).length > 0).then(() => app.mail.to(director.email));
    expect(mail.text).toContain(`asked to be affiliated with Teens <&> Tweens Library as ${jobTitle}.`);
    expect(mail.html).toContain('as Clerk, &quot;A&amp;V&quot; &lt;desk&gt; &amp;lt;nights&amp;gt;.');
  });

  it("tells the building's directory-editors too: they manage its staff list, and adding an existing account promises them this email", async () => {
    const building = await app.createBuilding({ name: 'Birch Hollow Library' });
    const director = await app.createUser('director', { building });
    const editor = await app.createUser('member', { building });
    const own = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { user: { id: editor.id } } });
    await app.strapi.documents('api::affiliation.affiliation').update({ documentId: own.documentId, data: { roles: ['directory-editor'] } as never });
    const newcomer = await app.createUser('guest', { firstName: 'Sam', lastName: 'Shelver' });

    // the staff-list route sends a directory-editor to the person's own request, "you will be emailed when they do"
    const told = await app.as(editor).post(`/api/buildings/${building.documentId}/staff`).send({ firstName: 'Sam', lastName: 'Shelver', email: newcomer.email, jobTitle: 'Page' }).expect(409);
    expect(told.body.error.message).toMatch(/you will be emailed when they do/);
    app.mail.clear();

    await app.as(newcomer).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Page' } }).expect(201);
    await app.mail.waitFor(() => app.mail.to(director.email).length > 0);
    const mails = await app.mail.waitFor(() => app.mail.to(editor.email).length > 0).then(() => app.mail.to(editor.email));
    expect(mails[0].subject).toBe('Sam Shelver asked to join Birch Hollow Library on Library Learning');
  });

  it.each([
    [{ jobTitle: 'Clerk', roles: [] }, 'building'],
    [{ building: 'no-such-building', jobTitle: 'Clerk' }, 'building'],
    [{ building: 'B', roles: ['staff'] }, 'jobTitle'],
    [{ building: 'B', jobTitle: 'Clerk', roles: ['king'] }, 'roles'],
    [{ building: 'B', jobTitle: 'Clerk', roles: 'staff' }, 'roles'],
    [{ building: 'B', jobTitle: 'Clerk', status: 'approved' }, 'status'],
    [{ building: 'B', jobTitle: 'Clerk', user: 1 }, 'user'],
    [{ building: 'B', jobTitle: 'Clerk', decidedAt: '2020-01-01' }, 'decidedAt'],
  ])('refuses %j naming %s, and stores nothing', async (data, field) => {
    const building = await app.createBuilding();
    const guest = await app.createUser('guest');
    const body = { data: { ...data, ...(data.building === 'B' ? { building: building.documentId } : {}) } };
    const res = await app.as(guest).post('/api/affiliations').send(body).expect(400);
    expect(res.body.error.message).toContain(field);
    expect(await app.strapi.db.query('api::affiliation.affiliation').count({ where: { user: { id: guest.id } } })).toBe(0);
  });

  it('needs a signed-in person', async () => {
    const building = await app.createBuilding();
    await app.as(null).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Clerk' } }).expect(403);
    await app.as(null).get('/api/affiliations').expect(403);
  });

  it('lets a person edit their own affiliation; moving to another building needs confirmation again; director rights cannot be added', async () => {
    const from = await app.createBuilding({ name: 'Old Town Library' });
    const to = await app.createBuilding({ name: 'New Town Library' });
    const toDirector = await app.createUser('director', { building: to });
    const member = await app.createUser('member', { building: from, firstName: 'Mo', lastName: 'Ver' });
    const [own] = (await app.as(member).get('/api/affiliations').expect(200)).body.data;

    const titled = await app.as(member).put(`/api/affiliations/${own.documentId}`).send({ data: { jobTitle: 'Head of Circulation', roles: ['staff', 'director'] } }).expect(200);
    expect(titled.body.data).toMatchObject({ status: 'approved', jobTitle: 'Head of Circulation', roles: ['staff'], requestedRoles: ['staff', 'director'] });
    expect(await roleOf(member)).toBe('member');

    const refused = await app.as(member).put(`/api/affiliations/${own.documentId}`).send({ data: { status: 'approved' } }).expect(400);
    expect(refused.body.error.message).toContain('status');
    await app.as(member).put(`/api/affiliations/${own.documentId}`).send({ data: { building: 'nope' } }).expect(400);

    app.mail.clear();
    const moved = await app.as(member).put(`/api/affiliations/${own.documentId}`).send({ data: { building: to.documentId } }).expect(200);
    expect(moved.body.data).toMatchObject({ status: 'pending', building: { documentId: to.documentId } });
    expect(await roleOf(member)).toBe('authenticated');
    const [mail] = await app.mail.waitFor(() => app.mail.to(toDirector.email).length > 0).then(() => app.mail.to(toDirector.email));
    expect(mail.subject).toBe('Mo Ver asked to join New Town Library on Library Learning');
    // still one affiliation, one account
    expect((await app.as(member).get('/api/affiliations').expect(200)).body.data).toHaveLength(1);
  });

  it('lets a person end their own affiliation (and only their own); membership follows', async () => {
    const member = await app.createUser('member');
    const other = await app.createUser('member');
    expect(await roleOf(member)).toBe('member');
    const [own] = (await app.as(member).get('/api/affiliations').expect(200)).body.data;
    await app.as(other).delete(`/api/affiliations/${own.documentId}`).expect(404);
    const ended = await app.as(member).delete(`/api/affiliations/${own.documentId}`).expect(200);
    expect(ended.body.data).toMatchObject({ status: 'ended', endedAt: expect.any(String) });
    expect(await roleOf(member)).toBe('authenticated');
  });
});

describe('system staff confirmation queue (admin API)', () => {
  let building: { id: number; documentId: string };
  let early: TestUser;
  let late: TestUser;
  let earlyAff: string;
  let lateAff: string;

  beforeAll(async () => {
    const library = await app.strapi.documents('api::library.library').create({ data: { name: 'Oak District', type: 'public', website: 'oakdistrict.org' } as never });
    building = await app.createBuilding({ name: 'Oak Branch', library: library.documentId });
    await app.createUser('member', { building, firstName: 'Robin', lastName: 'Birch' });
    early = await app.createUser('guest', { email: 'robin@oakdistrict.org', firstName: 'Robin', lastName: 'Birch' });
    late = await app.createUser('guest', { email: 'sam@gmail.example', firstName: 'Sam', lastName: 'Elm' });
    earlyAff = (await app.as(early).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Director', roles: ['director', 'certification-contact'] } }).expect(201)).body.data.documentId;
    await new Promise((r) => setTimeout(r, 20));
    lateAff = (await app.as(late).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Page', roles: ['staff'] } }).expect(201)).body.data.documentId;
  });

  it('is closed to anonymous callers, content-API users and admins without the permission', async () => {
    await app.http().get('/approvals/queue').expect(401);
    await app.as(early).get('/approvals/queue').expect(401);
    await app.as(editorToken).get('/approvals/queue').expect(403);
    await app.as(editorToken).post(`/approvals/${lateAff}/approve`).send({}).expect(403);
  });

  it('lists pending requests oldest first with the person, the building and the signals', async () => {
    const res = await app.as(adminToken).get('/approvals/queue').expect(200);
    const ours = res.body.data.filter((e: any) => e.building.documentId === building.documentId);
    expect(ours.map((e: any) => e.documentId)).toEqual([earlyAff, lateAff]);
    expect(ours[0]).toMatchObject({
      jobTitle: 'Director',
      requestedRoles: ['director', 'certification-contact'],
      person: { email: 'robin@oakdistrict.org', firstName: 'Robin', lastName: 'Birch' },
      building: { name: 'Oak Branch', library: { name: 'Oak District' } },
      signals: { emailDomainMatchesWebsite: true, onStaffList: true },
    });
    expect(ours[1].signals).toMatchObject({ emailDomainMatchesWebsite: false, onStaffList: false });
    expect(JSON.stringify(res.body)).not.toMatch(/password|resetPasswordToken|confirmationToken|calendarToken/);
  });

  it('approves with director rights only when staff grant them, emails the person and makes them a director', async () => {
    app.mail.clear();
    const bad = await app.as(adminToken).post(`/approvals/${earlyAff}/approve`).send({ roles: ['emperor'] }).expect(400);
    expect(bad.body.error.message).toContain('roles');
    const res = await app.as(adminToken).post(`/approvals/${earlyAff}/approve`).send({ grantDirector: true }).expect(200);
    expect(res.body.data).toMatchObject({ status: 'approved', roles: ['certification-contact', 'director'] });
    expect(await roleOf(early)).toBe('director');
    const [mail] = await app.mail.waitFor(() => app.mail.to(early.email).length > 0).then(() => app.mail.to(early.email));
    expect(mail.subject).toBe('Your Library Learning affiliation with Oak Branch is confirmed');
    const decided = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { documentId: earlyAff }, populate: ['decidedBy'] });
    expect(decided.decidedBy.email).toBe('staff@ihls.example');
    // decided requests leave the queue and cannot be decided again
    await app.as(adminToken).post(`/approvals/${earlyAff}/reject`).send({ reason: 'x' }).expect(409);
    const queue = await app.as(adminToken).get('/approvals/queue').expect(200);
    expect(queue.body.data.map((e: any) => e.documentId)).not.toContain(earlyAff);
  });

  it('approving without grantDirector never makes a director, even if asked for', async () => {
    const guest = await app.createUser('guest');
    const aff = (await app.as(guest).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Director', roles: ['director'] } }).expect(201)).body.data.documentId;
    const res = await app.as(adminToken).post(`/approvals/${aff}/approve`).send({ roles: ['director', 'staff'] }).expect(200);
    expect(res.body.data.roles).toEqual(['staff']);
    expect(await roleOf(guest)).toBe('member');
  });

  it('rejects with a reason, which the person receives; the account stays a guest', async () => {
    app.mail.clear();
    const missing = await app.as(adminToken).post(`/approvals/${lateAff}/reject`).send({}).expect(400);
    expect(missing.body.error.message).toContain('reason');
    const res = await app.as(adminToken).post(`/approvals/${lateAff}/reject`).send({ reason: 'Not on the staff of Oak Branch' }).expect(200);
    expect(res.body.data).toMatchObject({ status: 'rejected' });
    expect(await roleOf(late)).toBe('authenticated');
    const [mail] = await app.mail.waitFor(() => app.mail.to(late.email).length > 0).then(() => app.mail.to(late.email));
    expect(mail.subject).toBe('Your Library Learning affiliation with Oak Branch was not confirmed');
    expect(mail.text).toContain('Not on the staff of Oak Branch');
    await app.as(adminToken).post('/approvals/nope/approve').send({}).expect(404);
  });

  it("a Duplicate takes the status staff chose in its form (not the source's approval), and its roles follow the same rules", async () => {
    const CM = '/content-manager/collection-types/api::affiliation.affiliation';
    const AFF = 'api::affiliation.affiliation';
    const head = await app.createUser('guest');
    const headAff = (await app.as(head).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Director', roles: ['director'] } }).expect(201)).body.data.documentId;
    await app.as(adminToken).post(`/approvals/${headAff}/approve`).send({ grantDirector: true }).expect(200);
    expect(await roleOf(head)).toBe('director');
    const guest = await app.createUser('guest');
    const rel = (u: TestUser) => ({ connect: [{ id: u.id, documentId: u.documentId }], disconnect: [] });
    // the approved director affiliation copied for someone else as a pending request: it grants them nothing yet
    const copy = await app.as(adminToken).post(`${CM}/clone/${headAff}`).send({ status: 'pending', user: rel(guest), jobTitle: 'Assistant director' }).expect(200);
    expect(copy.body.data).toMatchObject({ status: 'pending' });
    expect((await app.strapi.db.query(AFF).findOne({ where: { documentId: copy.body.data.documentId }, select: ['status'] })).status).toBe('pending');
    expect(await roleOf(guest)).toBe('authenticated');
    expect(await roleOf(head)).toBe('director');
    // roles named in a Duplicate's form are known role names, as in an edit (400 naming roles, nothing stored)
    const count = await app.strapi.db.query(AFF).count();
    const bad = await app.as(adminToken).post(`${CM}/clone/${headAff}`).send({ status: 'pending', user: rel(guest), roles: ['emperor'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('roles');
    expect(await app.strapi.db.query(AFF).count()).toBe(count);
  });

  it('staff correcting a decision in the content manager (rejected, then approved) tell the person the new decision', async () => {
    const before = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { documentId: lateAff }, select: ['decidedAt'] });
    app.mail.clear();
    await app.as(adminToken).put(`/content-manager/collection-types/api::affiliation.affiliation/${lateAff}`).send({ status: 'approved' }).expect(200);
    const [mail] = await app.mail.waitFor(() => app.mail.to(late.email).length > 0).then(() => app.mail.to(late.email));
    expect(mail.subject).toBe('Your Library Learning affiliation with Oak Branch is confirmed');
    expect(await roleOf(late)).toBe('member');
    const after = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { documentId: lateAff }, select: ['decidedAt'] });
    expect(new Date(after.decidedAt).getTime()).toBeGreaterThan(new Date(before.decidedAt).getTime());
    // saving it again unchanged is no new decision
    app.mail.clear();
    await app.as(adminToken).put(`/content-manager/collection-types/api::affiliation.affiliation/${lateAff}`).send({ status: 'approved', jobTitle: 'Clerk' }).expect(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(app.mail.to(late.email)).toHaveLength(0);
  });
});
