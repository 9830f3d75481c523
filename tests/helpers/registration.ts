import type { TestApp, TestUser } from './strapi';

const DAY = 86_400_000;

/** A published public event taking registrations on the platform, ten days ahead unless `data` says otherwise. */
export const platformEvent = (app: TestApp, data: Record<string, unknown> = {}) =>
  app.strapi.documents('api::event.event').create({
    data: { audience: 'public', start: new Date(Date.now() + 10 * DAY).toISOString(), registrationMode: 'platform', ...data } as never,
    status: 'published',
  });

/** `who` registers for the event through the API; 201 expected. */
export const registerFor = (app: TestApp, who: TestUser, ev: { documentId: string }, body: Record<string, unknown> = {}) =>
  app.as(who).post(`/api/events/${ev.documentId}/registrations`).send(body).expect(201);
