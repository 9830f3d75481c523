import fs from 'fs';
import path from 'path';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
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

beforeAll(async () => {
  app = await startApp();
  const { outlets } = parseImlsCsv(fs.readFileSync(ILLINOIS, 'utf8'), { state: 'IL' });
  await app.strapi.service('api::building.imls-import').importOutlets(outlets);
  buildingA = await find('IL0093', 2); // Chatham
  buildingB = await find('IL0363', 2); // C.E. Brehm
  directorA = await app.createUser('director', { building: buildingA });
  directorB = await app.createUser('director', { building: buildingB });
  memberA = await app.createUser('member', { building: buildingA });
});

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

  it('refuses the director of another building, members and anonymous callers', async () => {
    await app.as(directorB).put(`/api/buildings/${buildingA.documentId}`).send({ data: { phone: '1' } }).expect(403);
    await app.as(memberA).put(`/api/buildings/${buildingA.documentId}`).send({ data: { phone: '1' } }).expect(403);
    await app.as(null).put(`/api/buildings/${buildingA.documentId}`).send({ data: { phone: '1' } }).expect(403);
    await app.as(directorB).get(`/api/buildings/${buildingA.documentId}/history`).expect(403);
    expect((await stored(buildingA.documentId)).phone).toBe('217-483-2713');
  });

  it.each(['deliveryRoute', 'oclcSymbol', 'system', 'type', 'fscsId', 'library', 'needsReview'])('refuses the locked field %s with 403 naming it', async (field) => {
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
    await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`).send({ data: { latitude: 'north' } }).expect(400);
    await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`).send('nonsense').expect(400);
    await app.as(directorA).put('/api/buildings/doesnotexist').send({ data: { phone: '1' } }).expect(404);
  });

  it('edits the resource-sharing policy without losing the fields not sent', async () => {
    await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`)
      .send({ data: { resourceSharing: { illContactName: 'Reed Moore', illEmail: 'ill@chathamlibrary.example', loanPeriodDays: 21 } } }).expect(200);
    await app.as(directorA).put(`/api/buildings/${buildingA.documentId}`)
      .send({ data: { resourceSharing: { lendingTerms: 'Lends DVDs to RAILS and IHLS members', lastReviewed: '2026-11-01' } } }).expect(200);
    expect((await stored(buildingA.documentId)).resourceSharing).toMatchObject({
      illContactName: 'Reed Moore', loanPeriodDays: 21, lendingTerms: 'Lends DVDs to RAILS and IHLS members', lastReviewed: '2026-11-01',
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
    await app.as(directorB).put(url).send({ fiscalYear: 2027, participates: true }).expect(403);
  });

  it('records edits made outside the API (staff, scripts) as well', async () => {
    await app.strapi.documents('api::building.building').update({ documentId: buildingB.documentId, data: { deliveryRoute: 'IHLS-17' } as never });
    const history = await app.as(directorB).get(`/api/buildings/${buildingB.documentId}/history`).expect(200);
    expect(history.body.data[0]).toMatchObject({ source: 'system', changes: [expect.objectContaining({ field: 'deliveryRoute', old: null, new: 'IHLS-17' })] });
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

  it('answers 400 for an empty query or a bad filter', async () => {
    const res = await app.http().get('/api/directory/search').expect(400);
    expect(res.body.error.message).toContain('q');
    await app.http().get('/api/directory/search?q=x&type=castle').expect(400);
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
