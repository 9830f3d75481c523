import fs from 'fs';
import path from 'path';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { DateTime } from 'luxon';
import { parseImlsCsv } from '../../src/api/building/imls/parse';

const ILLINOIS = path.resolve(__dirname, '../../database/data/imls-pls-fy2015-outlets-illinois.csv');
let app: TestApp;
let buildingA: { documentId: string };
let buildingB: { documentId: string };
let directorA: TestUser;
let directorB: TestUser;
let memberA: TestUser;

const find = async (fscsId: string, seq: number) =>
  (await app.strapi.db.query('api::building.building').findOne({ where: { fscsId, fscsSeq: seq } })) as { documentId: string; name: string };

/** The paths of a 400's details.errors, as the rest of the API gives them (details.field was these routes' own shape). */
const errorPaths = (res: { body: any }) => (res.body?.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path);

/** A written policy's limit here (POLICY_MAX_BYTES, 32 MB by default): small, so a test need not send 32 MB. */
const POLICY_MAX_BYTES = 64 * 1024;

beforeAll(async () => {
  app = await startApp({ POLICY_MAX_BYTES: String(POLICY_MAX_BYTES) });
  const { outlets } = parseImlsCsv(fs.readFileSync(ILLINOIS, 'utf8'), { state: 'IL' });
  await app.strapi.service('api::building.imls-import').importOutlets(outlets);
  buildingA = await find('IL0093', 2); // Chatham
  buildingB = await find('IL0363', 2); // C.E. Brehm
  directorA = await app.createUser('director', { building: buildingA });
  directorB = await app.createUser('director', { building: buildingB });
  memberA = await app.createUser('member', { building: buildingA });
  // the import of the 800 buildings takes ~40 s on PostgreSQL here, a few times that while CI's two suites share two cores
}, 360_000);

afterAll(async () => {
  await app?.stop();
});

const stored = (documentId: string) =>
  app.strapi.db.query('api::building.building').findOne({ where: { documentId }, populate: ['resourceSharing', 'nonresidentCards'] });

