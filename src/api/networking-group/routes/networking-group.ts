import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::networking-group.networking-group');
