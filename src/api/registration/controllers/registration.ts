import { factories } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { SeatConflict } from '../services/capacity';
import { NotRegistrable, presentRegistration } from '../services/registration';

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
    // answered here so the message (which rule refused) reaches the caller
    if (err instanceof errors.ForbiddenError) {
      ctx.status = 403;
      ctx.body = { data: null, error: { status: 403, name: 'ForbiddenError', message: err.message, details: err.details ?? {} } };
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

const body = (ctx: Context) => {
  const b = (ctx.request as any).body;
  return b && typeof b === 'object' && !Array.isArray(b) ? b : {};
};

export default factories.createCoreController('api::registration.registration', ({ strapi }) => {
  const service = () => strapi.service('api::registration.registration');
  return {
    async register(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      const b = body(ctx);
      const regs = (await answerConflicts(ctx, () =>
        service().register(caller, ctx.params.documentId, {
          occurrence: b.occurrence, location: b.location, emergencyPhone: b.emergencyPhone, specialNeeds: b.specialNeeds, attendees: b.attendees,
        }),
      )) as any[] | undefined;
      if (!regs) return;
      ctx.status = 201;
      ctx.body = { data: regs.map((r) => presentRegistration(r, caller)) };
    },

    async cancel(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      const reg = await answerConflicts(ctx, () => service().cancel(caller, ctx.params.documentId));
      if (reg) ctx.body = { data: presentRegistration(reg, caller) };
    },

    async checkout(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      const reg = await answerConflicts(ctx, () => service().checkout(caller, ctx.params.documentId, body(ctx)));
      if (reg) ctx.body = { data: presentRegistration(reg, caller) };
    },

    async mine(ctx: Context) {
      const caller = callerOf(ctx);
      if (!caller) return;
      const data = await service().mine(caller);
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
