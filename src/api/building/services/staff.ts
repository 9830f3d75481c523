import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ConflictError, notFoundError, forbiddenError, isUniqueViolation } from '../../../utils/errors';
import { withNamedLocks } from '../../../utils/advisory-lock';
import { usernameLock } from '../../../utils/username';
import { fullName } from '../../affiliation/services/notices';
import type { AffiliationRole } from '../../affiliation/services/membership';

const BUILDING = 'api::building.building';
const AFFILIATION = 'api::affiliation.affiliation';
const USER = 'plugin::users-permissions.user';

/** 409 naming email: the person already has an account, and asks to join the building from it. */
const accountExists = (email: string, building: { name: string }) =>
  new ConflictError(`An account already exists for ${email}. Ask the person to add ${building.name} to their own profile (POST /api/affiliations); you will be emailed when they do.`, {
    field: 'email',
  });

/** The user fields a staff-list entry shows (see staffEntry). */
const ENTRY_USER_FIELDS = ['documentId', 'firstName', 'lastName', 'email', 'phone'] as const;

/**
 * One person as GET /api/buildings/:documentId/staff shows them: their affiliation's title and roles, their phone,
 * and, to the building's directors and directory-editors (who add, edit and remove these accounts), the email they
 * sign in with.
 * An email is private: other members, statewide, never see it.
 */
function staffEntry(row: { jobTitle: string; roles: unknown; user: Record<string, any> }, { withEmail }: { withEmail: boolean }) {
  return {
    documentId: row.user.documentId as string,
    firstName: row.user.firstName ?? null,
    lastName: row.user.lastName ?? null,
    jobTitle: row.jobTitle,
    roles: Array.isArray(row.roles) ? (row.roles as string[]) : [],
    ...(withEmail ? { email: row.user.email as string } : {}),
    phone: row.user.phone ?? null,
  };
}

export interface NewStaff {
  firstName: string;
  lastName: string;
  email: string;
  jobTitle: string;
  roles: AffiliationRole[];
}

