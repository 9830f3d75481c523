import { DateTime, Settings } from 'luxon';
import * as demo from '../../src/seed/demo-data';
import { localToUtcIso } from '../../src/seed/time';
import { expand, findOccurrence, isOccurrence, rescheduledOccurrence, rruleProblem } from '../../src/api/event/recurrence/rule';
import { normaliseRecurrenceFields } from '../../src/api/event/recurrence/validate';
import { parseIcs } from '../../src/api/event/feeds/ics-parse';
import { buildCalendar, type FeedEvent } from '../../src/api/event/feeds/ics';
import { icalJsOccurrences, nodeIcalParse } from '../helpers/ical-check';

const FROM = '2026-01-01T06:00:00.000Z';
const TO = '2028-01-01T06:00:00.000Z';
const zone = 'America/Chicago';

const allSeries: demo.SeriesSpec[] = [...demo.networkingGroups.flatMap((g) => g.meetings ?? []), ...demo.events].filter((s) => s.rrule);

function toEvent(s: demo.SeriesSpec, i: number): FeedEvent {
  return {
    documentId: `doc${i}`, title: s.title, slug: s.key,
    start: localToUtcIso(s.start), end: localToUtcIso(s.end), rrule: s.rrule,
    exdates: s.exdates?.map((x) => localToUtcIso(x)) ?? null, updatedAt: '2026-01-01T00:00:00.000Z',
  };
}
const localTimes = (isos: string[]) => isos.map((x) => DateTime.fromISO(x).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm"));

describe('seed recurrence patterns, 2026–2027, against ical.js reading our own feed', () => {
  const named = ['extra-credit-2026', 'directors-chats-2026', 'northern-directors', 'sways', 'mepl', 'small-pubs-2026', 'small-pubs-2027', 'south-central'];
  it('covers every pattern the issue names', () => {
    const keys = allSeries.map((s) => s.key).join(' ');
    for (const k of named) expect(keys).toContain(k.split('-20')[0]);
  });

  it.each(allSeries.map((s, i) => [s.key, s, i] as const))('%s', (_key, s, i) => {
    const event = toEvent(s, i);
    const ours = expand(event, FROM, TO);
    const feed = buildCalendar([event], { name: 'test' }).body.toString();
    const theirs = icalJsOccurrences(feed, FROM, TO);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map((o) => o.start)).toEqual(theirs.map((o) => o.start));
    expect(ours.map((o) => o.end)).toEqual(theirs.map((o) => o.end));
    // wall time never drifts across DST: every occurrence at the first one's local clock time
    const clock = s.start.slice(11);
    expect(new Set(localTimes(ours.map((o) => o.start)).map((t) => t.slice(11)))).toEqual(new Set([clock]));
    expect(() => nodeIcalParse(feed)).not.toThrow();
  });
});

