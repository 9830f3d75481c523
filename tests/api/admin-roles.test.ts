import { startApp, type TestApp } from '../helpers/strapi';

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
});

const adminWithRole = (email: string, code: string) => app.createAdmin(email, code);

const cm = (token: string) => ({
  get: (url: string) => app.http().get(`/content-manager/collection-types/${url}`).set('Authorization', `Bearer ${token}`),
  put: (url: string, body: unknown) => app.http().put(`/content-manager/collection-types/${url}`).set('Authorization', `Bearer ${token}`).send(body),
});

describe('admin roles as code', () => {
  it('creates System Staff, Membership Staff and Event Provider, and keeps them as defined', async () => {
    const roles = await app.strapi.db.query('admin::role').findMany({ where: { code: { $startsWith: 'll-' } }, populate: ['permissions'] });
    expect(roles.map((r) => r.name).sort()).toEqual(['Event Provider', 'Membership Staff', 'System Staff']);
    const counts = Object.fromEntries(roles.map((r) => [r.code, r.permissions.length]));
    // someone removes a permission in the admin panel; the next start restores it
    const staff = roles.find((r) => r.code === 'll-system-staff');
    await app.strapi.db.query('admin::permission').delete({ where: { id: staff.permissions[0].id } });
    const { syncAdminRoles } = require('../../dist/src/bootstrap/admin-roles');
    await syncAdminRoles(app.strapi);
    await syncAdminRoles(app.strapi);
    const again = await app.strapi.db.query('admin::role').findMany({ where: { code: { $startsWith: 'll-' } }, populate: ['permissions'] });
    expect(Object.fromEntries(again.map((r) => [r.code, r.permissions.length]))).toEqual(counts);
  });

  it('lets system staff manage content but not server settings', async () => {
    const staff = await adminWithRole('staff@ihls.example', 'll-system-staff');
    await cm(staff.token).get('api::affiliation.affiliation').expect(200);
    await cm(staff.token).get('api::building.building').expect(200);
    await app.http().get('/admin/roles').set('Authorization', `Bearer ${staff.token}`).expect(403);
    await app.http().get('/admin/users').set('Authorization', `Bearer ${staff.token}`).expect(403);
  });

  it('limits membership staff to accounts, affiliations, site visits and mentorship', async () => {
    const membership = await adminWithRole('membership@ihls.example', 'll-membership-staff');
    await cm(membership.token).get('api::affiliation.affiliation').expect(200);
    await cm(membership.token).get('api::mentorship-pairing.mentorship-pairing').expect(200);
    await cm(membership.token).get('api::event.event').expect(403);
  });

  it('shows an event provider only the events of its own organisations', async () => {
    const provider = await adminWithRole('ce@share.example', 'll-event-provider');
    const share = await app.strapi.documents('api::provider.provider').create({ data: { name: 'SHARE', slug: 'share', kind: 'consortium', adminUsers: [provider.id] } as never });
    const isl = await app.strapi.documents('api::provider.provider').create({ data: { name: 'Illinois State Library', slug: 'isl', kind: 'state-agency' } as never });
    const start = '2027-03-01T15:00:00.000Z';
    const own = await app.strapi.documents('api::event.event').create({ data: { title: 'SHARE cataloging basics', start, provider: share.documentId, registrationMode: 'none' } as never });
    const other = await app.strapi.documents('api::event.event').create({ data: { title: 'ISL grant webinar', start, provider: isl.documentId, registrationMode: 'none' } as never });

    const list = await cm(provider.token).get('api::event.event').expect(200);
    expect(list.body.results.map((e) => e.title)).toEqual(['SHARE cataloging basics']);
    await cm(provider.token).get(`api::event.event/${own.documentId}`).expect(200);
    const denied = await cm(provider.token).get(`api::event.event/${other.documentId}`);
    expect([403, 404]).toContain(denied.status);
    const edit = await cm(provider.token).put(`api::event.event/${other.documentId}`, { title: 'Hijacked' });
    expect([403, 404]).toContain(edit.status);
    const stored = await app.strapi.db.query('api::event.event').findOne({ where: { documentId: other.documentId } });
    expect(stored.title).toBe('ISL grant webinar');
    await cm(provider.token).put(`api::event.event/${own.documentId}`, { title: 'SHARE cataloging basics (updated)' }).expect(200);
    await cm(provider.token).get('api::affiliation.affiliation').expect(403);
  });
});

describe('content-manager list views', () => {
  it('shows staff the columns and order they work with', async () => {
    const staff = await adminWithRole('lists@ihls.example', 'll-system-staff');
    const config = await app.http().get('/content-manager/content-types/api::affiliation.affiliation/configuration').set('Authorization', `Bearer ${staff.token}`).expect(200);
    expect(config.body.data.contentType.layouts.list).toEqual(['user', 'building', 'jobTitle', 'status', 'createdAt']);
    expect(config.body.data.contentType.settings).toMatchObject({ defaultSortBy: 'createdAt', defaultSortOrder: 'ASC' });
    const buildings = await app.http().get('/content-manager/content-types/api::building.building/configuration').set('Authorization', `Bearer ${staff.token}`).expect(200);
    expect(buildings.body.data.contentType.layouts.list).toEqual(['name', 'library', 'city', 'county', 'outletType', 'needsReview']);
    expect(buildings.body.data.contentType.metadatas.library.list.mainField).toBe('name');
  });
});
