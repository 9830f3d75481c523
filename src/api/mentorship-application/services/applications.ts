import type { Core } from '@strapi/strapi';
import { ConflictError } from '../../../utils/errors';
import { withNamedLocks } from '../../../utils/advisory-lock';
import { unmet as unmetRuleOf, type UnmetRule } from './eligibility';
import type { ApplicationInput } from '../controllers/validation';

const APPLICATION = 'api::mentorship-application.mentorship-application';
const PAIRING = 'api::mentorship-pairing.mentorship-pairing';
/** Applications still in the program: the ones that may be paired (withdrawn and declined ones may not). */
export const OPEN = ['submitted', 'accepted', 'paired'];

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Files an application and emails the applicant what they filed, or explains the unmet eligibility rule. One open application per role (keepOneOpen). */
  async apply(userId: number, input: ApplicationInput): Promise<{ application: unknown } | { unmet: UnmetRule }> {
    const unmet = unmetRuleOf(input);
    if (unmet) return { unmet };
    const application = await this.keepOneOpen(null, { userId, role: input.role, status: 'submitted' }, async () => {
      const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: userId }, select: ['documentId', 'email', 'firstName', 'lastName', 'username'] });
      const created = await strapi.documents(APPLICATION).create({
        data: { ...input, user: user.documentId, status: 'submitted' } as never,
      });
      // the applicant's acknowledgement, in the application's transaction: both are kept, or neither. Only here:
      // an application staff enter in the admin panel for someone is not acknowledged (as affiliations they add)
      await strapi.service('api::mentorship-application.notices').acknowledge(user, input);
      return created;
    }, { self: true });
    return { application: publicApplication(application as unknown as Record<string, unknown>) };
  },

  /**
   * One open application per person and role, whoever writes it (apply, staff creating, Duplicating or reopening one
   * in the admin panel, a script): when a write leaves an application open for a person and role it was not open for
   * before (`before` null for a new one or a copy), `write` runs under that person's lock once no other open
   * application of theirs has the role; else 409 naming `role`, nothing stored. The check and the write under the lock:
   * two at once (a double click, two staff, two processes) would otherwise both find none open and both be stored.
   * `self`: the refusal speaks to the applicant.
   */
  async keepOneOpen<T>(before: ApplicationSide | null, after: ApplicationSide, write: () => Promise<T>, opts: { self?: boolean } = {}): Promise<T> {
    const { userId, role } = after;
    const opens = userId != null && OPEN.includes(after.status)
      && (!before || !OPEN.includes(before.status) || before.role !== role || before.userId !== userId);
    if (!opens) return write();
    return withNamedLocks(strapi, [`mentorship:application:${userId}:${role}`], async () => {
      const other = await strapi.db.query(APPLICATION).findOne({
        where: { user: { id: userId }, role, status: { $in: OPEN }, ...(before?.id ? { id: { $ne: before.id } } : {}) },
        select: ['documentId', 'status'],
        populate: { user: { select: ['firstName', 'lastName', 'username'] } },
      });
      if (other) {
        const message = opts.self
          ? `You already have an open ${role} application`
          : `${nameOf(other.user)} already has an open ${role} application (${other.documentId}, ${other.status}): one open application per person and role. Decline or withdraw that one first, or edit it`;
        throw new ConflictError(message, { field: 'role' });
      }
      return write();
    });
  },

  async overviewFor(userId: number) {
    const applications = await strapi.db.query(APPLICATION).findMany({ where: { user: { id: userId } }, orderBy: { createdAt: 'desc' } });
    const pairings = await strapi.db.query(PAIRING).findMany({
      where: { $or: [{ mentor: { id: userId } }, { mentee: { id: userId } }] },
      populate: { mentor: { select: ['documentId', 'firstName', 'lastName', 'email'] }, mentee: { select: ['documentId', 'firstName', 'lastName', 'email'] } },
      orderBy: { createdAt: 'desc' },
    });
    return {
      applications: applications.map(publicApplication),
      // A pairing shows the partner's name and email to both people in it, and nothing else about them.
      pairings: pairings.map((p) => ({
        documentId: p.documentId,
        status: p.status,
        startDate: p.startDate,
        endDate: p.endDate,
        role: p.mentor?.id === userId ? 'mentor' : 'mentee',
        mentor: person(p.mentor),
        mentee: person(p.mentee),
      })),
    };
  },
});

/** An application as the one-open rule sees it: whose, which role, which status. */
export interface ApplicationSide { id?: number; userId: number | null; role: string; status: string }

const nameOf = (u: { firstName?: string | null; lastName?: string | null; username?: string } | null | undefined) =>
  (u ? `${u.firstName ?? ''} ${u.lastName ?? ''}`.trim() || u.username : '') || 'This person';

const person = (u?: Record<string, unknown> | null) =>
  u ? { documentId: u.documentId, firstName: u.firstName, lastName: u.lastName, email: u.email } : null;

function publicApplication(a: Record<string, unknown>) {
  const { id: _id, user: _user, ...rest } = a;
  return rest;
}
