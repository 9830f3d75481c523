import type { Core } from '@strapi/strapi';
import { syncRolesAndPermissions } from './permissions';
import { configureAccounts } from './accounts';

/** Runs on every start; every step is idempotent. */
export async function bootstrapApp(strapi: Core.Strapi) {
  await syncRolesAndPermissions(strapi);
  await configureAccounts(strapi);
}
