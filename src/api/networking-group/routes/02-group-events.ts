/** A group's primary admin creates and edits the group's events (role table: any signed-in user; the service checks the admin). */
export default {
  routes: [
    { method: 'POST', path: '/networking-groups/:documentId/events', handler: 'api::networking-group.group-events.create', config: {} },
    { method: 'PUT', path: '/networking-groups/:documentId/events/:eventDocumentId', handler: 'api::networking-group.group-events.update', config: {} },
  ],
};
