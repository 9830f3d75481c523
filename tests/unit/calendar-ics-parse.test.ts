import fs from 'fs';
import path from 'path';
import { DateTime } from 'luxon';
import { parseIcs } from '../../src/api/event/feeds/ics-parse';
import { expand } from '../../src/api/event/recurrence/rule';
import { buildCalendar } from '../../src/api/event/feeds/ics';
import { icalJsOccurrences } from '../helpers/ical-check';

const fixture = fs.readFileSync(path.join(__dirname, '../fixtures/northern-directors.ics'), 'utf8');
const toLocal = (iso: string) => DateTime.fromISO(iso).setZone('America/Chicago').toFormat("yyyy-MM-dd'T'HH:mm");

describe('reading a real-world-shaped ICS file', () => {
  const { events, skipped } = parseIcs(fixture);
  const series = events.find((e) => e.uid.endsWith('@google.com'))!;

  it('keeps one item per UID with its RRULE, EXDATE and overridden occurrences', () => {
    expect(skipped).toEqual([]);
    expect(events.map((e) => e.uid)).toEqual(['7kq3v0o2m9c1r8s6t4u2w0y8z6@google.com', 'summer-social-2026@northern-directors.example']);
    expect(series).toMatchObject({
      title: 'Northern Directors Meeting',
      rrule: 'FREQ=MONTHLY;BYDAY=3WE;BYMONTH=1,2,3,4,5,9,10,11,12',
      location: 'Rockford Public Library, 215 N Wyman St, Rockford, IL 61101, USA',
      allDay: false,
    });
    expect(series.description).toContain('share ideas, policies and budgets');
    expect(toLocal(series.start)).toBe('2026-01-21T10:00');
    expect(series.exdates!.map(toLocal)).toEqual(['2026-11-18T10:00']);
    expect(series.occurrenceChanges.map((c) => [toLocal(c.occurrence), c.cancelled, c.start && toLocal(c.start)])).toEqual([
      ['2026-03-18T10:00', false, '2026-03-18T14:00'],
      ['2026-04-15T10:00', true, null],
    ]);
  });

  it('round-trips: our feed of the imported data gives ical.js the same occurrences as the original file', () => {
    const from = '2026-01-01T00:00:00Z';
    const to = '2028-01-01T00:00:00Z';
    const ours = buildCalendar(events.map((e, i) => ({ ...e, documentId: `d${i}`, uid: e.uid.replace(/@.*/, '') })), { name: 't' }).body.toString();
    const a = icalJsOccurrences(fixture, from, to).map((o) => [o.start, o.end, o.summary]);
    const b = icalJsOccurrences(ours, from, to).map((o) => [o.start, o.end, o.summary]);
    expect(b).toEqual(a);
    // and our own expansion agrees
    const expanded = events.flatMap((e) => expand(e, from, to).filter((o) => !o.cancelled).map((o) => [o.start, o.end, e.title]));
    expect(expanded.sort()).toEqual([...a].sort());
  });

  it('refuses text that is not a calendar', () => {
    expect(() => parseIcs('<html>Not found</html>')).toThrow(/not an iCalendar file/);
    expect(parseIcs('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n').events).toEqual([]);
  });
});
