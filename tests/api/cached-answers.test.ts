import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

/**
 * Occurrences, feeds and directory search are cached per process until the data
 * they are built from changes (src/utils/versioned-cache.ts). What a user must
 * never notice: an edit, whichever way it is made, not showing at once.
 */
let app: TestApp;
let member: TestUser;
const day = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();
const MONTH = `from=${encodeURIComponent(inDays(1))}&to=${encodeURIComponent(inDays(30))}`;
const text = (res: { text?: string; body?: unknown }) => (typeof res.text === 'string' && res.text ? res.text : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '');

beforeAll(async () => {
  app = await startApp({ AUTH_CACHE_MAX_AGE_SECONDS: '2' });
  member = await app.createUser('member');
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

async function publishedEvent(title: string, data: Record<string, unknown> = {}) {
  const docs = app.strapi.documents('api::event.event');
  const e = await docs.create({ data: { title, audience: 'public', registrationMode: 'none', start: inDays(10), end: inDays(10.1), ...data } as never });
  await docs.publish({ documentId: e.documentId } as never);
  return e.documentId;
}

const titles = async (user: TestUser | null = null) =>
  ((await app.as(user).get(`/api/occurrences?${MONTH}`)).body.data as { event: { title: string } }[]).map((o) => o.event.title);

describe('cached calendar answers follow every edit', () => {
  it('occurrences show a newly published event, a rename, an unpublish and a deletion at once', async () => {
    expect(await titles()).not.toContain('Cache: weeding workshop');
    const id = await publishedEvent('Cache: weeding workshop');
    expect(await titles()).toContain('Cache: weeding workshop');

    const docs = app.strapi.documents('api::event.event');
    await docs.update({ documentId: id, data: { title: 'Cache: weeding clinic' } as never });
    await docs.publish({ documentId: id } as never);
    expect(await titles()).toEqual(expect.arrayContaining(['Cache: weeding clinic']));
    expect(await titles()).not.toContain('Cache: weeding workshop');

    await docs.unpublish({ documentId: id } as never);
    expect(await titles()).not.toContain('Cache: weeding clinic');
    await docs.publish({ documentId: id } as never);
    expect(await titles()).toContain('Cache: weeding clinic');
    await docs.delete({ documentId: id } as never);
    expect(await titles()).not.toContain('Cache: weeding clinic');
  });

  it('keeps members-only events out of the anonymous answer after a member asked first', async () => {
    await publishedEvent('Cache: directors only', { audience: 'members' });
    expect(await titles(member)).toContain('Cache: directors only');
    expect(await titles()).not.toContain('Cache: directors only');
    expect(await titles(member)).toContain('Cache: directors only');
  });

  it('a repeat poll of the public feed gets 304 until an event changes, then the new feed', async () => {
    const id = await publishedEvent('Cache: storytime swap');
    const first = await app.http().get('/api/calendar.ics');
    expect(first.status).toBe(200);
    const etag = first.headers.etag;
    expect(text(first)).toContain('Cache: storytime swap');
    expect((await app.http().get('/api/calendar.ics').set('If-None-Match', etag)).status).toBe(304);

    // a write below the document service (scripts, imports use db.query) counts as well
    await app.strapi.db.query('api::event.event').updateMany({ where: { documentId: id }, data: { title: 'Cache: storytime exchange' } });
    const after = await app.http().get('/api/calendar.ics').set('If-None-Match', etag);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(text(after)).toContain('Cache: storytime exchange');
    expect(text(after)).not.toContain('Cache: storytime swap');
  });

  it('a renamed tag or provider shows in the occurrences that carry it', async () => {
    const provider = await app.strapi.documents('api::provider.provider').create({ data: { name: 'Cache Consortium', slug: 'cache-consortium' } as never });
    await publishedEvent('Cache: provider event', { provider: provider.documentId });
    const providerName = async () =>
      ((await app.http().get(`/api/occurrences?${MONTH}&provider=cache-consortium`)).body.data as { event: { provider: { name: string } } }[])[0]?.event.provider.name;
    expect(await providerName()).toBe('Cache Consortium');
    await app.strapi.documents('api::provider.provider').update({ documentId: provider.documentId, data: { name: 'Cache Library Consortium' } as never });
    expect(await providerName()).toBe('Cache Library Consortium');
  });
});

describe('calendar searches', () => {
  it('do not push the month every calendar polls out of the cache', async () => {
    await publishedEvent('Cache: the month stays');
    const calendar = app.strapi.service('api::event.calendar') as any;
    const builds = jest.spyOn(calendar, 'buildOccurrences');
    try {
      const month = () => app.http().get(`/api/occurrences?${MONTH}`).expect(200);
      await month();
      // a website's search box: many different searches, each asked once
      for (let i = 0; i < 120; i += 1) await app.http().get(`/api/occurrences?${MONTH}&q=search${i}`).expect(200);
      const before = builds.mock.calls.length;
      await month();
      expect(builds.mock.calls.length).toBe(before);
    } finally {
      builds.mockRestore();
    }
  });
});

describe('a version counter that goes back', () => {
  it('(a database restored from a backup) drops what was cached instead of serving it', async () => {
    const id = await publishedEvent('Cache: before the restore');
    expect(await titles()).toContain('Cache: before the restore');
    // the restored data and counters, written below every lifecycle
    await app.strapi.db.connection('events').where({ document_id: id }).update({ title: 'Cache: after the restore' });
    await app.strapi.db.connection('ll_cache_versions').where({ name: 'calendar' }).update({ version: 1 });
    expect(await titles()).toContain('Cache: after the restore');
    expect(await titles()).not.toContain('Cache: before the restore');
  });
});

describe('cached reads inside a transaction', () => {
  it('are built on the transaction\'s connection (SQLite has only one), and a rolled-back write never reaches the cache', async () => {
    const docs = app.strapi.documents('api::event.event');
    const inside = app.strapi.db.transaction(async () => {
      const e = await docs.create({ data: { title: 'Cache: rolled back', audience: 'public', registrationMode: 'none', start: inDays(11) } as never });
      await docs.publish({ documentId: e.documentId } as never);
      const feed = await app.strapi.service('api::event.calendar').publicFeed({});
      expect(feed.body.toString()).toContain('Cache: rolled back');
      throw new Error('roll back');
    });
    await expect(inside).rejects.toThrow('roll back');
    // the next committed write takes the version number the rolled-back one had
    await publishedEvent('Cache: committed after');
    const feed = await app.strapi.service('api::event.calendar').publicFeed({});
    expect(feed.body.toString()).toContain('Cache: committed after');
    expect(feed.body.toString()).not.toContain('Cache: rolled back');
  }, 20_000);
});

describe('the members-only filter of populated relations follows every edit', () => {
  it('an event turned members-only disappears at once from a tag\'s populated events for anonymous callers', async () => {
    const tag = await app.strapi.documents('api::tag.tag').create({ data: { name: 'Cache tag', slug: 'cache-tag' } as never });
    const id = await publishedEvent('Cache: tagged talk', { tags: [tag.documentId] });
    const tagged = async () => ((await app.http().get(`/api/tags/${tag.documentId}?populate=events`)).body.data.events as { title: string }[]).map((e) => e.title);
    expect(await tagged()).toContain('Cache: tagged talk');
    const docs = app.strapi.documents('api::event.event');
    await docs.update({ documentId: id, data: { audience: 'members' } as never });
    await docs.publish({ documentId: id } as never);
    expect(await tagged()).not.toContain('Cache: tagged talk');
  });
});

describe('cached directory search follows every edit', () => {
  it('finds a renamed building by its new name at once, and no longer by its old one', async () => {
    const b = await app.createBuilding({ name: 'Quillfeather Branch Library', city: 'Quincy', county: 'Adams' });
    const search = async (q: string) => ((await app.http().get(`/api/directory/search?q=${encodeURIComponent(q)}`)).body.data as { documentId: string }[]).map((r) => r.documentId);
    expect(await search('quillfeather')).toContain(b.documentId);
    expect(await search('inkwell')).not.toContain(b.documentId);
    await app.strapi.documents('api::building.building').update({ documentId: b.documentId, data: { name: 'Inkwell Branch Library' } as never });
    expect(await search('inkwell')).toContain(b.documentId);
    expect(await search('quillfeather')).not.toContain(b.documentId);
  });
});

/** The SQL statements run while `request` is answered. */
async function statementsOf(request: () => PromiseLike<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listen = (q: { sql: string }) => seen.push(q.sql);
  app.strapi.db.connection.on('query', listen);
  try {
    await request();
  } finally {
    app.strapi.db.connection.off('query', listen);
  }
  return seen;
}

describe('cached authentication follows every change to people, roles, permissions and tokens', () => {
  const USER = 'plugin::users-permissions.user';
  const roleId = async (type: string) => (await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } })).id;

  it('refuses a person at their next request once staff block them', async () => {
    const who = await app.createUser('member');
    await app.as(who).get('/api/me/registrations').expect(200);
    await app.strapi.db.query(USER).update({ where: { id: who.id }, data: { blocked: true } });
    await app.as(who).get('/api/me/registrations').expect(401);
    await app.strapi.db.query(USER).update({ where: { id: who.id }, data: { blocked: false } });
    await app.as(who).get('/api/me/registrations').expect(200);
  });

  it('shows members-only events at the next request once a guest becomes a member', async () => {
    await publishedEvent('Cache: trustees roundtable', { audience: 'members' });
    const guest = await app.createUser('guest');
    expect(await titles(guest)).not.toContain('Cache: trustees roundtable');
    await app.strapi.db.query(USER).update({ where: { id: guest.id }, data: { role: await roleId('member') } });
    expect(await titles(guest)).toContain('Cache: trustees roundtable');
  });

  it('applies a permission granted to or taken from the public role at the next anonymous request', async () => {
    await app.http().get('/api/users/count').expect(403);
    const granted = await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action: 'plugin::users-permissions.user.count', role: await roleId('public') } });
    await app.http().get('/api/users/count').expect(200);
    await app.strapi.db.query('plugin::users-permissions.permission').delete({ where: { id: granted.id } });
    await app.http().get('/api/users/count').expect(403);
  });

  it('stops accepting an API token at the next request once it is revoked', async () => {
    const tokens = app.strapi.service('admin::api-token-content-api');
    const token = await tokens.create({ name: 'Cache: website token', type: 'read-only', lifespan: null });
    await app.as(token.accessKey).get('/api/events').expect(200);
    await tokens.revoke(token.id);
    await app.as(token.accessKey).get('/api/events').expect(401);
  });

  it('rebuilds sign-in answers after AUTH_CACHE_MAX_AGE_SECONDS even when a change was never counted', async () => {
    await app.http().get('/api/users/count').expect(403);
    const versions = app.strapi.db.connection('ll_cache_versions');
    const before = await versions.clone().where({ name: 'accounts' }).first('version');
    const granted = await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action: 'plugin::users-permissions.user.count', role: await roleId('public') } });
    // as if the bump had failed after the grant committed
    await versions.clone().where({ name: 'accounts' }).update({ version: before?.version ?? 0 });
    await app.http().get('/api/users/count').expect(403);
    await new Promise((r) => setTimeout(r, 2100));
    await app.http().get('/api/users/count').expect(200);
    await app.strapi.db.query('plugin::users-permissions.permission').delete({ where: { id: granted.id } });
  });

  it('applies a change to the sign-in settings (email confirmation) at the next request', async () => {
    const who = await app.createUser('member');
    await app.strapi.db.query(USER).update({ where: { id: who.id }, data: { confirmed: false } });
    const store = app.strapi.store({ type: 'plugin', name: 'users-permissions' });
    const advanced = (await store.get({ key: 'advanced' })) as Record<string, unknown>;
    try {
      await store.set({ key: 'advanced', value: { ...advanced, email_confirmation: false } });
      await app.as(who).get('/api/me/registrations').expect(200);
      await store.set({ key: 'advanced', value: { ...advanced, email_confirmation: true } });
      // an unconfirmed account is refused once confirmation is required
      await app.as(who).get('/api/me/registrations').expect(401);
    } finally {
      await store.set({ key: 'advanced', value: advanced });
    }
  });

  it('gives each reader its own copy of a cached setting', async () => {
    const store = app.strapi.store({ type: 'plugin', name: 'users-permissions' });
    const first = (await store.get({ key: 'advanced' })) as Record<string, unknown>;
    first.email_confirmation = 'changed by a caller';
    expect(((await store.get({ key: 'advanced' })) as Record<string, unknown>).email_confirmation).not.toBe('changed by a caller');
  });

  it('reads no person, role, permission, token or settings row on a signed-in person\'s repeat request', async () => {
    const who = await app.createUser('member');
    await app.as(who).get(`/api/occurrences?${MONTH}`).expect(200);
    const seen = await statementsOf(() => app.as(who).get(`/api/occurrences?${MONTH}`).expect(200));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((sql) => /[`"](up_users|up_roles|up_permissions|up_permissions_role_lnk|strapi_api_tokens|strapi_core_store_settings)[`"]/.test(sql))).toEqual([]);
  });

  it('reads the signed-in person and their role in one query, exactly as Strapi\'s own lookup returns them', async () => {
    const { fetchUserWithRole } = await import('../../src/utils/auth-lookups');
    for (const persona of ['guest', 'member', 'director'] as const) {
      const who = await app.createUser(persona, persona === 'director' ? { building: await app.createBuilding() } : {});
      const strapiRead = () => app.strapi.db.query(USER).findOne({ where: { id: who.id }, populate: ['role'] });
      const ours = await fetchUserWithRole(app.strapi, who.id, strapiRead);
      expect(ours).toEqual(await strapiRead());
      expect(ours.role.type).toBe(persona === 'guest' ? 'authenticated' : persona);
    }
    expect(await fetchUserWithRole(app.strapi, 987654321, async () => null)).toBeNull();
  });

  it('reads a person not seen yet and the cache counters in one statement, and still sees a change at the next request', async () => {
    const who = await app.createUser('member');
    const seen = await statementsOf(() => app.as(who).get(`/api/occurrences?${MONTH}`).expect(200));
    const people = seen.filter((sql) => /[`"]up_users[`"]/.test(sql));
    expect(people).toHaveLength(1);
    expect(people[0]).toMatch(/ll_cache_versions/);
    expect(seen.filter((sql) => /^select [`"]name[`"], [`"]version[`"] from [`"]ll_cache_versions[`"]/i.test(sql))).toEqual([]);
    // the counters read that way are the ones later reads compare: a block still counts at the next request
    await app.strapi.db.query(USER).update({ where: { id: who.id }, data: { blocked: true } });
    await app.as(who).get('/api/me/registrations').expect(401);
  });

  it('does not look a person\'s sign-in token up among API tokens (a JWT is never one), and API tokens still work', async () => {
    const who = await app.createUser('member');
    const seen = await statementsOf(() => app.as(who).get('/api/me/registrations').expect(200));
    expect(seen.filter((sql) => /strapi_api_tokens/.test(sql))).toEqual([]);
    const tokens = app.strapi.service('admin::api-token-content-api');
    const token = await tokens.create({ name: 'Cache: directory website', type: 'read-only', lifespan: null });
    await app.as(token.accessKey).get('/api/events').expect(200);
    // a forged "JWT" is neither a token nor a valid sign-in
    await app.as('aaa.bbb.ccc').get('/api/me/registrations').expect(401);
  });
});
