import type { RoleType } from './permissions';

/**
 * Content-API actions each feature adds to the role table, lowest role first
 * (a grant to 'authenticated' also reaches member and director).
 * One line per feature module; the lists live beside the routes they open.
 */
import { permissions as accounts } from '../api/affiliation/permissions';
import { permissions as registration } from '../api/registration/permissions';
import { permissions as calendar } from '../api/event/permissions';
import { permissions as networkingGroups } from '../api/networking-group/permissions';
import { permissions as directory } from '../api/building/permissions';
import { permissions as mentorship } from '../api/mentorship-application/permissions';
import { permissions as siteVisits } from '../api/site-visit/permissions';
import { permissions as eventSubmissions } from '../api/event-submission/permissions';

export const FEATURE_PERMISSIONS: [action: string, from: RoleType][] = [
  ...accounts,
  ...registration,
  ...calendar,
  ...networkingGroups,
  ...directory,
  ...mentorship,
  ...siteVisits,
  ...eventSubmissions,
];
