import { contentTypes as ctUtils } from '@strapi/utils';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { platformEvent, registerFor } from '../helpers/registration';

let app: TestApp;
const DAY = 86_400_000;
let superToken: string;
let staffToken: string;

const configuration = async (uid: string) =>
  (await app.as(superToken).get(`/content-manager/content-types/${uid}/configuration`).expect(200)).body.data.contentType;

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
      const res = await app.as(superToken).put(`/content-manager/content-types/${uid}/configuration`).send({ settings, metadatas, layouts });
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

describe('Seats column: GET /rosters/seats', () => {
  let n = 0;
  const event = (data: Record<string, unknown>) => platformEvent(app, data);
  const register = (who: TestUser, ev: { documentId: string }, body: Record<string, unknown> = {}) => registerFor(app, who, ev, body);
  const member = async () => {
    n += 1;
    return app.createUser('member', { email: `seat${n}@library.example` });
  };
  const seats = (token: string | null, ids: string[]) => app.as(token).get(`/rosters/seats?events=${ids.join(',')}`);

  let providerToken: string;
  let own: any;
  let fee: any;
  let open: any;
  let rooms: any;
  let weekly: any;
  let external: any;
  let other: any;
  let nextDate: string;

  beforeAll(async () => {
    const providerAdmin = await app.createAdmin('ce@share.example', 'll-event-provider');
    providerToken = providerAdmin.token;
    const share = await app.strapi.documents('api::provider.provider').create({ data: { name: 'SHARE', slug: 'share', kind: 'consortium', adminUsers: [providerAdmin.documentId] } as never });
    const isl = await app.strapi.documents('api::provider.provider').create({ data: { name: 'Illinois State Library', slug: 'isl', kind: 'state-agency' } as never });

    // full, with a waitlist and a cancellation: 2 of 2 held, the waitlisted and the cancelled do not count
    own = await event({ title: 'Polaris basics', capacity: 2, provider: share.documentId });
    const [a, b, c, d] = [await member(), await member(), await member(), await member()];
    const first = await register(a, own);
    await register(b, own);
    await register(c, own); // waitlisted
    await register(d, own); // waitlisted
    await app.as(a).post(`/api/registrations/${first.body.data[0].documentId}/cancel`).send({}).expect(200);
    // c was promoted into a's seat: still 2 of 2, d waiting

    // a fee event: pending payment holds a seat
    fee = await event({ title: 'Cataloging boot camp', capacity: 10, fee: 25, provider: isl.documentId });
    await register(await member(), fee);
    // no capacity anywhere: no limit
    open = await event({ title: 'Open house', provider: isl.documentId });
    await register(await member(), open);
    // no event capacity, every location limited: the locations' seats
    rooms = await event({ title: 'Two rooms', provider: isl.documentId, locations: [{ key: 'east', name: 'East', capacity: 2 }, { key: 'west', name: 'West', capacity: 3 }] });
    await register(await member(), rooms, { location: 'west' });
    // recurring: the next date's figure, not the sum
    weekly = await event({ title: 'Weekly tech help', capacity: 8, provider: isl.documentId, start: new Date(Date.now() - 2 * DAY).toISOString(), end: new Date(Date.now() - 2 * DAY + 3_600_000).toISOString(), rrule: 'FREQ=WEEKLY' });
    const dates = app.strapi.service('api::event.recurrence').expand(await app.strapi.db.query('api::event.event').findOne({ where: { documentId: weekly.documentId, publishedAt: { $notNull: true } } }), new Date(), new Date(Date.now() + 30 * DAY));
    nextDate = dates[0].originalStart;
    await register(await member(), weekly, { occurrence: nextDate });
    await register(await member(), weekly, { occurrence: nextDate });
    await register(await member(), weekly, { occurrence: dates[1].originalStart });
    // registration elsewhere
    external = await event({ title: 'ALA webinar', capacity: 100, registrationMode: 'external', signupInstructions: 'Sign up at ala.example', provider: isl.documentId });
    other = await event({ title: 'ISL grant Q&A', capacity: 30, provider: isl.documentId });
  });

  it('gives staff used / offered for a whole page in one answer', async () => {
    const ids = [own, fee, open, rooms, weekly, external, other].map((e) => e.documentId);
    const res = await seats(staffToken, ids).expect(200);
    const fig = res.body.data;
    expect(Object.keys(fig).sort()).toEqual([...ids].sort());
    expect(fig[own.documentId]).toMatchObject({ used: 2, total: 2, recurring: false, registrationMode: 'platform' });
    expect(fig[own.documentId].occurrence).toBe(new Date(own.start).toISOString());
    expect(fig[fee.documentId]).toMatchObject({ used: 1, total: 10 });
    expect(fig[open.documentId]).toMatchObject({ used: 1, total: null });
    expect(fig[rooms.documentId]).toMatchObject({ used: 1, total: 5 });
    expect(fig[weekly.documentId]).toMatchObject({ used: 2, total: 8, recurring: true, occurrence: new Date(nextDate).toISOString() });
    expect(fig[external.documentId]).toMatchObject({ used: 0, total: 100, registrationMode: 'external' });
    expect(fig[other.documentId]).toMatchObject({ used: 0, total: 30 });
  });

  it('agrees with the roster', async () => {
    const roster = await app.as(staffToken).get(`/rosters/events/${own.documentId}`).expect(200);
    const { confirmed, pendingPayment, waitlist } = roster.body.meta.counts;
    expect(confirmed + pendingPayment).toBe(2);
    expect(waitlist).toBe(1);
  });

  it('gives an event provider only its own events', async () => {
    const res = await seats(providerToken, [own.documentId, other.documentId, fee.documentId]).expect(200);
    expect(Object.keys(res.body.data)).toEqual([own.documentId]);
  });

  it('refuses anonymous callers and oversized or malformed asks', async () => {
    expect([401, 403]).toContain((await seats(null, [own.documentId])).status);
    await seats(staffToken, Array.from({ length: 101 }, (_, i) => `id${i}`)).expect(400);
    await app.as(staffToken).get('/rosters/seats?events=abc,%27%20OR%201=1').expect(400);
    expect((await seats(staffToken, []).expect(200)).body.data).toEqual({});
    expect((await seats(staffToken, ['nosuchdocumentid000000000']).expect(200)).body.data).toEqual({});
  });
});

