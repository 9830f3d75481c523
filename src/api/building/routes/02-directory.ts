/** Directory routes beyond Strapi's core building routes. */
export default {
  routes: [
    { method: 'GET', path: '/directory/search', handler: 'directory.search', config: { policies: [] } },
    { method: 'GET', path: '/buildings/:documentId/history', handler: 'directory.history', config: { policies: [] } },
    { method: 'POST', path: '/buildings/:documentId/resource-sharing/policy', handler: 'directory.uploadPolicy', config: { policies: [] } },
    { method: 'PUT', path: '/buildings/:documentId/nonresident-card', handler: 'directory.setNonresidentCard', config: { policies: [] } },
  ],
};
