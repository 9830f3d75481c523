import fs from 'fs';
import path from 'path';
import { startApp, type TestApp } from '../helpers/strapi';
import { parseImlsCsv } from '../../src/api/building/imls/parse';
import { seed } from '../../src/seed';

const ILLINOIS = path.resolve(__dirname, '../../database/data/imls-pls-fy2015-outlets-illinois.csv');
let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
});

const total = async (url: string) => (await app.http().get(url).expect(200)).body.meta.pagination.total;

describe('IMLS importer on the real Illinois file', () => {
  const { outlets } = parseImlsCsv(fs.readFileSync(ILLINOIS, 'utf8'), { state: 'IL' });

  it('creates every library and building, and flags what it cannot place', async () => {
    const summary = await app.strapi.service('api::building.imls-import').importOutlets(outlets);
    expect(summary).toMatchObject({ created: 800, updated: 0, unchanged: 0, flagged: 3 });
    expect(summary.librariesCreated).toBeGreaterThan(600);
    expect(await total('/api/buildings?pagination[pageSize]=1')).toBe(800);
    expect(await total('/api/buildings?filters[outletType][$eq]=main&pagination[pageSize]=1')).toBe(622);
    expect(await total('/api/buildings?filters[outletType][$eq]=branch&pagination[pageSize]=1')).toBe(159);
    expect(await total('/api/buildings?filters[outletType][$eq]=bookmobile&pagination[pageSize]=1')).toBe(19);
    // ~40 s on PostgreSQL here, a few times that while CI's two suites share two cores
  }, 360_000);

  it('resolves a city from the street line and keeps the names in library case', async () => {
    const res = await app.http().get('/api/buildings?filters[fscsId][$eq]=IL0002&filters[fscsSeq][$eq]=2&populate=library').expect(200);
    expect(res.body.data[0]).toMatchObject({
      name: 'Acorn Public Library District',
      street: '15624 South Central Avenue',
      city: 'Oak Forest',
      county: 'Cook',
      needsReview: false,
      library: expect.objectContaining({ name: 'Acorn Public Library District', type: 'public', fscsId: 'IL0002' }),
    });
  });

  it('keeps an uncertain row and flags it for review', async () => {
    const res = await app.http().get('/api/buildings?filters[fscsId][$eq]=IL0013&filters[fscsSeq][$eq]=5').expect(200);
    expect(res.body.data[0]).toMatchObject({ name: 'Wolf Lake Branch Library', city: null, needsReview: true });
    expect(await total('/api/buildings?filters[needsReview][$eq]=true&pagination[pageSize]=1')).toBe(3);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const summary = await app.strapi.service('api::building.imls-import').importOutlets(outlets);
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 800, librariesCreated: 0, librariesUpdated: 0 });
    expect(await total('/api/buildings?pagination[pageSize]=1')).toBe(800);
  });
});