describe('Buildings list: the System column reads libraries through the content manager', () => {
  it('lists a page of libraries with their system populated, by documentId', async () => {
    const system = await app.strapi.documents('api::library-system.library-system').create({ data: { name: 'Illinois Heartland Library System', code: 'IHLS', kind: 'system' } as never });
    const building = await app.createBuilding({ name: 'Mascoutah Public Library' });
    const stored = await app.strapi.db.query('api::building.building').findOne({ where: { documentId: building.documentId }, populate: { library: true } });
    await app.strapi.documents('api::library.library').update({ documentId: stored.library.documentId, data: { system: system.documentId } as never });

    // the list row carries its library's documentId ...
    const rows = await app.as(staffToken).get(`/content-manager/collection-types/api::building.building?filters[documentId][$eq]=${building.documentId}`).expect(200);
    const library = rows.body.results[0].library;
    expect(library.documentId).toBe(stored.library.documentId);
    // ... and one request for the page's libraries brings their systems (what the column's batch asks)
    const libs = await app.as(staffToken).get(`/content-manager/collection-types/api::library.library?page=1&pageSize=1&filters[documentId][$in][0]=${library.documentId}`).expect(200);
    expect(libs.body.results[0].system).toMatchObject({ code: 'IHLS' });
  });
});

