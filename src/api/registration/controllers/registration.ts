import { factories } from '@strapi/strapi';
import type { Context } from 'koa';
import { SeatConflict } from '../services/capacity';
import { feeTotal, NotRegistrable, presentRegistration } from '../services/registration';
import { assertDateWindow } from '../../../utils/input-limits';
import { inputError } from '../../../utils/errors';

/**
 * HTTP for registration actions: read the body, call the registration
 * service, answer. 409 (seat conflicts, deadlines) and 422 (event not taking
 * registrations here) are written in Strapi's error shape.
 */
const answerConflicts = async (ctx: Context, fn: () => Promise<unknown>) => {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SeatConflict || err instanceof NotRegistrable) {
      const status = err instanceof NotRegistrable ? 422 : 409;
      ctx.status = status;
      ctx.body = { data: null, error: { status, name: err.name, message: err.message, details: err.details } };
      return undefined;
    }
    throw err;
  }
};

const callerOf = (ctx: Context) => {
  const user = ctx.state.user;
  if (!user) return ctx.unauthorized('Sign in first');
  return { id: user.id as number, documentId: user.documentId as string, email: user.email as string };
};

/**
 * An action's body: the fields themselves (API.md), as a JSON object. Anything else (a list, Strapi's
 * `{ data }` wrapper, a misspelt field) is a 400 naming it, never silently dropped while the
 * registration is stored without it.
 */
const body = (ctx: Context, fields: readonly string[]): Record<string, any> => {
  const b = (ctx.request as any).body;
  if (b === undefined || b === null || b === '') return {};
  const accepted = fields.length ? `some of ${fields.join(', ')}` : 'no fields (send {} or nothing)';
  if (typeof b !== 'object' || Array.isArray(b)) throw inputError('body', `must be a JSON object with ${accepted}`);
  const unknown = Object.keys(b).find((k) => !fields.includes(k));
  if (unknown) throw inputError(unknown, `is not a field of this request (accepted: ${fields.length ? fields.join(', ') : 'none'})`);
  return b;
};

const REGISTER_FIELDS = ['occurrence', 'location', 'emergencyPhone', 'specialNeeds', 'attendees'] as const;
const CHECKOUT_FIELDS = ['paymentVerified'] as const;
/** The cart's checkout: the same box ticked, and optionally which of the cart's holds (all of them when left out). */
const CART_CHECKOUT_FIELDS = ['paymentVerified', 'registrations'] as const;
/** A cancellation takes no fields: a body that says something else is refused before the seat is given up. */
const CANCEL_FIELDS = [] as const;

export default factories.createCoreController('api::registration.registration', ({ strapi }) => {
  const service = () => strapi.service('api::registration.registration');
  return {
    /** GET /api/events/:documentId/availability?occurrence= : open to whoever may see the event, signed in or not. */
    async availability(ctx: Context) {
      const occurrence = ctx.query.occurrence;
      if (occurrence !== undefined && typeof occurrence !== 'string') throw inputError('occurrence', 'must be one ISO date-time');
      assertDateWindow('occurrence', occurrence);
      ctx.body = { data: await service().availability(ctx.params.documentId, { occurrence }), meta: {} };
    },

    async register(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      const b = body(ctx, REGISTER_FIELDS);
      // a date centuries away is no date of a series, and the rule would be walked all the way to it
      assertDateWindow('occurrence', b.occurrence);
      const regs = (await answerConflicts(ctx, () =>
        service().register(caller, ctx.params.documentId, {
          occurrence: b.occurrence, location: b.location, emergencyPhone: b.emergencyPhone, specialNeeds: b.specialNeeds, attendees: b.attendees,
        }),
      )) as any[] | undefined;
      if (!regs) return;
      ctx.status = 201;
      ctx.body = { data: regs.map((r) => presentRegistration(r, caller)), meta: {} };
    },

    async cancel(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      body(ctx, CANCEL_FIELDS);
      const reg = await answerConflicts(ctx, () => service().cancel(caller, ctx.params.documentId));
      if (reg) ctx.body = { data: presentRegistration(reg, caller), meta: {} };
    },

    async checkout(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      const reg = await answerConflicts(ctx, () => service().checkout(caller, ctx.params.documentId, body(ctx, CHECKOUT_FIELDS)));
      if (reg) ctx.body = { data: presentRegistration(reg, caller), meta: {} };
    },

    /** GET /api/me/cart: the seats held for payment for the caller and the people they registered, with the total. */
    async cart(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      const { items, ...totals } = await service().cart(caller);
      ctx.body = { data: items, meta: totals };
    },

    /** POST /api/me/cart/checkout { paymentVerified: true, registrations? }: the listed holds (or the whole cart) confirmed together, or none. */
    async cartCheckout(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      const b = body(ctx, CART_CHECKOUT_FIELDS);
      const regs = (await answerConflicts(ctx, () => service().checkoutCart(caller, b))) as any[] | undefined;
      if (!regs) return;
      ctx.body = { data: regs.map((r) => presentRegistration(r, caller)), meta: { count: regs.length, total: feeTotal(regs) } };
    },

    /** GET /api/me/registrations: My Events; `?for=colleagues`: the registrations the caller made for colleagues. */
    async mine(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      const scope = ctx.query.for;
      if (scope !== undefined && scope !== 'colleagues') throw inputError('for', "must be 'colleagues' (the registrations you made for colleagues), or left out");
      const data = scope === 'colleagues' ? await service().registeredForColleagues(caller) : await service().mine(caller);
      ctx.body = { data, meta: { total: data.length } };
    },

    /** GET /api/me/transcript?from=&to= — attended events, hours and their total. */
    async transcript(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      ctx.body = await strapi.service('api::registration.attendance').transcript(caller.id, { from: ctx.query.from, to: ctx.query.to });
    },
  };
});
