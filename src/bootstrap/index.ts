import type { Core } from '@strapi/strapi';
import { syncRolesAndPermissions } from './permissions';
import { configureAccounts } from './accounts';
import { registerAdminConditions, syncAdminRoles } from './admin-roles';
import { configureContentManager } from './content-manager';

/** Runs on every start; every step is idempotent. */
export async function bootstrapApp(strapi: Core.Strapi) {
  await syncRolesAndPermissions(strapi);
  await configureAccounts(strapi);
  await registerAdminConditions(strapi);
  await syncAdminRoles(strapi);
  await configureContentManager(strapi);
}
