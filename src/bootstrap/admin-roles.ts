import type { Core } from '@strapi/strapi';

/**
 * The admin-panel roles of system staff and event providers, as code: created
 * and brought back to this definition on every start. Super Admin stays as
 * Strapi makes it.
 */
const CM = 'plugin::content-manager.explorer';
const CRUD = ['create', 'read', 'update', 'delete'];
const OWN_PROVIDER = 'api::own-provider-events';
const OWN_PROVIDER_REGISTRATIONS = 'api::own-provider-registrations';
const OWN_PROVIDER_REGISTRANTS = 'api::own-provider-registrants';
const USER = 'plugin::users-permissions.user';

// Every domain collection system staff look after (the mail outbox is read-only for them).
const DOMAIN = [
  'api::library-system.library-system', 'api::library.library', 'api::building.building', 'api::building-change.building-change',
  'api::affiliation.affiliation', 'api::event.event', 'api::registration.registration', 'api::networking-group.networking-group',
  'api::tag.tag', 'api::provider.provider', 'api::mentorship-application.mentorship-application',
  'api::mentorship-pairing.mentorship-pairing', 'api::site-visit.site-visit', 'plugin::users-permissions.user',
];
const MEMBERSHIP = [
  'api::affiliation.affiliation', 'plugin::users-permissions.user', 'api::site-visit.site-visit',
  'api::mentorship-application.mentorship-application', 'api::mentorship-pairing.mentorship-pairing',
];

interface PermissionSpec {
  action: string;
  subject?: string | null;
  properties?: Record<string, unknown>;
  conditions?: string[];
  /** read only the fields the schemas do not mark private (review notes, import addresses, reminder dates: staff's) */
  withoutPrivate?: boolean;
}

const content = (subjects: string[], actions: string[], conditions: string[] = []): PermissionSpec[] =>
  subjects.flatMap((subject) => actions.map((a) => ({ action: `${CM}.${a}`, subject, conditions })));

// Read, create and update carry the fields they cover: every field unless the spec names its own
// (private ones are staff's to see).
const FIELD_ACTIONS = new Set(['create', 'read', 'update'].map((a) => `${CM}.${a}`));
function withFields(strapi: Core.Strapi, spec: PermissionSpec): PermissionSpec {
  const { withoutPrivate, ...p } = spec;
  if (!p.subject || !FIELD_ACTIONS.has(p.action) || !strapi.contentTypes[p.subject as never] || p.properties?.fields) return p;
  const fields: string[] = strapi.service('admin::content-type').getNestedFields(strapi.contentTypes[p.subject as never], { components: strapi.components });
  return { ...p, properties: { fields: withoutPrivate ? fields.filter((path) => !reachesPrivate(strapi, p.subject as string, path)) : fields } };
}

/** Whether a field path (`resourceSharing.reviewReminderSentAt`) names or passes through a private attribute. */
function reachesPrivate(strapi: Core.Strapi, uid: string, path: string): boolean {
  let model: any = strapi.getModel(uid as never);
  for (const segment of path.split('.')) {
    const attribute = model?.attributes?.[segment];
    if (!attribute) return false;
    if (attribute.private) return true;
    model = attribute.type === 'component' ? strapi.components[attribute.component as never] : undefined;
  }
  return false;
}

