import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { AFFILIATION_ROLES, DIRECTOR_ROLES, type AffiliationRole } from './membership';
import { ConflictError, inputError } from '../../../utils/errors';
import { fullName } from './notices';
import { validateRoles } from '../controllers/validation/affiliation';
import { withNamedLocks } from '../../../utils/advisory-lock';

const AFFILIATION = 'api::affiliation.affiliation';

/**
 * Runs fn holding the affiliation's decision lock (every update of an affiliation takes it, decision-notice.ts):
 * "still pending?" and the decision are one step, so two staff deciding at once (approve and reject, or the same
 * approval twice, on any process) give one decision and one email; the other is told it was decided (409).
 */
export const withDecisionLock = <T>(strapi: Core.Strapi, documentId: string, fn: () => Promise<T>) =>
  withNamedLocks(strapi, [`affiliation:${documentId}`], fn);

/** "https://www.Foo-Library.org/about" → "foo-library.org" */
export function hostOf(website: unknown): string | null {
  if (typeof website !== 'string' || !website.trim()) return null;
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(website) ? website : `http://${website}`);
    return url.hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

/** The email's domain is the website's domain or one of its subdomains (or the reverse). */
export function domainMatches(email: string, websites: unknown[]): boolean {
  const domain = email.split('@')[1]?.toLowerCase();
  if (!domain) return false;
  return websites.map(hostOf).some((host) => !!host && (domain === host || domain.endsWith(`.${host}`) || host.endsWith(`.${domain}`)));
}

const norm = (s: unknown) => String(s ?? '').trim().toLowerCase();

export interface QueueEntry {
  documentId: string;
  createdAt: string;
  jobTitle: string;
  requestedRoles: string[];
  person: { id: number; documentId: string; firstName: string; lastName: string; email: string; confirmed: boolean };
  building: { documentId: string; name: string; city: string; website: string | null; library: { name: string; website: string | null } | null };
  signals: { emailDomainMatchesWebsite: boolean; onStaffList: boolean; addedByDirector: boolean };
}

