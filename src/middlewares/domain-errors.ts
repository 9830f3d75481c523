import { DomainError } from '../utils/errors';

/** Turns DomainErrors thrown by services into Strapi-shaped 409/422 answers. */
export default () => async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    ctx.status = err.status;
    ctx.body = { data: null, error: { status: err.status, name: err.name, message: err.message, details: err.details } };
  }
};