/**
 * A building's staff list: the people with an approved affiliation to it.
 * Directors (and directory-editors) of the building add people (a pending
 * account and affiliation, still subject to system staff's confirmation) and
 * remove them (the affiliation ends, the account stays), and correct their
 * job title; roles and approval stay system staff's.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async building(documentId: string) {
    const building = await strapi.db.query(BUILDING).findOne({ where: { documentId }, select: ['id', 'documentId', 'name'] });
    if (!building) throw new errors.NotFoundError(`No building with documentId "${documentId}"`);
    return building;
  },

  /** Whether the person directs the building (a director or directory-editor of it): who manages its staff list. */
  async directs(userId: number, building: { id: number }): Promise<boolean> {
    const led: number[] = await strapi.service('api::affiliation.membership').buildingIdsOf(userId, { directorOnly: true });
    return led.includes(building.id);
  },

  async assertDirects(userId: number, building: { id: number; name: string }) {
    if (!(await this.directs(userId, building))) throw forbiddenError(`Only a director or directory-editor of ${building.name} can change its staff list`);
  },

  /**
   * What members see: name, job title, roles and phone; the building's directors also see each person's email
   * (see staffEntry). The route is members-only.
   */
  async list(building: { id: number }, viewer: { id: number }) {
    const withEmail = await this.directs(viewer.id, building);
    const rows = await strapi.db.query(AFFILIATION).findMany({
      where: { building: { id: building.id }, status: 'approved', user: { blocked: false } },
      select: ['jobTitle', 'roles'],
      populate: { user: { select: [...ENTRY_USER_FIELDS] } },
    });
    return rows
      .filter((r) => r.user)
      .map((row) => staffEntry(row, { withEmail }))
      .sort((a, b) => `${a.lastName} ${a.firstName}`.localeCompare(`${b.lastName} ${b.firstName}`));
  },

  /** Creates an unconfirmed account without a password, a pending affiliation, and emails a set-password link. */
  async add(director: { id: number }, building: { id: number; documentId: string; name: string }, input: NewStaff) {
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' }, select: ['id'] });
    const resetPasswordToken = crypto.randomBytes(64).toString('hex');
    // a sign-up at the same moment (it takes no lock without a chosen username): the unique email index keeps one account
    return this.addAccount(director, building, input, resetPasswordToken, role.id).catch((err: unknown) => {
      throw isUniqueViolation(err) ? accountExists(input.email, building) : err;
    });
  },

  /**
   * add's check and account, affiliation and emails, in one transaction (a failure leaves no orphan account behind,
   * which would refuse the same person with a 409 on the next try), under the lock of the name the account signs in
   * with (sign-up with a chosen username and PUT /api/profile take it too): two directors adding one person at once
   * would otherwise both find no account, and the later one's creation meet the earlier one's account in Strapi's
   * unique-username check, a 400 about a username the director never gave.
   */
  addAccount(director: { id: number }, building: { id: number; documentId: string; name: string }, input: NewStaff, resetPasswordToken: string, roleId: number) {
    return withNamedLocks(strapi, [usernameLock(input.email)], async () => {
      const existing = await strapi.db.query(USER).findOne({ where: { $or: [{ email: input.email }, { username: input.email }] }, select: ['id'] });
      if (existing) throw accountExists(input.email, building);
      const user = await strapi.plugin('users-permissions').service('user').add({
        username: input.email,
        email: input.email,
        provider: 'local',
        confirmed: false,
        blocked: false,
        role: roleId,
        firstName: input.firstName,
        lastName: input.lastName,
        // the set-password link reuses Strapi's reset-password mechanism
        resetPasswordToken,
      });
      const affiliation = await strapi
        .service('api::affiliation.requests')
        .request(user.id, { building: building.documentId, jobTitle: input.jobTitle, roles: input.roles }, { addedBy: director.id });

      const by = await strapi.db.query(USER).findOne({ where: { id: director.id }, select: ['firstName', 'lastName', 'username'] });
      const advanced = (await strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'advanced' })) as { email_reset_password?: string };
      const notices = strapi.service('api::affiliation.notices');
      const e = notices.esc;
      const link = `${advanced?.email_reset_password || `${notices.publicUrl()}/account/reset-password`}?code=${resetPasswordToken}`;
      await notices.send(input.email, `You were added to the staff of ${building.name} on Library Learning`, [
        `Hello ${e(input.firstName)},`,
        `${e(fullName(by ?? {}))} added you to the staff list of ${e(building.name)} on Library Learning, the continuing-education calendar and directory of the Illinois library systems.`,
        `Choose a password to activate your account (sign in with this email address):`,
        `<a href="${e(link)}">${e(link)}</a>`,
        'System staff confirm each new staff member before the account gets member access.',
      ], { carriesSecret: true });
      return {
        person: { documentId: user.documentId, firstName: user.firstName, lastName: user.lastName, email: user.email, confirmed: false },
        affiliation,
      };
    });
  },

  /** The person's open (pending or approved) affiliations with the building: who is on, or joining, its staff list. */
  async openAffiliations(building: { id: number; name: string }, userDocumentId: string) {
    const rows = await strapi.db.query(AFFILIATION).findMany({
      where: { building: { id: building.id }, user: { documentId: userDocumentId }, status: { $in: ['pending', 'approved'] } },
      select: ['documentId'],
    });
    if (!rows.length) throw notFoundError('userDocumentId', `No person with documentId "${userDocumentId}" is on the staff list of ${building.name}`);
    return rows as { documentId: string }[];
  },

  /**
   * A director corrects the job title of a person on the staff list (approved,
   * or pending as the add route leaves them); answers the staff-list entry.
   */
  async retitle(building: { id: number; name: string }, userDocumentId: string, jobTitle: string) {
    const rows = await this.openAffiliations(building, userDocumentId);
    const requests = strapi.service('api::affiliation.requests');
    for (const row of rows) await requests.retitle(row.documentId, jobTitle);
    const updated = await strapi.db.query(AFFILIATION).findOne({
      where: { documentId: rows[0].documentId },
      select: ['jobTitle', 'roles'],
      populate: { user: { select: [...ENTRY_USER_FIELDS] } },
    });
    // only the building's directors retitle: they see the email
    return staffEntry(updated, { withEmail: true });
  },

  /** Ends the person's open affiliations with the building; the account stays. */
  async remove(building: { id: number; name: string }, userDocumentId: string) {
    const rows = await this.openAffiliations(building, userDocumentId);
    const requests = strapi.service('api::affiliation.requests');
    for (const row of rows) await requests.end(row.documentId);
    return { documentId: userDocumentId, affiliations: rows.map((r) => ({ documentId: r.documentId, status: 'ended' })) };
  },
});
