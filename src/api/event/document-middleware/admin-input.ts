import type { Core } from '@strapi/strapi';
import { inputError } from '../../../utils/errors';
import { contentManagerRequest } from '../../../utils/admin-request';

const EVENT = 'api::event.event';

const time = (v: unknown): number | null => {
  if (v == null || v === '') return null;
  const t = new Date(v as string).getTime();
  return Number.isNaN(t) ? null : t;
};

/**
 * The admin panel's event form holds the rules the group-event API holds (src/api/networking-group/controllers/
 * validation/group-event.ts): an end after the start, each location key once (a registration names its place by
 * key: two places with one key shared one seat count under two capacities), and likewise a registration window and
 * a moved date that end after they begin. A 400 naming the field, nothing stored. The form sends the whole event, so
 * both ends of each pair are in the data; scripts and imports keep their own checks.
 */
export function registerEventFormRules(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== EVENT || (ctx.action !== 'create' && ctx.action !== 'update')) return next();
    const data = (ctx.params as { data?: Record<string, any> }).data;
    if (!data || !contentManagerRequest(strapi)) return next();
    const after = (field: string, later: unknown, earlier: unknown, earlierName: string) => {
      const [a, b] = [time(later), time(earlier)];
      if (a !== null && b !== null && a <= b) throw inputError(field, `must be after ${earlierName}`);
    };
    after('end', data.end, data.start, 'start');
    after('registrationCloses', data.registrationCloses, data.registrationOpens, 'registrationOpens');
    if (Array.isArray(data.locations)) {
      const keys = new Set<string>();
      data.locations.forEach((l: { key?: unknown } | null, i: number) => {
        if (typeof l?.key !== 'string') return;
        if (keys.has(l.key)) throw inputError(`locations[${i}].key`, `"${l.key}" is used twice: each place of an event has its own key`);
        keys.add(l.key);
      });
    }
    if (Array.isArray(data.occurrenceChanges)) {
      data.occurrenceChanges.forEach((c: { start?: unknown; end?: unknown } | null, i: number) => after(`occurrenceChanges[${i}].end`, c?.end, c?.start, 'its start'));
    }
    return next();
  });
}
