import { DateTime } from 'luxon';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { icalJsOccurrences, nodeIcalParse } from '../helpers/ical-check';
import * as demo from '../../src/seed/demo-data';
import { localToUtcIso } from '../../src/seed/time';

let app: TestApp;
let guest: TestUser;
let member: TestUser;
const ids: Record<string, string> = {};
const local = (x: string) => localToUtcIso(x);
const toLocal = (iso: string) => DateTime.fromISO(iso).setZone('America/Chicago').toFormat("yyyy-MM-dd'T'HH:mm");

async function makeEvent(key: string, data: Record<string, unknown>, publish = true) {
  const docs = app.strapi.documents('api::event.event');
  const e = await docs.create({ data: { slug: key, registrationMode: 'none', audience: 'public', ...data } as never });
  if (publish) await docs.publish({ documentId: e.documentId } as never);
  ids[key] = e.documentId;
  return e.documentId;
}

/** Body of a text/calendar or RSS answer (supertest leaves unknown types unparsed). */
const text = (res: { text?: string; body?: unknown }) => (typeof res.text === 'string' && res.text ? res.text : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '');

beforeAll(async () => {
  app = await startApp({ OCCURRENCES_MAX_DAYS: '800' });
  guest = await app.createUser('guest');
  member = await app.createUser('member');
  const s = app.strapi;
  const tag = await s.documents('api::tag.tag').create({ data: { name: 'Directors', slug: 'directors' } as never });
  const provider = await s.documents('api::provider.provider').create({ data: { name: 'Illinois Heartland Library System', slug: 'ihls' } as never });
  const group = await s.documents('api::networking-group.networking-group').create({ data: { name: 'Northern Directors', slug: 'northern-directors', scope: 'regional' } as never });
  ids.tag = tag.documentId;
  ids.provider = provider.documentId;
  ids.group = group.documentId;

  // every seed series, with the seed's own data
  const series = [...demo.networkingGroups.flatMap((g) => (g.meetings ?? []).map((m) => ({ ...m, groupSlug: g.slug }))), ...demo.events.map((e) => ({ ...e, groupSlug: undefined }))].filter((x) => x.rrule);
  for (const x of series) {
    await makeEvent(x.key, {
      title: x.title, audience: x.audience, start: local(x.start), end: local(x.end), rrule: x.rrule,
      exdates: x.exdates?.map(local) ?? null,
      tags: x.key.startsWith('directors-chats') ? [tag.documentId] : [],
      provider: x.providerSlug === 'ihls' ? provider.documentId : null,
      networkingGroup: x.groupSlug === 'northern-directors' ? group.documentId : null,
      locations: x.location ? [{ key: x.location.key, name: x.location.name, onlineUrl: x.location.onlineUrl ?? null }] : [],
    });
  }
  // a weekly series with one moved and one cancelled occurrence
  await makeEvent('weekly-chat', {
    title: 'Weekly Chat & <Coffee>', start: local('2026-03-05T13:00'), end: local('2026-03-05T14:00'), rrule: 'FREQ=WEEKLY;BYDAY=TH',
    occurrenceChanges: [
      { occurrence: local('2026-03-12T13:00'), start: local('2026-03-13T09:00'), end: local('2026-03-13T10:00'), note: 'Moved to Friday' },
      { occurrence: local('2026-03-19T13:00'), cancelled: true },
    ],
  });
  await makeEvent('single-public', { title: 'SHARE Catalog Training', start: local('2026-12-08T10:00'), end: local('2026-12-08T12:00') });
  await makeEvent('single-members', { title: 'Members Roundtable', audience: 'members', start: local('2026-12-09T10:00'), end: local('2026-12-09T11:00') });
  await makeEvent('cancelled-event', { title: 'Called Off Workshop', start: local('2026-12-10T10:00'), end: local('2026-12-10T11:00'), cancelled: true });
  await makeEvent('draft-event', { title: 'Unpublished Draft', start: local('2026-12-08T09:00'), end: local('2026-12-08T10:00') }, false);
}, 300000);

