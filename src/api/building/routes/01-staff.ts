/** A building's staff list (accounts feature); permissions in src/api/affiliation/permissions.ts. */
export default {
  routes: [
    { method: 'GET', path: '/buildings/:documentId/staff', handler: 'staff.list', config: {} },
    { method: 'POST', path: '/buildings/:documentId/staff', handler: 'staff.add', config: {} },
    { method: 'PUT', path: '/buildings/:documentId/staff/:userDocumentId', handler: 'staff.update', config: {} },
    { method: 'DELETE', path: '/buildings/:documentId/staff/:userDocumentId', handler: 'staff.remove', config: {} },
  ],
};
