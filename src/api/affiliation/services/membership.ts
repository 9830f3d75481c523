import type { Core } from '@strapi/strapi';
import { rowsOfUser } from '../../../utils/user-relations';
import { roleIdByType, type RoleType } from '../../../bootstrap/permissions';

export const AFFILIATION_ROLES = ['director', 'directory-editor', 'staff', 'trustee', 'certification-contact'] as const;
export type AffiliationRole = (typeof AFFILIATION_ROLES)[number];

/** Roles that let a person edit their building and act for its staff. */
export const DIRECTOR_ROLES: AffiliationRole[] = ['director', 'directory-editor'];

const USER = 'plugin::users-permissions.user';

/** Whether a role (as roleTypeFor derives and recomputeRole stores it) is a member's. */
export const isMemberRole = (type: string | null | undefined) => type === 'member' || type === 'director';

/**
 * Membership follows the data: a person's users-permissions role is derived
 * from their approved affiliations here, and only here.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The role a person should have, from their approved affiliations. */
  async roleTypeFor(userId: number): Promise<RoleType> {
    const approved = await rowsOfUser(strapi, userId, 'affiliations', { where: { status: 'approved' }, select: ['id', 'roles'] });
    if (!approved.length) return 'authenticated';
    const leads = approved.some((a) => Array.isArray(a.roles) && a.roles.some((r: string) => DIRECTOR_ROLES.includes(r as AffiliationRole)));
    return leads ? 'director' : 'member';
  },

  /** Recomputes and stores a person's role; returns the role type now in force. */
  async recomputeRole(userId: number): Promise<RoleType> {
    const type = await this.roleTypeFor(userId);
    const roleId = await roleIdByType(strapi, type);
    const user = await strapi.db.query(USER).findOne({ where: { id: userId }, populate: { role: { select: ['id'] } } });
    if (user && user.role?.id !== roleId) {
      await strapi.db.query(USER).update({ where: { id: userId }, data: { role: roleId } });
    }
    return type;
  },

  /** Buildings (ids) where the person holds an approved affiliation, optionally only with director rights. */
  async buildingIdsOf(userId: number, opts: { directorOnly?: boolean } = {}): Promise<number[]> {
    const rows = await rowsOfUser(strapi, userId, 'affiliations', { where: { status: 'approved' }, select: ['id', 'roles'], populate: { building: { select: ['id'] } } });
    return rows
      .filter((a) => !opts.directorOnly || (Array.isArray(a.roles) && a.roles.some((r: string) => DIRECTOR_ROLES.includes(r as AffiliationRole))))
      .map((a) => a.building?.id)
      .filter((id): id is number => typeof id === 'number');
  },

  /**
   * Library systems (ids) the person is a member of: the systems of the libraries of the buildings
   * where they hold an approved affiliation (the same affiliations that make them a member at all).
   */
  async systemIdsOf(userId: number): Promise<number[]> {
    const rows = await rowsOfUser(strapi, userId, 'affiliations', {
      where: { status: 'approved' },
      select: ['id'],
      populate: { building: { select: ['id'], populate: { library: { select: ['id'], populate: { system: { select: ['id'] } } } } } },
    });
    const ids = rows.map((a) => a.building?.library?.system?.id).filter((id): id is number => typeof id === 'number');
    return [...new Set(ids)];
  },

  async isMember(userId: number): Promise<boolean> {
    return isMemberRole(await this.roleTypeFor(userId));
  },
});
