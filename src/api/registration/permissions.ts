import type { RoleType } from '../../bootstrap/permissions';

/** Content-API actions this feature opens, with the lowest role that gets each. */
export const permissions: [action: string, from: RoleType][] = [
  // guests may register for events open to everyone; members-only rules are checked by the service
  ['api::registration.registration.register', 'authenticated'],
  // a website's "Register" or "Join the waitlist": whoever may see the event (members-only ones are checked by the service)
  ['api::registration.registration.availability', 'public'],
  ['api::registration.registration.cancel', 'authenticated'],
  ['api::registration.registration.checkout', 'authenticated'],
  // the "shopping cart" of seats held for payment: guests have holds too, for fee events open to everyone
  ['api::registration.registration.cart', 'authenticated'],
  ['api::registration.registration.cartCheckout', 'authenticated'],
  ['api::registration.registration.mine', 'authenticated'],
  ['api::registration.registration.transcript', 'authenticated'],
];
