import fs from 'fs';
import http from 'http';
import path from 'path';
import type { AddressInfo } from 'net';
import { DateTime } from 'luxon';
import { startApp, type TestApp } from '../helpers/strapi';
import { icalJsOccurrences, nodeIcalParse } from '../helpers/ical-check';
import importIcs from '../../src/tasks/import-ics';

let app: TestApp;
let group: { documentId: string; slug: string };
const FIXTURE = path.join(__dirname, '../fixtures/northern-directors.ics');
const fixture = fs.readFileSync(FIXTURE, 'utf8');
const SERIES_UID = '7kq3v0o2m9c1r8s6t4u2w0y8z6@google.com';
const SOCIAL_UID = 'summer-social-2026@northern-directors.example';
const FROM = '2026-01-01T00:00:00Z';
const TO = '2027-01-01T00:00:00Z';
const toLocal = (iso: string) => DateTime.fromISO(iso).setZone('America/Chicago').toFormat("yyyy-MM-dd'T'HH:mm");
const text = (res: { text?: string }) => res.text ?? '';
const service = () => app.strapi.service('api::event.ics-import');
const imported = () =>
  app.strapi.documents('api::event.event').findMany({ filters: { importSource: `ics:networking-group:${group.documentId}` }, status: 'published', populate: { occurrenceChanges: true } } as never) as Promise<any[]>;

beforeAll(async () => {
  app = await startApp();
  const g = await app.strapi.documents('api::networking-group.networking-group').create({ data: { name: 'Northern Directors', slug: 'northern-directors', scope: 'regional' } as never });
  group = { documentId: g.documentId, slug: 'northern-directors' };
}, 300000);

afterAll(async () => {
  await app?.stop();
});

