import { DomainError } from '../utils/errors';

/**
 * Turns DomainErrors thrown by services into Strapi-shaped 409/422 answers, and gives the router's own "method not
 * allowed" (405, with its Allow header; 501 for a method no route knows) the same shape: koa-router answered it as
 * the bare text "Method Not Allowed", the one failure of the API not in `{ data: null, error }` (API.md).
 */
export default () => async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    ctx.status = err.status;
    ctx.body = { data: null, error: { status: err.status, name: err.name, message: err.message, details: err.details } };
    return;
  }
  if ((ctx.status === 405 || ctx.status === 501) && ctx.body == null) {
    const allowed = String(ctx.response.get('Allow') || '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    const status = ctx.status;
    const message =
      status === 405
        ? `${ctx.method} is not allowed on ${ctx.path}: it answers ${allowed.join(', ')}`
        : `${ctx.method} is not a method this server answers`;
    ctx.body = { data: null, error: { status, name: status === 405 ? 'MethodNotAllowedError' : 'NotImplementedError', message, details: { allowed } } };
    ctx.status = status;
  }
};
