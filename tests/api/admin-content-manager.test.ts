import { contentTypes as ctUtils } from '@strapi/utils';
import { startApp, type TestApp } from '../helpers/strapi';

let app: TestApp;
let superToken: string;
let staffToken: string;

const admin = (token: string | null) => ({
  get: (url: string) => (token ? app.http().get(url).set('Authorization', `Bearer ${token}`) : app.http().get(url)),
  put: (url: string, body: unknown) => app.http().put(url).set('Authorization', `Bearer ${token}`).send(body),
});
const configuration = async (uid: string) =>
  (await admin(superToken).get(`/content-manager/content-types/${uid}/configuration`).expect(200)).body.data.contentType;

beforeAll(async () => {
  app = await startApp();
  superToken = (await app.createAdmin('super@ihls.example', 'strapi-super-admin')).token;
  staffToken = (await app.createAdmin('staff@ihls.example', 'll-system-staff')).token;
});

afterAll(async () => {
  await app?.stop();
});

describe('content-manager edit views as code', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { EDIT_VIEWS, configureContentManager } = require('../../dist/src/bootstrap/content-manager');
  const sizes = () => app.strapi.plugin('content-manager').service('field-sizes');
  /** What the content manager shows in a form: visible attributes, not creator fields (the test's own reading of Strapi's rule). */
  const editable = (uid: string) => {
    const ct: any = app.strapi.contentType(uid as never);
    const creators = ctUtils.getCreatorFields(ct);
    return ctUtils.getVisibleAttributes(ct).filter((n) => !creators.includes(n));
  };
  const names = (rows: { name: string }[][]) => rows.map((row) => row.map((f) => f.name));

  it('covers the main content types', () => {
    expect(Object.keys(EDIT_VIEWS).sort()).toEqual([
      'api::affiliation.affiliation', 'api::building.building', 'api::event.event', 'api::library-system.library-system',
      'api::library.library', 'api::mentorship-application.mentorship-application', 'api::mentorship-pairing.mentorship-pairing',
      'api::networking-group.networking-group', 'api::provider.provider', 'api::registration.registration', 'api::site-visit.site-visit',
    ]);
  });

  it.each(Object.keys(EDIT_VIEWS))('%s: rows as declared, every editable field present, sizes Strapi accepts', async (uid) => {
    const ct: any = app.strapi.contentType(uid as never);
    const stored = await configuration(uid);
    const edit: { name: string; size: number }[][] = stored.layouts.edit;

    // the declared rows come first, in order (fields of a row side by side)
    const declared = EDIT_VIEWS[uid].rows.map((row: (string | [string, number])[]) => row.map((f) => (typeof f === 'string' ? f : f[0])));
    expect(names(edit).slice(0, declared.length)).toEqual(declared);
    // every field named exists on the content type (a typo would silently drop a field)
    for (const name of declared.flat()) expect(ct.attributes).toHaveProperty(name);

    // nothing editable is missing, nothing appears twice
    const shown = edit.flat().map((f) => f.name);
    expect(new Set(shown).size).toBe(shown.length);
    expect([...shown].sort()).toEqual([...editable(uid)].sort());

    // within the grid, with the sizes Strapi allows for each type
    for (const row of edit) expect(row.reduce((sum, f) => sum + f.size, 0)).toBeLessThanOrEqual(12);
    for (const f of edit.flat()) {
      const rule = sizes().getFieldSize(ct.attributes[f.name].type);
      if (!rule.isResizable) expect(f.size).toBe(rule.default);
    }

    // staff-facing hints land on the fields
    for (const [field, hint] of Object.entries(EDIT_VIEWS[uid].hints ?? {})) expect(stored.metadatas[field].edit.description).toBe(hint);
  });

  it('passes the content manager\'s own validation (saving the view unchanged is accepted)', async () => {
    for (const uid of ['api::event.event', 'api::building.building', 'api::registration.registration']) {
      const { settings, metadatas, layouts } = await configuration(uid);
      // as the admin panel saves it: the endpoint adds documentId and each relation's list.mainField for display
      delete metadatas.documentId;
      for (const m of Object.values<any>(metadatas)) delete m.list.mainField;
      const res = await admin(superToken).put(`/content-manager/content-types/${uid}/configuration`, { settings, metadatas, layouts });
      expect({ uid, status: res.status, error: res.body.error }).toEqual({ uid, status: 200, error: undefined });
    }
  });

  it('says what is special about non-obvious fields', async () => {
    const event = await configuration('api::event.event');
    expect(event.metadatas.rrule.edit.description).toMatch(/RFC 5545 RRULE/);
    const building = await configuration('api::building.building');
    for (const field of ['library', 'fscsId', 'deliveryRoute', 'oclcSymbol', 'needsReview']) {
      expect(building.metadatas[field].edit.description).toMatch(/Locked for directors/);
    }
    expect(building.metadatas.phone.edit.description ?? '').not.toMatch(/Locked/);
    // keys the seat rules keep are shown, not editable
    const registration = await configuration('api::registration.registration');
    expect(registration.metadatas.slotKey.edit.editable).toBe(false);
    expect(registration.metadatas.status.edit.editable).not.toBe(false);
  });

  it('puts a rearranged view back on the next start, idempotently', async () => {
    const uid = 'api::event.event';
    const before = await configuration(uid);
    // someone drags fields around and deletes one from the view in "Configure the view"
    const shuffled = [[{ name: 'pdhHours', size: 4 }], ...before.layouts.edit.map((row: any[]) => row.filter((f) => f.name !== 'pdhHours' && f.name !== 'rrule')).filter((r: any[]) => r.length).reverse()];
    await app.strapi.plugin('content-manager').service('content-types').updateConfiguration(app.strapi.contentType(uid as never), { layouts: { ...before.layouts, edit: shuffled } });
    await configureContentManager(app.strapi);
    await configureContentManager(app.strapi);
    const after = await configuration(uid);
    expect(after.layouts.edit).toEqual(before.layouts.edit);
    expect(after.metadatas).toEqual(before.metadatas);
  });
});
