import type { Core } from '@strapi/strapi';
import { relationIn } from '../../mentorship-pairing/services/pairings';
import type { ApplicationSide } from '../services/applications';

const APPLICATION = 'api::mentorship-application.mentorship-application';
const USER = 'plugin::users-permissions.user';

/**
 * An application's status follows its pairings (pairings.assertApplicationStatus), and a person has one open
 * application per role (applications.keepOneOpen), whoever writes it: the admin panel's form, a Duplicate, a script,
 * apply. A status change is checked and written under the pairing lock, so a pairing started at the same moment is
 * seen; so is a delete (pairings.assertApplicationDeletable: not while a proposed or active pairing holds it; the
 * content manager's bulk delete deletes each through here, in one transaction). Registered before the decision
 * notice: a refused change emails nobody, and the locks are always taken pairing lock first, then the person's, as
 * a pairing write that settles an application takes them.
 */
export function registerApplicationStatusRule(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== APPLICATION || !['create', 'update', 'clone', 'delete'].includes(ctx.action)) return next();
    const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    const data = params.data ?? {};
    const pairings = strapi.service('api::mentorship-pairing.pairings');
    const applications = strapi.service('api::mentorship-application.applications');
    const current = async (): Promise<(ApplicationSide & { id: number; documentId: string; user?: { id: number } | null }) | null> => {
      const row = params.documentId
        ? await strapi.db.query(APPLICATION).findOne({ where: { documentId: params.documentId }, select: ['id', 'documentId', 'role', 'status'], populate: { user: { select: ['id', 'firstName', 'lastName', 'username'] } } })
        : null;
      return row ? { ...row, userId: row.user?.id ?? null } : null;
    };
    /** The person the write gives the application: the one it names, none when it clears it, else `before`'s. */
    const userIdAfter = async (before: number | null): Promise<number | null> => {
      const ref = relationIn(data.user);
      if (ref === undefined) return before;
      if (ref === null) return null;
      return (await strapi.db.query(USER).findOne({ where: ref, select: ['id'] }))?.id ?? null;
    };
    const after = (source: ApplicationSide | null, userId: number | null): ApplicationSide => ({
      userId, role: String(data.role ?? source?.role), status: String(data.status ?? source?.status ?? 'submitted'),
    });

    if (ctx.action === 'delete') {
      if (!params.documentId) return next();
      return pairings.withPairingLock(async () => {
        const application = await current();
        if (application) await pairings.assertApplicationDeletable(application);
        return next();
      });
    }
    // a new application (or a copy) is held by no pairing yet, and is one more open application of its person
    if (ctx.action === 'create') {
      const opened = after(null, await userIdAfter(null));
      await pairings.assertApplicationStatus(null, opened.role, opened.status);
      return applications.keepOneOpen(null, opened, next);
    }
    if (ctx.action === 'clone') {
      const source = await current();
      if (!source) return next();
      const opened = after(source, await userIdAfter(source.userId));
      await pairings.assertApplicationStatus(null, opened.role, opened.status);
      return applications.keepOneOpen(null, opened, next);
    }
    // an edit: its status checked against its pairings; reopened, or moved to another person or role, it is the one open
    const edit = async () => {
      const application = await current();
      if (!application) return next();
      if (typeof data.status === 'string') await pairings.assertApplicationStatus(application, application.role, data.status);
      return applications.keepOneOpen(application, after(application, await userIdAfter(application.userId)), next);
    };
    return typeof data.status === 'string' ? pairings.withPairingLock(edit) : edit();
  });
}
