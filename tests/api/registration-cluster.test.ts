import { fork, type ChildProcess } from 'child_process';
import path from 'path';
import request from 'supertest';
import type { AddressInfo } from 'net';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

/** Two Strapi processes on one PostgreSQL database (SQLite has one process by design). */
const onPostgres = (process.env.DATABASE_CLIENT || 'sqlite') === 'postgres';
const maybe = onPostgres ? describe : describe.skip;

let app: TestApp;
let child: ChildProcess | undefined;
let childPort = 0;

beforeAll(async () => {
  if (!onPostgres) return;
  app = await startApp();
  child = fork(path.join(__dirname, 'fixtures/second-process.js'), [], { env: { ...process.env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  childPort = await new Promise<number>((resolve, reject) => {
    child!.once('message', (m: { port: number }) => resolve(m.port));
    child!.once('exit', (code) => reject(new Error(`second process exited with ${code}`)));
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.send('stop');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
  await app?.stop();
});

maybe('two server processes sharing PostgreSQL', () => {
  it('200 registrations split across both processes: exactly 25 confirmed, waitlist 1..175', async () => {
    const building = await app.createBuilding();
    const members: TestUser[] = [];
    for (let i = 0; i < 200; i += 1) members.push(await app.createUser('member', { building }));
    const ev = await app.strapi.documents('api::event.event').create({
      data: { title: 'Two-server workshop', audience: 'public', start: new Date(Date.now() + 20 * 86_400_000).toISOString(), registrationMode: 'platform', capacity: 25 } as never,
      status: 'published',
    });
    const server = app.strapi.server.httpServer;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const bases = [`http://127.0.0.1:${(server.address() as AddressInfo).port}`, `http://127.0.0.1:${childPort}`];
    const responses = await Promise.all(
      members.map((m, i) => request(bases[i % 2]).post(`/api/events/${ev.documentId}/registrations`).set('Authorization', `Bearer ${m.jwt}`).send({})),
    );
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const regs = responses.map((r) => r.body.data[0]);
    expect(regs.filter((r) => r.status === 'confirmed')).toHaveLength(25);
    // both processes answered some of the confirmed ones or the waitlisted ones
    const positions = regs.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 175 }, (_, i) => i + 1));
  });

  it("an event edited through one process shows at once in the other process's cached feed and occurrences", async () => {
    const docs = app.strapi.documents('api::event.event');
    const start = new Date(Date.now() + 12 * 86_400_000).toISOString();
    const ev = await docs.create({ data: { title: 'Cluster cache: before', audience: 'public', start, registrationMode: 'none' } as never, status: 'published' });
    const other = `http://127.0.0.1:${childPort}`;
    const range = `from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 30 * 86_400_000).toISOString())}`;
    const titles = async () => (await request(other).get(`/api/occurrences?${range}`)).body.data.map((o: { event: { title: string } }) => o.event.title);
    const feed = await request(other).get('/api/calendar.ics');
    expect(feed.text).toContain('Cluster cache: before');
    expect(await titles()).toContain('Cluster cache: before');

    await docs.update({ documentId: ev.documentId, data: { title: 'Cluster cache: after' } as never });
    await docs.publish({ documentId: ev.documentId } as never);
    const again = await request(other).get('/api/calendar.ics').set('If-None-Match', feed.headers.etag);
    expect(again.status).toBe(200);
    expect(again.text).toContain('Cluster cache: after');
    expect(await titles()).toContain('Cluster cache: after');
    expect(await titles()).not.toContain('Cluster cache: before');
  });
});
