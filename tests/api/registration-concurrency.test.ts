import request from 'supertest';
import type { AddressInfo } from 'net';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('capacity under load', () => {
  it('200 simultaneous registrations for 25 seats: 25 confirmed, 175 waitlisted at positions 1..175', async () => {
    const building = await app.createBuilding();
    const members: TestUser[] = [];
    for (let i = 0; i < 200; i += 1) members.push(await app.createUser('member', { building }));
    const ev = await app.strapi.documents('api::event.event').create({
      data: { title: 'Summer reading kickoff', audience: 'public', start: new Date(Date.now() + 20 * 86_400_000).toISOString(), registrationMode: 'platform', capacity: 25 } as never,
      status: 'published',
    });

    // one listening server for all requests (supertest would otherwise open a listener per request)
    const server = app.strapi.server.httpServer;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const responses = await Promise.all(
      members.map((m) => request(base).post(`/api/events/${ev.documentId}/registrations`).set('Authorization', `Bearer ${m.jwt}`).send({})),
    );
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const regs = responses.map((r) => r.body.data[0]);
    expect(regs.filter((r) => r.status === 'confirmed')).toHaveLength(25);
    const waitlisted = regs.filter((r) => r.status === 'waitlisted');
    expect(waitlisted.map((r) => r.waitlistPosition).sort((a, b) => a - b)).toEqual(Array.from({ length: 175 }, (_, i) => i + 1));

    // and what is stored agrees with what was answered
    const stored = await app.strapi.db.query('api::registration.registration').findMany({ where: { eventDocumentId: ev.documentId } });
    expect(stored.filter((r) => r.status === 'confirmed')).toHaveLength(25);
    expect(new Set(stored.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition)).size).toBe(175);
  });
});