describe('ICS import for a networking group', () => {
  it('imports the file with the staff task, keeping RRULE, EXDATE and the overridden occurrences', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await importIcs(app.strapi, ['northern-directors', FIXTURE])).toBe(0);
    expect(log.mock.calls.join(' ')).toMatch(/2 created, 0 updated, 0 unchanged, 0 removed/);
    log.mockRestore();

    const events = await imported();
    expect(events.map((e) => e.externalUid).sort()).toEqual([SERIES_UID, SOCIAL_UID]);
    const series = events.find((e) => e.externalUid === SERIES_UID);
    expect(series).toMatchObject({ title: 'Northern Directors Meeting', rrule: 'FREQ=MONTHLY;BYDAY=3WE;BYMONTH=1,2,3,4,5,9,10,11,12', audience: 'public' });
    expect(series.occurrenceChanges).toHaveLength(2);

    // what members of the public see
    const res = await app.http().get(`/api/occurrences?from=2026-01-01&to=2026-12-31&group=northern-directors`).expect(200);
    const seen = res.body.data.filter((o: any) => o.event.title === 'Northern Directors Meeting').map((o: any) => toLocal(o.start));
    expect(seen).toEqual(['2026-01-21T10:00', '2026-02-18T10:00', '2026-03-18T14:00', '2026-05-20T10:00', '2026-09-16T10:00', '2026-10-21T10:00', '2026-12-16T10:00']);
    expect(res.body.data.find((o: any) => o.event.title === 'Summer Social & Book Swap')).toMatchObject({ location: { name: 'Sinnissippi Park, Rockford' } });
  });

  it("round-trips: the group's feed gives ical.js and node-ical the same meetings as the original file", async () => {
    const feed = text(await app.http().get(`/api/networking-groups/${group.documentId}/ics`).buffer(true).expect(200));
    nodeIcalParse(feed);
    const strip = (xs: { start: string; end: string; summary: string }[]) => xs.map((o) => [o.start, o.end, o.summary]);
    expect(strip(icalJsOccurrences(feed, FROM, TO))).toEqual(strip(icalJsOccurrences(fixture, FROM, TO)));
    expect(feed).toContain('RECURRENCE-ID;TZID=America/Chicago:20260318T100000');
    expect(feed).toMatch(/EXDATE;TZID=America\/Chicago:[^\r\n]*20261118T100000/);
    expect(feed).toMatch(/EXDATE;TZID=America\/Chicago:[^\r\n]*20260415T100000/);
  });

  it('is idempotent by UID: a second import changes nothing and the feed stays byte-identical', async () => {
    const before = await app.http().get(`/api/networking-groups/${group.documentId}/ics`).buffer(true).expect(200);
    const summary = await service().importForGroup('northern-directors', fixture);
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 2, removed: 0 });
    expect(await imported()).toHaveLength(2);
    const after = await app.http().get(`/api/networking-groups/${group.documentId}/ics`).buffer(true).expect(200);
    expect(after.headers.etag).toBe(before.headers.etag);
  });

  it('updates changed events and removes vanished ones only when nobody registered', async () => {
    const series = (await imported()).find((e) => e.externalUid === SERIES_UID);
    const social = (await imported()).find((e) => e.externalUid === SOCIAL_UID);
    const user = await app.createUser('member');
    await app.strapi.documents('api::registration.registration').create({
      data: { event: social.documentId, occurrence: social.start, user: user.documentId, status: 'confirmed', eventDocumentId: social.documentId, userDocumentId: user.documentId } as never,
    });
    // the feed now has only the series, with a new time (from 10 to 9 a.m.)
    const changed = fixture
      .replace(/BEGIN:VEVENT\r\nDTSTART:20260610[\s\S]*?END:VEVENT\r\n/, '')
      .replace('DTSTART;TZID=America/Chicago:20260121T100000', 'DTSTART;TZID=America/Chicago:20260121T090000');
    let summary = await service().importForGroup(group.documentId, changed);
    expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: 0, removed: 0 });
    expect(summary.kept).toEqual([expect.objectContaining({ uid: SOCIAL_UID, documentId: social.documentId })]);
    const events = await imported();
    expect(events.find((e) => e.externalUid === SERIES_UID).documentId).toBe(series.documentId); // same event, same UID in feeds
    expect(toLocal(events.find((e) => e.externalUid === SERIES_UID).start)).toBe('2026-01-21T09:00');

    // without the registration, the vanished event goes
    await app.strapi.db.query('api::registration.registration').deleteMany({ where: { eventDocumentId: social.documentId } });
    summary = await service().importForGroup(group.documentId, changed);
    expect(summary).toMatchObject({ removed: 1, kept: [] });
    expect((await imported()).map((e) => e.externalUid)).toEqual([SERIES_UID]);
  });

  it("fetches a group's stored feed address over HTTP", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/calendar' });
      res.end(fixture);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.ics`;
      await app.strapi.documents('api::networking-group.networking-group').update({ documentId: group.documentId, data: { icsFeedUrl: url } } as never);
      const summary = await service().importGroupFeed('northern-directors');
      expect(summary).toMatchObject({ created: 1, updated: 1 });
      expect((await imported()).map((e) => e.externalUid).sort()).toEqual([SERIES_UID, SOCIAL_UID]);
    } finally {
      server.close();
    }
  });

  it('refuses an unknown group, a bad URL and a rule it cannot read', async () => {
    await expect(service().importForGroup('no-such-group', fixture)).rejects.toThrow(/no-such-group/);
    await expect(service().fetchText('file:///etc/passwd')).rejects.toThrow(/http/);
    // a feed that cannot be read changes nothing (it is not a feed whose events vanished)
    const bad = fixture.replace('RRULE:FREQ=MONTHLY;BYDAY=3WE;BYMONTH=1,2,3,4,5,9,10,11,12', 'RRULE:FREQ=FORTNIGHTLY;BYDAY=3WE');
    await expect(service().importForGroup('northern-directors', bad)).rejects.toThrow(/FORTNIGHTLY/);
    await expect(service().importForGroup('northern-directors', '<html>Not found</html>')).rejects.toThrow(/not an iCalendar file/);
    expect((await imported()).map((e) => e.externalUid).sort()).toEqual([SERIES_UID, SOCIAL_UID]);
  });
});

describe('ICS import of a feed with entries it cannot read', () => {
  let bad: { documentId: string };
  const GOOD = 'good-meeting@bad-feed.example';
  const vevent = (uid: string, lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];
  const calendar = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Library Learning tests//bad feed//EN', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');
  const good = vevent(GOOD, ['DTSTART:20270310T150000Z', 'DTEND:20270310T160000Z', 'SUMMARY:Good meeting']);
  const source = () => `ics:networking-group:${bad.documentId}`;
  /** Every stored version (draft or published) of the group's imported events. */
  const stored = async () =>
    (await app.strapi.db.query('api::event.event').findMany({ where: { importSource: source() }, select: ['externalUid', 'publishedAt'] })) as { externalUid: string; publishedAt: string | null }[];
  /**
   * Strapi's event hub reads each written entry back after the import's transaction commits (on SQLite's one
   * connection, those reads wait for it): let them finish before the app stops under them.
   */
  const settled = async () => {
    const pool = (app.strapi.db.connection.client as any).pool;
    while (pool.numPendingAcquires() + pool.numUsed() > 0) await new Promise((r) => setTimeout(r, 20));
  };
  const lastImportedAt = async () => (await app.strapi.db.query('api::networking-group.networking-group').findOne({ where: { documentId: bad.documentId } })).lastImportedAt;

  let warn: jest.SpyInstance;
  beforeAll(async () => {
    // node-ical warns on the console about the values it drops; the summary's skipped list is what counts here
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    bad = await app.strapi.documents('api::networking-group.networking-group').create({ data: { name: 'Bad Feed Forum', slug: 'bad-feed-forum', scope: 'regional' } as never });
  });
  afterAll(() => warn.mockRestore());

  it.each([
    ['an unreadable DTSTART', 'bad-start', ['DTSTART:garbage', 'SUMMARY:Broken start'], /DTSTART/],
    ['an unreadable DTEND', 'bad-end', ['DTSTART:20270311T150000Z', 'DTEND:garbage', 'SUMMARY:Broken end'], /DTEND/],
    ['a DTSTART in the year 9999', 'far-start', ['DTSTART:99990311T150000Z', 'SUMMARY:Far away'], /DTSTART/],
    ['an unreadable EXDATE', 'bad-exdate', ['DTSTART:20270312T150000Z', 'RRULE:FREQ=WEEKLY;COUNT=4', 'EXDATE:garbage', 'SUMMARY:Broken exdate'], /EXDATE/],
    ['an RRULE longer than the 500 characters stored', 'long-rule', ['DTSTART:20270313T150000Z', `RRULE:FREQ=YEARLY;BYYEARDAY=${Array.from({ length: 200 }, (_, i) => i + 1).join(',')}`, 'SUMMARY:Long rule'], /RRULE/],
  ])('skips %s with its reason and imports the rest', async (_label, uid, lines, reason) => {
    const summary = await service().importForGroup('bad-feed-forum', calendar(good, vevent(uid, lines)));
    expect(summary.skipped).toEqual([{ uid, reason: expect.stringMatching(reason) }]);
    expect((await stored()).map((e) => e.externalUid)).not.toContain(uid);
    expect((await stored()).filter((e) => e.externalUid === GOOD && e.publishedAt)).toHaveLength(1);
  });

  it('skips a series whose moved date (RECURRENCE-ID) cannot be read, keeping the series as it was', async () => {
    const series = (extra: string[][]) => calendar(good, vevent('series@bad-feed.example', ['DTSTART:20270315T150000Z', 'RRULE:FREQ=WEEKLY;COUNT=4', 'SUMMARY:Weekly']), ...extra);
    await service().importForGroup('bad-feed-forum', series([]));
    const moved = vevent('series@bad-feed.example', ['RECURRENCE-ID:garbage', 'DTSTART:20270322T170000Z', 'SUMMARY:Weekly (moved)']);
    const summary = await service().importForGroup('bad-feed-forum', series([moved]));
    expect(summary.skipped).toEqual([{ uid: 'series@bad-feed.example', reason: expect.stringMatching(/RECURRENCE-ID/) }]);
    expect(summary).toMatchObject({ removed: 0 });
    expect((await stored()).filter((e) => e.externalUid === 'series@bad-feed.example' && e.publishedAt)).toHaveLength(1);
  });

  it('is all or nothing: a failure in the middle of a run stores none of it and leaves lastImportedAt', async () => {
    const before = await stored();
    const stamp = await lastImportedAt();
    const docs = app.strapi.documents('api::event.event');
    const publish = docs.publish;
    let calls = 0;
    const spy = jest.spyOn(docs, 'publish').mockImplementation(async (params: any) => {
      calls += 1;
      if (calls === 2) throw new Error('simulated failure in the middle of the import');
      return publish(params);
    });
    const three = calendar(
      vevent('one@bad-feed.example', ['DTSTART:20270401T150000Z', 'SUMMARY:One']),
      vevent('two@bad-feed.example', ['DTSTART:20270402T150000Z', 'SUMMARY:Two']),
      vevent('three@bad-feed.example', ['DTSTART:20270403T150000Z', 'SUMMARY:Three']),
    );
    try {
      await expect(service().importForGroup('bad-feed-forum', three)).rejects.toThrow(/simulated failure/);
    } finally {
      spy.mockRestore();
    }
    expect((await stored()).sort((a, b) => a.externalUid.localeCompare(b.externalUid))).toEqual(before.sort((a, b) => a.externalUid.localeCompare(b.externalUid)));
    expect(await lastImportedAt()).toEqual(stamp);
    // the next run imports it whole
    expect(await service().importForGroup('bad-feed-forum', three)).toMatchObject({ created: 3, skipped: [] });
    expect((await stored()).filter((e) => e.publishedAt && /^(one|two|three)@/.test(e.externalUid))).toHaveLength(3);
    await settled();
  });
});