describe('director self-service', () => {
  it('lets the director of a building edit it, and records the change in its history', async () => {
    const res = await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`)
      .send({ data: { phone: '217-483-2713', website: 'https://chathamlibrary.example' } }).expect(200);
    expect(res.body.data).toMatchObject({ phone: '217-483-2713', website: 'https://chathamlibrary.example' });
    const history = await app.as(directorA).get(`/api/buildings/${buildingA.documentId}/history`).expect(200);
    expect(history.body.data[0]).toMatchObject({
      source: 'director',
      changedByName: expect.stringContaining('Director'),
      changes: expect.arrayContaining([expect.objectContaining({ field: 'website', old: null, new: 'https://chathamlibrary.example' })]),
    });
  });

  it("lets a directory-editor of the building edit it as its director does, locked fields refused them too (403 naming the field)", async () => {
    const editor = await app.createUser('member', { building: buildingA });
    const own = await app.strapi.db.query('api::affiliation.affiliation').findOne({ where: { user: { id: editor.id } } });
    await app.strapi.documents('api::affiliation.affiliation').update({ documentId: own.documentId, data: { roles: ['directory-editor'] } as never });
    const res = await app.as(editor).put(`/api/buildings/${buildingA.documentId}`).send({ data: { phone: '217-483-2713' } }).expect(200);
    expect(res.body.data).toMatchObject({ documentId: buildingA.documentId, phone: '217-483-2713' });
    const locked = await app.as(editor).put(`/api/buildings/${buildingA.documentId}`).send({ data: { oclcSymbol: 'XYZ' } }).expect(403);
    expect(errorPaths(locked)).toEqual([['oclcSymbol']]);
    await app.as(editor).put(`/api/buildings/${buildingB.documentId}`).send({ data: { phone: '1' } }).expect(403);
  });

  it('refuses the director of another building, members and anonymous callers', async () => {
    await app.as(directorB).put(`/api/buildings/${buildingA.documentId}`).send({ data: { phone: '1' } }).expect(403);
    await app.as(memberA).put(`/api/buildings/${buildingA.documentId}`).send({ data: { phone: '1' } }).expect(403);
    await app.as(null).put(`/api/buildings/${buildingA.documentId}`).send({ data: { phone: '1' } }).expect(403);
    await app.as(directorB).get(`/api/buildings/${buildingA.documentId}/history`).expect(403);
    expect((await stored(buildingA.documentId)).phone).toBe('217-483-2713');
  });

  it.each(['deliveryRoute', 'oclcSymbol', 'system', 'type', 'fscsId', 'library', 'needsReview', 'squareFeet', 'hoursPerYear'])('refuses the locked field %s with 403 naming it', async (field) => {
    const before = await stored(buildingA.documentId);
    const res = await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`).send({ data: { phone: '217-000-0000', [field]: 'X' } }).expect(403);
    expect(res.body.error.message).toContain(field);
    const after = await stored(buildingA.documentId);
    expect(after.phone).toBe(before.phone);
  });

  it('answers 400 naming the field for unknown or malformed input, and 404 for a missing building', async () => {
    const unknown = await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`).send({ data: { colour: 'blue' } }).expect(400);
    expect(unknown.body.error.message).toContain('colour');
    const email = await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`).send({ data: { email: 'not-an-email' } }).expect(400);
    expect(email.body.error.message).toContain('email');
    expect(errorPaths(unknown)).toEqual([['colour']]);
    expect(errorPaths(email)).toEqual([['email']]);
    expect(errorPaths(await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`).send({ data: { latitude: 'north' } }).expect(400))).toEqual([['latitude']]);
    // a ZIP code is 5 digits or ZIP+4; a phone number or a town in it is refused, naming the field
    for (const zip of ['6270', 'IL 62701', '62701-12', '2175550100']) {
      const res = await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`).send({ data: { zip } }).expect(400);
      expect(errorPaths(res)).toEqual([['zip']]);
      expect(res.body.error.message).toContain('ZIP');
    }
    await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`).send({ data: { zip: '62629-1234' } }).expect(200);
    expect((await stored(buildingA.documentId)).zip).toBe('62629-1234');
    await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`).send('nonsense').expect(400);
    await app.as(directorA).put('/api/buildings/doesnotexist').send({ data: { phone: '1' } }).expect(404);
  });

  it('edits the resource-sharing policy without losing the fields not sent', async () => {
    await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`)
      .send({ data: { resourceSharing: { illContactName: 'Reed Moore', illEmail: 'ill@chathamlibrary.example', loanPeriodDays: 21 } } }).expect(200);
    await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`)
      .send({ data: { resourceSharing: { lendingTerms: 'Lends DVDs to RAILS and IHLS members' } } }).expect(200);
    expect((await stored(buildingA.documentId)).resourceSharing).toMatchObject({
      illContactName: 'Reed Moore', loanPeriodDays: 21, lendingTerms: 'Lends DVDs to RAILS and IHLS members',
    });
  });

  it('keeps nonresident card status per fiscal year', async () => {
    const url = `/api/buildings/${buildingA.documentId}/nonresident-card`;
    await app.as(directorA).put(url).send({ fiscalYear: 2026, participates: true, feeMethod: 'tax-bill', actionDate: '2025-06-10', effectiveDate: '2025-07-01' }).expect(200);
    await app.as(directorA).put(url).send({ fiscalYear: 2027, participates: false }).expect(200);
    const res = await app.as(directorA).put(url).send({ fiscalYear: 2027, participates: true, feeMethod: 'alternative-formula' }).expect(200);
    expect(res.body.data.nonresidentCards).toEqual([
      expect.objectContaining({ fiscalYear: 2026, participates: true, feeMethod: 'tax-bill' }),
      expect.objectContaining({ fiscalYear: 2027, participates: true, feeMethod: 'alternative-formula' }),
    ]);
    const bad = await app.as(directorA).put(url).send({ fiscalYear: 2027, participates: 'yes' }).expect(400);
    expect(bad.body.error.message).toContain('participates');
    expect(errorPaths(bad)).toEqual([['participates']]);
    await app.as(directorB).put(url).send({ fiscalYear: 2027, participates: true }).expect(403);
  });

  it('records edits made outside the API (staff, scripts) as well', async () => {
    await app.strapi.documents('api::building.building').update({ documentId: buildingB.documentId, data: { deliveryRoute: 'IHLS-17' } as never });
    const history = await app.as(directorB).get(`/api/buildings/${buildingB.documentId}/history`).expect(200);
    expect(history.body.data[0]).toMatchObject({ source: 'system', changes: [expect.objectContaining({ field: 'deliveryRoute', old: null, new: 'IHLS-17' })] });
  });
});