describe('seed patterns in words', () => {
  const series = (key: string) => allSeries.find((s) => s.key.startsWith(key))!;
  const dates = (key: string) => localTimes(expand(toEvent(series(key), 0), FROM, TO).map((o) => o.start));

  it("Directors' Chats: Thursdays except third Thursdays and holidays, 1 p.m. through both DST changes", () => {
    const d = dates('directors-chats');
    expect(d).toContain('2026-03-05T13:00'); // before DST starts (Mar 8)
    expect(d).toContain('2026-03-12T13:00'); // after
    expect(d).toContain('2026-11-05T13:00'); // after DST ends (Nov 1)
    expect(d).not.toContain('2026-03-19T13:00'); // third Thursday
    expect(d).not.toContain('2026-11-26T13:00'); // Thanksgiving exdate
    for (const x of d) expect(DateTime.fromISO(x).weekday).toBe(4);
  });

  it('Extra Credit!: first Thursdays, August to May only', () => {
    const d = dates('extra-credit');
    expect(d[0]).toBe('2026-02-05T15:30');
    expect(d.some((x) => /-0[67]-/.test(x))).toBe(false);
    expect(d).toContain('2026-08-06T15:30');
    expect(d).toContain('2027-01-07T15:30');
  });

  it('Northern Directors: third Wednesdays except June–August', () => {
    const d = dates('northern-directors');
    expect(d.slice(0, 5)).toEqual(['2026-01-21T10:00', '2026-02-18T10:00', '2026-03-18T10:00', '2026-04-15T10:00', '2026-05-20T10:00']);
    expect(d[5]).toBe('2026-09-16T10:00');
  });

  it('MEPL: third Thursday of even months', () => {
    expect(dates('mepl').slice(0, 6)).toEqual(['2026-02-19T14:00', '2026-04-16T14:00', '2026-06-18T14:00', '2026-08-20T14:00', '2026-10-15T14:00', '2026-12-17T14:00']);
  });

  it('Small Pubs: second Tuesdays through 2026, then second Wednesdays', () => {
    expect(dates('small-pubs-2026')).toEqual(['2026-01-13T10:00', '2026-04-14T10:00', '2026-07-14T10:00', '2026-10-13T10:00']);
    expect(dates('small-pubs-2027')).toEqual(['2027-01-13T10:00', '2027-04-14T10:00', '2027-07-14T10:00', '2027-10-13T10:00']);
  });
});