afterAll(async () => {
  await app?.stop();
});

const occurrences = (user: TestUser | null, query: string) => app.as(user).get(`/api/occurrences?${query}`);

describe('GET /api/occurrences', () => {
  it('refuses a missing, invalid, reversed or too long range with a clear 400', async () => {
    const cases: [string, RegExp][] = [
      ['to=2026-02-01', /from/],
      ['from=2026-01-01', /to/],
      ['from=yesterday&to=2026-02-01', /from.*ISO/],
      ['from=2026-02-01&to=2026-01-01', /to must be after from|after from/],
      ['from=2026-01-01&to=2028-06-01', /800 days/],
      ['from=2026-01-01&to=2026-02-01&audience=secret', /audience/],
    ];
    for (const [q, message] of cases) {
      const res = await occurrences(null, q).expect(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('expands series in the calendar zone, sorted, with moved occurrences at their new time and cancelled ones left out', async () => {
    const res = await occurrences(null, 'from=2026-03-01&to=2026-04-01').expect(200);
    const starts = res.body.data.map((o: { start: string }) => o.start);
    expect([...starts].sort()).toEqual(starts);
    const weekly = res.body.data.filter((o: { event: { documentId: string } }) => o.event.documentId === ids['weekly-chat']);
    expect(weekly.map((o: { start: string }) => toLocal(o.start))).toEqual(['2026-03-05T13:00', '2026-03-13T09:00', '2026-03-26T13:00']);
    expect(weekly[1]).toMatchObject({ moved: true, note: 'Moved to Friday', originalStart: new Date(local('2026-03-12T13:00')).toISOString() });
    expect(weekly[0].event).toMatchObject({ title: 'Weekly Chat & <Coffee>', slug: 'weekly-chat', audience: 'public' });
    expect(res.body.meta).toMatchObject({ total: res.body.data.length, zone: 'America/Chicago' });
  });

  it('shows members-only events to members only; drafts and cancelled events to nobody', async () => {
    const q = 'from=2026-12-01&to=2026-12-31';
    const titles = async (u: TestUser | null) => new Set((await occurrences(u, q).expect(200)).body.data.map((o: { event: { title: string } }) => o.event.title));
    for (const u of [null, guest]) {
      const t = await titles(u);
      expect(t.has('SHARE Catalog Training')).toBe(true);
      expect(t.has('Members Roundtable')).toBe(false);
      expect(t.has("IHLS Directors' Chat")).toBe(false);
    }
    const m = await titles(member);
    expect(m.has('Members Roundtable')).toBe(true);
    expect(m.has("IHLS Directors' Chat")).toBe(true);
    expect(m.has('Unpublished Draft')).toBe(false);
    expect(m.has('Called Off Workshop')).toBe(false);
  });

  it('filters by tag, group, provider (each by slug or documentId) and audience', async () => {
    const q = 'from=2026-01-01&to=2026-07-01';
    const docIds = async (u: TestUser | null, extra: string) => new Set((await occurrences(u, `${q}&${extra}`).expect(200)).body.data.map((o: { event: { documentId: string } }) => o.event.documentId));
    expect(await docIds(member, 'tag=directors')).toEqual(new Set([ids['directors-chats-2026']]));
    expect(await docIds(null, 'tag=directors')).toEqual(new Set());
    // documents are addressed by documentId (API.md), a tag as the group and provider are
    expect(await docIds(member, `tag=${ids.tag}`)).toEqual(new Set([ids['directors-chats-2026']]));
    expect(await docIds(null, 'group=northern-directors')).toEqual(new Set([ids['northern-directors-2026']]));
    expect(await docIds(null, `group=${ids.group}`)).toEqual(new Set([ids['northern-directors-2026']]));
    const byProvider = await docIds(null, 'provider=ihls');
    expect(byProvider.has(ids['extra-credit-2026'])).toBe(true);
    expect(byProvider.has(ids['northern-directors-2026'])).toBe(false);
    expect(await docIds(null, `provider=${ids.provider}`)).toEqual(byProvider);
    const membersOnly = await docIds(member, 'audience=members');
    expect(membersOnly.has(ids['directors-chats-2026'])).toBe(true);
    expect(membersOnly.has(ids['extra-credit-2026'])).toBe(false);
    expect(await docIds(null, 'audience=members')).toEqual(new Set());
  });

  it("searches (q): L2's search box finds the meeting or workshop by words of its title or description, any case", async () => {
    // L2: "Browse the calendar or use the Search box at the top of the screen to find the meeting or workshop you want to attend."
    const q = 'from=2026-12-01&to=2026-12-31';
    const titles = async (u: TestUser | null, extra: string) =>
      [...new Set((await occurrences(u, `${q}&${extra}`).expect(200)).body.data.map((o: { event: { title: string } }) => o.event.title))].sort();
    expect(await titles(null, 'q=share%20catalog')).toEqual(['SHARE Catalog Training']);
    expect(await titles(null, 'q=catalog%20share')).toEqual(['SHARE Catalog Training']);
    expect(await titles(null, 'q=catalog%20roundtable')).toEqual([]);
    // a members-only event is found by members only, as the calendar shows it
    expect(await titles(null, 'q=roundtable')).toEqual([]);
    expect(await titles(member, 'q=ROUNDTABLE')).toEqual(['Members Roundtable']);
    // and the public feed subscribes to a search as to a tag
    const feed = await app.as(null).get('/api/calendar.ics?q=share').expect(200);
    expect(feed.text).toContain('SUMMARY:SHARE Catalog Training');
    expect(feed.text).not.toContain('Called Off Workshop');
    expect(feed.text).not.toContain('Northern Directors');
    for (const bad of ['q=a&q=b', `q=${'x'.repeat(201)}`, 'q=one%20two%20three%20four%20five%20six']) {
      expect((await occurrences(null, `${q}&${bad}`).expect(400)).body.error.details.errors[0].path).toEqual(['q']);
    }
  });
});

describe('a filter naming no tag, group or provider is a 404 naming the parameter, not an empty calendar', () => {
  const notFound = (res: { status: number; body: any }, param: string, value: string) =>
    expect({ status: res.status, message: res.body?.error?.message, paths: res.body?.error?.details?.errors?.map((e: { path: string[] }) => e.path) }).toEqual({
      status: 404,
      message: expect.stringMatching(new RegExp(`^${param}: .*"${value}"`)),
      paths: [[param]],
    });

  it.each([
    ['tag', 'direktors'],
    ['group', 'northern-directorz'],
    ['provider', 'ihsl'],
  ])('%s=%s: in the occurrences and in the public calendar feed', async (param, value) => {
    for (const who of [null, member]) notFound(await occurrences(who, `from=2026-01-01&to=2026-07-01&${param}=${value}`), param, value);
    notFound(await app.http().get(`/api/calendar.ics?${param}=${value}`), param, value);
  });

  it('one that exists but has no events in the range still answers, empty', async () => {
    await app.strapi.documents('api::tag.tag').create({ data: { name: 'Quiet', slug: 'quiet' } as never });
    expect((await occurrences(null, 'from=2026-01-01&to=2026-07-01&tag=quiet').expect(200)).body.data).toEqual([]);
    expect(text(await app.http().get('/api/calendar.ics?tag=quiet').buffer(true).expect(200))).not.toContain('BEGIN:VEVENT');
  });
});

describe('seed patterns through the API equal what ical.js reads from our feeds, 2026–2027', () => {
  const FROM = '2026-01-01T06:00:00.000Z';
  const TO = '2028-01-01T06:00:00.000Z';

  it('public calendar feed', async () => {
    const feed = text(await app.http().get('/api/calendar.ics').buffer(true).expect(200));
    const api = (await occurrences(member, `from=${FROM}&to=${TO}`).expect(200)).body.data as { event: { documentId: string; audience: string }; start: string }[];
    const theirs = icalJsOccurrences(feed, FROM, TO);
    const seedKeys = [...demo.networkingGroups.flatMap((g) => g.meetings ?? []), ...demo.events].filter((x) => x.rrule && x.audience === 'public').map((x) => x.key);
    expect(seedKeys.length).toBeGreaterThan(8);
    for (const key of seedKeys) {
      const uid = `${ids[key]}@library-learning`;
      const ours = api.filter((o) => o.event.documentId === ids[key]).map((o) => o.start);
      expect(ours.length).toBeGreaterThan(3);
      expect({ key, starts: theirs.filter((o) => o.uid === uid).map((o) => o.start) }).toEqual({ key, starts: ours });
    }
    // DST weeks: Extra Credit! stays at 3:30 p.m. local on both sides of each change
    const extra = api.filter((o) => o.event.documentId === ids['extra-credit-2026']).map((o) => toLocal(o.start));
    expect(extra).toEqual(expect.arrayContaining(['2026-03-05T15:30', '2026-04-02T15:30', '2026-10-01T15:30', '2026-11-05T15:30']));
    expect(new Set(extra.map((x) => x.slice(11)))).toEqual(new Set(['15:30']));
  });

  it("members-only Directors' Chats through the event feed for a member, 1 p.m. across DST", async () => {
    const feed = text(await app.as(member).get(`/api/events/${ids['directors-chats-2026']}/ics`).buffer(true).expect(200));
    const api = (await occurrences(member, `from=${FROM}&to=${TO}&tag=directors`).expect(200)).body.data.map((o: { start: string }) => o.start);
    const theirs = icalJsOccurrences(feed, FROM, TO).map((o) => o.start);
    expect(theirs).toEqual(api);
    const locals = api.map(toLocal);
    expect(locals).toEqual(expect.arrayContaining(['2026-03-05T13:00', '2026-03-12T13:00', '2026-10-29T13:00', '2026-11-05T13:00']));
    expect(locals).not.toContain('2026-03-19T13:00');
    expect(locals).not.toContain('2026-11-26T13:00');
    expect(new Set(locals.map((x: string) => x.slice(11)))).toEqual(new Set(['13:00']));
    expect(feed).toMatch(/EXDATE;TZID=America\/Chicago:[^\r\n]*20261126T130000/);
  });
});

describe('iCal feeds', () => {
  it('the public calendar: text/calendar, parses with node-ical and ical.js, public events only, stable UIDs, ETag 304', async () => {
    const res = await app.http().get('/api/calendar.ics').buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['last-modified']).toBeTruthy();
    const body = text(res);
    expect(body).toMatch(/BEGIN:VTIMEZONE\r\nTZID:America\/Chicago/);
    const parsed = nodeIcalParse(body);
    const uids = Object.values(parsed).filter((c: any) => c.type === 'VEVENT').map((c: any) => c.uid);
    expect(uids).toContain(`${ids['single-public']}@library-learning`);
    expect(uids).not.toContain(`${ids['single-members']}@library-learning`);
    expect(uids).not.toContain(`${ids['directors-chats-2026']}@library-learning`);
    expect(uids).not.toContain(`${ids['draft-event']}@library-learning`);
    expect(body).not.toContain('Members Roundtable');
    // a member asking gets the same public calendar: the public feed never widens
    const asMember = text(await app.as(member).get('/api/calendar.ics').buffer(true).expect(200));
    expect(asMember).not.toContain('Members Roundtable');

    // moved occurrence = RECURRENCE-ID override; cancelled event = STATUS:CANCELLED; URL back
    expect(body).toContain('RECURRENCE-ID;TZID=America/Chicago:20260312T130000');
    expect(body).toContain('SUMMARY:Weekly Chat & <Coffee>');
    const cancelledBlock = body.split('BEGIN:VEVENT').find((b) => b.includes(`UID:${ids['cancelled-event']}@`))!;
    expect(cancelledBlock).toContain('STATUS:CANCELLED');
    expect(body).toContain('URL;VALUE=URI:http://localhost:1337/events/single-public');
    expect(icalJsOccurrences(body, '2026-12-01T00:00:00Z', '2026-12-31T00:00:00Z').map((o) => o.summary)).toContain('SHARE Catalog Training');

    const again = await app.http().get('/api/calendar.ics').buffer(true).expect(200);
    expect(text(again)).toBe(body);
    expect(again.headers.etag).toBe(res.headers.etag);
    const notModified = await app.http().get('/api/calendar.ics').set('If-None-Match', res.headers.etag).expect(304);
    expect(notModified.text || '').toBe('');
  });

  it('filters the public calendar by group and tag', async () => {
    const body = text(await app.http().get('/api/calendar.ics?group=northern-directors').buffer(true).expect(200));
    const uids = new Set(icalJsOccurrences(body, '2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z').map((o) => o.uid));
    expect(uids).toEqual(new Set([`${ids['northern-directors-2026']}@library-learning`]));
    expect(text(await app.http().get('/api/calendar.ics?tag=directors').buffer(true).expect(200))).not.toContain('BEGIN:VEVENT');
  });

  it('one event: public to all, members-only to members (404 for anonymous and guests)', async () => {
    const one = await app.http().get(`/api/events/${ids['single-public']}/ics`).buffer(true).expect(200);
    expect(one.headers['content-type']).toBe('text/calendar; charset=utf-8');
    nodeIcalParse(text(one));
    expect(text(one)).toContain(`UID:${ids['single-public']}@library-learning`);
    await app.http().get(`/api/events/${ids['single-members']}/ics`).expect(404);
    await app.as(guest).get(`/api/events/${ids['single-members']}/ics`).expect(404);
    await app.as(member).get(`/api/events/${ids['single-members']}/ics`).expect(200);
    await app.http().get(`/api/events/${ids['draft-event']}/ics`).expect(404);
    await app.http().get('/api/events/nope/ics').expect(404);
  });

  it("a networking group's feed, by documentId or slug", async () => {
    const res = await app.http().get(`/api/networking-groups/${ids.group}/ics`).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const body = text(res);
    nodeIcalParse(body);
    expect(body).toContain(`UID:${ids['northern-directors-2026']}@library-learning`);
    expect(body).toContain('RRULE:FREQ=MONTHLY;BYDAY=3WE;BYMONTH=1,2,3,4,5,9,10,11,12');
    expect(text(await app.http().get('/api/networking-groups/northern-directors/ics').buffer(true).expect(200))).toBe(body);
    await app.http().get('/api/networking-groups/unknown-group/ics').expect(404);
  });

  it('the personal feed: registered events by secret token, members-only included; a reset token stops the old one', async () => {
    await app.http().post('/api/me/calendar-token').expect((r) => expect([401, 403]).toContain(r.status));
    const first = await app.as(member).post('/api/me/calendar-token').expect(201);
    expect(first.body.data.url).toMatch(/^http:\/\/localhost:1337\/api\/me\/calendar\.ics\?token=/);
    expect(first.body.meta).toEqual({}); // Strapi's success shape, as every route answers
    const token = first.body.data.token as string;

    const reg = (event: string, occurrence: string, status: string) =>
      app.strapi.documents('api::registration.registration').create({
        data: { event: ids[event], occurrence, user: member.documentId, status, eventDocumentId: ids[event], userDocumentId: member.documentId } as never,
      });
    await reg('single-members', local('2026-12-09T10:00'), 'confirmed');
    await reg('directors-chats-2026', local('2026-03-12T13:00'), 'waitlisted');
    await reg('single-public', local('2026-12-08T10:00'), 'cancelled');

    const res = await app.http().get(`/api/me/calendar.ics?token=${encodeURIComponent(token)}`).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const body = text(res);
    nodeIcalParse(body);
    const occ = icalJsOccurrences(body, '2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z');
    expect(occ.map((o) => [o.summary, toLocal(o.start)])).toEqual([
      ["Waitlisted: IHLS Directors' Chat", '2026-03-12T13:00'],
      ['Members Roundtable', '2026-12-09T10:00'],
    ]);
    // a waitlisted place is no seat: tentative, in Outlook's terms too; a registration holding a seat is confirmed
    const block = (summary: string) => body.split('BEGIN:VEVENT').find((b) => b.includes(`SUMMARY:${summary}`))!;
    expect(block("Waitlisted: IHLS Directors' Chat")).toMatch(/\r\nSTATUS:TENTATIVE\r\n/);
    expect(block("Waitlisted: IHLS Directors' Chat")).toMatch(/\r\nX-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE\r\n/);
    expect(block('Members Roundtable')).toMatch(/\r\nSTATUS:CONFIRMED\r\n/);
    expect(body).not.toContain('SHARE Catalog Training'); // cancelled registration
    expect(res.headers['cache-control']).toMatch(/private/);

    const second = await app.as(member).post('/api/me/calendar-token').expect(201);
    expect(second.body.data.token).not.toBe(token);
    await app.http().get(`/api/me/calendar.ics?token=${encodeURIComponent(token)}`).expect(404);
    await app.http().get(`/api/me/calendar.ics?token=${encodeURIComponent(second.body.data.token)}`).expect(200);
    await app.http().get('/api/me/calendar.ics').expect(404);
  });
});

describe('resetting the personal feed token', () => {
  it('refuses a body field it does not read with 400 naming it (it was ignored and the token reset anyway); no body or {} resets it', async () => {
    const person = await app.createUser('member');
    const token = (await app.as(person).post('/api/me/calendar-token').expect(201)).body.data.token as string;
    const res = await app.as(person).post('/api/me/calendar-token').send({ token: 'one-i-chose', name: 'x' }).expect(400);
    const message = 'Unknown field(s): token, name';
    expect(res.body).toEqual({
      data: null,
      error: {
        status: 400,
        name: 'ValidationError',
        message,
        details: { errors: [{ path: ['token'], message, name: 'ValidationError' }, { path: ['name'], message, name: 'ValidationError' }] },
      },
    });
    const list = await app.as(person).post('/api/me/calendar-token').send([]).expect(400);
    expect(list.body.error.details.errors[0].path).toEqual(['body']);
    // nothing changed: the old address still serves
    await app.http().get(`/api/me/calendar.ics?token=${encodeURIComponent(token)}`).expect(200);
    const empty = await app.as(person).post('/api/me/calendar-token').send({}).expect(201);
    expect(empty.body.data.token).not.toBe(token);
    await app.http().get(`/api/me/calendar.ics?token=${encodeURIComponent(token)}`).expect(404);
  });
});

describe('the personal feed and fees', () => {
  it('shows a seat held for a fee not yet paid as tentative ("Payment needed"), confirmed once checked out', async () => {
    const person = await app.createUser('member');
    await makeEvent('fee-workshop', {
      title: 'Grant Writing Workshop', start: local('2027-01-20T10:00'), end: local('2027-01-20T12:00'),
      registrationMode: 'platform', fee: 25, paymentInstructions: 'Pay by check to IHLS.',
    });
    const token = (await app.as(person).post('/api/me/calendar-token').expect(201)).body.data.token as string;
    const [held] = (await app.as(person).post(`/api/events/${ids['fee-workshop']}/registrations`).send({}).expect(201)).body.data;
    expect(held.status).toBe('pending-payment');

    const feed = async () => text(await app.http().get(`/api/me/calendar.ics?token=${encodeURIComponent(token)}`).buffer(true).expect(200));
    const before = await feed();
    nodeIcalParse(before);
    // not registered until payment is verified at checkout (L2): the calendar must not say it is confirmed
    expect(before).toContain('SUMMARY:Payment needed: Grant Writing Workshop');
    expect(before).toMatch(/\r\nSTATUS:TENTATIVE\r\n/);
    expect(before).not.toMatch(/\r\nSTATUS:CONFIRMED\r\n/);

    await app.as(person).post(`/api/registrations/${held.documentId}/checkout`).send({ paymentVerified: true }).expect(200);
    const after = await feed();
    expect(after).toContain('SUMMARY:Grant Writing Workshop');
    expect(after).not.toContain('Payment needed');
    expect(after).toMatch(/\r\nSTATUS:CONFIRMED\r\n/);
  });
});

describe('RSS of new events', () => {
  it('is served at /api/events/feed.rss (not taken for an event id), escaped, public events only', async () => {
    const res = await app.http().get('/api/events/feed.rss').buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const body = text(res);
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    expect(body).toContain('<title>Weekly Chat &amp; &lt;Coffee&gt;</title>');
    expect(body).not.toContain('Members Roundtable');
    expect(body).not.toContain('Unpublished Draft');
    expect(body).toContain(`<guid isPermaLink="false">${ids['single-public']}@library-learning</guid>`);
    // the core route still answers for real ids
    await app.http().get(`/api/events/${ids['single-public']}`).expect(200);
  });
});

describe('recurrence rules are validated on save', () => {
  it('refuses an invalid rrule from the document service with a message naming the field', async () => {
    await expect(makeEvent('bad-rule', { title: 'Bad', start: local('2026-05-01T10:00'), rrule: 'FREQ=MONTHLY;BYDAY=3XX' }, false)).rejects.toThrow(/rrule/);
    await expect(makeEvent('bad-exdates', { title: 'Bad', start: local('2026-05-01T10:00'), rrule: 'FREQ=WEEKLY', exdates: ['not a date'] }, false)).rejects.toThrow(/exdates/);
  });

  it('answers 400 naming rrule when staff save a bad rule in the admin panel', async () => {
    const admin = { email: 'staff@library-learning.example', password: 'Admin-passw0rd!', firstname: 'Sys', lastname: 'Staff' };
    await app.http().post('/admin/register-admin').send(admin);
    const login = await app.http().post('/admin/login').send({ email: admin.email, password: admin.password }).expect(200);
    const jwt = login.body.data.token;
    const res = await app.http().post('/content-manager/collection-types/api::event.event').set('Authorization', `Bearer ${jwt}`)
      .send({ title: 'Bad rule', start: local('2026-05-01T10:00'), audience: 'public', registrationMode: 'none', registrationAudience: 'everyone', rrule: 'every other thursday' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/rrule/);
    const ok = await app.http().post('/content-manager/collection-types/api::event.event').set('Authorization', `Bearer ${jwt}`)
      .send({ title: 'Good rule', start: local('2026-05-01T10:00'), audience: 'public', registrationMode: 'none', registrationAudience: 'everyone', rrule: 'FREQ=MONTHLY;BYDAY=1FR' });
    expect(ok.status).toBe(201);
  });
});

describe('an occurrence of an event held at several locations', () => {
  it('lists every location (the feed lists them all too), the first as `location`', async () => {
    await makeEvent('two-sites', {
      title: 'Member Day at two sites', start: local('2029-05-10T09:00'), end: local('2029-05-10T15:00'),
      locations: [{ key: 'springfield', name: 'Springfield office' }, { key: 'online', name: 'Online', onlineUrl: 'https://meet.example/member-day' }],
    });
    const [occurrence] = (await occurrences(null, 'from=2029-05-01&to=2029-06-01').expect(200)).body.data.filter((o: any) => o.event.title === 'Member Day at two sites');
    expect(occurrence.location).toEqual({ key: 'springfield', name: 'Springfield office', onlineUrl: null });
    expect(occurrence.locations).toEqual([
      { key: 'springfield', name: 'Springfield office', onlineUrl: null },
      { key: 'online', name: 'Online', onlineUrl: 'https://meet.example/member-day' },
    ]);
  });
});
