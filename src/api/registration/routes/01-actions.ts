/** Registration actions (the body is the fields themselves, see API.md). */
export default {
  routes: [
    { method: 'GET', path: '/events/:documentId/availability', handler: 'api::registration.registration.availability', config: {} },
    { method: 'POST', path: '/events/:documentId/registrations', handler: 'api::registration.registration.register', config: {} },
    { method: 'POST', path: '/registrations/:documentId/cancel', handler: 'api::registration.registration.cancel', config: {} },
    { method: 'POST', path: '/registrations/:documentId/checkout', handler: 'api::registration.registration.checkout', config: {} },
    { method: 'GET', path: '/me/cart', handler: 'api::registration.registration.cart', config: {} },
    { method: 'POST', path: '/me/cart/checkout', handler: 'api::registration.registration.cartCheckout', config: {} },
    { method: 'GET', path: '/me/registrations', handler: 'api::registration.registration.mine', config: {} },
    { method: 'GET', path: '/me/transcript', handler: 'api::registration.registration.transcript', config: {} },
  ],
};
