import { Writable } from 'stream';
import { winston } from '@strapi/logger';
import { startApp, type TestApp } from '../helpers/strapi';

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
});

describe('content model', () => {
  it('registers every content type of the API contract under its fixed ID', () => {
    const ids = [
      'api::library-system.library-system',
      'api::library.library',
      'api::building.building',
      'api::affiliation.affiliation',
      'api::event.event',
      'api::registration.registration',
      'api::networking-group.networking-group',
      'api::tag.tag',
      'api::mentorship-application.mentorship-application',
      'api::mentorship-pairing.mentorship-pairing',
    ];
    for (const id of ids) expect(app.strapi.contentType(id as never)).toBeDefined();
    const user = app.strapi.contentType('plugin::users-permissions.user');
    for (const field of ['firstName', 'lastName', 'phone', 'social', 'avatar', 'calendarToken', 'affiliations']) {
      expect(user.attributes).toHaveProperty(field);
    }
    expect(user.attributes.calendarToken).toMatchObject({ private: true });
  });

  it('keeps the building fields websites read', async () => {
    const building = await app.createBuilding({ street: '1 Main St', zip: '62701', deliveryRoute: 'R-12', oclcSymbol: 'ABC' });
    const res = await app.http().get(`/api/buildings/${building.documentId}`).expect(200);
    expect(res.body.data).toMatchObject({ documentId: building.documentId, street: '1 Main St', zip: '62701', deliveryRoute: 'R-12', oclcSymbol: 'ABC', outletType: 'main', needsReview: false });
    expect(res.body.data).not.toHaveProperty('reviewNote');
  });
});

// A rejection from the database driver: matched by message because better-sqlite3 builds its
// errors in the realm of the first test file that loaded it, so `toThrow` cannot rely on instanceof.
const uniqueViolation = { message: expect.stringMatching(/UNIQUE constraint failed|duplicate key value violates unique constraint/) };

describe('unique constraints in the database', () => {
  it('refuses a second building with the same FSCS id and sequence', async () => {
    await app.createBuilding({ fscsId: 'IL9999', fscsSeq: 2 });
    await expect(app.createBuilding({ fscsId: 'IL9999', fscsSeq: 2 })).rejects.toMatchObject(uniqueViolation);
    // the same id with another sequence is another building
    await expect(app.createBuilding({ fscsId: 'IL9999', fscsSeq: 3 })).resolves.toHaveProperty('documentId');
    const rows = await app.strapi.db.query('api::building.building').count({ where: { fscsId: 'IL9999' } });
    expect(rows).toBe(2);
  });

  it('refuses two active registrations with the same person, event and occurrence', async () => {
    const insert = (activeKey: string | null, status: string) =>
      app.strapi.db.query('api::registration.registration').create({
        data: { occurrence: '2027-01-07T19:00:00.000Z', status, activeKey, slotKey: 'e1|2027-01-07T19:00:00.000Z|' },
      });
    await insert('e1|2027-01-07T19:00:00.000Z|u1', 'confirmed');
    await expect(insert('e1|2027-01-07T19:00:00.000Z|u1', 'waitlisted')).rejects.toMatchObject(uniqueViolation);
    // cancelled registrations release the key, so several may exist
    await insert(null, 'cancelled');
    await insert(null, 'cancelled');
    const count = await app.strapi.db.query('api::registration.registration').count({ where: { slotKey: 'e1|2027-01-07T19:00:00.000Z|' } });
    expect(count).toBe(3);
  });
});

