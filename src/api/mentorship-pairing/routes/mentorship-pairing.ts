import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::mentorship-pairing.mentorship-pairing');
