import type { Core } from '@strapi/strapi';

/**
 * How many HTTP requests this process is answering right now. Background work that can wait a little (email
 * delivery) yields to them: a burst of registrations is answered first and its emails follow it, instead of
 * both competing for the same CPU and connections.
 */
const active = new WeakMap<Core.Strapi, { n: number }>();

export function trackActiveRequests(strapi: Core.Strapi) {
  const counter = { n: 0 };
  active.set(strapi, counter);
  strapi.server.use(async (_ctx, next) => {
    counter.n += 1;
    try {
      await next();
    } finally {
      counter.n -= 1;
    }
  });
}

export const activeRequests = (strapi: Core.Strapi) => active.get(strapi)?.n ?? 0;
