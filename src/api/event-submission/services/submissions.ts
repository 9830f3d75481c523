import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { EventInput } from '../../networking-group/controllers/validation/group-event';
import { eventView } from '../../networking-group/services/group-admin';
import { localTime } from '../../registration/mails';

const EVENT = 'api::event.event';

export type Decision = 'approved' | 'rejected';

const reviewInbox = () => process.env.SUBMISSIONS_EMAIL || process.env.MEMBERSHIP_EMAIL || 'membership@library-learning.example';
const eventUrl = (documentId: string) => `${(process.env.PUBLIC_URL || 'http://localhost:1337').replace(/\/$/, '')}/events/${documentId}`;

/**
 * Service `api::event-submission.submissions`: a member submits an event on behalf
 * of a networking group; it is stored as a DRAFT event (submissionState
 * "submitted") until system staff publish it (approved) or set submissionState
 * "rejected" with a reviewNote in the admin panel. The submitter is emailed the
 * decision (document middleware ../document-middleware/review.ts).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const outbox = () => strapi.service('api::outbox-message.outbox');

  const mail = (mails: { to: string; subject: string; text: string }[]) => outbox().send(mails);

  return {
    async submit(userId: number, groupIdOrSlug: string, input: EventInput) {
      const group = await strapi.db.query('api::networking-group.networking-group').findOne({
        where: { $or: [{ documentId: groupIdOrSlug }, { slug: groupIdOrSlug }] },
        select: ['documentId', 'name'],
      });
      if (!group) throw new errors.ValidationError('networkingGroup: no networking group has this documentId or slug', { errors: [{ path: ['networkingGroup'], message: 'unknown group', name: 'ValidationError' }] });
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
      const what = `"${draft.title}" (${localTime(draft.start)})${group}`;
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
