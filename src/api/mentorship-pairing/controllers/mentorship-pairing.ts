import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::mentorship-pairing.mentorship-pairing');
