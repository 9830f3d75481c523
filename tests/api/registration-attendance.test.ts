import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;
let n = 0;
const DAY = 86_400_000;
const REG = 'api::registration.registration';

const event = async (data: Record<string, unknown> = {}) => {
  n += 1;
  return app.strapi.documents('api::event.event').create({
    data: { title: `Workshop ${n}`, audience: 'public', start: new Date(Date.now() - 3 * DAY).toISOString(), registrationMode: 'platform', ...data } as never,
    status: 'published',
  });
};
/** A registration for an occurrence (past ones included) through the seat module, as the API would make it. */
const seat = async (ev: any, user: TestUser, occurrence: string = ev.start) => {
  const capacity = app.strapi.service('api::registration.capacity');
  const seatEvent = await app.strapi.service('api::registration.registration').seatEvent(ev.id);
  const [reg] = await capacity.register({ event: seatEvent, occurrence, location: null, registeredBy: user, people: [{ user }] });
  return reg;
};
const attendance = () => app.strapi.service('api::registration.attendance');

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('marking attendance', () => {
  it('gives the event hours to people who came, and none to those who did not', async () => {
    const ev = await event({ title: 'Cataloging with RDA', pdhHours: 1.5 });
    const came = await app.createUser('member');
    const absent = await app.createUser('member');
    const r1 = await seat(ev, came);
    const r2 = await seat(ev, absent);
    expect(await attendance().mark(r1.documentId, true)).toMatchObject({ attended: true, pdhEarned: 1.5 });
    expect(await attendance().mark(r2.documentId, false)).toMatchObject({ attended: false, pdhEarned: null });
    const mine = (await app.as(came).get('/api/me/registrations').expect(200)).body.data;
    expect(mine[0]).toMatchObject({ attended: true, pdhEarned: 1.5, upcoming: false });
    const theirs = (await app.as(absent).get('/api/me/registrations').expect(200)).body.data;
    expect(theirs[0]).toMatchObject({ attended: false, pdhEarned: 0 });
  });

  it('refuses attendance for an occurrence that has not started, or a seat that is not confirmed', async () => {
    const future = await event({ start: new Date(Date.now() + 5 * DAY).toISOString(), pdhHours: 2 });
    const who = await app.createUser('member');
    const reg = await seat(future, who);
    await expect(attendance().mark(reg.documentId, true)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/once the occurrence has started/) });
    const full = await event({ capacity: 1, pdhHours: 2 });
    await seat(full, await app.createUser('member'));
    const waiting = await seat(full, who);
    expect(waiting.status).toBe('waitlisted');
    await expect(attendance().mark(waiting.documentId, true)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/waitlisted/) });
    await expect(attendance().mark(reg.documentId, 'yes')).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/attended/) });
  });

  it('keeps hours consistent when staff tick "attended" in the admin panel', async () => {
    const ev = await event({ title: 'Board governance', pdhHours: 3 });
    const who = await app.createUser('member');
    const reg = await seat(ev, who);
    // the content manager sends the whole form, pdhEarned included
    await app.strapi.documents(REG).update({ documentId: reg.documentId, data: { attended: true, pdhEarned: null } as never });
    expect(Number((await app.strapi.db.query(REG).findOne({ where: { documentId: reg.documentId } })).pdhEarned)).toBe(3);
    // staff may then record partial hours for someone who left early
    await app.strapi.documents(REG).update({ documentId: reg.documentId, data: { attended: true, pdhEarned: 1 } as never });
    expect(Number((await app.strapi.db.query(REG).findOne({ where: { documentId: reg.documentId } })).pdhEarned)).toBe(1);
    // unticking removes the hours
    await app.strapi.documents(REG).update({ documentId: reg.documentId, data: { attended: false, pdhEarned: 1 } as never });
    expect((await app.strapi.db.query(REG).findOne({ where: { documentId: reg.documentId } })).pdhEarned).toBeNull();
  });
});

