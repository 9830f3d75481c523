import type { Core } from '@strapi/strapi';

/** The outbox is internal: no REST routes, and hidden from the GraphQL schema too. */
export function registerOutbox(strapi: Core.Strapi) {
  strapi.plugin('graphql')?.service('extension').shadowCRUD('api::outbox-message.outbox-message').disable();
}
