/** Member-submitted events (drafts reviewed by system staff in the admin panel). */
export default {
  routes: [
    { method: 'POST', path: '/event-submissions', handler: 'api::event-submission.event-submission.create', config: {} },
    { method: 'GET', path: '/me/event-submissions', handler: 'api::event-submission.event-submission.mine', config: {} },
  ],
};
