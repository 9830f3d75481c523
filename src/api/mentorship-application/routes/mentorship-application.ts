import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::mentorship-application.mentorship-application');