describe('an event provider sees who registered, not their accounts', () => {
  const USER = 'plugin::users-permissions.user';
  const REG = 'api::registration.registration';
  let provider: string;
  let ada: TestUser;
  let regId: string;
  let secrets: string[];

  beforeAll(async () => {
    const admin = await app.createAdmin('ce@rails.example', 'll-event-provider');
    provider = admin.token;
    const rails = await app.strapi.documents('api::provider.provider').create({ data: { name: 'RAILS CE', slug: 'rails-ce', kind: 'consortium', adminUsers: [admin.documentId] } as never });
    const own = await platformEvent(app, { title: 'Genealogy databases', capacity: 10, provider: rails.documentId });
    const elsewhere = await platformEvent(app, { title: 'Someone else\'s workshop', capacity: 10 });

    // a member with a calendar feed, an email change under way, a profile phone, and a registration elsewhere
    ada = await app.createUser('member', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@library.example' });
    await app.as(ada).post('/api/me/calendar-token').expect(201);
    await app.as(ada).post('/api/profile/email').send({ email: 'ada.new@library.example', password: ada.password }).expect(202);
    await app.as(ada).put('/api/profile').send({ phone: '217-555-0199' }).expect(200);
    regId = (await registerFor(app, ada, own, { emergencyPhone: '217-555-0101' })).body.data[0].documentId;
    await registerFor(app, ada, elsewhere, { emergencyPhone: '618-555-0123', specialNeeds: 'Step-free entrance' });

    const stored = await app.strapi.db.query(USER).findOne({ where: { id: ada.id } });
    expect(stored.calendarToken).toBeTruthy();
    expect(stored.emailChangeToken).toBeTruthy();
    await app.strapi.db.query(USER).update({ where: { id: ada.id }, data: { resetPasswordToken: 'reset-token-0123456789abcdef' } });
    secrets = [stored.calendarToken, stored.emailChangeToken, 'ada.new@library.example', 'reset-token-0123456789abcdef', '217-555-0199', '618-555-0123', 'Step-free entrance'];
  });

  const leaked = (body: unknown) => {
    const text = JSON.stringify(body);
    return secrets.filter((s) => text.includes(s));
  };
  const ADA = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@library.example' };

  it('list and edit views: the registrant\'s name and email, no tokens, pending email or profile', async () => {
    const list = await app.as(provider).get(`/content-manager/collection-types/${REG}`).expect(200);
    expect(list.body.results.map((r: any) => r.documentId)).toEqual([regId]);
    expect(list.body.results[0].user).toMatchObject(ADA);
    expect(list.body.results[0].emergencyPhone).toBe('217-555-0101'); // the provider's own event: as the roster shows it
    expect(leaked(list.body)).toEqual([]);

    const edit = await app.as(provider).get(`/content-manager/collection-types/${REG}/${regId}`).expect(200);
    expect(leaked(edit.body)).toEqual([]);
    // the edit view's relation field: the person's email (its label), not a bare id
    const user = await app.as(provider).get(`/content-manager/relations/${REG}/${regId}/user`).expect(200);
    expect(user.body.results).toMatchObject([{ documentId: ada.documentId, email: ADA.email }]);
    expect(leaked(user.body)).toEqual([]);
  });

  it('asking for more through populate or filters gives nothing more', async () => {
    for (const url of [
      `${REG}?populate[user][populate]=*`,
      `${REG}?populate[user][populate][registrations][populate]=*&populate[registeredBy][populate]=*`,
      `${REG}/${regId}?populate[user][populate]=*`,
      `${REG}?populate=*`,
    ]) {
      const res = await app.as(provider).get(`/content-manager/collection-types/${url}`).expect(200);
      expect({ url, leaked: leaked(res.body) }).toEqual({ url, leaked: [] });
      const rows = res.body.results ?? [res.body.data];
      for (const row of rows) expect(Object.keys(row.user ?? {}).filter((k) => ['affiliations', 'registrations', 'role', 'phone', 'pendingEmail'].includes(k))).toEqual([]);
    }
    // a filter on a field the provider may not read is no oracle: it does not narrow the list
    const wrong = await app.as(provider).get(`/content-manager/collection-types/${REG}?filters[user][pendingEmail][$eq]=nobody@x.example`).expect(200);
    expect(wrong.body.results.map((r: any) => r.documentId)).toEqual([regId]);
  });

  it('relation pickers and the accounts collection: its registrants only, name and email only', async () => {
    const stranger = await app.createUser('member', { firstName: 'Not', lastName: 'Registered' });
    const available = await app.as(provider).get(`/content-manager/relations/${REG}/user`).expect(200);
    expect(available.body.results.map((u: any) => u.documentId)).toEqual([ada.documentId]);
    expect(leaked(available.body)).toEqual([]);

    const users = await app.as(provider).get(`/content-manager/collection-types/${USER}`).expect(200);
    expect(users.body.results).toMatchObject([ADA]);
    expect(leaked(users.body)).toEqual([]);
    const one = await app.as(provider).get(`/content-manager/collection-types/${USER}/${ada.documentId}?populate=*`).expect(200);
    expect(one.body.data).toMatchObject(ADA);
    expect(leaked(one.body)).toEqual([]);
    const denied = await app.as(provider).get(`/content-manager/collection-types/${USER}/${stranger.documentId}`);
    expect([403, 404]).toContain(denied.status);
    await app.as(provider).put(`/content-manager/collection-types/${USER}/${ada.documentId}`).send({ firstName: 'Hijacked' }).expect(403);
  });

  it('the accounts search (_q) looks only at the name and email: a profile phone or bio finds nobody', async () => {
    await app.strapi.db.query(USER).update({ where: { id: ada.id }, data: { bio: 'Analytical engine enthusiast' } });
    const search = async (token: string, term: string) =>
      (await app.as(token).get(`/content-manager/collection-types/${USER}?_q=${encodeURIComponent(term)}`).expect(200)).body.results.map((u: any) => u.documentId);
    // what a provider may not read cannot be read back by which people a search finds, one digit at a time
    for (const term of ['217-555-0199', '217-555-01', 'Analytical engine']) expect({ term, found: await search(provider, term) }).toEqual({ term, found: [] });
    // its registrants are still found by what it reads of them
    for (const term of ['Lovelace', 'ada@library']) expect({ term, found: await search(provider, term) }).toEqual({ term, found: [ada.documentId] });
    // staff, who read whole accounts, still search all of them
    expect(await search(staffToken, '217-555-0199')).toEqual([ada.documentId]);
    expect(await search(staffToken, 'Analytical engine')).toEqual([ada.documentId]);
  });

  it('staff still read accounts, without the token hashes; the tokens still work', async () => {
    const one = await app.as(staffToken).get(`/content-manager/collection-types/${USER}/${ada.documentId}`).expect(200);
    expect(one.body.data).toMatchObject({ ...ADA, phone: '217-555-0199', pendingEmail: 'ada.new@library.example' });
    const stored = await app.strapi.db.query(USER).findOne({ where: { id: ada.id } });
    expect(JSON.stringify(one.body)).not.toContain(stored.calendarToken);
    expect(JSON.stringify(one.body)).not.toContain(stored.emailChangeToken);
    expect(JSON.stringify(one.body)).not.toContain('reset-token-0123456789abcdef');
    const regs = await app.as(staffToken).get(`/content-manager/collection-types/${REG}?filters[user][documentId][$eq]=${ada.documentId}`).expect(200);
    expect(regs.body.results.map((r: any) => r.emergencyPhone).sort()).toEqual(['217-555-0101', '618-555-0123']);

    // the secrets are read by the services that need them (they read the database, not the admin API)
    const feed = await app.as(ada).post('/api/me/calendar-token').expect(201);
    await app.http().get(`/api/me/calendar.ics?token=${feed.body.data.token}`).expect(200);
  });
});

describe('an event provider sees of a related event or person only what its conditions let it read', () => {
  const TAG = 'api::tag.tag';
  const GROUP = 'api::networking-group.networking-group';
  const PRIVATE = ['reviewNote', 'importSource', 'externalUid', 'submissionState', 'submittedBy', 'title'];
  let provider: string;
  let own: { id: number; documentId: string };
  let theirs: { id: number; documentId: string };
  let secrets: string[];

  beforeAll(async () => {
    const admin = await app.createAdmin('ce@prairiecat.example', 'll-event-provider');
    provider = admin.token;
    const mine = await app.strapi.documents('api::provider.provider').create({ data: { name: 'PrairieCat CE', slug: 'prairiecat-ce', kind: 'consortium', adminUsers: [admin.documentId] } as never });
    const elsewhere = await app.strapi.documents('api::provider.provider').create({ data: { name: 'Another consortium', slug: 'another-consortium', kind: 'consortium' } as never });
    const tag = await app.strapi.documents(TAG).create({ data: { name: 'Cataloging', slug: 'cataloging' } as never });
    const chair = await app.createUser('member', { firstName: 'Grace', lastName: 'Hopper', email: 'grace.chair@library.example' });
    const group = await app.strapi.documents(GROUP).create({ data: { name: 'Catalogers roundtable', slug: 'catalogers-roundtable', scope: 'regional', primaryAdmin: chair.documentId } as never });
    const submitter = await app.createUser('member', { firstName: 'Sub', lastName: 'Mitter', email: 'submitter@library.example' });
    const links = { tags: [tag.documentId], networkingGroup: group.documentId };
    own = await platformEvent(app, { title: 'Our RDA refresher', provider: mine.documentId, reviewNote: 'own note', ...links });
    theirs = await platformEvent(app, {
      title: 'Their MARC clinic', provider: elsewhere.documentId, reviewNote: 'Declined twice: fee not paid', importSource: 'feed-secret.example/ics',
      externalUid: 'uid-7f3a@their.example', submissionState: 'rejected', submittedBy: submitter.documentId, ...links,
    });
    secrets = ['Declined twice: fee not paid', 'feed-secret.example/ics', 'uid-7f3a@their.example', 'rejected', 'submitter@library.example', 'Their MARC clinic', 'grace.chair@library.example', 'Hopper'];
  });

  const leaked = (body: unknown) => secrets.filter((s) => JSON.stringify(body).includes(s));
  const eventsOf = (row: any) => new Map<string, any>((row.events ?? []).map((e: any) => [e.documentId, e]));

  it('through a tag or a networking group: its own event whole, another provider\'s by id only', async () => {
    for (const url of [
      `${TAG}?populate[events]=true`,
      `${TAG}?populate[events][populate]=*`,
      `${GROUP}?populate[events][populate]=*&populate[primaryAdmin]=true`,
    ]) {
      const res = await app.as(provider).get(`/content-manager/collection-types/${url}`).expect(200);
      expect({ url, leaked: leaked(res.body) }).toEqual({ url, leaked: [] });
      const row = res.body.results.find((r: any) => eventsOf(r).size === 2);
      expect(row).toBeDefined();
      const events = eventsOf(row);
      expect(events.get(own.documentId)).toMatchObject({ title: 'Our RDA refresher', reviewNote: 'own note' });
      const other = events.get(theirs.documentId);
      expect({ url, keys: Object.keys(other).filter((k) => PRIVATE.includes(k)) }).toEqual({ url, keys: [] });
      expect(other.id).toBeDefined();
      // the group's chair (a private field, staff's) is not shown at all: no account, no name or email
      if (url.startsWith(GROUP)) expect(row.primaryAdmin).toBeUndefined();
    }
  });

  it("filters through a related event look only at the events it may read: another provider's notes tell nothing", async () => {
    const tagsWhere = async (token: string, query: string) =>
      (await app.as(token).get(`/content-manager/collection-types/${TAG}?${query}`).expect(200)).body.results.map((r: any) => r.slug);
    const by = (field: string, value: string) => `filters[$and][0][events][${field}][$eq]=${encodeURIComponent(value)}`;
    // its own event's note finds the tag; another provider's finds nothing (it would tell what that event holds)
    expect(await tagsWhere(provider, by('reviewNote', 'own note'))).toEqual(['cataloging']);
    expect(await tagsWhere(provider, by('reviewNote', 'Declined twice: fee not paid'))).toEqual([]);
    expect(await tagsWhere(provider, by('submissionState', 'rejected'))).toEqual([]);
    // staff read every event: the same filter finds the tag
    expect(await tagsWhere(staffToken, by('reviewNote', 'Declined twice: fee not paid'))).toEqual(['cataloging']);
  });

  it("sorting through a related event orders nothing by another provider's notes", async () => {
    // two tags whose only events are another provider's, created in the opposite order of those events' notes
    const other = await app.strapi.documents('api::provider.provider').create({ data: { name: 'Third consortium', slug: 'third-consortium', kind: 'consortium' } as never });
    for (const [slug, reviewNote] of [['sort-zulu', 'Z: keep off the calendar'], ['sort-alpha', 'A: approved with changes']]) {
      const tag = await app.strapi.documents(TAG).create({ data: { name: slug, slug } as never });
      await platformEvent(app, { title: `Sorted ${slug}`, provider: other.documentId, reviewNote, tags: [tag.documentId] });
    }
    const order = async (token: string, direction: string) =>
      (await app.as(token).get(`/content-manager/collection-types/${TAG}?filters[slug][$in][0]=sort-zulu&filters[slug][$in][1]=sort-alpha&sort=events.reviewNote:${direction}`).expect(200)).body.results.map((r: any) => r.slug);
    // staff read every event: the notes order the tags
    expect([await order(staffToken, 'ASC'), await order(staffToken, 'DESC')]).toEqual([['sort-alpha', 'sort-zulu'], ['sort-zulu', 'sort-alpha']]);
    // the provider: both directions give the same order, so the order tells nothing of the notes
    const asc = await order(provider, 'ASC');
    expect(asc.slice().sort()).toEqual(['sort-alpha', 'sort-zulu']);
    expect(await order(provider, 'DESC')).toEqual(asc);
    // the object form of the same sort likewise; a sort by the events' ids still answers
    const objectForm = (direction: string) => `filters[slug][$in][0]=sort-zulu&filters[slug][$in][1]=sort-alpha&sort[events][reviewNote]=${direction}`;
    const slugs = async (query: string) => (await app.as(provider).get(`/content-manager/collection-types/${TAG}?${query}`).expect(200)).body.results.map((r: any) => r.slug);
    expect([await slugs(objectForm('asc')), await slugs(objectForm('desc'))]).toEqual([asc, asc]);
    expect((await slugs('filters[slug][$in][0]=sort-zulu&filters[slug][$in][1]=sort-alpha&sort=events.id:desc')).sort()).toEqual(['sort-alpha', 'sort-zulu']);
  });

  it('staff still see every related event whole', async () => {
    const res = await app.as(staffToken).get(`/content-manager/collection-types/${TAG}?populate[events]=true`).expect(200);
    const events = eventsOf(res.body.results.find((r: any) => eventsOf(r).size === 2));
    expect(events.get(theirs.documentId)).toMatchObject({ title: 'Their MARC clinic', reviewNote: 'Declined twice: fee not paid', importSource: 'feed-secret.example/ics' });
  });
});

describe("an event provider reads the directory and groups it files events under, not staff's private notes on them", () => {
  const BUILDING = 'api::building.building';
  const GROUP = 'api::networking-group.networking-group';
  let provider: string;
  let annex: { documentId: string };
  let group: { documentId: string };

  beforeAll(async () => {
    provider = (await app.createAdmin('ce@swan.example', 'll-event-provider')).token;
    annex = await app.createBuilding({ name: 'Annex branch', reviewNote: 'Closed pending asbestos survey' });
    group = await app.strapi.documents(GROUP).create({ data: { name: 'Youth services forum', slug: 'youth-services-forum', icsFeedUrl: 'https://calendar.secret.example/forum.ics', lastImportedAt: '2026-11-02T10:00:00.000Z' } as never });
  });

  it('lists and opens buildings and groups without their private fields (review note, search text, import address)', async () => {
    const secrets = ['asbestos', 'calendar.secret.example', '2026-11-02T10:00'];
    for (const url of [`${BUILDING}?filters[documentId][$eq]=${annex.documentId}`, `${BUILDING}/${annex.documentId}`, `${GROUP}?filters[documentId][$eq]=${group.documentId}`, `${GROUP}/${group.documentId}?populate=*`]) {
      const res = await app.as(provider).get(`/content-manager/collection-types/${url}`).expect(200);
      const row = res.body.results?.[0] ?? res.body.data;
      expect({ url, name: row.name }).toEqual({ url, name: expect.stringMatching(/Annex branch|Youth services forum/) });
      const text = JSON.stringify(res.body);
      expect({ url, leaked: secrets.filter((s) => text.toLowerCase().includes(s.toLowerCase())) }).toEqual({ url, leaked: [] });
      for (const field of ['reviewNote', 'searchText', 'icsFeedUrl', 'lastImportedAt', 'primaryAdmin']) expect(Object.keys(row)).not.toContain(field);
    }
    // nor read back through a filter: a filter on a field it may not read does not narrow the list
    const count = async (query: string) => (await app.as(provider).get(`/content-manager/collection-types/${query}`).expect(200)).body.pagination.total;
    expect(await count(`${BUILDING}?filters[reviewNote][$startsWith]=Closed`)).toBe(await count(`${BUILDING}?filters[reviewNote][$startsWith]=zzz`));
    expect(await count(`${GROUP}?filters[icsFeedUrl][$startsWith]=https://calendar.secret`)).toBe(await count(`${GROUP}?filters[icsFeedUrl][$startsWith]=zzz`));
    // staff still read them
    const staff = await app.as(staffToken).get(`/content-manager/collection-types/${BUILDING}/${annex.documentId}`).expect(200);
    expect(staff.body.data.reviewNote).toBe('Closed pending asbestos survey');
  });

  it('a sort through a type the role may not read at all orders by nothing of it, and answers (it was a 500)', async () => {
    const membership = (await app.createAdmin('ms@swan.example', 'll-membership-staff')).token;
    await app.createUser('member', { building: annex });
    const names = async (token: string, query: string) => (await app.as(token).get(`/content-manager/collection-types/${query}`).expect(200)).body.results.length;
    // an event provider reads no affiliations; membership staff read no registrations
    expect(await names(provider, `${BUILDING}?sort=affiliations.jobTitle:asc`)).toBeGreaterThan(0);
    expect(await names(membership, 'plugin::users-permissions.user?sort=registrations.specialNeeds:asc')).toBeGreaterThan(0);
    expect(await names(membership, 'plugin::users-permissions.user?sort[0]=registrations.emergencyPhone:desc')).toBeGreaterThan(0);
    // staff, who read them, still sort by them
    expect(await names(staffToken, 'plugin::users-permissions.user?sort=registrations.specialNeeds:asc')).toBeGreaterThan(0);
  });
});