describe('roles and permissions as code', () => {
  it('creates the four users-permissions roles', async () => {
    const roles = await app.strapi.db.query('plugin::users-permissions.role').findMany({ select: ['type', 'name'] });
    expect(roles.map((r) => r.type).sort()).toEqual(['authenticated', 'director', 'member', 'public']);
  });

  it('is idempotent and repairs permissions changed by hand', async () => {
    const { syncRolesAndPermissions } = require('../../dist/src/bootstrap/permissions');
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    const publicRole = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const before = await permissions.count();
    // someone grants the public role write access in the admin panel ...
    await permissions.create({ data: { action: 'api::building.building.update', role: publicRole.id } });
    // ... and removes its read access to events
    const find = await permissions.findOne({ where: { action: 'api::event.event.find', role: publicRole.id } });
    await permissions.delete({ where: { id: find.id } });
    await syncRolesAndPermissions(app.strapi);
    await syncRolesAndPermissions(app.strapi);
    expect(await permissions.count()).toBe(before);
    expect(await permissions.findOne({ where: { action: 'api::building.building.update', role: publicRole.id } })).toBeNull();
    await app.http().get('/api/events').expect(200);
  });

  it.each([
    ['get', '/api/buildings', 200],
    ['get', '/api/libraries', 200],
    ['get', '/api/library-systems', 200],
    ['get', '/api/events', 200],
    ['get', '/api/networking-groups', 200],
    ['get', '/api/tags', 200],
    ['post', '/api/buildings', 403],
    ['post', '/api/events', 403],
    ['get', '/api/registrations', 403],
    ['get', '/api/affiliations', 403],
    ['get', '/api/users', 403],
    ['get', '/api/users/me', 403],
    ['get', '/api/mentorship-pairings', 403],
  ] as const)('anonymous %s %s → %i', async (method, url, status) => {
    await app.http()[method](url).send({ data: {} }).expect(status);
  });

  it.each([
    ['guest', 'authenticated'],
    ['member', 'member'],
    ['director', 'director'],
  ] as const)('a %s account gets the %s role from its affiliations', async (persona, roleType) => {
    const user = await app.createUser(persona);
    await app.as(user).get('/api/users/me').expect(200);
    const stored = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: user.id }, populate: ['role'] });
    expect(stored.role.type).toBe(roleType);
    // nobody may list or edit accounts through Strapi's user routes
    await app.as(user).get('/api/users').expect(403);
    await app.as(user).put(`/api/users/${user.id}`).send({ confirmed: false }).expect(403);
  });

  it('demotes a member to guest when the affiliation ends', async () => {
    const member = await app.createUser('member');
    const [affiliation] = await app.strapi.documents('api::affiliation.affiliation').findMany({ filters: { user: { id: member.id } } });
    await app.strapi.documents('api::affiliation.affiliation').update({ documentId: affiliation.documentId, data: { status: 'ended' } as never });
    const stored = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: member.id }, populate: ['role'] });
    expect(stored.role.type).toBe('authenticated');
  });
});

describe('the embedded database', () => {
  it('runs SQLite in WAL mode (readers go on during a write) with synchronous FULL (a commit is on disk before its email goes out)', async () => {
    if (app.db.client !== 'sqlite') return;
    const [mode] = await app.strapi.db.connection.raw('pragma journal_mode');
    const [sync] = await app.strapi.db.connection.raw('pragma synchronous');
    expect(mode.journal_mode).toBe('wal');
    expect(sync.synchronous).toBe(2); // FULL
  });

  it('keeps SQLite\'s planner statistics current (sqliteOptimize job): an event\'s locations are read by the event, not by scanning every event\'s', async () => {
    if (app.db.client !== 'sqlite') return;
    const knex = app.strapi.db.connection;
    // Strapi's populate of a component list (as it writes it for `populate: { locations: true }`)
    const plan = async () =>
      ((await knex.raw(
        `EXPLAIN QUERY PLAN SELECT DISTINCT t1."order", t0.*, t1.entity_id FROM components_event_locations t0
         LEFT JOIN events_cmps t1 ON t0.id = t1.cmp_id AND t1.field = 'locations' WHERE t1.entity_id IN (1, 2, 3) ORDER BY t1."order"`,
      )) as { detail: string }[]).map((r) => r.detail).join('; ');
    const now = Date.now();
    const eventIds: number[] = [];
    const locationIds: number[] = [];
    try {
      // a calendar that has grown since the database was opened: 1,500 events with a location each
      for (let i = 0; i < 1500; i += 500) {
        const rows = Array.from({ length: 500 }, (_, k) => ({ document_id: `stats${i + k}`, title: `Stats ${i + k}`, created_at: now, updated_at: now }));
        eventIds.push(...(await knex('events').insert(rows).returning('id')).map((r: { id: number }) => r.id));
        const locs = rows.map((_, k) => ({ key: 'main', name: `Site ${i + k}` }));
        locationIds.push(...(await knex('components_event_locations').insert(locs).returning('id')).map((r: { id: number }) => r.id));
      }
      await knex.batchInsert('events_cmps', eventIds.map((id, k) => ({ entity_id: id, cmp_id: locationIds[k], component_type: 'event.location', field: 'locations', order: 1 })), 500);
      const tasks = app.strapi.config.get('server.cron.tasks') as Record<string, { task: (ctx: { strapi: unknown }) => Promise<void> }>;
      await tasks.sqliteOptimize.task({ strapi: app.strapi });
      expect(await plan()).toMatch(/USING INDEX events_(uq|entity_fk) \(entity_id=\?\)/);
    } finally {
      await knex('events_cmps').whereIn('entity_id', eventIds).delete();
      await knex('components_event_locations').whereIn('id', locationIds).delete();
      await knex('events').whereIn('id', eventIds).delete();
    }
  });
});

