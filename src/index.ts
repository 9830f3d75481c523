import type { Core } from '@strapi/strapi';
import { bootstrapApp } from './bootstrap';
import { registerMembershipMiddleware } from './api/affiliation/document-middleware/recompute-membership';
import { registerBuildingMiddleware } from './api/building/document-middleware/history-and-search';
import { registerPairingMiddleware } from './api/mentorship-pairing/document-middleware/lifecycle';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerMembershipMiddleware(strapi);
    registerBuildingMiddleware(strapi);
    registerPairingMiddleware(strapi);
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await bootstrapApp(strapi);
  },
};
