export default {
  routes: [
    { method: 'GET', path: '/people', handler: 'person.find', config: {} },
    { method: 'PUT', path: '/people/:documentId', handler: 'person.update', config: {} },
  ],
};