describe('GET /api/me/transcript', () => {
  it('lists the caller’s attended events with dates and hours, totals them, and filters by from/to', async () => {
    const me = await app.createUser('member');
    const other = await app.createUser('member');
    const old = await event({ title: 'Readers advisory', start: '2026-03-10T15:00:00.000Z', pdhHours: 1.5 });
    const recent = await event({ title: 'Library law update', start: '2026-09-02T14:00:00.000Z', pdhHours: 2.25 });
    const missed = await event({ title: 'Makerspaces', start: '2026-10-01T14:00:00.000Z', pdhHours: 4 });
    for (const ev of [old, recent]) await attendance().mark((await seat(ev, me)).documentId, true);
    await attendance().mark((await seat(missed, me)).documentId, false);
    await attendance().mark((await seat(recent, other)).documentId, true);

    const all = await app.as(me).get('/api/me/transcript').expect(200);
    expect(all.body.data).toEqual([
      expect.objectContaining({ event: expect.objectContaining({ documentId: old.documentId, title: 'Readers advisory' }), date: '2026-03-10T15:00:00.000Z', hours: 1.5 }),
      expect.objectContaining({ event: expect.objectContaining({ title: 'Library law update' }), date: '2026-09-02T14:00:00.000Z', hours: 2.25 }),
    ]);
    expect(all.body.meta.totalHours).toBe(3.75);

    const fromJuly = await app.as(me).get('/api/me/transcript?from=2026-07-01&to=2026-12-31').expect(200);
    expect(fromJuly.body.data.map((d: any) => d.event.title)).toEqual(['Library law update']);
    expect(fromJuly.body.meta.totalHours).toBe(2.25);
    // a plain `to` date includes that whole day (calendar zone)
    const throughMarch10 = await app.as(me).get('/api/me/transcript?to=2026-03-10').expect(200);
    expect(throughMarch10.body.meta.totalHours).toBe(1.5);
  });

  it('answers 400 naming the field for a bad date, and refuses anonymous callers', async () => {
    const me = await app.createUser('guest');
    const bad = await app.as(me).get('/api/me/transcript?from=yesterday').expect(400);
    expect(bad.body.error.message).toMatch(/from must be an ISO date/);
    const reversed = await app.as(me).get('/api/me/transcript?from=2026-05-01&to=2026-04-01').expect(400);
    expect(reversed.body.error.message).toMatch(/to must not be before from/);
    // dates as every other route takes them: days that exist, in the years 1900-2200
    for (const [query, field, rule] of [
      ['from=9999-01-01', 'from', 'between the years 1900 and 2200'],
      ['to=9999-12-31T00:00:00Z', 'to', 'between the years 1900 and 2200'],
      ['from=1899-12-31&to=2026-01-01', 'from', 'between the years 1900 and 2200'],
      ['from=2026-02-30', 'from', 'a day that exists'],
      ['from=2026-01-01&from=2026-02-01', 'from', 'given once'],
      ['from=2026-01-02&to=2026-01-01', 'to', 'must not be before from'],
    ]) {
      const res = await app.as(me).get(`/api/me/transcript?${query}`);
      expect({ query, status: res.status, message: res.body.error?.message, paths: res.body.error?.details?.errors?.map((e: { path: string[] }) => e.path) }).toEqual({
        query, status: 400, message: expect.stringContaining(rule), paths: [[field]],
      });
      expect(res.body.error.message.startsWith(field)).toBe(true);
    }
    expect((await app.as(me).get('/api/me/transcript?from=1900-01-01&to=2200-12-31').expect(200)).body.meta.totalHours).toBe(0);
    const empty = await app.as(me).get('/api/me/transcript').expect(200);
    expect(empty.body).toMatchObject({ data: [], meta: { totalHours: 0 } });
    await app.as(null).get('/api/me/transcript').expect(403);
  });
});