/**
 * System staff's confirmation queue: the only place affiliations are approved
 * or rejected. Writes go through the document service, so the membership
 * middleware recomputes the person's role.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Pending affiliations, oldest first, with the signals staff weigh. */
  async queue(): Promise<QueueEntry[]> {
    const rows = await strapi.db.query(AFFILIATION).findMany({
      where: { status: 'pending' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      populate: {
        user: { select: ['id', 'documentId', 'firstName', 'lastName', 'email', 'confirmed', 'username'] },
        building: { select: ['id', 'documentId', 'name', 'city', 'website'], populate: { library: { select: ['name', 'website'] } } },
        addedBy: { select: ['id'] },
      },
    });
    const entries: QueueEntry[] = [];
    for (const row of rows) {
      if (!row.user || !row.building) continue;
      // the building's current staff list: people with an approved affiliation there
      const staff = await strapi.db.query(AFFILIATION).findMany({
        where: { building: { id: row.building.id }, status: 'approved' },
        select: ['roles'],
        populate: { user: { select: ['id', 'firstName', 'lastName'] } },
      });
      const sameName = staff.some((a) => a.user && a.user.id !== row.user.id && norm(a.user.firstName) === norm(row.user.firstName) && norm(a.user.lastName) === norm(row.user.lastName) && norm(row.user.lastName) !== '');
      const addedByDirector = !!row.addedBy && staff.some((a) => a.user?.id === row.addedBy.id && Array.isArray(a.roles) && a.roles.some((r: string) => DIRECTOR_ROLES.includes(r as AffiliationRole)));
      entries.push({
        documentId: row.documentId,
        createdAt: row.createdAt,
        jobTitle: row.jobTitle,
        requestedRoles: row.requestedRoles ?? [],
        person: { id: row.user.id, documentId: row.user.documentId, firstName: row.user.firstName, lastName: row.user.lastName, email: row.user.email, confirmed: !!row.user.confirmed },
        building: {
          documentId: row.building.documentId,
          name: row.building.name,
          city: row.building.city,
          website: row.building.website ?? null,
          library: row.building.library ? { name: row.building.library.name, website: row.building.library.website ?? null } : null,
        },
        signals: {
          emailDomainMatchesWebsite: domainMatches(row.user.email, [row.building.website, row.building.library?.website]),
          onStaffList: sameName || addedByDirector,
          addedByDirector,
        },
      });
    }
    return entries;
  },

  async pending(documentId: string) {
    const row = await strapi.db.query(AFFILIATION).findOne({
      where: { documentId },
      populate: { user: { select: ['id', 'email', 'firstName', 'lastName', 'username'] }, building: { select: ['id', 'name'] } },
    });
    if (!row) throw new errors.NotFoundError(`No affiliation with documentId "${documentId}"`);
    if (row.status !== 'pending') throw new ConflictError(`This affiliation was already decided (status ${row.status})`, { status: row.status });
    return row;
  },

  /**
   * Confirms an affiliation. `roles` (default: what the person asked for)
   * never carries director rights by itself: those come only with grantDirector.
   */
  async approve(documentId: string, opts: { grantDirector?: boolean; roles?: AffiliationRole[]; decidedBy?: number } = {}) {
    if (opts.roles !== undefined) validateRoles(opts.roles);
    if (opts.grantDirector !== undefined && typeof opts.grantDirector !== 'boolean') {
      throw inputError('grantDirector', 'must be true or false');
    }
    await withDecisionLock(strapi, documentId, async () => {
      const row = await this.pending(documentId);
      const requested: AffiliationRole[] = Array.isArray(row.requestedRoles) ? row.requestedRoles : [];
      const base = (opts.roles ?? requested).filter((r) => AFFILIATION_ROLES.includes(r) && !DIRECTOR_ROLES.includes(r));
      let roles: AffiliationRole[] = [...new Set(base)];
      if (opts.grantDirector) {
        const asked = requested.filter((r) => DIRECTOR_ROLES.includes(r));
        roles = [...new Set([...roles, ...(asked.length ? asked : (['director'] as AffiliationRole[]))])];
      }
      await strapi.documents(AFFILIATION).update({
        documentId,
        data: { status: 'approved', roles, decidedAt: new Date().toISOString(), decisionReason: null, ...(opts.decidedBy ? { decidedBy: opts.decidedBy } : {}) } as never,
      });
    });
    // The decision email goes out from the affiliation document middleware (decision-notice.ts), for every path.
    return this.summary(documentId);
  },

  async reject(documentId: string, opts: { reason: string; decidedBy?: number }) {
    if (typeof opts?.reason !== 'string' || !opts.reason.trim()) {
      throw inputError('reason', 'is required when rejecting (it is sent to the person)');
    }
    await withDecisionLock(strapi, documentId, async () => {
      await this.pending(documentId);
      await strapi.documents(AFFILIATION).update({
        documentId,
        data: { status: 'rejected', decidedAt: new Date().toISOString(), decisionReason: opts.reason.trim(), ...(opts.decidedBy ? { decidedBy: opts.decidedBy } : {}) } as never,
      });
    });
    // The decision email goes out from the affiliation document middleware (decision-notice.ts).
    return this.summary(documentId);
  },

  /** Emails the person the decision on their affiliation: confirmed, or not with the reason. */
  async sendDecision(affiliationId: number) {
    const row = await strapi.db.query(AFFILIATION).findOne({ where: { id: affiliationId }, populate: { user: true, building: true } });
    if (!row?.user || !row.building) return;
    const notices = strapi.service('api::affiliation.notices');
    const e = notices.esc;
    const roles: string[] = Array.isArray(row.roles) ? row.roles : [];
    if (row.status === 'approved') {
      await notices.send(row.user.email, `Your Library Learning affiliation with ${row.building.name} is confirmed`, [
        `Hello ${e(fullName(row.user))},`,
        `System staff confirmed your affiliation with ${e(row.building.name)} as ${e(row.jobTitle)}${roles.length ? ` (roles: ${e(roles.join(', '))})` : ''}.`,
        `You now have member access to Library Learning: <a href="${notices.publicUrl()}">${notices.publicUrl()}</a>`,
      ]);
    } else if (row.status === 'rejected') {
      await notices.send(row.user.email, `Your Library Learning affiliation with ${row.building.name} was not confirmed`, [
        `Hello ${e(fullName(row.user))},`,
        `System staff could not confirm your affiliation with ${e(row.building.name)}.`,
        ...(row.decisionReason ? [`Reason: ${e(row.decisionReason)}`] : []),
        'Your account stays open as a guest account. If this is a mistake, contact your regional library system.',
      ]);
    }
  },

  async summary(documentId: string) {
    return strapi.db.query(AFFILIATION).findOne({
      where: { documentId },
      select: ['documentId', 'jobTitle', 'roles', 'requestedRoles', 'status', 'decidedAt', 'decisionReason'],
      populate: { user: { select: ['documentId', 'firstName', 'lastName', 'email'] }, building: { select: ['documentId', 'name'] } },
    });
  },
});
