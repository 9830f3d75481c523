import type { Core } from '@strapi/strapi';
import { bootstrapApp } from './bootstrap';
import { registerMembershipMiddleware } from './api/affiliation/document-middleware/recompute-membership';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerMembershipMiddleware(strapi);
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await bootstrapApp(strapi);
  },
};