describe('occurrence changes', () => {
  const base = { start: localToUtcIso('2026-03-05T13:00'), end: localToUtcIso('2026-03-05T14:00'), rrule: 'FREQ=WEEKLY;BYDAY=TH' };

  it('moves one occurrence and cancels another without touching the rest', () => {
    const moved = localToUtcIso('2026-03-12T13:00');
    const cancelled = localToUtcIso('2026-03-19T13:00');
    const event = {
      ...base,
      occurrenceChanges: [
        { occurrence: moved, start: localToUtcIso('2026-03-13T09:00'), end: localToUtcIso('2026-03-13T10:00') },
        { occurrence: cancelled, cancelled: true },
      ],
    };
    const occ = expand(event, localToUtcIso('2026-03-01T00:00'), localToUtcIso('2026-04-01T00:00'));
    expect(localTimes(occ.map((o) => o.start))).toEqual(['2026-03-05T13:00', '2026-03-13T09:00', '2026-03-19T13:00', '2026-03-26T13:00']);
    expect(occ[1]).toMatchObject({ moved: true, originalStart: DateTime.fromISO(moved).toUTC().toISO() });
    expect(occ[2].cancelled).toBe(true);
    expect(isOccurrence(event, moved)).toBe(true);
    expect(isOccurrence(event, cancelled)).toBe(false);
    expect(isOccurrence(event, localToUtcIso('2026-03-12T14:00'))).toBe(false);
    expect(findOccurrence(event, localToUtcIso('2026-03-13T09:00'))?.originalStart).toBe(DateTime.fromISO(moved).toUTC().toISO());

    // the feed writes the same thing: ical.js sees the move and not the cancelled one
    const feed = buildCalendar([{ ...event, documentId: 'x', title: 'Chat' }], { name: 't' }).body.toString();
    expect(feed).toContain('RECURRENCE-ID;TZID=America/Chicago:20260312T130000');
    expect(feed).toContain('EXDATE;TZID=America/Chicago:20260319T130000');
    expect(feed).toMatch(/BEGIN:VTIMEZONE\r\nTZID:America\/Chicago/);
    for (const line of feed.split('\r\n').filter((l) => /^(DTSTAMP|LAST-MODIFIED):/.test(l))) expect(line).toMatch(/Z$/); // UTC, as RFC 5545 requires
    const theirs = icalJsOccurrences(feed, localToUtcIso('2026-03-01T00:00'), localToUtcIso('2026-04-01T00:00'));
    expect(theirs.map((o) => o.start)).toEqual(occ.filter((o) => !o.cancelled).map((o) => o.start));
  });

  it('includes a moved occurrence whose new time falls in the range although its original does not', () => {
    const event = { ...base, occurrenceChanges: [{ occurrence: localToUtcIso('2026-04-02T13:00'), start: localToUtcIso('2026-03-31T13:00') }] };
    const occ = expand(event, localToUtcIso('2026-03-30T00:00'), localToUtcIso('2026-04-01T00:00'));
    expect(localTimes(occ.map((o) => o.start))).toEqual(['2026-03-31T13:00']);
  });

  it('a single event has one occurrence; UNTIL ends a series', () => {
    expect(expand({ start: base.start, end: base.end }, FROM, TO)).toHaveLength(1);
    const until = expand({ ...base, rrule: 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20260320T000000Z' }, FROM, TO);
    expect(localTimes(until.map((o) => o.start))).toEqual(['2026-03-05T13:00', '2026-03-12T13:00', '2026-03-19T13:00']);
  });
});

describe('where a registration goes when staff reschedule', () => {
  const utc = (local: string) => new Date(localToUtcIso(local)).toISOString();
  it('a single event: to its start, wherever it moved', () => {
    const single = { start: localToUtcIso('2026-06-10T11:00'), end: localToUtcIso('2026-06-10T12:00') };
    expect(rescheduledOccurrence(single, localToUtcIso('2026-06-10T10:00'))).toBe(utc('2026-06-10T11:00'));
    expect(rescheduledOccurrence(single, localToUtcIso('2026-06-03T10:00'))).toBe(utc('2026-06-10T11:00'));
    expect(rescheduledOccurrence(single, localToUtcIso('2026-06-10T11:00'))).toBeNull();
  });

  it('a series: to its date on the same day in Chicago (the nearest of several), nowhere when the day has none', () => {
    // Thursdays moved from 1 p.m. to 2 p.m.; 8 p.m. Chicago is already Friday in UTC
    const weekly = { start: localToUtcIso('2026-03-05T14:00'), end: localToUtcIso('2026-03-05T15:00'), rrule: 'FREQ=WEEKLY;BYDAY=TH' };
    expect(rescheduledOccurrence(weekly, localToUtcIso('2026-03-12T13:00'))).toBe(utc('2026-03-12T14:00'));
    expect(rescheduledOccurrence(weekly, localToUtcIso('2026-03-12T20:00'))).toBe(utc('2026-03-12T14:00'));
    expect(rescheduledOccurrence(weekly, localToUtcIso('2026-03-12T14:00'))).toBeNull(); // still a date
    expect(rescheduledOccurrence(weekly, localToUtcIso('2026-03-11T14:00'))).toBeNull(); // a Wednesday: no date that day
    const twice = { ...weekly, rrule: 'FREQ=WEEKLY;BYDAY=TH;BYHOUR=10,15' };
    expect(rescheduledOccurrence(twice, localToUtcIso('2026-03-12T09:00'))).toBe(utc('2026-03-12T10:00'));
    expect(rescheduledOccurrence(twice, localToUtcIso('2026-03-12T14:00'))).toBe(utc('2026-03-12T15:00'));
  });
});

describe('feed details', () => {
  it('writes an all-day event as DATE values with an exclusive end', () => {
    const feed = buildCalendar([{ documentId: 'd', title: 'Member Day', allDay: true, start: localToUtcIso('2027-04-16T00:00'), end: null }], { name: 't' }).body.toString();
    expect(feed).toContain('DTSTART;VALUE=DATE:20270416');
    expect(feed).toContain('DTEND;VALUE=DATE:20270417');
  });
});

describe('rule validation', () => {
  it('bounds a dense rule: one expansion yields at most MAX_OCCURRENCES', () => {
    const dense = expand({ start: '2026-01-01T06:00:00Z', rrule: 'FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,10,20,30,40,50' }, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    expect(dense.length).toBeLessThanOrEqual(5000);
  });

  it.each(['FREQ=MONTHLY;BYDAY=3WE', 'RRULE:FREQ=WEEKLY;BYDAY=TH', 'FREQ=MONTHLY;BYDAY=1TH;BYMONTH=1,2,8;COUNT=12', 'FREQ=MONTHLY;UNTIL=20261231T235959Z'])('accepts %s', (r) => {
    expect(rruleProblem(r)).toBeNull();
  });
  it.each(['FREQ=MONTHLY;BYDAY=3XX', 'FOO=1', 'FREQ=BAD', 'BYDAY=MO', 'FREQ=WEEKLY;COUNT=abc', 'FREQ=MONTHLY;BYMONTH=13', 'every thursday', 'FREQ=SECONDLY', 'FREQ=HOURLY;INTERVAL=1'])('refuses %s', (r) => {
    expect(rruleProblem(r)).toEqual(expect.any(String));
  });
});

describe('times written without an offset are calendar-zone wall time, whatever zone the server runs in', () => {
  // a server in UTC (as containers run): offset-less text must not be read in the server's zone
  const serverZone = Settings.defaultZone;
  beforeAll(() => {
    Settings.defaultZone = 'UTC';
  });
  afterAll(() => {
    Settings.defaultZone = serverZone;
  });

  const chat = { start: localToUtcIso('2027-01-07T13:00'), end: localToUtcIso('2027-01-07T14:00'), rrule: 'FREQ=WEEKLY;BYDAY=TH' };
  const january = [localToUtcIso('2027-01-01T00:00'), localToUtcIso('2027-02-01T00:00')] as const;

  it('an exdate "2027-01-14T13:00:00" skips the 1 p.m. meeting of that day, in our expansion and in the feed', () => {
    const event = { ...chat, exdates: ['2027-01-14T13:00:00'] };
    const ours = expand(event, ...january);
    expect(localTimes(ours.map((o) => o.start))).toEqual(['2027-01-07T13:00', '2027-01-21T13:00', '2027-01-28T13:00']);
    const feed = buildCalendar([{ ...event, documentId: 'x', title: 'Chat' }], { name: 't' }).body.toString();
    expect(feed).toContain('EXDATE;TZID=America/Chicago:20270114T130000');
    expect(icalJsOccurrences(feed, ...january).map((o) => o.start)).toEqual(ours.map((o) => o.start));
  });

  it('an rdate without an offset adds a meeting at that wall time', () => {
    const ours = expand({ ...chat, rdates: ['2027-01-19T13:00:00'] }, ...january);
    expect(localTimes(ours.map((o) => o.start))).toContain('2027-01-19T13:00');
  });

  it('a write stores offset-less exdates and rdates as UTC instants, the way it stores start', () => {
    const data: Record<string, unknown> = { exdates: ['2027-01-14T13:00:00', '2027-01-21T19:00:00Z'], rdates: ['2027-01-19T13:00'] };
    normaliseRecurrenceFields(data);
    expect(data).toEqual({ exdates: ['2027-01-14T19:00:00.000Z', '2027-01-21T19:00:00.000Z'], rdates: ['2027-01-19T19:00:00.000Z'] });
  });
});

describe('UNTIL without Z (RFC 5545: UTC beside a DTSTART with a TZID)', () => {
  // Thursdays at 6 p.m.; December 31, 2026 is a Thursday
  const evening = { start: localToUtcIso('2026-12-03T18:00'), end: localToUtcIso('2026-12-03T19:00') };
  const range = [localToUtcIso('2026-12-01T00:00'), localToUtcIso('2027-02-01T00:00')] as const;
  const lastFour = ['2026-12-10T18:00', '2026-12-17T18:00', '2026-12-24T18:00', '2026-12-31T18:00'];

  it.each([
    ['a floating date-time, as calendar-zone wall time', 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20261231T235959'],
    ['a date, as the end of that day in the calendar zone', 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20261231'],
  ])('reads %s: the Dec 31, 6 p.m. meeting is kept, by us and by iCal clients reading our feed', (_label, rrule) => {
    const event = { ...evening, rrule };
    const ours = expand(event, ...range);
    expect(localTimes(ours.map((o) => o.start))).toEqual(['2026-12-03T18:00', ...lastFour]);
    const feed = buildCalendar([{ ...event, documentId: 'x', title: 'Evening forum' }], { name: 't' }).body.toString();
    expect(feed).toContain('RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20270101T055959Z');
    expect(icalJsOccurrences(feed, ...range).map((o) => o.start)).toEqual(ours.map((o) => o.start));
  });

  it('a UTC UNTIL is kept as written; 5:59 p.m. Chicago ends the series before the 6 p.m. meeting', () => {
    const ours = expand({ ...evening, rrule: 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20261231T235959Z' }, ...range);
    expect(localTimes(ours.map((o) => o.start)).at(-1)).toBe('2026-12-24T18:00');
  });

  it('a write stores the rule with its UNTIL in UTC; a rule without a floating UNTIL is left exactly as written', () => {
    const floating: Record<string, unknown> = { rrule: 'FREQ=WEEKLY;UNTIL=20261231;BYDAY=TH' };
    normaliseRecurrenceFields(floating);
    expect(floating.rrule).toBe('FREQ=WEEKLY;UNTIL=20270101T055959Z;BYDAY=TH');
    for (const rrule of ['FREQ=MONTHLY;UNTIL=20261231T235959Z', 'RRULE:FREQ=MONTHLY;BYDAY=3WE', 'FREQ=WEEKLY;COUNT=3']) {
      const data: Record<string, unknown> = { rrule };
      normaliseRecurrenceFields(data);
      expect(data.rrule).toBe(rrule);
    }
  });

  it('refuses an UNTIL that is not a real date', () => {
    expect(rruleProblem('FREQ=WEEKLY;UNTIL=20261341')).toMatch(/UNTIL/);
    expect(rruleProblem('FREQ=WEEKLY;UNTIL=20261231T250000')).toMatch(/UNTIL/);
  });

  it('an imported calendar\'s floating or date UNTIL arrives in UTC and keeps the same meetings', () => {
    for (const until of ['20261231T235959', '20261231']) {
      const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', 'BEGIN:VEVENT', 'UID:evening@example.org', 'DTSTAMP:20260101T000000Z',
        'DTSTART;TZID=America/Chicago:20261203T180000', 'DTEND;TZID=America/Chicago:20261203T190000', `RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=${until}`,
        'SUMMARY:Evening forum', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
      const [imported] = parseIcs(ics).events;
      expect(imported.rrule).toMatch(/(^|;)UNTIL=20270101T055959Z(;|$)/);
      expect(localTimes(expand(imported, ...range).map((o) => o.start)).slice(-4)).toEqual(lastFour);
    }
  });

  it('an imported all-day series keeps the day its UNTIL date names, as iCal clients reading the original file do', () => {
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', 'BEGIN:VEVENT', 'UID:closed@example.org', 'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20261203', 'DTEND;VALUE=DATE:20261204', 'RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20261231',
      'SUMMARY:Branch closed', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const [imported] = parseIcs(ics).events;
    const days = (isos: string[]) => isos.map((x) => DateTime.fromISO(x).setZone(zone).toISODate());
    expect(days(expand(imported, ...range).map((o) => o.start))).toEqual(['2026-12-03', '2026-12-10', '2026-12-17', '2026-12-24', '2026-12-31']);
    expect(icalJsOccurrences(ics, ...range).map((o) => o.start.slice(0, 10))).toEqual(['2026-12-03', '2026-12-10', '2026-12-17', '2026-12-24', '2026-12-31']);
    const feed = buildCalendar([{ ...imported, documentId: 'x' }], { name: 't' }).body.toString();
    expect(icalJsOccurrences(feed, ...range).map((o) => o.start.slice(0, 10))).toEqual(['2026-12-03', '2026-12-10', '2026-12-17', '2026-12-24', '2026-12-31']);
  });
});
