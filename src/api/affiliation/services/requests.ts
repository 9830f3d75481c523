import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DIRECTOR_ROLES, type AffiliationRole } from './membership';
import { ConflictError, inputError } from '../../../utils/errors';
import { rowsOfUser } from '../../../utils/user-relations';
import { fullName } from './notices';
import { withNamedLocks } from '../../../utils/advisory-lock';

/** The lock a person's affiliation requests take: one open affiliation per person and building. */
const affiliationsLock = (userId: number) => `affiliations:user:${userId}`;

const AFFILIATION = 'api::affiliation.affiliation';
const BUILDING = 'api::building.building';
const USER = 'plugin::users-permissions.user';

/** What a person sees of their own affiliations. */
export const OWN_FIELDS = ['documentId', 'jobTitle', 'roles', 'requestedRoles', 'status', 'decidedAt', 'endedAt', 'createdAt'] as const;

export interface AffiliationRequest {
  building: string;
  jobTitle: string;
  roles: AffiliationRole[];
}

/**
 * A person's own affiliation requests: asking to join a building (always
 * pending; director roles are only requested, never granted here), listing
 * and ending their affiliations.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async buildingByDocumentId(documentId: string) {
    return strapi.db.query(BUILDING).findOne({ where: { documentId }, select: ['id', 'documentId', 'name'] });
  },

  /** Creates a pending affiliation for `userId` and tells the building's directors. */
  async request(userId: number, input: AffiliationRequest, opts: { addedBy?: number } = {}) {
    const building = await this.buildingByDocumentId(input.building);
    if (!building) throw inputError('building', `no building with documentId "${input.building}"`);

    // the check and the write under the person's affiliation lock (edit takes it too): two requests at once would
    // otherwise both find none open and both be stored
    const createdId = await withNamedLocks(strapi, [affiliationsLock(userId)], async () => {
      const [open] = await rowsOfUser(strapi, userId, 'affiliations', {
        where: { building: { id: building.id }, status: { $in: ['pending', 'approved'] } },
        select: ['documentId', 'status'],
      });
      if (open) {
        throw new ConflictError(`You already have an affiliation with ${building.name} (status ${open.status}); edit or end it instead of asking again`, {
          affiliation: open.documentId,
          field: 'building',
        });
      }

      const user = await strapi.db.query(USER).findOne({ where: { id: userId }, select: ['id', 'documentId', 'firstName', 'lastName', 'username', 'email'] });
      const requested = [...new Set(input.roles)];
      const created = await strapi.documents(AFFILIATION).create({
        data: {
          user: user.documentId,
          building: building.documentId,
          jobTitle: input.jobTitle,
          // director rights need system staff's confirmation: kept as requested only
          roles: requested.filter((r) => !DIRECTOR_ROLES.includes(r)),
          requestedRoles: requested,
          status: 'pending',
          ...(opts.addedBy ? { addedBy: opts.addedBy } : {}),
        } as never,
      });

      await this.notifyDirectors(building, user, input.jobTitle, requested, opts.addedBy);
      return created.documentId;
    });
    return this.findOwn(userId, createdId);
  },

  /**
   * Tells the people who manage the building's staff list (directors and directory-editors, L2's "directors and other
   * designated staff") that someone asked to join it: the staff-list route promises them this email.
   */
  async notifyDirectors(building: { id: number; name: string }, user: any, jobTitle: string, roles: string[], addedBy?: number) {
    const directors = await strapi.db.query(AFFILIATION).findMany({
      where: { building: { id: building.id }, status: 'approved' },
      select: ['roles'],
      populate: { user: { select: ['id', 'email', 'blocked'] } },
    });
    const to = directors
      .filter((a) => Array.isArray(a.roles) && a.roles.some((r: AffiliationRole) => DIRECTOR_ROLES.includes(r)) && a.user && !a.user.blocked && a.user.id !== addedBy && a.user.id !== user.id)
      .map((a) => a.user.email);
    if (!to.length) return;
    const notices = strapi.service('api::affiliation.notices');
    const e = notices.esc;
    const as = `as ${e(jobTitle)}${roles.length ? ` (roles: ${e(roles.join(', '))})` : ''}`;
    // someone a director put on the staff list asked for nothing: the other directors are told who added them
    const adder = addedBy ? await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: addedBy }, select: ['firstName', 'lastName', 'username'] }) : null;
    const [subject, what] = adder
      ? [`${fullName(adder)} added ${fullName(user)} to the staff of ${building.name} on Library Learning`, `${e(fullName(adder))} added ${e(fullName(user))} (${e(user.email)}) to the staff list of ${e(building.name)} ${as}.`]
      : [`${fullName(user)} asked to join ${building.name} on Library Learning`, `${e(fullName(user))} (${e(user.email)}) asked to be affiliated with ${e(building.name)} ${as}.`];
    await notices.send([...new Set(to)], subject, [
      what,
      'System staff confirm each request. If this person does not work at your library, please tell your library system.',
    ]);
  },

  async listOwn(userId: number) {
    return rowsOfUser(strapi, userId, 'affiliations', {
      select: [...OWN_FIELDS],
      populate: { building: { select: ['documentId', 'name', 'city'] } },
      orderBy: { createdAt: 'asc' },
    });
  },

  async findOwn(userId: number, documentId: string) {
    return strapi.db.query(AFFILIATION).findOne({
      where: { documentId, user: { id: userId } },
      select: [...OWN_FIELDS],
      populate: { building: { select: ['documentId', 'name', 'city'] } },
    });
  },

  /**
   * A person edits their own affiliation (changing libraries is an edit, not a
   * second account). Moving to another building needs system staff's
   * confirmation again (status back to pending, that building's directors are
   * told). Director rights can be dropped but not added: added director
   * roles stay in requestedRoles for system staff.
   */
  async edit(userId: number, documentId: string, input: Partial<AffiliationRequest>) {
    const row = await strapi.db.query(AFFILIATION).findOne({
      where: { documentId, user: { id: userId } },
      populate: { building: { select: ['id', 'documentId', 'name'] }, user: { select: ['id', 'documentId', 'firstName', 'lastName', 'username', 'email'] } },
    });
    if (!row) throw new errors.NotFoundError('No affiliation of yours with this documentId');
    if (!['pending', 'approved'].includes(row.status)) {
      throw new ConflictError(`This affiliation is ${row.status}; ask to join the building again with POST /api/affiliations`, { status: row.status });
    }
    const held: AffiliationRole[] = Array.isArray(row.roles) ? row.roles : [];
    const requested: AffiliationRole[] = input.roles ? [...new Set(input.roles)] : Array.isArray(row.requestedRoles) ? row.requestedRoles : held;
    const data: Record<string, unknown> = {};
    if (input.jobTitle !== undefined) data.jobTitle = input.jobTitle;

    let moved: { id: number; documentId: string; name: string } | null = null;
    if (input.building !== undefined && input.building !== row.building?.documentId) {
      moved = await this.buildingByDocumentId(input.building);
      if (!moved) throw inputError('building', `no building with documentId "${input.building}"`);
      Object.assign(data, { building: moved.documentId, status: 'pending', decidedAt: null, roles: requested.filter((r) => !DIRECTOR_ROLES.includes(r)), requestedRoles: requested });
    } else if (input.roles) {
      // keep director rights only where they were already granted
      data.roles = requested.filter((r) => !DIRECTOR_ROLES.includes(r) || held.includes(r));
      data.requestedRoles = requested;
    }
    await withNamedLocks(strapi, [affiliationsLock(userId)], async () => {
      if (moved) {
        const open = await rowsOfUser(strapi, userId, 'affiliations', { where: { building: { id: moved.id }, status: { $in: ['pending', 'approved'] } }, select: ['id'] });
        if (open.length) throw new ConflictError(`You already have an affiliation with ${moved.name}`);
      }
      if (Object.keys(data).length) await strapi.documents(AFFILIATION).update({ documentId, data: data as never });
      if (moved) await this.notifyDirectors(moved, row.user, (data.jobTitle as string) ?? row.jobTitle, requested);
    });
    return this.findOwn(userId, documentId);
  },

  /**
   * Changes only the job title of an affiliation (a director correcting the
   * staff list): status, roles and building stay as they are, so no decision
   * notice and no change of rights follow.
   */
  async retitle(documentId: string, jobTitle: string) {
    await strapi.documents(AFFILIATION).update({ documentId, data: { jobTitle } as never });
  },

  /** Ends an affiliation (the person leaves the building); the history stays. */
  async end(documentId: string) {
    await strapi.documents(AFFILIATION).update({ documentId, data: { status: 'ended', endedAt: new Date().toISOString() } as never });
  },
});
