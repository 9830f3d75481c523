import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;
let building: { documentId: string };
let other: { documentId: string };
let director: TestUser;
let member: TestUser;

/** The paths of a 400's details.errors, as the rest of the API gives them (details.field was these routes' own shape). */
const errorPaths = (res: { body: any }) => (res.body?.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path);

beforeAll(async () => {
  app = await startApp({ MEMBERSHIP_EMAIL: 'membership@ihls.example' });
  building = await app.createBuilding({ name: 'Hoopeston Public Library' });
  other = await app.createBuilding({ name: 'Bement Public Library' });
  director = await app.createUser('director', { building, firstName: 'Tricia', lastName: 'Director' });
  member = await app.createUser('member', { building });
});

afterAll(async () => {
  await app?.stop();
});

describe('site visits and one-on-one calls', () => {
  it('a director requests a visit; membership staff and the director are emailed; staff schedule it and both hear', async () => {
    const res = await app.as(director).post('/api/site-visits')
      .send({ data: { building: building.documentId, kind: 'visit', topic: 'Show off our new addition', preferredDates: ['2027-02-03', '2027-02-10'] } })
      .expect(201);
    expect(res.body.data).toMatchObject({ status: 'requested', kind: 'visit' });
    await app.mail.waitFor((m) => m.length >= 2);
    expect(app.mail.to('membership@ihls.example')[0]).toMatchObject({ subject: expect.stringContaining('Hoopeston Public Library') });
    expect(app.mail.to('membership@ihls.example')[0].text).toContain('2027-02-03');
    expect(app.mail.to(director.email)[0].subject).toMatch(/received your request/);

    const mine = await app.as(director).get('/api/site-visits').expect(200);
    expect(mine.body.data).toEqual([expect.objectContaining({ documentId: res.body.data.documentId, building: expect.objectContaining({ name: 'Hoopeston Public Library' }) })]);

    // membership staff schedule it in the admin panel's form (its own `status` field, past the content manager's draft/published one)
    const staff = (await app.createAdmin('visits@ihls.example', 'll-membership-staff')).token;
    const CM = '/content-manager/collection-types/api::site-visit.site-visit';
    const saved = await app.as(staff).put(`${CM}/${res.body.data.documentId}`).send({ status: 'scheduled', scheduledAt: '2027-02-10T16:00:00.000Z' }).expect(200);
    expect(saved.body.data).toMatchObject({ status: 'scheduled' });
    // delivery goes through the outbox: wait for both messages of the scheduling
    await app.mail.waitFor(() => app.mail.to(director.email).length >= 2 && app.mail.to('membership@ihls.example').some((m) => m.subject.includes('[Copy]')));
    const scheduled = app.mail.to(director.email)[1];
    expect(scheduled.subject).toContain('scheduled for Wednesday, February 10, 2027, 10:00 AM CST');
    expect(app.mail.to('membership@ihls.example').at(-1)!.subject).toContain('[Copy]');
  });

  it('staff cannot schedule a visit for no date (400 naming scheduledAt, nobody emailed); a new date of a scheduled visit is told as a change', async () => {
    const res = await app.as(director).post('/api/site-visits').send({ data: { building: building.documentId, kind: 'call', topic: 'Budget questions' } }).expect(201);
    await app.mail.waitFor(() => app.mail.to(director.email).some((m) => /received your request for a one-on-one call/.test(m.subject)));
    app.mail.clear();
    const staff = (await app.createAdmin('visits2@ihls.example', 'll-membership-staff')).token;
    const CM = '/content-manager/collection-types/api::site-visit.site-visit';
    const refused = await app.as(staff).put(`${CM}/${res.body.data.documentId}`).send({ status: 'scheduled', scheduledAt: null }).expect(400);
    expect(errorPaths(refused)).toEqual([['scheduledAt']]);
    expect((await app.strapi.db.query('api::site-visit.site-visit').findOne({ where: { documentId: res.body.data.documentId } })).status).toBe('requested');

    await app.as(staff).put(`${CM}/${res.body.data.documentId}`).send({ status: 'scheduled', scheduledAt: '2027-03-03T16:00:00.000Z' }).expect(200);
    await app.mail.waitFor(() => app.mail.to(director.email).length >= 1);
    expect(app.mail.to(director.email).map((m) => m.subject)).toEqual(['Your one-on-one call is scheduled for Wednesday, March 3, 2027, 10:00 AM CST']);
    // moved across the change to daylight saving time: the new date in CDT, the old one named
    await app.as(staff).put(`${CM}/${res.body.data.documentId}`).send({ scheduledAt: '2027-03-17T15:00:00.000Z' }).expect(200);
    await app.mail.waitFor(() => app.mail.to(director.email).length >= 2);
    const moved = app.mail.to(director.email)[1];
    expect(moved.subject).toBe('Your one-on-one call has a new date: Wednesday, March 17, 2027, 10:00 AM CDT');
    expect(moved.text).toMatch(/^Your one-on-one call at Hoopeston Public Library, planned for Wednesday, March 3, 2027, 10:00 AM CST, is now scheduled for Wednesday, March 17, 2027, 10:00 AM CDT\./);
  });

  it("gives a Duplicate the status staff chose in its form, held to the visit rules (scheduled needs a date)", async () => {
    const SV = 'api::site-visit.site-visit';
    const res = await app.as(director).post('/api/site-visits').send({ data: { building: building.documentId, kind: 'call', topic: 'Trustee training' } }).expect(201);
    const staff = (await app.createAdmin('visits3@ihls.example', 'll-membership-staff')).token;
    const CM = `/content-manager/collection-types/${SV}`;
    const statusOf = async (documentId: string) => (await app.strapi.db.query(SV).findOne({ where: { documentId }, select: ['status'] })).status;
    // a copy scheduled in the form gets that status and date, not the source's `requested`
    const copy = await app.as(staff).post(`${CM}/clone/${res.body.data.documentId}`).send({ status: 'scheduled', scheduledAt: '2027-04-07T15:00:00.000Z', topic: 'Trustee training, part 2' }).expect(200);
    expect(copy.body.data).toMatchObject({ status: 'scheduled' });
    expect(await statusOf(copy.body.data.documentId)).toBe('scheduled');
    expect((await app.as(staff).get(`${CM}/${copy.body.data.documentId}`).expect(200)).body.data).toMatchObject({ status: 'scheduled' });
    expect(await statusOf(res.body.data.documentId)).toBe('requested');
    // scheduled for no date: refused, as an edit is (400 naming scheduledAt), nothing stored
    const count = await app.strapi.db.query(SV).count();
    const refused = await app.as(staff).post(`${CM}/clone/${res.body.data.documentId}`).send({ status: 'scheduled' });
    expect(refused.status).toBe(400);
    expect(errorPaths(refused)).toEqual([['scheduledAt']]);
    expect(await app.strapi.db.query(SV).count()).toBe(count);
  });

  it('refuses members, directors of other buildings and bad input', async () => {
    await app.as(member).post('/api/site-visits').send({ data: { building: building.documentId, topic: 'x' } }).expect(403);
    await app.as(director).post('/api/site-visits').send({ data: { building: other.documentId, topic: 'x' } }).expect(403);
    expect((await app.as(director).post('/api/site-visits').send({ data: { building: building.documentId, topic: '' } }).expect(400)).body.error.message).toContain('topic');
    expect((await app.as(director).post('/api/site-visits').send({ data: { building: building.documentId, topic: 'x', preferredDates: ['soon'] } }).expect(400)).body.error.message).toContain('preferredDates');
    expect((await app.as(director).post('/api/site-visits').send({ data: { building: building.documentId, topic: 'x', status: 'completed' } }).expect(400)).body.error.message).toContain('status');
    // each names its field in details.errors[].path, as the rest of the API does
    const post = (data: Record<string, unknown>) => app.as(director).post('/api/site-visits').send({ data }).expect(400);
    expect(errorPaths(await post({ building: building.documentId, topic: '' }))).toEqual([['topic']]);
    expect(errorPaths(await post({ building: building.documentId, topic: 'x', preferredDates: ['2027-02-30'] }))).toEqual([['preferredDates']]);
    expect(errorPaths(await post({ building: building.documentId, topic: 'x', status: 'completed', user: 1 }))).toEqual([['status'], ['user']]);
    expect(errorPaths(await post({ building: 'no-such-building', topic: 'x' }))).toEqual([['building']]);
  });

  it('lists the libraries not visited in the last N years', async () => {
    const visits = app.strapi.service('api::site-visit.visits');
    const requester = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: director.id } });
    await app.strapi.documents('api::site-visit.site-visit').create({
      data: { building: other.documentId, requestedBy: requester.documentId, kind: 'visit', topic: 'Annual', status: 'completed', scheduledAt: '2026-05-01T15:00:00.000Z' } as never,
    });
    const names = (await visits.notVisitedSince(3, new Date('2026-12-01'))).map((b) => b.name);
    expect(names).toContain('Hoopeston Public Library');
    expect(names).not.toContain('Bement Public Library');
    // membership staff read the same report in the admin API
    const { token } = await app.createAdmin('visits@ihls.example', 'll-system-staff');
    const report = await app.http().get('/membership/site-visits/not-visited?years=3').set('Authorization', `Bearer ${token}`).expect(200);
    expect(report.body.data.map((b) => b.name)).toContain('Hoopeston Public Library');
    await app.http().get('/membership/site-visits/not-visited?years=zero').set('Authorization', `Bearer ${token}`).expect(400);
    // five years later Bement is due again
    expect((await visits.notVisitedSince(3, new Date('2031-12-01'))).map((b) => b.name)).toContain('Bement Public Library');
  });
});