export const ADMIN_ROLES: { code: string; name: string; description: string; permissions: () => PermissionSpec[] }[] = [
  {
    code: 'll-system-staff',
    name: 'System Staff',
    description: 'Library system staff: all content, approvals, rosters; no server settings.',
    permissions: () => [
      ...content(DOMAIN, CRUD),
      ...content(['api::event.event'], ['publish']),
      ...content(['api::outbox-message.outbox-message'], ['read']),
      { action: 'plugin::upload.read' }, { action: 'plugin::upload.assets.create' }, { action: 'plugin::upload.assets.update' },
      { action: 'plugin::upload.assets.download' }, { action: 'plugin::upload.assets.copy-link' },
      ...pluginActions(['plugin::approvals.decide', 'plugin::approvals.review-submissions', 'plugin::rosters.read', 'plugin::rosters.mark-attendance', 'plugin::membership.read']),
    ],
  },
  {
    code: 'll-membership-staff',
    name: 'Membership Staff',
    description: 'Membership services: accounts, affiliations, site visits and the mentorship program.',
    permissions: () => [
      ...content(MEMBERSHIP, CRUD),
      ...content(['api::building.building', 'api::library.library', 'api::library-system.library-system'], ['read']),
      ...pluginActions(['plugin::approvals.decide', 'plugin::membership.read']),
    ],
  },
  {
    code: 'll-event-provider',
    name: 'Event Provider',
    description: 'An organisation that provides events (a consortium, a networking group, the State Library): its own events and their registrations only.',
    permissions: () => [
      ...content(['api::event.event'], ['read', 'update', 'delete', 'publish'], [OWN_PROVIDER]),
      // Creating is allowed; the event must name one of the user's providers (provider-scope.ts refuses any other).
      ...content(['api::event.event'], ['create']),
      ...content(['api::registration.registration'], ['read'], [OWN_PROVIDER_REGISTRATIONS]),
      // Who registered, as the roster shows them: the name and email of the people registered for its events, nothing
      // else of their accounts (what a related person shows follows this: src/utils/admin-related-fields.ts).
      { action: `${CM}.read`, subject: USER, properties: { fields: ['firstName', 'lastName', 'email', 'username'] }, conditions: [OWN_PROVIDER_REGISTRANTS] },
      // the directory and groups to pick from, not staff's notes on them (a building's review note, a group's import address)
      ...content(['api::tag.tag', 'api::networking-group.networking-group', 'api::building.building'], ['read']).map((p) => ({ ...p, withoutPrivate: true })),
      ...content(['api::provider.provider'], ['read'], ['api::own-provider']),
      // No plugin::rosters.read: that reads every event; the roster service opens a provider's own events to its admin users.
      { action: 'plugin::upload.read' }, { action: 'plugin::upload.assets.create' },
    ],
  },
];

// Plugin actions exist only when their plugin is installed; unknown ones are skipped.
function pluginActions(actions: string[]): PermissionSpec[] {
  return actions.map((action) => ({ action }));
}

/** Event providers see and edit only what belongs to the providers they are listed on. */
export async function registerAdminConditions(strapi: Core.Strapi) {
  const conditions = strapi.service('admin::permission').conditionProvider;
  const defs = [
    { name: 'own-provider-events', displayName: "Events of the user's provider organisations", handler: (user: { id: number }) => ({ 'provider.adminUsers.id': user.id }) },
    { name: 'own-provider-registrations', displayName: "Registrations for the user's providers' events", handler: (user: { id: number }) => ({ 'event.provider.adminUsers.id': user.id }) },
    { name: 'own-provider', displayName: "The user's own provider organisations", handler: (user: { id: number }) => ({ 'adminUsers.id': user.id }) },
    { name: 'own-provider-registrants', displayName: "People registered for the user's providers' events", handler: (user: { id: number }) => ({ 'registrations.event.provider.adminUsers.id': user.id }) },
  ];
  for (const def of defs) {
    if (!conditions.has(`api::${def.name}`)) await conditions.register({ ...def, category: 'Library Learning' });
  }
}

export async function syncAdminRoles(strapi: Core.Strapi) {
  const roles = strapi.service('admin::role');
  const known = new Set(strapi.service('admin::permission').actionProvider.values().map((a: { actionId: string }) => a.actionId));
  for (const def of ADMIN_ROLES) {
    let role = await strapi.db.query('admin::role').findOne({ where: { code: def.code } });
    if (!role) role = await roles.create({ name: def.name, code: def.code, description: def.description });
    else if (role.name !== def.name || role.description !== def.description) {
      await strapi.db.query('admin::role').update({ where: { id: role.id }, data: { name: def.name, description: def.description } });
    }
    await roles.assignPermissions(role.id, def.permissions().filter((p) => known.has(p.action)).map((p) => withFields(strapi, p)));
  }
}
