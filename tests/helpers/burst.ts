import request from 'supertest';
import type { AddressInfo } from 'net';
import type { TestApp, TestUser } from './strapi';
import { platformEvent } from './registration';

/** Members of one building and a published platform event with `capacity` seats, for a registration burst. */
export async function burstSetup(app: TestApp, { people = 200, capacity = 25, title = 'Summer reading kickoff' } = {}) {
  const building = await app.createBuilding();
  const members: TestUser[] = [];
  for (let i = 0; i < people; i += 1) members.push(await app.createUser('member', { building }));
  const event = await platformEvent(app, { title, capacity, start: new Date(Date.now() + 20 * 86_400_000).toISOString() });
  return { members, event };
}

/** Makes the app's HTTP server listen on a free port (one listener for many requests); returns its URL and a close. */
export async function listen(app: TestApp) {
  const server = app.strapi.server.httpServer;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every member registers at once, requests spread round-robin over the servers at `bases`. */
export function registerAtOnce(bases: string[], eventDocumentId: string, members: TestUser[]) {
  return Promise.all(
    members.map((m, i) => request(bases[i % bases.length]).post(`/api/events/${eventDocumentId}/registrations`).set('Authorization', `Bearer ${m.jwt}`).send({})),
  );
}

/** The answers of a burst: all 201, exactly `capacity` seats, everyone else waitlisted at 1..n. */
export function expectSeatsThenWaitlist(responses: { status: number; body: any }[], capacity: number) {
  expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
  const regs = responses.map((r) => r.body.data[0]);
  expect(regs.filter((r) => r.status === 'confirmed')).toHaveLength(capacity);
  const positions = regs.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition).sort((a: number, b: number) => a - b);
  expect(positions).toEqual(Array.from({ length: responses.length - capacity }, (_, i) => i + 1));
}