describe('written resource-sharing policy', () => {
  const url = () => `/api/buildings/${buildingA.documentId}/resource-sharing/policy`;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 32), Buffer.from('\n%%EOF\n')]);

  it('stores a PDF uploaded by the director and links it to the building', async () => {
    const res = await app.as(directorA).post(url()).attach('file', pdf, 'ill-policy.pdf').expect(201);
    expect(res.body.data).toMatchObject({ name: 'ill-policy.pdf', mime: 'application/pdf' });
    const building = await app.strapi.db.query('api::building.building').findOne({
      where: { documentId: buildingA.documentId }, populate: { resourceSharing: { populate: ['policyDocument'] } },
    });
    expect(building.resourceSharing.policyDocument).toMatchObject({ id: res.body.data.id });
    expect(building.resourceSharing.illContactName).toBe('Reed Moore');
  });

  it('checks the type by content, not by name', async () => {
    const fake = await app.as(directorA).post(url()).attach('file', Buffer.from('just text'), 'policy.pdf').expect(400);
    expect(fake.body.error.message).toMatch(/PDF or Word/);
    await app.as(directorA).post(url()).attach('file', pdf, 'policy.exe').expect(400);
    await app.as(directorA).post(url()).expect(400);
  });

  it('refuses a file name the upload cannot store with 400 naming file, and stores nothing (it said "File name contains invalid characters", naming no field)', async () => {
    const files = () => app.strapi.db.query('plugin::upload.file').count({});
    const before = await files();
    for (const [name, rule] of [[`${'p'.repeat(300)}.pdf`, 'at most 255 characters'], ['policy: 2027.pdf', 'must not contain']]) {
      const res = await app.as(directorA).post(url()).attach('file', pdf, name);
      expect({ status: res.status, message: res.body.error?.message, paths: res.body.error?.details?.errors?.map((e: any) => e.path) }).toEqual({ status: 400, message: expect.stringContaining(rule), paths: [['file']] });
    }
    expect(await files()).toBe(before);
  });

  it("refuses a file over POLICY_MAX_BYTES while it is sent: a 413 naming file and the limit in MB (it was Strapi's bare \"FileTooBig\"), nothing stored", async () => {
    const files = () => app.strapi.db.query('plugin::upload.file').count({});
    const before = await files();
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(POLICY_MAX_BYTES, 32)]);
    const res = await app.as(directorA).post(url()).attach('file', big, 'huge.pdf').expect(413);
    expect(res.body).toEqual({
      data: null,
      error: {
        status: 413,
        name: 'PayloadTooLargeError',
        message: 'file: must be a file of at most 0.0625 MB; this file has more',
        details: { field: 'file', maxBytes: POLICY_MAX_BYTES, errors: [{ path: ['file'], message: 'must be a file of at most 0.0625 MB', name: 'PayloadTooLargeError' }] },
      },
    });
    expect(await files()).toBe(before);
    // a file of exactly the limit is taken
    const fits = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(POLICY_MAX_BYTES - 9, 32)]);
    await app.as(directorA).post(url()).attach('file', fits, 'fits.pdf').expect(201);
  });

  it('refuses a form field beside the file with 400 naming it (it was dropped and the file stored), storing nothing', async () => {
    const files = () => app.strapi.db.query('plugin::upload.file').count({});
    const before = await files();
    const res = await app.as(directorA).post(url()).field('caption', 'Our 2027 policy').attach('file', pdf, 'ill-policy-2027.pdf').expect(400);
    expect(res.body.error.message).toBe('Unknown field(s): caption');
    expect(res.body.error.details.errors.map((e: any) => e.path)).toEqual([['caption']]);
    expect(await files()).toBe(before);
  });

  it('refuses other buildings\' directors', async () => {
    await app.as(directorB).post(url()).attach('file', pdf, 'ill-policy.pdf').expect(403);
  });
});

