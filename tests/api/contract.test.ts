import fs from 'fs';
import os from 'os';
import path from 'path';
import { env } from '@strapi/utils';
import { startApp, type TestApp } from '../helpers/strapi';
import { icalJsOccurrences } from '../helpers/ical-check';
import databaseConfig from '../../config/database';

/**
 * API.md's configuration statements that no other file exercises: the calendar zone is `America/Chicago`,
 * "configurable with TZ_CALENDAR" (every other test file runs in the default), and the database variables.
 * America/Phoenix keeps no daylight saving time, so a series expanded there stays at the same UTC time while
 * one expanded in Chicago moves an hour on March 14, 2027: the answers tell the two zones apart.
 */
let app: TestApp;
const ZONE = 'America/Phoenix';

beforeAll(async () => {
  app = await startApp({
    TZ_CALENDAR: ZONE,
    PUBLIC_URL: 'https://learning.example.org',
    SMTP_USERNAME: 'platform-mailer',
    SMTP_PASSWORD: 'smtp-secret',
    EMAIL_FROM: 'Library Learning Test <calendar@learning.example.org>',
  });
}, 300000);

afterAll(async () => {
  await app?.stop();
});

const text = (res: { text?: string; body?: unknown }) => (typeof res.text === 'string' && res.text ? res.text : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '');

describe('TZ_CALENDAR sets the calendar zone (API.md: "configurable with TZ_CALENDAR")', () => {
  let series: { documentId: string };
  beforeAll(async () => {
    // 1 p.m. in Phoenix (UTC-7 all year), weekly across the US change to daylight time on March 14, 2027
    series = await app.strapi.documents('api::event.event').create({
      data: { title: 'Desert Directors', audience: 'public', registrationMode: 'none', start: '2027-03-04T20:00:00.000Z', end: '2027-03-04T21:00:00.000Z', rrule: 'FREQ=WEEKLY;COUNT=4' } as never,
      status: 'published',
    });
  });

  it('expands series and reads plain dates in that zone in /api/occurrences', async () => {
    const res = await app.http().get('/api/occurrences?from=2027-03-01&to=2027-04-01').expect(200);
    expect(res.body.meta).toMatchObject({ zone: ZONE, from: '2027-03-01T07:00:00.000Z', to: '2027-04-01T07:00:00.000Z' });
    const starts = res.body.data.filter((o: any) => o.event.documentId === series.documentId).map((o: any) => o.start);
    // in Chicago the last two would be 19:00Z (1 p.m. CDT)
    expect(starts).toEqual(['2027-03-04T20:00:00.000Z', '2027-03-11T20:00:00.000Z', '2027-03-18T20:00:00.000Z', '2027-03-25T20:00:00.000Z']);
  });

  it('writes feeds in that zone: its VTIMEZONE, DTSTART in it, and the same dates for a calendar client', async () => {
    const body = text(await app.http().get(`/api/events/${series.documentId}/ics`).buffer(true).expect(200));
    expect(body).toMatch(/BEGIN:VTIMEZONE\r\nTZID:America\/Phoenix/);
    expect(body).toContain('DTSTART;TZID=America/Phoenix:20270304T130000');
    expect(body).not.toContain('America/Chicago');
    expect(icalJsOccurrences(body, '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z').map((o) => o.start)).toEqual([
      '2027-03-04T20:00:00.000Z', '2027-03-11T20:00:00.000Z', '2027-03-18T20:00:00.000Z', '2027-03-25T20:00:00.000Z',
    ]);
    expect(text(await app.http().get('/api/calendar.ics').buffer(true).expect(200))).toMatch(/BEGIN:VTIMEZONE\r\nTZID:America\/Phoenix/);
  });

  it('names the cancellation deadline in that zone', async () => {
    const member = await app.createUser('member');
    const soon = await app.strapi.documents('api::event.event').create({
      data: { title: 'Soon', audience: 'public', registrationMode: 'platform', start: new Date(Date.now() + 24 * 3_600_000).toISOString() } as never,
      status: 'published',
    });
    const reg = (await app.as(member).post(`/api/events/${soon.documentId}/registrations`).send({}).expect(201)).body.data[0];
    const res = await app.as(member).post(`/api/registrations/${reg.documentId}/cancel`).expect(409);
    expect(res.body.error.message).toMatch(/ MST\)/);
  });
});

