/* Independent readers of our feeds: ical.js (RFC 5545 expansion) and node-ical. */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ICAL = require('ical.js');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeIcal = require('node-ical');

export interface IcalJsOccurrence { uid: string; start: string; end: string; summary: string }

/** Every occurrence in [from, to) that ical.js computes from a calendar text, as UTC ISO;
 * occurrences whose instance is STATUS:CANCELLED are left out, as calendar apps show them. */
export function icalJsOccurrences(text: string, from: string, to: string): IcalJsOccurrence[] {
  const comp = new ICAL.Component(ICAL.parse(text));
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const vevents = comp.getAllSubcomponents('vevent');
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const out: IcalJsOccurrence[] = [];
  const byUid = new Map<string, { master?: unknown; exceptions: unknown[] }>();
  for (const v of vevents) {
    const uid = v.getFirstPropertyValue('uid');
    const slot = byUid.get(uid) ?? { exceptions: [] };
    if (v.hasProperty('recurrence-id')) slot.exceptions.push(v);
    else slot.master = v;
    byUid.set(uid, slot);
  }
  for (const [uid, { master, exceptions }] of byUid) {
    const ev = new ICAL.Event(master, { strictExceptions: false });
    for (const x of exceptions) ev.relateException(x);
    if (!ev.isRecurring()) {
      if (String(ev.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
      const s = ev.startDate.toJSDate().getTime();
      if (s >= fromMs && s < toMs) out.push({ uid, start: new Date(s).toISOString(), end: ev.endDate.toJSDate().toISOString(), summary: ev.summary });
      continue;
    }
    const it = ev.iterator();
    let next;
    let guard = 0;
    while ((next = it.next()) && guard++ < 5000) {
      const d = ev.getOccurrenceDetails(next);
      const s = d.startDate.toJSDate().getTime();
      if (String(d.item.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
      if (d.recurrenceId.toJSDate().getTime() >= toMs + 86400000 * 40) break;
      if (s >= fromMs && s < toMs) out.push({ uid, start: new Date(s).toISOString(), end: d.endDate.toJSDate().toISOString(), summary: d.item.summary });
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start) || a.uid.localeCompare(b.uid));
}

/** node-ical's reading of a calendar (throws on text it cannot parse). */
export function nodeIcalParse(text: string): Record<string, any> {
  return nodeIcal.sync.parseICS(text);
}
