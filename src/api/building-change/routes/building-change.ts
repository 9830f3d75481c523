import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::building-change.building-change');
