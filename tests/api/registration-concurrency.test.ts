import { startApp, type TestApp } from '../helpers/strapi';
import { burstSetup, expectSeatsThenWaitlist, listen, registerAtOnce } from '../helpers/burst';

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('capacity under load', () => {
  it('200 simultaneous registrations for 25 seats: 25 confirmed, 175 waitlisted at positions 1..175', async () => {
    const { members, event: ev } = await burstSetup(app);
    const server = await listen(app);
    const responses = await registerAtOnce([server.base], ev.documentId, members);
    await server.close();
    expectSeatsThenWaitlist(responses, 25);

    // and what is stored agrees with what was answered
    const stored = await app.strapi.db.query('api::registration.registration').findMany({ where: { eventDocumentId: ev.documentId } });
    expect(stored.filter((r) => r.status === 'confirmed')).toHaveLength(25);
    expect(new Set(stored.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition)).size).toBe(175);
  });
});