describe('demo seed', () => {
  const counts = async () => {
    const uids = [
      'api::library-system.library-system', 'api::library.library', 'api::building.building', 'api::networking-group.networking-group',
      'api::event.event', 'api::tag.tag', 'api::affiliation.affiliation', 'api::registration.registration',
      'api::mentorship-application.mentorship-application', 'api::mentorship-pairing.mentorship-pairing',
      'plugin::users-permissions.user', 'admin::user', 'api::site-visit.site-visit',
    ];
    return Object.fromEntries(await Promise.all(uids.map(async (uid) => [uid, await app.strapi.db.query(uid as never).count()])));
  };

  let first: Awaited<ReturnType<typeof seed>>;

  it('loads the systems, groups, events, people and an admin user', async () => {
    first = await seed(app.strapi);
    expect(first.admin.password).toEqual(expect.any(String));

    const systems = (await app.http().get('/api/library-systems?sort=code').expect(200)).body.data;
    expect(systems.map((s) => s.code)).toEqual(['CPLS', 'IHLS', 'ISL', 'RAILS']);
    // L2: RAILS takes member-submitted events for its groups; IHLS groups contact IHLS
    expect(systems.filter((s) => s.acceptsEventSubmissions).map((s) => s.code)).toEqual(['RAILS']);
    expect(systems.find((s) => s.code === 'IHLS').eventSubmissionContact).toBe('Groups within IHLS should contact IHLS about submitting an event.');

    const groups = (await app.http().get('/api/networking-groups?populate=contacts&pagination[pageSize]=100').expect(200)).body.data;
    const byName = new Map(groups.map((g) => [g.name, g]));
    expect(byName.get('Northern Directors Meeting')).toMatchObject({
      meetingPattern: expect.stringContaining('third Wednesday monthly except June-August'),
      contacts: [expect.objectContaining({ name: 'Tricia Freeland', library: 'Hoopeston Public Library District', phone: '217.283.6711' })],
    });
    expect((byName.get('South Central Directors Group') as { contacts: unknown[] }).contacts).toHaveLength(2);
    expect(groups.some((g) => g.contacts.some((c) => c.name === 'Varies by host library'))).toBe(true);
    expect(groups.some((g) => g.contacts.some((c) => c.name === 'Unknown'))).toBe(true);

    // IHLS members named in the seed documents
    const brehm = (await app.http().get('/api/libraries?filters[fscsId][$eq]=IL0363&populate=system').expect(200)).body.data[0];
    expect(brehm).toMatchObject({ name: 'C.E. Brehm Memorial Public Library District', system: expect.objectContaining({ code: 'IHLS' }) });

    // directory details of a demo building
    const chatham = (await app.http().get('/api/buildings?filters[fscsId][$eq]=IL0093&populate=*').expect(200)).body.data[0];
    expect(chatham).toMatchObject({ deliveryRoute: 'SPR-04', catalogAutomation: 'SHARE (Polaris)', resourceSharing: expect.objectContaining({ illContactName: 'Reed Moore' }) });
    expect(chatham.nonresidentCards).toHaveLength(2);

    // recurring series carry their exact rule
    // (a members-only series: anonymous callers no longer see it, so read it internally)
    const chats = (await app.strapi.documents('api::event.event').findMany({ filters: { title: { $containsi: "Directors' Chat" } }, status: 'published' })) as { rrule?: string }[];
    expect(chats[0]?.rrule).toMatch(/BYDAY=1TH,2TH,4TH,5TH/);

    // one director, a guest, a pending affiliation
    const director = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { username: 'pturner' }, populate: ['role'] });
    expect(director.role.type).toBe('director');
    const pending = await app.strapi.db.query('api::affiliation.affiliation').count({ where: { status: 'pending' } });
    expect(pending).toBeGreaterThan(0);
    const guests = await app.strapi.db.query('plugin::users-permissions.user').count({ where: { role: { type: 'authenticated' } } });
    expect(guests).toBeGreaterThan(0);

    // the nearly full event has its demo registrations
    const confirmed = await app.strapi.db.query('api::registration.registration').count({ where: { status: 'confirmed' } });
    expect(confirmed).toBe(18);
    expect(await app.strapi.db.query('api::mentorship-pairing.mentorship-pairing').count({ where: { status: 'active' } })).toBe(1);
    expect(await app.strapi.db.query('api::site-visit.site-visit').count({ where: { status: 'requested' } })).toBe(1);

    // a group primary admin, and one member submission (a RAILS member's, for a RAILS group) waiting for review (a draft only)
    const heartland = await app.strapi.db.query('api::networking-group.networking-group').findOne({ where: { slug: 'heartland-trustee-roundtable-demo' }, populate: { primaryAdmin: true } });
    expect(heartland.primaryAdmin.email).toBe('marian.readwell@example.org');
    const submitted = await app.strapi.db.query('api::event.event').findMany({ where: { submissionState: 'submitted' }, populate: { submittedBy: true } });
    expect(submitted.map((e) => [e.publishedAt, e.submittedBy?.email])).toEqual([[null, 'ruth.renewal@ahmlibrary.example']]);
  });

  it('is idempotent: a second run adds nothing and keeps the admin password', async () => {
    const before = await counts();
    const second = await seed(app.strapi);
    expect(second.admin.password).toBeUndefined();
    expect(second.imls).toMatchObject({ created: 0, unchanged: 800 });
    expect(await counts()).toEqual(before);
  });

  it("leaves which systems take event submissions to their staff: a re-run keeps staff's choice", async () => {
    const systems = app.strapi.documents('api::library-system.library-system');
    const ihls = await systems.findFirst({ filters: { code: 'IHLS' } as never });
    await systems.update({ documentId: ihls!.documentId, data: { acceptsEventSubmissions: true, eventSubmissionContact: null } as never });
    await seed(app.strapi);
    expect(await systems.findOne({ documentId: ihls!.documentId })).toMatchObject({ acceptsEventSubmissions: true, eventSubmissionContact: null });
  });
});
