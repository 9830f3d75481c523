import type { Core } from '@strapi/strapi';
import { hoursEarned } from '../services/attendance';
import { publishedEventPopulate } from '../services/registration';

const REG = 'api::registration.registration';

/**
 * Staff mark attendance in the admin panel by editing `attended`: keep
 * `pdhEarned` consistent with it, whichever screen or script writes.
 *  - attended ticked → only on a confirmed seat of a date that has begun (the roster's rule, 409 otherwise);
 *  - attended changes → hours follow the event's `pdhHours` (or none);
 *  - attended stays false → no hours;
 *  - attended stays true → hours as given (staff may record partial hours).
 */
export function registerAttendanceSync(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== REG || ctx.action !== 'update') return next();
    const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    const data = params.data;
    if (!params.documentId || !data || !('attended' in data)) return next();
    const before = await strapi.db.query(REG).findOne({
      where: { documentId: params.documentId },
      select: ['id', 'attended', 'pdhEarned', 'status', 'occurrence'],
      populate: { event: publishedEventPopulate({ select: ['id', 'pdhHours'] }) },
    });
    if (!before) return next();
    const attended = data.attended === true || data.attended === 'true';
    // ticked in the form: the roster's rule (a confirmed seat of a date that has begun), or a waitlisted or future
    // registration showed on the person's transcript with the event's hours
    if (attended && !before.attended) {
      await strapi.service('api::registration.attendance').assertMarkable(before, typeof data.status === 'string' ? data.status : before.status);
    }
    if (attended !== !!before.attended || !attended) data.pdhEarned = hoursEarned(attended, before.event?.pdhHours);
    return next();
  });
}
