import type { Core } from '@strapi/strapi';
import { bootstrapApp } from './bootstrap';
import { registerMembershipMiddleware } from './api/affiliation/document-middleware/recompute-membership';
import { registerBuildingMiddleware } from './api/building/document-middleware/history-and-search';
import { registerPairingMiddleware } from './api/mentorship-pairing/document-middleware/lifecycle';
import { registerSiteVisitMiddleware } from './api/site-visit/document-middleware/notify';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerMembershipMiddleware(strapi);
    registerBuildingMiddleware(strapi);
    registerPairingMiddleware(strapi);
    registerSiteVisitMiddleware(strapi);
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await bootstrapApp(strapi);
  },
};