describe('yearly review reminder', () => {
  it('emails the directors of buildings whose policy review is over a year old, once a year', async () => {
    app.mail.clear();
    await app.strapi.documents('api::building.building').update({
      documentId: buildingB.documentId, data: { resourceSharing: { lastReviewed: '2025-01-15' } } as never,
    });
    // a second director of building B: each is emailed on their own, neither sees the other's address
    const coDirector = await app.createUser('director', { building: buildingB });
    const reminders = app.strapi.service('api::building.review-reminders');
    const now = new Date('2026-12-01T15:00:00Z');
    const first = await reminders.sendDue(now);
    expect(first).toBeGreaterThanOrEqual(1);
    await app.mail.waitFor((m) => m.some((x) => x.to.includes(directorB.email)) && m.some((x) => x.to.includes(coDirector.email)));
    expect(app.mail.to(directorB.email)[0].to).not.toContain(coDirector.email);
    expect(app.mail.to(coDirector.email)[0].to).not.toContain(directorB.email);
    expect(app.mail.to(directorB.email)[0].subject).toContain('resource sharing policy');
    expect(app.mail.to(directorB.email)[0].text).toContain('2025-01-15');
    // building A's director saved its policy (a review, see below): no reminder for them
    expect(app.mail.to(directorA.email)).toHaveLength(0);
    // running again the same year sends nothing more
    expect(await reminders.sendDue(new Date('2026-12-02T15:00:00Z'))).toBe(0);
    expect(app.mail.to(directorB.email)).toHaveLength(1);
  });
});

describe('directory search', () => {
  const search = async (qs: string) => (await app.http().get(`/api/directory/search?${qs}`).expect(200)).body;

  it('finds a library by a partial name with a missing word', async () => {
    const { data } = await search('q=brehm%20library');
    expect(data[0]).toMatchObject({ documentId: buildingB.documentId, library: expect.objectContaining({ name: 'C.E. Brehm Memorial Public Library District' }) });
  });

  it('ignores case, punctuation and word order', async () => {
    expect((await search('q=OAK%20forest')).data[0].name).toBe('Acorn Public Library District');
    expect((await search('q=c.e.%20BREHM')).data[0].documentId).toBe(buildingB.documentId);
    expect((await search('q=district%20acorn')).data[0].name).toBe('Acorn Public Library District');
  });

  it('ranks a name match above a city or county match', async () => {
    const { data } = await search('q=chatham');
    expect(data[0].documentId).toBe(buildingA.documentId);
    // "oak park": the library named so first, then its branches (city Oak Park), then other "oak" libraries
    const names = (await search('q=oak%20park&pageSize=100')).data.map((b) => b.name);
    expect(names[0]).toBe('Oak Park Public Library');
    expect(names.slice(1, 3).sort()).toEqual(['Dole Branch Library', 'Maze Branch Library']);
    expect(names.indexOf('Oak Lawn Public Library')).toBeGreaterThan(2);
  });

  it('filters by county and city and paginates', async () => {
    const cook = await search('q=library&county=cook&pageSize=5');
    expect(cook.data).toHaveLength(5);
    expect(cook.data.every((b) => b.county === 'Cook')).toBe(true);
    expect(cook.meta.pagination.total).toBeGreaterThan(100);
    const city = await search('city=Oak%20Forest');
    expect(city.data.map((b) => b.name)).toContain('Acorn Public Library District');
  });

  it("filters by library system, named by its code (any case) or documentId; an unknown one is a 404 naming the filter", async () => {
    const SYSTEM = 'api::library-system.library-system';
    const system = (await app.strapi.documents(SYSTEM).findFirst({ filters: { code: 'CPLS' } } as never))
      ?? (await app.strapi.documents(SYSTEM).create({ data: { name: 'Chicago Public Library System', code: 'CPLS', kind: 'system' } as never }));
    const chatham = await app.strapi.db.query('api::building.building').findOne({ where: { documentId: buildingA.documentId }, populate: { library: { select: ['id'] } } });
    await app.strapi.db.query('api::library.library').update({ where: { id: chatham.library.id }, data: { system: system.id } });
    for (const named of ['CPLS', 'cpls', system.documentId]) {
      const { data } = await search(`system=${named}`);
      expect({ named, found: data.map((b: { documentId: string }) => b.documentId) }).toEqual({ named, found: expect.arrayContaining([buildingA.documentId]) });
      expect(data.every((b: { library: { system: { code: string } } }) => b.library.system.code === 'CPLS')).toBe(true);
    }
    // was a 200 with no results, where the calendar's filters answer 404 for what does not exist
    const unknown = await app.http().get('/api/directory/search?q=chatham&system=NOPE').expect(404);
    expect(unknown.body.error.message).toContain('system');
    expect(errorPaths(unknown)).toEqual([['system']]);
  });

  it('filters by library type (API.md: public, academic, school, special)', async () => {
    const brehm = await app.strapi.db.query('api::building.building').findOne({ where: { documentId: buildingB.documentId }, populate: { library: { select: ['id'] } } });
    await app.strapi.documents('api::library.library').update({ documentId: (await app.strapi.db.query('api::library.library').findOne({ where: { id: brehm.library.id } })).documentId, data: { type: 'academic' } as never });
    try {
      const academic = await search('q=library&type=academic&pageSize=100');
      expect(academic.data.map((b: { documentId: string }) => b.documentId)).toEqual([buildingB.documentId]);
      expect(academic.data[0].library.type).toBe('academic');
      const pub = await search('q=brehm&type=public&pageSize=100');
      expect(pub.data.map((b: { documentId: string }) => b.documentId)).not.toContain(buildingB.documentId);
      expect(pub.data.every((b: { library: { type: string } }) => b.library.type === 'public')).toBe(true);
    } finally {
      await app.strapi.db.query('api::library.library').update({ where: { id: brehm.library.id }, data: { type: 'public' } });
    }
  });

  it('answers 400 for an empty query or a bad filter', async () => {
    const res = await app.http().get('/api/directory/search').expect(400);
    expect(res.body.error.message).toContain('q');
    expect(errorPaths(res)).toEqual([['q']]);
    expect(errorPaths(await app.http().get('/api/directory/search?q=x&type=castle').expect(400))).toEqual([['type']]);
    await app.http().get('/api/directory/search?q=x&pageSize=1000').expect(400);
  });
});

