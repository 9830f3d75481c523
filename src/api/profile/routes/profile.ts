export default {
  routes: [
    { method: 'GET', path: '/profile', handler: 'profile.find', config: {} },
    { method: 'PUT', path: '/profile', handler: 'profile.update', config: {} },
  ],
};
