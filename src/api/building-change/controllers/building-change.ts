import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::building-change.building-change');
