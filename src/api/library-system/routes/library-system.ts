import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::library-system.library-system');
