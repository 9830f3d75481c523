import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::mentorship-application.mentorship-application');
