import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::mentorship-pairing.mentorship-pairing');
