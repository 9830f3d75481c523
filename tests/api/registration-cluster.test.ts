import { fork, type ChildProcess } from 'child_process';
import path from 'path';
import request from 'supertest';
import { startApp, type TestApp } from '../helpers/strapi';
import { burstSetup, expectSeatsThenWaitlist, listen, registerAtOnce } from '../helpers/burst';

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
    const { members, event: ev } = await burstSetup(app, { title: 'Two-server workshop' });
    const server = await listen(app);
    const responses = await registerAtOnce([server.base, `http://127.0.0.1:${childPort}`], ev.documentId, members);
    await server.close();
    expectSeatsThenWaitlist(responses, 25);
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
