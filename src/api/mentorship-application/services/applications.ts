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
  /** Files an application and emails the applicant what they filed, or explains the unmet eligibility rule. One open application per role. */
  async apply(userId: number, input: ApplicationInput): Promise<{ application: unknown } | { unmet: UnmetRule }> {
    const unmet = unmetRuleOf(input);
    if (unmet) return { unmet };
    // the check and the write under the person's lock: two submissions at once (a double click, two processes)
    // would otherwise both find none open and both be stored
    const application = await withNamedLocks(strapi, [`mentorship:application:${userId}:${input.role}`], async () => {
      const open = await strapi.db.query(APPLICATION).count({ where: { user: { id: userId }, role: input.role, status: { $in: OPEN } } });
      if (open) {
        throw new ConflictError(`You already have an open ${input.role} application`, { field: 'role' });
      }
      const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: userId }, select: ['documentId', 'email', 'firstName', 'lastName', 'username'] });
      const created = await strapi.documents(APPLICATION).create({
        data: { ...input, user: user.documentId, status: 'submitted' } as never,
      });
      // the applicant's acknowledgement, in the application's transaction: both are kept, or neither. Only here:
      // an application staff enter in the admin panel for someone is not acknowledged (as affiliations they add)
      await strapi.service('api::mentorship-application.notices').acknowledge(user, input);
      return created;
    });
    return { application: publicApplication(application as unknown as Record<string, unknown>) };
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

const person = (u?: Record<string, unknown> | null) =>
  u ? { documentId: u.documentId, firstName: u.firstName, lastName: u.lastName, email: u.email } : null;

function publicApplication(a: Record<string, unknown>) {
  const { id: _id, user: _user, ...rest } = a;
  return rest;
}
