import type { RoleType } from '../../bootstrap/permissions';

/** Content-API actions this feature opens, with the lowest role that gets each. */
export const permissions: [action: string, from: RoleType][] = [
  // calendar (the feeds without a session are auth: false routes, see routes/01-calendar.ts)
  ['api::event.calendar.occurrences', 'public'],
  ['api::event.calendar.eventIcs', 'public'],
  ['api::event.calendar.resetToken', 'authenticated'],
];
