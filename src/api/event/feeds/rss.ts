import { DateTime } from 'luxon';
import { eventUrl, publicUrl, uidOf } from './ics';

/**
 * RSS 2.0 of new events. Hand-written XML: every text node and attribute goes through
 * `xml()`, and characters XML 1.0 forbids are dropped.
 */
export interface RssEvent {
  documentId: string;
  title: string;
  slug?: string | null;
  summary?: string | null;
  description?: string | null;
  start: string | Date;
  publishedAt?: string | Date | null;
  tags?: { name: string }[] | null;
}

export function xml(text: unknown): string {
  return String(text ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const rfc822 = (v: string | Date) => (v instanceof Date ? DateTime.fromJSDate(v) : DateTime.fromISO(v)).toUTC().toRFC2822();

export function buildRss(events: RssEvent[], zone: string): string {
  const self = `${publicUrl()}/api/events/feed.rss`;
  const newest = events.find((e) => e.publishedAt)?.publishedAt;
  const items = events.map((e) => {
    const when = (e.start instanceof Date ? DateTime.fromJSDate(e.start) : DateTime.fromISO(e.start)).setZone(zone).toFormat("cccc, LLLL d, yyyy 'at' h:mm a ZZZZ");
    const text = [when, (e.summary || e.description || '').slice(0, 1000)].filter(Boolean).join(' — ');
    return [
      '    <item>',
      `      <title>${xml(e.title)}</title>`,
      `      <link>${xml(eventUrl(e))}</link>`,
      `      <guid isPermaLink="false">${xml(uidOf(e.documentId))}</guid>`,
      e.publishedAt ? `      <pubDate>${rfc822(e.publishedAt)}</pubDate>` : '',
      `      <description>${xml(text)}</description>`,
      ...(e.tags ?? []).map((t) => `      <category>${xml(t.name)}</category>`),
      '    </item>',
    ].filter(Boolean).join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    '    <title>Library Learning: New Events</title>',
    `    <link>${xml(publicUrl())}</link>`,
    '    <description>Newly published continuing-education and networking events for Illinois libraries</description>',
    '    <language>en-us</language>',
    `    <atom:link href="${xml(self)}" rel="self" type="application/rss+xml"/>`,
    newest ? `    <lastBuildDate>${rfc822(newest)}</lastBuildDate>` : '',
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].filter((l) => l !== '').join('\n');
}
