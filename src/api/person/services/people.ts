import type { Core } from '@strapi/strapi';
import { rowsOfUser } from '../../../utils/user-relations';
import { errors } from '@strapi/utils';
import { forbiddenError } from '../../../utils/errors';

const USER = 'plugin::users-permissions.user';

export interface Colleague {
  documentId: string;
  firstName: string | null;
  lastName: string | null;
  affiliations: { jobTitle: string; roles: string[]; building: BuildingRef }[];
  /** libraries the person worked at before (ended affiliations): how a co-worker recognises an old account */
  formerBuildings: BuildingRef[];
}
type BuildingRef = { documentId: string; name: string; city: string | null };

const BUILDING_FIELDS = ['documentId', 'name', 'city'];

/**
 * Find Colleagues and directors' rights over the people of their buildings.
 * Only public-to-members fields leave this service: names, job titles, roles
 * and buildings of approved affiliations, and the buildings of ended ones
 * (no emails, phones or tokens).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async search(q: string, page: number, pageSize: number) {
    const terms = q.split(/\s+/).filter(Boolean).slice(0, 5);
    // every word must match a name, a job title or a building name. People who worked at a member library
    // (an ended affiliation) are found too: L2 sends someone who changed jobs and lost the old address to a
    // co-worker's Find Colleagues to find their account, so that no second one is made. Guests and people whose
    // only request is pending are not colleagues of anyone yet.
    const where: Record<string, unknown> = {
      blocked: false,
      affiliations: { status: { $in: ['approved', 'ended'] } },
      $and: terms.map((t) => ({
        $or: [
          { firstName: { $containsi: t } },
          { lastName: { $containsi: t } },
          { affiliations: { status: 'approved', jobTitle: { $containsi: t } } },
          { affiliations: { status: 'approved', building: { name: { $containsi: t } } } },
        ],
      })),
    };
    const { results, pagination } = await strapi.db.query(USER).findPage({
      where,
      select: ['id', 'documentId', 'firstName', 'lastName'],
      orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
      page,
      pageSize,
    });
    const data: Colleague[] = [];
    for (const u of results) data.push({ documentId: u.documentId, firstName: u.firstName ?? null, lastName: u.lastName ?? null, ...(await this.colleagueAffiliations(u.id)) });
    return { data, pagination };
  },

  /** A person's approved affiliations as Find Colleagues shows them, and the buildings of their ended ones (each once, not one they work at now). */
  async colleagueAffiliations(userId: number): Promise<Pick<Colleague, 'affiliations' | 'formerBuildings'>> {
    const rows = await rowsOfUser(strapi, userId, 'affiliations', {
      where: { status: { $in: ['approved', 'ended'] } },
      select: ['jobTitle', 'roles', 'status'],
      populate: { building: { select: BUILDING_FIELDS } },
      orderBy: { id: 'asc' },
    });
    const affiliations = rows
      .filter((r) => r.building && r.status === 'approved')
      .map((r) => ({ jobTitle: r.jobTitle, roles: Array.isArray(r.roles) ? r.roles : [], building: r.building }));
    const current = new Set(affiliations.map((a) => a.building.documentId));
    const formerBuildings = new Map<string, BuildingRef>();
    for (const r of rows) if (r.building && r.status === 'ended' && !current.has(r.building.documentId)) formerBuildings.set(r.building.documentId, r.building);
    return { affiliations, formerBuildings: [...formerBuildings.values()] };
  },

  /**
   * A director (or directory-editor) may manage a person who has an approved affiliation with one of the buildings
   * they lead, or a pending one a director added from the staff list (an account made for a new employee). Someone
   * who only asked to join (maybe by mistake) is not theirs to edit until system staff approve the request.
   */
  async assertManages(directorId: number, personDocumentId: string) {
    const person = await strapi.db.query(USER).findOne({ where: { documentId: personDocumentId }, select: ['id', 'documentId'] });
    if (!person) throw new errors.NotFoundError(`No person with documentId "${personDocumentId}"`);
    if (person.id === directorId) return person;
    const led = await strapi.service('api::affiliation.membership').buildingIdsOf(directorId, { directorOnly: true });
    const shared = led.length
      ? await rowsOfUser(strapi, person.id, 'affiliations', {
          where: { status: { $in: ['pending', 'approved'] }, building: { id: { $in: led } } },
          select: ['id', 'status'],
          populate: { addedBy: { select: ['id'] } },
        })
      : [];
    if (!shared.some((a) => a.status === 'approved' || a.addedBy)) throw forbiddenError('You can edit the profiles of people affiliated with a building you direct only');
    return person;
  },
});
