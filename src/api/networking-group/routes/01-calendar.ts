/** A group's meetings as an iCal feed: anonymous (calendar clients poll it), public events only. */
export default {
  routes: [{ method: 'GET', path: '/networking-groups/:documentId/ics', handler: 'api::networking-group.calendar.ics', config: { auth: false } }],
};
