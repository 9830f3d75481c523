import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DateTime } from 'luxon';
import { DIRECTOR_ROLES } from '../../affiliation/services/membership';
import { rowsOfUser } from '../../../utils/user-relations';
import { calendarZone } from '../../event/recurrence/rule';
import { emailProblem } from '../../../utils/input-limits';
import { assertKnownFields, fieldError, fieldPaths, forbiddenError, inputError } from '../../../utils/errors';
import { withNamedLocks } from '../../../utils/advisory-lock';

const BUILDING = 'api::building.building';

/**
 * What a building's director (or directory editor) may change on the Update
 * form. Locked fields belong to system staff, who edit them in the admin panel.
 */
export const EDITABLE_FIELDS = [
  'name', 'street', 'street2', 'city', 'zip', 'county', 'latitude', 'longitude', 'phone', 'fax', 'website', 'email',
  'catalogAutomation', 'resourceSharing',
] as const;

export const LOCKED_FIELDS = [
  'system', 'type', 'library', 'deliveryHub', 'deliveryRoute', 'deliveryFrequency', 'oclcSymbol', 'fscsId', 'fscsSeq',
  'outletType', 'llsapMember', 'needsReview', 'reviewNote', 'state', 'affiliations', 'nonresidentCards', 'searchText',
  // the annual statistics (IMLS outlet file), kept by system staff: they were refused as "unknown" fields
  'squareFeet', 'hoursPerYear',
] as const;

const TEXT_LIMITS: Record<string, number> = { zip: 10, phone: 40, fax: 40 };
/** The same rule as the schema's regex on zip (which the admin panel applies). */
const ZIP = /^\d{5}(-\d{4})?$/;

/** What a director sets on the Resource Sharing Update form (value types are checked by the schema). */
export const RESOURCE_SHARING_FIELDS = [
  'illContactName', 'illEmail', 'illPhone', 'lendsReturnables', 'lendsAudiovisual', 'lendsNewMaterials',
  'loanPeriodDays', 'renewals', 'chargesFees', 'lendingTerms',
] as const;

/** The other resource-sharing fields, and why a director's save cannot set them. */
const RESOURCE_SHARING_SET_ELSEWHERE: Record<string, string> = {
  policyDocument: 'upload the written policy with POST /api/buildings/:documentId/resource-sharing/policy (PDF or Word)',
  lastReviewed: 'saving the policy records today as its review date',
  reviewReminderSentAt: 'it is kept by the yearly review reminder',
};

/** Today in the calendar zone: the review date a director's save of the policy records. */
export const reviewedToday = () => DateTime.now().setZone(calendarZone()).toISODate() as string;

/**
 * The resource-sharing component as it should be saved after a partial change:
 * Strapi replaces a component whole on update, so the stored values are kept,
 * without the component row id and without the fields named in `drop`.
 * `current` is read with RESOURCE_SHARING_POPULATE; its written policy is kept by id.
 */
export function mergedResourceSharing(current: Record<string, unknown> | null | undefined, patch: Record<string, unknown>, drop: string[] = []) {
  const kept = Object.fromEntries(
    Object.entries(current ?? {})
      .filter(([k]) => k !== 'id' && !drop.includes(k))
      .map(([k, v]) => [k, k === 'policyDocument' && v && typeof v === 'object' ? (v as { id: unknown }).id : v]),
  );
  return { ...kept, ...patch };
}

/** Reads a building's resource-sharing component with its written policy (a plain populate leaves the media out, and a merge would drop it). */
export const RESOURCE_SHARING_POPULATE = { resourceSharing: { populate: { policyDocument: { fields: ['id'] } } } } as never;

/**
 * Runs fn holding the building's lock (every update of a building takes it too, history-and-search.ts): a save that
 * reads the record and writes it back merged (the resource-sharing component, the fiscal years of nonresident card
 * status, Strapi replacing either whole) never writes over another's save made between its read and its write.
 */
export const withBuildingLock = <T>(strapi: Core.Strapi, documentId: string, fn: () => Promise<T>) =>
  withNamedLocks(strapi, [`building:${documentId}`], fn);

export type BuildingEdit = Partial<Record<(typeof EDITABLE_FIELDS)[number], unknown>>;

