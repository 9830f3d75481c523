import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::networking-group.networking-group');
