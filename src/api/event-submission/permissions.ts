import type { RoleType } from '../../bootstrap/permissions';

/** Members submit events for networking groups; anyone signed in lists their own submissions. */
export const permissions: [action: string, from: RoleType][] = [
  ['api::event-submission.event-submission.create', 'member'],
  ['api::event-submission.event-submission.mine', 'authenticated'],
];