describe('PUBLIC_URL and the SMTP variables (API.md: SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, EMAIL_FROM)', () => {
  it('sends a registration email through the server named, signed in with the username and password given, from EMAIL_FROM', async () => {
    const member = await app.createUser('member');
    const ev = await app.strapi.documents('api::event.event').create({
      data: { title: 'Mail check', audience: 'public', registrationMode: 'platform', start: new Date(Date.now() + 10 * 86_400_000).toISOString() } as never,
      status: 'published',
    });
    await app.as(member).post(`/api/events/${ev.documentId}/registrations`).send({}).expect(201);
    await app.strapi.service('api::outbox-message.outbox').deliverDue();
    const [mail] = await app.mail.waitFor(() => app.mail.to(member.email).length > 0).then(() => app.mail.to(member.email));
    expect(mail.subject).toMatch(/Mail check/);
    expect(mail.from).toBe('"Library Learning Test" <calendar@learning.example.org>');
    expect(app.mail.logins).toContainEqual({ username: 'platform-mailer', password: 'smtp-secret' });
  });

  it('builds the addresses it gives out on PUBLIC_URL: the personal feed, a group page\'s feeds', async () => {
    const member = await app.createUser('member');
    const token = await app.as(member).post('/api/me/calendar-token').expect(201);
    expect(token.body.data.url).toMatch(/^https:\/\/learning\.example\.org\/api\/me\/calendar\.ics\?token=/);
    expect(token.body.data.webcal).toMatch(/^webcal:\/\/learning\.example\.org\/api\/me\/calendar\.ics\?token=/);
    const group = await app.strapi.documents('api::networking-group.networking-group').create({ data: { name: 'Desert Forum', slug: 'desert-forum' } as never, status: 'published' });
    const page = await app.http().get(`/api/networking-groups/${group.documentId}`).expect(200);
    expect(page.body.data.icsUrl).toBe(`https://learning.example.org/api/networking-groups/${group.documentId}/ics`);
  });
});

describe('database variables (API.md: DATABASE_CLIENT, DATABASE_URL or DATABASE_HOST/PORT/NAME/USERNAME/PASSWORD, DATABASE_FILENAME)', () => {
  const VARS = ['DATABASE_CLIENT', 'DATABASE_URL', 'DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_NAME', 'DATABASE_USERNAME', 'DATABASE_PASSWORD', 'DATABASE_FILENAME', 'DATABASE_SSL'];
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
    for (const v of VARS) delete process.env[v];
  });
  afterEach(() => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });
  const config = (vars: Record<string, string> = {}) => {
    Object.assign(process.env, vars);
    return (databaseConfig as (a: { env: typeof env }) => any)({ env }).connection;
  };

  it('SQLite by default, in .tmp/data.db, or the file DATABASE_FILENAME names', () => {
    expect(config()).toMatchObject({ client: 'sqlite', connection: { filename: path.resolve(process.cwd(), '.tmp/data.db') } });
    const file = path.join(os.tmpdir(), 'library-learning-other.db');
    expect(config({ DATABASE_FILENAME: file })).toMatchObject({ client: 'sqlite', connection: { filename: file } });
  });

  it('PostgreSQL from DATABASE_URL, which wins over the separate variables', () => {
    const url = 'postgres://ll:secret@db.example:6543/library_learning';
    expect(config({ DATABASE_CLIENT: 'postgres', DATABASE_URL: url, DATABASE_HOST: 'elsewhere.example' })).toMatchObject({ client: 'postgres', connection: { connectionString: url } });
  });

  it('PostgreSQL from DATABASE_HOST, PORT, NAME, USERNAME and PASSWORD', () => {
    expect(config({ DATABASE_CLIENT: 'postgres', DATABASE_HOST: 'db.example', DATABASE_PORT: '6543', DATABASE_NAME: 'll', DATABASE_USERNAME: 'u', DATABASE_PASSWORD: 'p' })).toMatchObject({
      client: 'postgres',
      connection: { host: 'db.example', port: 6543, database: 'll', user: 'u', password: 'p' },
    });
  });
});

describe('.env.example lists every variable of API.md', () => {
  it.each([
    'DATABASE_CLIENT', 'DATABASE_URL', 'DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_NAME', 'DATABASE_USERNAME', 'DATABASE_PASSWORD', 'DATABASE_FILENAME',
    'PUBLIC_URL', 'TZ_CALENDAR', 'SMTP_HOST', 'SMTP_PORT', 'SMTP_USERNAME', 'SMTP_PASSWORD', 'EMAIL_FROM',
    'APP_KEYS', 'API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'ENCRYPTION_KEY',
  ])('%s', (name) => {
    expect(fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8')).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});
