export default {
  routes: [
    { method: 'GET', path: '/profile', handler: 'profile.find', config: {} },
    { method: 'PUT', path: '/profile', handler: 'profile.update', config: {} },
    { method: 'POST', path: '/profile/avatar', handler: 'avatar.upload', config: {} },
    { method: 'DELETE', path: '/profile/avatar', handler: 'avatar.remove', config: {} },
    {
      method: 'POST',
      path: '/profile/email',
      handler: 'email-change.request',
      // the current password is checked here: limit guesses per account, as users-permissions does per sign-in
      config: { middlewares: [{ name: 'plugin::users-permissions.rateLimit', config: { keyGenerator: (ctx) => `profile-email|${ctx.state.user?.id}` } }] },
    },
    { method: 'GET', path: '/profile/email/confirm', handler: 'email-change.confirm', config: {} },
  ],
};
