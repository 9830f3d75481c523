import type { Core } from '@strapi/strapi';
import { NO_PENDING_CHANGE } from '../services/email-change';

const USER = 'plugin::users-permissions.user';

/**
 * A new password cancels a pending email change, whichever way it is set
 * (change-password, a reset link, the admin panel): the old address's notice
 * tells a person who did not ask for the change to do exactly that.
 */
export function registerPasswordCancelsEmailChange(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== USER || ctx.action !== 'update') return next();
    const params = ctx.params as { data?: Record<string, unknown> };
    if (params.data && typeof params.data.password === 'string' && params.data.password) {
      params.data = { ...params.data, ...NO_PENDING_CHANGE };
    }
    return next();
  });
}
