import type { Core } from '@strapi/strapi';

/**
 * The content manager's list views, as staff need them: the columns they scan,
 * the sort they expect (the confirmation queue oldest first), sensible page sizes.
 * Applied on every start over Strapi's generated defaults.
 */
interface ListView {
  columns: string[];
  sortBy: string;
  order: 'ASC' | 'DESC';
  mainField?: string;
  relations?: Record<string, string>; // relation field → field of the target shown in the column
  pageSize?: number;
}

export const LIST_VIEWS: Record<string, ListView> = {
  'api::event.event': { columns: ['title', 'start', 'audience', 'capacity', 'registrationMode', 'provider'], sortBy: 'start', order: 'DESC', mainField: 'title', relations: { provider: 'name' } },
  'api::building.building': { columns: ['name', 'library', 'city', 'county', 'outletType', 'needsReview'], sortBy: 'name', order: 'ASC', mainField: 'name', relations: { library: 'name' }, pageSize: 50 },
  'api::library.library': { columns: ['name', 'type', 'fscsId', 'system'], sortBy: 'name', order: 'ASC', mainField: 'name', relations: { system: 'code' }, pageSize: 50 },
  'api::affiliation.affiliation': { columns: ['user', 'building', 'jobTitle', 'status', 'createdAt'], sortBy: 'createdAt', order: 'ASC', mainField: 'jobTitle', relations: { user: 'email', building: 'name' } },
  'api::registration.registration': { columns: ['event', 'user', 'occurrence', 'status', 'waitlistPosition', 'attended'], sortBy: 'createdAt', order: 'DESC', relations: { event: 'title', user: 'email' } },
  'api::networking-group.networking-group': { columns: ['name', 'scope', 'system', 'meetingPattern'], sortBy: 'name', order: 'ASC', mainField: 'name', relations: { system: 'code' } },
  'api::mentorship-pairing.mentorship-pairing': { columns: ['mentor', 'mentee', 'status', 'startDate', 'endDate'], sortBy: 'startDate', order: 'DESC', relations: { mentor: 'email', mentee: 'email' } },
  'api::site-visit.site-visit': { columns: ['building', 'kind', 'status', 'scheduledAt', 'createdAt'], sortBy: 'createdAt', order: 'ASC', relations: { building: 'name' } },
  'api::building-change.building-change': { columns: ['building', 'changedByName', 'source', 'createdAt'], sortBy: 'createdAt', order: 'DESC', relations: { building: 'name' } },
};

export async function configureContentManager(strapi: Core.Strapi) {
  const service = strapi.plugin('content-manager').service('content-types');
  for (const [uid, view] of Object.entries(LIST_VIEWS)) {
    const contentType = strapi.contentType(uid as never);
    if (!contentType) continue;
    const current = await service.findConfiguration(contentType);
    const metadatas = { ...(current.metadatas ?? {}) };
    for (const [field, shown] of Object.entries(view.relations ?? {})) {
      metadatas[field] = { ...metadatas[field], list: { ...(metadatas[field]?.list ?? {}), mainField: shown, sortable: false } };
      metadatas[field].edit = { ...(metadatas[field]?.edit ?? {}), mainField: shown };
    }
    await service.updateConfiguration(contentType, {
      settings: {
        ...current.settings,
        defaultSortBy: view.sortBy,
        defaultSortOrder: view.order,
        ...(view.mainField ? { mainField: view.mainField } : {}),
        pageSize: view.pageSize ?? current.settings?.pageSize ?? 20,
      },
      metadatas,
      layouts: { ...current.layouts, list: view.columns.filter((c) => c === 'createdAt' || contentType.attributes[c]) },
    });
  }
}
