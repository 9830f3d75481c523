import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::networking-group.networking-group');