/** A director's resource-sharing changes: the form's fields only (null clears one), 400 naming any other. */
function validateResourceSharing(value: unknown) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw fieldError('resourceSharing', 'resourceSharing must be an object of the policy fields to change (send a field as null to clear it)');
  }
  for (const [key, v] of Object.entries(value)) {
    const field = `resourceSharing.${key}`;
    if (Object.keys(RESOURCE_SHARING_SET_ELSEWHERE).includes(key)) {
      throw fieldError(field, `${field} cannot be set here: ${RESOURCE_SHARING_SET_ELSEWHERE[key]}`);
    }
    if (!(RESOURCE_SHARING_FIELDS as readonly string[]).includes(key)) {
      throw fieldError(field, `Unknown resource-sharing field ${field}; the fields are ${RESOURCE_SHARING_FIELDS.join(', ')}`);
    }
    if (key === 'illEmail' && v !== null) {
      const rule = typeof v === 'string' ? emailProblem(v) : 'must be a valid email address';
      if (rule) throw fieldError(field, `${field} ${rule}`);
    }
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** A director or directory editor with an approved affiliation to this very building. */
  async canEdit(userId: number, buildingDocumentId: string): Promise<boolean> {
    const rows = await rowsOfUser<{ roles?: unknown }>(strapi, userId, 'affiliations', {
      where: { status: 'approved', building: { documentId: buildingDocumentId } },
      select: ['roles'],
    });
    return rows.some((a) => Array.isArray(a.roles) && a.roles.some((r: string) => (DIRECTOR_ROLES as string[]).includes(r)));
  },

  /** Checks a director's edit: locked fields → 403 naming them, unknown or malformed ones → 400. */
  validateEdit(body: unknown): BuildingEdit {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw inputError('data', 'send the building fields to change as { "data": { ... } }');
    }
    const keys = Object.keys(body);
    const locked = keys.filter((k) => (LOCKED_FIELDS as readonly string[]).includes(k));
    if (locked.length) {
      const message = `${locked.join(', ')} ${locked.length > 1 ? 'are' : 'is'} locked: contact your library system to change ${locked.length > 1 ? 'them' : 'it'}`;
      throw forbiddenError(message, { fields: locked, errors: fieldPaths('ForbiddenError', locked, message) });
    }
    assertKnownFields(body as Record<string, unknown>, EDITABLE_FIELDS, 'building field(s)');
    const data = body as Record<string, unknown>;
    for (const [field, value] of Object.entries(data)) {
      if (field === 'resourceSharing') continue;
      if (field === 'latitude' || field === 'longitude') {
        const limit = field === 'latitude' ? 90 : 180;
        if (value !== null && (typeof value !== 'number' || Math.abs(value) > limit)) {
          throw fieldError(field, `${field} must be a number between -${limit} and ${limit}`);
        }
        continue;
      }
      if (value !== null && typeof value !== 'string') throw fieldError(field, `${field} must be text`);
      if (field === 'name' && !String(value ?? '').trim()) throw fieldError(field, 'name must not be empty');
      if (typeof value === 'string' && value.length > (TEXT_LIMITS[field] ?? 255)) {
        throw fieldError(field, `${field} is longer than ${TEXT_LIMITS[field] ?? 255} characters`);
      }
      const emailRule = field === 'email' && value ? emailProblem(String(value)) : null;
      if (emailRule) throw fieldError(field, `email ${emailRule}`);
      // a US ZIP code (the mailing address on the directory page and in delivery lists)
      if (field === 'zip' && value && !ZIP.test(String(value))) {
        throw fieldError(field, 'zip must be a US ZIP code: 5 digits, or ZIP+4 as 12345-6789');
      }
      if (field === 'website' && value && !/^https?:\/\/\S+$/i.test(String(value))) {
        throw fieldError(field, 'website must start with http:// or https://');
      }
    }
    if ('resourceSharing' in data) validateResourceSharing(data.resourceSharing);
    return data as BuildingEdit;
  },

  updateByDirector(documentId: string, edit: BuildingEdit) {
    return withBuildingLock(strapi, documentId, () => this.updateLocked(documentId, edit));
  },

  /** updateByDirector, holding the building's lock. */
  async updateLocked(documentId: string, edit: BuildingEdit) {
    const existing = await strapi.documents(BUILDING).findOne({ documentId, populate: RESOURCE_SHARING_POPULATE });
    if (!existing) throw new errors.NotFoundError('Building not found');
    const data: Record<string, unknown> = { ...edit };
    if (edit.resourceSharing && typeof edit.resourceSharing === 'object') {
      // the director's save is the yearly review: the reminder counts from today
      data.resourceSharing = mergedResourceSharing(
        (existing as Record<string, unknown>).resourceSharing as Record<string, unknown> | null,
        { ...(edit.resourceSharing as Record<string, unknown>), lastReviewed: reviewedToday() },
        ['reviewReminderSentAt']
      );
    }
    return strapi.documents(BUILDING).update({ documentId, data: data as never });
  },

  /** Records or replaces the nonresident card decision of one fiscal year; other years are kept. */
  setNonresidentStatus(documentId: string, entry: Record<string, unknown>) {
    return withBuildingLock(strapi, documentId, () => this.setNonresidentStatusLocked(documentId, entry));
  },

  /** setNonresidentStatus, holding the building's lock. */
  async setNonresidentStatusLocked(documentId: string, entry: Record<string, unknown>) {
    const building = (await strapi.documents(BUILDING).findOne({
      documentId,
      populate: { nonresidentCards: true, library: { fields: ['type'] } } as never,
    })) as unknown as { library?: { type?: string }; nonresidentCards?: Record<string, unknown>[] } | null;
    if (!building) throw new errors.NotFoundError('Building not found');
    if (building.library?.type && building.library.type !== 'public') {
      throw fieldError('library.type', 'Nonresident card status applies to public libraries only');
    }
    const history = (building.nonresidentCards ?? [])
      .filter((e) => e.fiscalYear !== entry.fiscalYear)
      .map(({ id: _id, ...rest }) => rest);
    const cards = [...history, entry].sort((a, b) => Number(a.fiscalYear) - Number(b.fiscalYear));
    return strapi.documents(BUILDING).update({ documentId, data: { nonresidentCards: cards } as never, populate: { nonresidentCards: true } as never });
  },

  async history(documentId: string) {
    return strapi.db.query('api::building-change.building-change').findMany({
      where: { building: { documentId } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: ['changedByName', 'source', 'changes', 'createdAt'],
      limit: 200,
    });
  },
});
