import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * `node scripts/run-script.js import-ics <group-slug> [file.ics | https://...]`: imports an
 * external calendar into a networking group's events. Without a source, the group's
 * stored `icsFeedUrl` is fetched. Safe to re-run: events are matched by UID.
 */
export default async function importIcs(strapi: Core.Strapi, args: string[]): Promise<number> {
  const [group, source] = args;
  if (!group) {
    console.error('usage: node scripts/run-script.js import-ics <group-slug> [file.ics | https://feed.example/calendar.ics]');
    return 2;
  }
  const service = strapi.service('api::event.ics-import');
  try {
    let summary;
    if (!source) summary = await service.importGroupFeed(group);
    else if (/^https?:\/\//i.test(source)) summary = await service.importForGroup(group, await service.fetchText(source));
    else {
      const file = path.resolve(process.env.INIT_CWD || process.cwd(), source);
      if (!fs.existsSync(file)) {
        console.error(`No such file: ${file}`);
        return 2;
      }
      summary = await service.importForGroup(group, fs.readFileSync(file, 'utf8'));
    }
    console.log(
      `ICS import for ${summary.group}: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.removed} removed` +
        (summary.kept.length ? `; ${summary.kept.length} kept (registrations): ${summary.kept.map((k) => k.uid).join(', ')}` : '') +
        (summary.skipped.length ? `; ${summary.skipped.length} skipped: ${summary.skipped.map((s) => `${s.uid} (${s.reason})`).join('; ')}` : ''),
    );
    return 0;
  } catch (err) {
    console.error(`ICS import failed: ${(err as Error).message}`);
    return 1;
  }
}