describe('static files', () => {
  it('serves the favicon browsers ask for (it answered 500 and logged an error on every admin page)', async () => {
    const res = await app.http().get('/favicon.ico').expect(200);
    expect(res.headers['content-type']).toMatch(/image\/png|image\/x-icon/);
  });
});

describe('the log', () => {
  it('records an unexpected error (a 500) with its message and where it was thrown (it logged "error: undefined")', async () => {
    const building = await app.createBuilding({ name: 'Log Test Library' });
    const guest = await app.createUser('guest');
    // each line as the console prints it: what the logger hands its transports, through the console's own format
    const consoleOut = app.strapi.log.transports.find((t) => t instanceof winston.transports.Console)!;
    const lines: string[] = [];
    const capture = new winston.transports.Stream({
      stream: new Writable({
        objectMode: true,
        write: (info, _enc, done) => {
          const out = consoleOut.format!.transform({ ...info, message: info.message, stack: info.stack, level: info.level }, consoleOut.format!.options);
          if (out && out.level.includes('error')) lines.push((out as any)[Symbol.for('message')]);
          done();
        },
      }),
    });
    const before = new Date().getHours();
    app.strapi.log.add(capture);
    const requests = app.strapi.service('api::affiliation.requests');
    const spy = jest.spyOn(requests, 'request').mockRejectedValueOnce(new Error('simulated failure while storing the affiliation'));
    try {
      await app.as(guest).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Page' } }).expect(500);
    } finally {
      spy.mockRestore();
      app.strapi.log.remove(capture);
    }
    expect(lines).toHaveLength(1);
    // the time of day on the 24-hour clock (it printed 12:23 for 00:23)
    const hour = Number(/^\[\d{4}-\d\d-\d\d (\d\d):/.exec(lines[0])?.[1]);
    expect([before, new Date().getHours()]).toContain(hour);
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] .*error.*: Error: simulated failure while storing the affiliation\n\s+at /);
  });
});

describe('private fields', () => {
  it('never returns password, tokens or calendar token from /api/users/me', async () => {
    const user = await app.createUser('member');
    const me = await app.as(user).get('/api/users/me').expect(200);
    for (const field of ['password', 'resetPasswordToken', 'confirmationToken', 'calendarToken']) {
      expect(me.body).not.toHaveProperty(field);
    }
  });
});

describe('GraphQL', () => {
  it('serves the public directory', async () => {
    await app.createBuilding({ name: 'GraphQL Test Branch', city: 'Peoria' });
    const res = await app
      .http()
      .post('/graphql')
      .send({ query: '{ buildings(filters: { name: { eq: "GraphQL Test Branch" } }) { documentId name city } }' })
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.buildings).toEqual([expect.objectContaining({ name: 'GraphQL Test Branch', city: 'Peoria' })]);
  });
});

describe('email', () => {
  it('delivers through the SMTP server named by the environment', async () => {
    await app.strapi.plugin('email').service('email').send({ to: 'someone@library.example', subject: 'Harness check', text: 'Hello' });
    const [message] = await app.mail.waitFor((m) => m.length > 0);
    expect(message).toMatchObject({ to: ['someone@library.example'], subject: 'Harness check' });
    expect(message.from).toContain('no-reply@library-learning.example');
  });
});
