import type { Core } from '@strapi/strapi';
import { EMAIL_CHANGE_HOURS } from '../services/email-change';
import { tokenParam, validateEmailChange } from './validation/email-change';

/**
 * POST /api/profile/email (the signed-in person asks) and GET
 * /api/profile/email/confirm?token= (the link in the email to the new address).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async request(ctx) {
    const input = validateEmailChange(ctx.request.body);
    const { expiresAt } = await strapi.service('api::profile.email-change').request(ctx.state.user.id, input);
    ctx.status = 202;
    // the new address is not echoed: a pending address never appears in API output
    ctx.body = {
      data: {
        message: `We emailed a confirmation link to the new address. Your account keeps its current address until the link is followed, within ${EMAIL_CHANGE_HOURS} hours.`,
        expiresAt: expiresAt.toISOString(),
      },
      meta: {},
    };
  },

  /** Like the sign-up confirmation link: a GET that applies the change, then lands on the website's page. */
  async confirm(ctx) {
    await strapi.service('api::profile.email-change').confirm(tokenParam(ctx.query.token));
    ctx.redirect(`${strapi.service('api::affiliation.notices').publicUrl()}/account/email-changed`);
  },
});