describe('public fields only', () => {
  it('keeps private building fields out of REST and GraphQL', async () => {
    const rest = await app.http().get(`/api/buildings/${buildingB.documentId}`).expect(200);
    expect(rest.body.data).not.toHaveProperty('searchText');
    expect(rest.body.data).not.toHaveProperty('reviewNote');
    const gql = await app.http().post('/graphql').send({ query: `{ building(documentId: "${buildingB.documentId}") { name city deliveryRoute } }` }).expect(200);
    expect(gql.body.data.building).toMatchObject({ name: rest.body.data.name, city: rest.body.data.city, deliveryRoute: 'IHLS-17' });
    const privateField = await app.http().post('/graphql').send({ query: `{ building(documentId: "${buildingB.documentId}") { searchText } }` });
    expect(privateField.body.errors?.[0]?.message).toMatch(/searchText/);
  });
});

describe('resource-sharing policy: what a director sets, and the review it records', () => {
  let building: { documentId: string };
  let director: TestUser;
  const url = () => `/api/buildings/${building.documentId}`;
  const policy = async () =>
    (await app.strapi.db.query('api::building.building').findOne({
      where: { documentId: building.documentId }, populate: { resourceSharing: { populate: ['policyDocument'] } },
    })).resourceSharing;
  const chicagoToday = () => DateTime.now().setZone('America/Chicago').toISODate();
  let reminded: string;

  beforeAll(async () => {
    building = await app.createBuilding({ name: 'Decatur Public Library' });
    director = await app.createUser('director', { building });
    const written = await app.strapi.db.query('plugin::upload.file').create({
      data: { name: 'decatur-ill.pdf', hash: 'decatur_ill', ext: '.pdf', mime: 'application/pdf', size: 1, url: '/uploads/decatur_ill.pdf', provider: 'local' },
    });
    // reviewed long ago, reminded this year
    reminded = '2026-03-01T14:00:00.000Z';
    await app.strapi.documents('api::building.building').update({
      documentId: building.documentId,
      data: { resourceSharing: { illContactName: 'Ada Loan', lastReviewed: '2025-02-01', reviewReminderSentAt: reminded, policyDocument: written.id } } as never,
    });
  });

  it.each([
    ['reviewReminderSentAt', '2099-01-01T00:00:00.000Z', /reminder/],
    ['policyDocument', 'OTHER_FILE', /resource-sharing\/policy/],
    ['lastReviewed', '2030-01-01', /today/],
    ['id', 1, /Unknown/],
    ['colour', 'blue', /Unknown/],
    ['loanPeriodDays', -3, /greater than or equal to 0/],
    ['renewals', 'two', /number/],
    ['illEmail', 'not-an-email', /email/],
    ['chargesFees', 'yes', /boolean/],
    ['illContactName', 42, /string/],
  ])('refuses resourceSharing.%s = %p with 400 naming the field; nothing is stored', async (field, value, rule) => {
    const other = await app.strapi.db.query('plugin::upload.file').create({
      data: { name: 'face.png', hash: `face_${field}`, ext: '.png', mime: 'image/png', size: 1, url: '/uploads/face.png', provider: 'local' },
    });
    const before = await policy();
    const res = await app.as(director).put(url())
      .send({ data: { phone: '217-555-0111', resourceSharing: { illPhone: '217-555-0112', [field]: value === 'OTHER_FILE' ? other.id : value } } })
      .expect(400);
    expect(res.body.error.message).toContain(`resourceSharing.${field}`);
    expect(res.body.error.message).toMatch(rule);
    expect(await policy()).toEqual(before);
    expect((await stored(building.documentId)).phone).not.toBe('217-555-0111');
  });

  it('refuses resourceSharing: null (it would erase the review dates and the written policy)', async () => {
    const before = await policy();
    const res = await app.as(director).put(url()).send({ data: { resourceSharing: null } }).expect(400);
    expect(res.body.error.message).toContain('resourceSharing');
    expect(await policy()).toEqual(before);
  });

  it('a director saving the policy reviews it: lastReviewed becomes today (Chicago), and the yearly reminder stops', async () => {
    const before = chicagoToday();
    await app.as(director).put(url()).send({ data: { resourceSharing: { illPhone: '217-555-0113', lendsNewMaterials: true, loanPeriodDays: 28 } } }).expect(200);
    const after = chicagoToday();
    const saved = await policy();
    expect([before, after]).toContain(saved.lastReviewed);
    expect(saved).toMatchObject({ illContactName: 'Ada Loan', illPhone: '217-555-0113', lendsNewMaterials: true, loanPeriodDays: 28, policyDocument: expect.objectContaining({ name: 'decatur-ill.pdf' }) });
    // a year after the reminder, but just after the review: no reminder
    app.mail.clear();
    await app.strapi.service('api::building.review-reminders').sendDue(DateTime.fromISO(reminded).plus({ years: 1, days: 1 }).toJSDate());
    expect(app.mail.to(director.email)).toHaveLength(0);
  });

  it('uploading the written policy counts as a review too', async () => {
    await app.strapi.documents('api::building.building').update({
      documentId: building.documentId, data: { resourceSharing: { illContactName: 'Ada Loan', lastReviewed: '2025-02-01' } } as never,
    });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(512, 32), Buffer.from('\n%%EOF\n')]);
    const before = chicagoToday();
    await app.as(director).post(`${url()}/resource-sharing/policy`).attach('file', pdf, 'decatur-2026.pdf').expect(201);
    expect([before, chicagoToday()]).toContain((await policy()).lastReviewed);
  });

  it('the yearly reminder keeps the written policy linked', async () => {
    const written = (await policy()).policyDocument;
    expect(written).toMatchObject({ name: 'decatur-2026.pdf' });
    app.mail.clear();
    await app.strapi.service('api::building.review-reminders').sendDue(DateTime.now().plus({ years: 2 }).toJSDate());
    await app.mail.waitFor(() => app.mail.to(director.email).length >= 1);
    expect((await policy()).policyDocument).toMatchObject({ id: written.id });
  });
});
