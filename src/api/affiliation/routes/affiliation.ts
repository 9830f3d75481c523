/**
 * Only these routes: a person's own affiliations. The generic CRUD routes are
 * deliberately absent (no find/update of others' affiliations, no status from
 * the caller); the role table (permissions.ts) opens them to signed-in users.
 */
export default {
  routes: [
    { method: 'GET', path: '/affiliations', handler: 'affiliation.mine', config: {} },
    { method: 'POST', path: '/affiliations', handler: 'affiliation.request', config: {} },
    { method: 'PUT', path: '/affiliations/:documentId', handler: 'affiliation.edit', config: {} },
    { method: 'DELETE', path: '/affiliations/:documentId', handler: 'affiliation.end', config: {} },
  ],
};
