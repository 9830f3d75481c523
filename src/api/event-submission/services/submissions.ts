import type { Core } from '@strapi/strapi';
import type { EventInput } from '../../networking-group/controllers/validation/group-event';
import { eventView } from '../../networking-group/services/group-admin';
import { eventWhenText, localTime } from '../../registration/mails';
import { fieldDetails, inputError, forbiddenError } from '../../../utils/errors';

const EVENT = 'api::event.event';

export type Decision = 'approved' | 'rejected';

/** A networking group with its library system, as the submission rule reads it. */
interface GroupOfSystem {
  documentId: string;
  name: string;
  system?: { id: number; name: string; code: string; acceptsEventSubmissions?: boolean | null; eventSubmissionContact?: string | null } | null;
}

const reviewInbox = () => process.env.SUBMISSIONS_EMAIL || process.env.MEMBERSHIP_EMAIL || 'membership@library-learning.example';
const eventUrl = (documentId: string) => `${(process.env.PUBLIC_URL || 'http://localhost:1337').replace(/\/$/, '')}/events/${documentId}`;

/**
 * Service `api::event-submission.submissions`: a member submits an event on behalf
 * of a networking group of their own system, if that system takes submissions
 * (assertMaySubmit); it is stored as a DRAFT event (submissionState
 * "submitted") until system staff publish it (approved) or set submissionState
 * "rejected" with a reviewNote in the admin panel. The submitter is emailed the
 * decision (document middleware ../document-middleware/review.ts).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const outbox = () => strapi.service('api::outbox-message.outbox');

  const mail = (mails: { to: string; subject: string; text: string }[]) => outbox().send(mails);

  return {
    /**
     * The L2 rule, and its only home: members submit events for the networking groups of their own
     * library system, when that system takes submissions through Library Learning (its staff's
     * choice, `acceptsEventSubmissions`; those that do not may say whom to contact instead). A group
     * with no system (statewide and national ones) has no system staff to review a submission, so it
     * takes none. Refusals are 403s naming the rule; nothing is stored or sent.
     */
    async assertMaySubmit(userId: number, group: GroupOfSystem): Promise<void> {
      const system = group.system;
      const refuse = (rule: string, message: string): never => {
        const contact = system?.eventSubmissionContact?.trim();
        const full = contact ? `${message} ${contact}` : message;
        throw forbiddenError(full, fieldDetails('ForbiddenError', 'networkingGroup', full, { rule, ...(contact ? { contact } : {}) }));
      };
      if (!system) {
        return refuse('group-without-system', `networkingGroup: ${group.name} belongs to no library system, so events cannot be submitted for it here; members submit events for the networking groups of their own library system. Contact the group about its events.`);
      }
      if (system.acceptsEventSubmissions !== true) {
        return refuse('system-accepts-submissions', `networkingGroup: ${system.name} (${system.code}) does not take event submissions for its networking groups through Library Learning.`);
      }
      const memberOf: number[] = await strapi.service('api::affiliation.membership').systemIdsOf(userId);
      if (!memberOf.includes(system.id)) {
        return refuse('member-of-system', `networkingGroup: only members of ${system.name} (${system.code}) may submit events for its networking groups (an approved affiliation with a library of ${system.code}).`);
      }
    },

    async submit(userId: number, groupIdOrSlug: string, input: EventInput) {
      const group = await strapi.db.query('api::networking-group.networking-group').findOne({
        where: { $or: [{ documentId: groupIdOrSlug }, { slug: groupIdOrSlug }] },
        select: ['documentId', 'name'],
        populate: { system: { select: ['id', 'name', 'code', 'acceptsEventSubmissions', 'eventSubmissionContact'] } },
      });
      if (!group) throw inputError('networkingGroup', 'no networking group has this documentId or slug');
      await this.assertMaySubmit(userId, group);
      const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: userId }, select: ['documentId', 'email', 'firstName', 'lastName'] });
      // no status: the document service creates the draft version only
      const draft = await strapi.documents(EVENT).create({
        data: { ...input, kind: 'networking', networkingGroup: group.documentId, submittedBy: user.documentId, submissionState: 'submitted' } as never,
        populate: { locations: true, networkingGroup: { fields: ['name', 'slug'] } },
      } as never);
      const when = localTime(input.start!);
      await mail([
        { to: user.email, subject: `We received your event: ${input.title}`, text: `Thank you. "${input.title}" (${when}) for ${group.name} is waiting for review by system staff. We will email you their decision.` },
        {
          to: reviewInbox(),
          subject: `Event submitted for review: ${input.title}`,
          text: `${user.firstName ?? ''} ${user.lastName ?? ''} (${user.email}) submitted "${input.title}" (${when}) for ${group.name}.\nReview it in the admin panel (Content Manager > Event, drafts): publish it, or set Submission state to "rejected" with a review note.`,
        },
      ]);
      return { ...eventView(draft as any), submissionState: 'submitted', reviewNote: null, published: false };
    },

    /** The caller's submissions, newest first, with their review state. */
    async mine(userId: number) {
      const drafts = await strapi.db.query(EVENT).findMany({
        where: { submittedBy: { id: userId }, publishedAt: null },
        populate: { locations: true, networkingGroup: { select: ['documentId', 'name', 'slug'] } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
      const ids = drafts.map((d: any) => d.documentId);
      const published = new Set(
        ids.length ? (await strapi.db.query(EVENT).findMany({ where: { documentId: { $in: ids }, publishedAt: { $notNull: true } }, select: ['documentId'] })).map((e: any) => e.documentId) : [],
      );
      return drafts.map((d: any) => ({
        ...eventView(d),
        submissionState: d.submissionState,
        reviewNote: d.reviewNote ?? null,
        published: published.has(d.documentId),
        submittedAt: d.createdAt,
      }));
    },

    /** Marks the decision on every version of the document and emails the submitter. */
    async decide(documentId: string, decision: Decision) {
      const draft = await strapi.db.query(EVENT).findOne({
        where: { documentId, publishedAt: null },
        populate: { submittedBy: { select: ['email'] }, networkingGroup: { select: ['name'] } },
      });
      if (!draft?.submittedBy) return;
      if (decision === 'approved') await strapi.db.query(EVENT).updateMany({ where: { documentId }, data: { submissionState: 'approved' } });
      const group = draft.networkingGroup?.name ? ` for ${draft.networkingGroup.name}` : '';
      // staff may have made it an all-day event in review: its day, not a midnight time
      const what = `"${draft.title}" (${eventWhenText(draft)})${group}`;
      await mail([
        decision === 'approved'
          ? { to: draft.submittedBy.email, subject: `Your event was published: ${draft.title}`, text: `System staff approved ${what}. It is now on the calendar: ${eventUrl(documentId)}` }
          : {
              to: draft.submittedBy.email,
              subject: `Your event was not accepted: ${draft.title}`,
              text: `System staff did not accept ${what}.${draft.reviewNote ? `\n\nTheir note: ${draft.reviewNote}` : ''}\n\nYou can submit a corrected event at any time.`,
            },
      ]);
    },
  };
};
