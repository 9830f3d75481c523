export default {
  routes: [{ method: 'GET', path: '/me/mentorship', handler: 'mentorship-application.mine', config: { policies: [] } }],
};
