import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::library-system.library-system');
