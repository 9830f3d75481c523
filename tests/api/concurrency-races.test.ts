import request from 'supertest';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { listen } from '../helpers/burst';

/**
 * Requests racing each other on the limits the database must keep (one open application per role, one
 * affiliation per person and building, one decision per affiliation, a building's record edited by two
 * directors at once): several real requests at once, then the database is read.
 */
let app: TestApp;
let adminToken: string;
let server: Awaited<ReturnType<typeof listen>>;

/** Requests on one listening server, so they really run at the same time (supertest would start a server per request). */
const as = (user: TestUser | string) => {
  const token = typeof user === 'string' ? user : user.jwt;
  return {
    post: (url: string) => request(server.base).post(url).set('Authorization', `Bearer ${token}`),
    put: (url: string) => request(server.base).put(url).set('Authorization', `Bearer ${token}`),
  };
};

const APPLICATION = 'api::mentorship-application.mentorship-application';
const AFFILIATION = 'api::affiliation.affiliation';
const BUILDING = 'api::building.building';
const OUTBOX = 'api::outbox-message.outbox-message';

beforeAll(async () => {
  app = await startApp();
  adminToken = (await app.createAdmin('staff@races.example', 'strapi-super-admin')).token;
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  await app?.stop();
});

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();

describe('the same request sent several times at once (a double click, two tabs)', () => {
  it('files one mentorship application per role: one 201, the others 409, one stored', async () => {
    const user = await app.createUser('guest');
    const data = { role: 'mentee', yearsExperience: 2, membership: 'ila-personal', employedInLibrary: true, goals: 'Learn to run a branch', interests: ['youth services'] };
    const responses = await Promise.all(Array.from({ length: 4 }, () => as(user).post('/api/mentorship-applications').send({ data })));
    expect(statuses(responses)).toEqual([201, 409, 409, 409]);
    expect(await app.strapi.db.query(APPLICATION).count({ where: { user: { id: user.id }, role: 'mentee' } })).toBe(1);
  });

  it('asks to join a building once: one 201, the others 409, one pending affiliation and one email to its director', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const guest = await app.createUser('guest');
    const data = { building: building.documentId, jobTitle: 'Page', roles: ['staff'] };
    const responses = await Promise.all(Array.from({ length: 4 }, () => as(guest).post('/api/affiliations').send({ data })));
    expect(statuses(responses)).toEqual([201, 409, 409, 409]);
    expect(await app.strapi.db.query(AFFILIATION).count({ where: { user: { id: guest.id }, building: { documentId: building.documentId } } })).toBe(1);
    expect(await app.strapi.db.query(OUTBOX).count({ where: { to: { $contains: director.email } } })).toBe(1);
  });
});

describe('two staff deciding the same affiliation at once', () => {
  const pendingAffiliation = async () => {
    const building = await app.createBuilding();
    const guest = await app.createUser('guest');
    const res = await as(guest).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Clerk', roles: ['staff'] } }).expect(201);
    return { guest, documentId: res.body.data.documentId as string };
  };
  const decisionMails = (email: string) => app.strapi.db.query(OUTBOX).count({ where: { to: email, subject: { $contains: 'affiliation' } } });

  it('approve and reject at once: one decides (200), the other is told it was decided (409), the person gets one email that says what was decided', async () => {
    const { guest, documentId } = await pendingAffiliation();
    const [approve, reject] = await Promise.all([
      as(adminToken).post(`/approvals/${documentId}/approve`).send({}),
      as(adminToken).post(`/approvals/${documentId}/reject`).send({ reason: 'Not on our staff' }),
    ]);
    expect(statuses([approve, reject])).toEqual([200, 409]);
    const decided = approve.status === 200 ? 'approved' : 'rejected';
    const row = await app.strapi.db.query(AFFILIATION).findOne({ where: { documentId }, populate: { user: { populate: { role: true } } } });
    expect(row.status).toBe(decided);
    expect(row.user.role.type).toBe(decided === 'approved' ? 'member' : 'authenticated');
    expect(await decisionMails(guest.email)).toBe(1);
    const mail = await app.strapi.db.query(OUTBOX).findOne({ where: { to: guest.email, subject: { $contains: 'affiliation' } } });
    expect(mail.subject).toMatch(decided === 'approved' ? /is confirmed/ : /was not confirmed/);
  });

  it('approved twice at once: one 200, one 409, one email', async () => {
    const { guest, documentId } = await pendingAffiliation();
    const responses = await Promise.all([0, 1].map(() => as(adminToken).post(`/approvals/${documentId}/approve`).send({})));
    expect(statuses(responses)).toEqual([200, 409]);
    expect(await decisionMails(guest.email)).toBe(1);
  });
});

describe('two directors editing one building at once', () => {
  it('keeps both changes to the resource-sharing policy (each sends only the fields it changes)', async () => {
    const building = await app.createBuilding();
    const a = await app.createUser('director', { building });
    const b = await app.createUser('director', { building });
    const url = `/api/buildings/${building.documentId}`;
    const [ra, rb] = await Promise.all([
      as(a).put(url).send({ data: { resourceSharing: { illPhone: '217-555-0101' } } }),
      as(b).put(url).send({ data: { resourceSharing: { loanPeriodDays: 28 } } }),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    const row = await app.strapi.db.query(BUILDING).findOne({ where: { documentId: building.documentId }, populate: ['resourceSharing'] });
    expect(row.resourceSharing).toMatchObject({ illPhone: '217-555-0101', loanPeriodDays: 28 });
  });

  it('keeps both fiscal years of nonresident card status saved at once', async () => {
    const building = await app.createBuilding();
    const a = await app.createUser('director', { building });
    const b = await app.createUser('director', { building });
    const url = `/api/buildings/${building.documentId}/nonresident-card`;
    const responses = await Promise.all([
      as(a).put(url).send({ fiscalYear: 2026, participates: true }),
      as(b).put(url).send({ fiscalYear: 2027, participates: false }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const row = await app.strapi.db.query(BUILDING).findOne({ where: { documentId: building.documentId }, populate: ['nonresidentCards'] });
    expect(row.nonresidentCards.map((c: { fiscalYear: number }) => c.fiscalYear).sort()).toEqual([2026, 2027]);
  });
});
