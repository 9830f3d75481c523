import { fork, type ChildProcess } from 'child_process';
import path from 'path';
import request from 'supertest';
import { DateTime } from 'luxon';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { listen } from '../helpers/burst';
import { platformEvent, registerFor } from '../helpers/registration';

/**
 * Requests racing each other on the limits the database must keep (one open application per role, one
 * affiliation per person and building, one decision per affiliation, a building's record edited by two
 * directors at once, seats and waitlists): several real requests at once, then the database is read. On
 * PostgreSQL they are spread over two server processes sharing the database, as in production.
 */
const onPostgres = (process.env.DATABASE_CLIENT || 'sqlite') === 'postgres';
let app: TestApp;
let adminToken: string;
let server: Awaited<ReturnType<typeof listen>>;
let child: ChildProcess | undefined;
let bases: string[] = [];

const APPLICATION = 'api::mentorship-application.mentorship-application';
const AFFILIATION = 'api::affiliation.affiliation';
const BUILDING = 'api::building.building';
const OUTBOX = 'api::outbox-message.outbox-message';
const REG = 'api::registration.registration';

/** Requests on listening servers, so they really run at the same time (supertest would start a server per request); the i-th goes to process i mod n. */
const as = (user: TestUser | string, i = 0) => {
  const token = typeof user === 'string' ? user : user.jwt;
  const base = bases[i % bases.length];
  return {
    post: (url: string) => request(base).post(url).set('Authorization', `Bearer ${token}`),
    put: (url: string) => request(base).put(url).set('Authorization', `Bearer ${token}`),
  };
};

beforeAll(async () => {
  app = await startApp();
  adminToken = (await app.createAdmin('staff@races.example', 'strapi-super-admin')).token;
  server = await listen(app);
  bases = [server.base];
  if (onPostgres) {
    child = fork(path.join(__dirname, 'fixtures/second-process.js'), [], { env: { ...process.env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      child!.once('message', (m: { port: number }) => resolve(m.port));
      child!.once('exit', (code) => reject(new Error(`second process exited with ${code}`)));
    });
    bases.push(`http://127.0.0.1:${port}`);
  }
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.send('stop');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
  await server?.close();
  await app?.stop();
});

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();

describe('the same request sent several times at once (a double click, two tabs)', () => {
  it('files one mentorship application per role: one 201, the others 409, one stored and one acknowledgement', async () => {
    const user = await app.createUser('guest');
    const data = { role: 'mentee', yearsExperience: 2, membership: 'ila-personal', employedInLibrary: true, goals: 'Learn to run a branch', interests: ['youth services'] };
    const responses = await Promise.all(Array.from({ length: 4 }, (_, i) => as(user, i).post('/api/mentorship-applications').send({ data })));
    expect(statuses(responses)).toEqual([201, 409, 409, 409]);
    expect(await app.strapi.db.query(APPLICATION).count({ where: { user: { id: user.id }, role: 'mentee' } })).toBe(1);
    // the acknowledgement is written with the application: the refused ones queue none
    expect(await app.strapi.db.query(OUTBOX).findMany({ where: { to: user.email }, select: ['subject'] })).toEqual([{ subject: 'Your ILA mentorship application as a mentee was received' }]);
  });

  it('asks to join a building once: one 201, the others 409, one pending affiliation and one email to its director', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const guest = await app.createUser('guest');
    const data = { building: building.documentId, jobTitle: 'Page', roles: ['staff'] };
    const responses = await Promise.all(Array.from({ length: 4 }, (_, i) => as(guest, i).post('/api/affiliations').send({ data })));
    expect(statuses(responses)).toEqual([201, 409, 409, 409]);
    expect(await app.strapi.db.query(AFFILIATION).count({ where: { user: { id: guest.id }, building: { documentId: building.documentId } } })).toBe(1);
    expect(await app.strapi.db.query(OUTBOX).count({ where: { to: { $contains: director.email } } })).toBe(1);
  });
});

describe('one account per email address, asked for twice at once', () => {
  it('two directors adding the same new person to their staff lists: one account (201), the other told it exists (409), never a 500', async () => {
    const building = await app.createBuilding();
    const [a, b] = [await app.createUser('director', { building }), await app.createUser('director', { building })];
    const body = { firstName: 'Nia', lastName: 'New', email: 'nia.new.races@willow.example', jobTitle: 'Circulation Clerk' };
    const responses = await Promise.all([as(a, 0).post(`/api/buildings/${building.documentId}/staff`).send(body), as(b, 1).post(`/api/buildings/${building.documentId}/staff`).send(body)]);
    expect(statuses(responses)).toEqual([201, 409]);
    expect(responses.find((r) => r.status === 409)!.body.error.details.errors[0].path).toEqual(['email']);
    expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { email: body.email } })).toBe(1);
    expect(await app.strapi.db.query(AFFILIATION).count({ where: { user: { email: body.email } } })).toBe(1);
  });

  it('six directors adding the same new person at once, 25 times over: one account (201), every other told it exists (409 naming email), never a 400', async () => {
    // an earlier add commits while a later one is between its check and its account: that one must still be a 409
    const building = await app.createBuilding();
    const directors: TestUser[] = [];
    for (let i = 0; i < 6; i += 1) directors.push(await app.createUser('director', { building }));
    for (let round = 0; round < 25; round += 1) {
      const body = { firstName: 'Nia', lastName: 'New', email: `nia.new.${round}.races@willow.example`, jobTitle: 'Circulation Clerk' };
      // spread over a few milliseconds, a different spread each round, so that some arrive while an earlier one commits
      const gap = 2 + (round % 5) * 3;
      const responses = await Promise.all(
        directors.map(async (d, i) => {
          await new Promise((resolve) => setTimeout(resolve, i * gap));
          return as(d, i).post(`/api/buildings/${building.documentId}/staff`).send(body);
        }),
      );
      expect(responses.map((r) => [r.status, r.status === 201 ? null : r.body.error?.details?.errors?.[0]?.path]).sort()).toEqual([[201, null], ...Array(5).fill([409, ['email']])]);
      expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { email: body.email } })).toBe(1);
      expect(await app.strapi.db.query(AFFILIATION).count({ where: { user: { email: body.email } } })).toBe(1);
    }
  });

  it('signing up twice at once with one email: one account, the other a 400 naming email, never a 500', async () => {
    const body = { email: 'twice.races@library.example', password: 'Str0ng-passphrase!', firstName: 'Twi', lastName: 'Ce' };
    const responses = await Promise.all([0, 1].map((i) => request(bases[i % bases.length]).post('/api/auth/local/register').send(body)));
    expect(statuses(responses)).toEqual([200, 400]);
    expect(responses.find((r) => r.status === 400)!.body.error.details.errors[0].path).toEqual(['email']);
    expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { email: body.email } })).toBe(1);
  });

  it('four sign-ups with one email at once, 25 times over: one account, every other a 400 naming email, never one naming username or no field', async () => {
    // an earlier sign-up commits while a later one is between its check and its account: that one must still be told the address has one
    for (let round = 0; round < 25; round += 1) {
      const body = { email: `four.${round}.races@library.example`, password: 'Str0ng-passphrase!', firstName: 'Fo', lastName: 'Ur' };
      const gap = 2 + (round % 5) * 3;
      const responses = await Promise.all(
        [0, 1, 2, 3].map(async (i) => {
          await new Promise((resolve) => setTimeout(resolve, i * gap));
          return request(bases[i % bases.length]).post('/api/auth/local/register').send(body);
        }),
      );
      expect(responses.map((r) => [r.status, r.status === 200 ? null : r.body.error?.details?.errors?.[0]?.path]).sort()).toEqual([[200, null], ...Array(3).fill([400, ['email']])]);
      expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { email: body.email } })).toBe(1);
    }
  });
});

describe('one sign-in name per person, chosen by two at once', () => {
  it('two people taking the same alternate username at once (any case): one keeps it, the other a 400 naming username', async () => {
    for (let round = 0; round < 5; round += 1) {
      const [a, b] = [await app.createUser('guest'), await app.createUser('guest')];
      const name = `story-time-races-${round}`;
      const responses = await Promise.all([
        as(a, 0).put('/api/profile').send({ username: name }),
        as(b, 1).put('/api/profile').send({ username: name.toUpperCase() }),
      ]);
      expect(statuses(responses)).toEqual([200, 400]);
      expect(responses.find((r) => r.status === 400)!.body.error.details.errors[0].path).toEqual(['username']);
      expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { username: { $eqi: name } } })).toBe(1);
    }
  });
});

describe('one sign-in name per person, chosen at sign-up by two at once', () => {
  it('two sign-ups choosing one alternate username at once (any case): one account has it, the other a 400 naming username', async () => {
    for (let round = 0; round < 5; round += 1) {
      const name = `signup-races-${round}`;
      const body = (i: number) => ({ email: `signup.race.${round}.${i}@library.example`, password: 'Str0ng-passphrase!', firstName: 'Sam', lastName: 'Race', username: i ? name.toUpperCase() : name });
      const responses = await Promise.all([0, 1].map((i) => request(bases[i % bases.length]).post('/api/auth/local/register').send(body(i))));
      expect(statuses(responses)).toEqual([200, 400]);
      expect(responses.find((r) => r.status === 400)!.body.error.details.errors[0].path).toEqual(['username']);
      expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { username: { $eqi: name } } })).toBe(1);
    }
  });
});

describe('two staff deciding the same affiliation at once', () => {
  const pendingAffiliation = async () => {
    const building = await app.createBuilding();
    const guest = await app.createUser('guest');
    const res = await as(guest).post('/api/affiliations').send({ data: { building: building.documentId, jobTitle: 'Clerk', roles: ['staff'] } }).expect(201);
    return { guest, documentId: res.body.data.documentId as string };
  };
  const decisionMails = (email: string) => app.strapi.db.query(OUTBOX).count({ where: { to: email, subject: { $contains: 'affiliation' } } });

  it('approve and reject at once: one decides (200), the other is told it was decided (409), the person gets one email that says what was decided', async () => {
    const { guest, documentId } = await pendingAffiliation();
    const [approve, reject] = await Promise.all([
      as(adminToken).post(`/approvals/${documentId}/approve`).send({}),
      as(adminToken, 1).post(`/approvals/${documentId}/reject`).send({ reason: 'Not on our staff' }),
    ]);
    expect(statuses([approve, reject])).toEqual([200, 409]);
    const decided = approve.status === 200 ? 'approved' : 'rejected';
    const row = await app.strapi.db.query(AFFILIATION).findOne({ where: { documentId }, populate: { user: { populate: { role: true } } } });
    expect(row.status).toBe(decided);
    expect(row.user.role.type).toBe(decided === 'approved' ? 'member' : 'authenticated');
    expect(await decisionMails(guest.email)).toBe(1);
    const mail = await app.strapi.db.query(OUTBOX).findOne({ where: { to: guest.email, subject: { $contains: 'affiliation' } } });
    expect(mail.subject).toMatch(decided === 'approved' ? /is confirmed/ : /was not confirmed/);
  });

  it('approved twice at once: one 200, one 409, one email', async () => {
    const { guest, documentId } = await pendingAffiliation();
    const responses = await Promise.all([0, 1].map((i) => as(adminToken, i).post(`/approvals/${documentId}/approve`).send({})));
    expect(statuses(responses)).toEqual([200, 409]);
    expect(await decisionMails(guest.email)).toBe(1);
  });
});

describe('two directors editing one building at once', () => {
  it('keeps both changes to the resource-sharing policy (each sends only the fields it changes)', async () => {
    const building = await app.createBuilding();
    const a = await app.createUser('director', { building });
    const b = await app.createUser('director', { building });
    const url = `/api/buildings/${building.documentId}`;
    const [ra, rb] = await Promise.all([
      as(a).put(url).send({ data: { resourceSharing: { illPhone: '217-555-0101' } } }),
      as(b, 1).put(url).send({ data: { resourceSharing: { loanPeriodDays: 28 } } }),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    const row = await app.strapi.db.query(BUILDING).findOne({ where: { documentId: building.documentId }, populate: ['resourceSharing'] });
    expect(row.resourceSharing).toMatchObject({ illPhone: '217-555-0101', loanPeriodDays: 28 });
  });

  it('keeps both fiscal years of nonresident card status saved at once', async () => {
    const building = await app.createBuilding();
    const a = await app.createUser('director', { building });
    const b = await app.createUser('director', { building });
    const url = `/api/buildings/${building.documentId}/nonresident-card`;
    const responses = await Promise.all([
      as(a).put(url).send({ fiscalYear: 2026, participates: true }),
      as(b, 1).put(url).send({ fiscalYear: 2027, participates: false }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const row = await app.strapi.db.query(BUILDING).findOne({ where: { documentId: building.documentId }, populate: ['nonresidentCards'] });
    expect(row.nonresidentCards.map((c: { fiscalYear: number }) => c.fiscalYear).sort()).toEqual([2026, 2027]);
  });
});

describe('two staff scheduling one site visit at once', () => {
  it('the director hears once that it is scheduled', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const staff = [(await app.createAdmin('visits1@races.example', 'll-membership-staff')).token, (await app.createAdmin('visits2@races.example', 'll-membership-staff')).token];
    const CM = '/content-manager/collection-types/api::site-visit.site-visit';
    for (let round = 0; round < 3; round += 1) {
      const res = await as(director).post('/api/site-visits').send({ data: { building: building.documentId, kind: 'visit', topic: `Our new addition ${round}` } }).expect(201);
      const scheduledAt = `2027-02-1${round}T16:00:00.000Z`;
      const responses = await Promise.all(staff.map((t, i) => as(t, i).put(`${CM}/${res.body.data.documentId}`).send({ status: 'scheduled', scheduledAt })));
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      const scheduled = (await app.strapi.db.query(OUTBOX).findMany({ where: { to: director.email, subject: { $startsWith: 'Your site visit is scheduled' } } }))
        .filter((m: { text: string }) => m.text.includes(`Our new addition ${round}`));
      expect(scheduled).toHaveLength(1);
    }
  });
});

describe('seats changing hands at the same moment', () => {
  const CM = '/content-manager/collection-types/api::registration.registration';
  const regs = (ev: { documentId: string }) => app.strapi.db.query(REG).findMany({ where: { eventDocumentId: ev.documentId }, populate: { user: { select: ['email'] } }, orderBy: { id: 'asc' } });
  const byStatus = async (ev: { documentId: string }, status: string) => (await regs(ev)).filter((r: any) => r.status === status).map((r: any) => r.user.email);

  it('a seat given back while a newcomer registers for the full event goes to whoever was waiting; the newcomer waits behind them', async () => {
    const ev = await platformEvent(app, { title: 'Race: cancel and register', capacity: 1 });
    const [holder, waiting, newcomer] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    const [held] = (await registerFor(app, holder, ev)).body.data;
    await registerFor(app, waiting, ev);
    const [cancel, register] = await Promise.all([
      as(holder, 0).post(`/api/registrations/${held.documentId}/cancel`).send({}),
      as(newcomer, 1).post(`/api/events/${ev.documentId}/registrations`).send({}),
    ]);
    expect([cancel.status, register.status]).toEqual([200, 201]);
    // Which of the two takes the seat lock first is up to the database: a newcomer served first is told 2
    // (behind the person waiting), one served second is told 1. Either way they wait, and end up first in line.
    expect(register.body.data[0].status).toBe('waitlisted');
    expect([1, 2]).toContain(register.body.data[0].waitlistPosition);
    expect(await byStatus(ev, 'confirmed')).toEqual([waiting.email]);
    expect((await regs(ev)).filter((r: any) => r.status === 'waitlisted').map((r: any) => [r.user.email, r.waitlistPosition])).toEqual([[newcomer.email, 1]]);
  });

  it('a director registering a colleague while the colleague registers: one registration, the other request 409', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const colleague = await app.createUser('member', { building });
    const ev = await platformEvent(app, { title: 'Race: registered twice', capacity: 5 });
    const responses = await Promise.all([
      as(director, 0).post(`/api/events/${ev.documentId}/registrations`).send({ attendees: [colleague.documentId] }),
      as(colleague, 1).post(`/api/events/${ev.documentId}/registrations`).send({}),
    ]);
    expect(statuses(responses)).toEqual([201, 409]);
    expect(await byStatus(ev, 'confirmed')).toEqual([colleague.email]);
  });

  it('paying for a held seat as its hold expires: either it is paid and kept, or released and given to the next in line, never both', async () => {
    const { releaseExpiredHolds } = await import('../../src/api/registration/jobs');
    for (let round = 0; round < 3; round += 1) {
      const ev = await platformEvent(app, { title: `Race: checkout ${round}`, capacity: 1, fee: 10 });
      const [payer, waiting] = [await app.createUser('member'), await app.createUser('member')];
      const [held] = (await registerFor(app, payer, ev)).body.data;
      await registerFor(app, waiting, ev);
      // the hold ends in a moment: the job (run as at that moment) and the payment race
      const ends = new Date(Date.now() + 150);
      await app.strapi.db.query(REG).update({ where: { documentId: held.documentId }, data: { holdExpiresAt: ends } });
      await new Promise((r) => setTimeout(r, 100));
      const [checkout] = await Promise.all([
        as(payer, round).post(`/api/registrations/${held.documentId}/checkout`).send({ paymentVerified: true }),
        new Promise((r) => setTimeout(r, 50)).then(() => releaseExpiredHolds(app.strapi, new Date(ends.getTime() + 1))),
      ]);
      const rows = await regs(ev);
      const mine = rows.find((r: any) => r.documentId === held.documentId);
      const theirs = rows.find((r: any) => r.user.email === waiting.email);
      if (checkout.status === 200) {
        expect([mine.status, theirs.status]).toEqual(['confirmed', 'waitlisted']);
      } else {
        expect(checkout.status).toBe(409);
        expect([mine.status, theirs.status]).toEqual(['cancelled', 'pending-payment']);
      }
    }
  });

  it('two staff cancelling the same registration at once: the seat goes to the first in line once, the person is told once', async () => {
    const ev = await platformEvent(app, { title: 'Race: staff cancel', capacity: 1 });
    const [holder, first, second] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    const [held] = (await registerFor(app, holder, ev)).body.data;
    await registerFor(app, first, ev);
    await registerFor(app, second, ev);
    const responses = await Promise.all([0, 1].map((i) => as(adminToken, i).put(`${CM}/${held.documentId}`).send({ status: 'cancelled' })));
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(await byStatus(ev, 'confirmed')).toEqual([first.email]);
    expect((await regs(ev)).filter((r: any) => r.status === 'waitlisted').map((r: any) => [r.user.email, r.waitlistPosition])).toEqual([[second.email, 1]]);
    expect(await app.strapi.db.query(OUTBOX).count({ where: { to: holder.email, subject: { $startsWith: 'Registration cancelled' } } })).toBe(1);
  });

  it('two staff sending the same person back to the waitlist at once: one place at the end of the line', async () => {
    const ev = await platformEvent(app, { title: 'Race: staff move back', capacity: 1 });
    const [holder, first] = [await app.createUser('member'), await app.createUser('member')];
    const [held] = (await registerFor(app, holder, ev)).body.data;
    await registerFor(app, first, ev);
    const responses = await Promise.all([0, 1].map((i) => as(adminToken, i).put(`${CM}/${held.documentId}`).send({ status: 'waitlisted' })));
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(await byStatus(ev, 'confirmed')).toEqual([first.email]);
    expect((await regs(ev)).filter((r: any) => r.status === 'waitlisted').map((r: any) => [r.user.email, r.waitlistPosition])).toEqual([[holder.email, 1]]);
  });
});

describe('scheduled jobs and the mail worker on more than one process', () => {
  // the tasks as config/cron-tasks.ts runs them on every process where cron is enabled
  const cron = () => require('../../config/cron-tasks').default as Record<string, { task: (a: { strapi: unknown }) => Promise<void> }>;
  const twiceAtOnce = (name: string) => Promise.all([0, 1].map(() => cron()[name].task({ strapi: app.strapi })));
  const mails = (to: string, subject: string) => app.strapi.db.query(OUTBOX).count({ where: { to: { $contains: to }, subject: { $startsWith: subject } } });

  it('the yearly policy reminder run twice at once: each director reminded once', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    await twiceAtOnce('resourceSharingReviewReminders');
    expect(await mails(director.email, 'Please review the resource sharing policy')).toBe(1);
  });

  it('a director saving the policy while the yearly reminder runs: the save is kept whole', async () => {
    for (let round = 0; round < 4; round += 1) {
      const building = await app.createBuilding();
      const director = await app.createUser('director', { building });
      const [saved] = await Promise.all([
        as(director, round).put(`/api/buildings/${building.documentId}`).send({ data: { resourceSharing: { illPhone: `217-555-01${round}0`, loanPeriodDays: 21 } } }),
        app.strapi.service('api::building.review-reminders').sendDue(),
      ]);
      expect(saved.status).toBe(200);
      const row = await app.strapi.db.query(BUILDING).findOne({ where: { documentId: building.documentId }, populate: ['resourceSharing'] });
      expect(row.resourceSharing).toMatchObject({ illPhone: `217-555-01${round}0`, loanPeriodDays: 21 });
      expect(row.resourceSharing.lastReviewed).toBeTruthy();
    }
  });

  it('the mentorship check-in run twice at once: mentor and mentee are each told once', async () => {
    const [m, e] = [await app.createUser('member'), await app.createUser('member')];
    await as(m).post('/api/mentorship-applications').send({ data: { role: 'mentor', yearsExperience: 10, membership: 'ila-personal', employedInLibrary: false, goals: 'Give back', interests: ['youth services'] } }).expect(201);
    await as(e).post('/api/mentorship-applications').send({ data: { role: 'mentee', yearsExperience: 2, membership: 'ila-personal', employedInLibrary: true, goals: 'Learn', interests: ['youth services'] } }).expect(201);
    const startDate = DateTime.now().minus({ months: 4 }).toISODate();
    await app.strapi.documents('api::mentorship-pairing.mentorship-pairing').create({ data: { mentor: m.documentId, mentee: e.documentId, status: 'active', startDate } as never });
    const pairings = app.strapi.service('api::mentorship-pairing.pairings');
    await Promise.all([pairings.sendCheckIns(), pairings.sendCheckIns()]);
    for (const who of [m, e]) expect(await mails(who.email, 'Mentorship check-in')).toBe(1);
  });

  it('hold expiry run twice at once: the hold is released once and its seat offered once, to the first in line', async () => {
    const ev = await platformEvent(app, { title: 'Race: hold expiry twice', capacity: 1, fee: 5 });
    const [payer, waiting] = [await app.createUser('member'), await app.createUser('member')];
    const [held] = (await registerFor(app, payer, ev)).body.data;
    await registerFor(app, waiting, ev);
    await app.strapi.db.query(REG).update({ where: { documentId: held.documentId }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    await twiceAtOnce('releaseExpiredHolds');
    const rows = await app.strapi.db.query(REG).findMany({ where: { eventDocumentId: ev.documentId }, populate: { user: { select: ['email'] } } });
    expect(rows.map((r: any) => [r.user.email, r.status]).sort()).toEqual([[payer.email, 'cancelled'], [waiting.email, 'pending-payment']].sort());
    expect(await mails(payer.email, 'Registration cancelled')).toBe(1);
    expect(await app.strapi.db.query(OUTBOX).count({ where: { to: waiting.email } })).toBe(2); // on the waitlist, then the seat held
  });

  it('the day-before reminder run twice at once: one reminder per registration', async () => {
    const ev = await platformEvent(app, { title: 'Race: reminders twice', capacity: 5, start: new Date(Date.now() + 36 * 3_600_000).toISOString() });
    const people = [await app.createUser('member'), await app.createUser('member')];
    for (const p of people) await registerFor(app, p, ev);
    await twiceAtOnce('registrationReminders');
    for (const p of people) expect(await app.strapi.db.query(OUTBOX).count({ where: { to: p.email } })).toBe(2); // confirmation, reminder
  });

  it('mail queued on every process is delivered once: each person gets one confirmation', async () => {
    const ev = await platformEvent(app, { title: 'Race: one mail each', capacity: 20 });
    const people = [];
    for (let i = 0; i < 12; i += 1) people.push(await app.createUser('member'));
    const responses = await Promise.all(people.map((p, i) => as(p, i).post(`/api/events/${ev.documentId}/registrations`).send({})));
    expect(responses.map((r) => r.status)).toEqual(people.map(() => 201));
    // both processes' workers deliver what is due (the one here is also run by hand, as its cron would)
    const outbox = app.strapi.service('api::outbox-message.outbox');
    const unsent = () => app.strapi.db.query(OUTBOX).count({ where: { to: { $in: people.map((p) => p.email) }, status: { $ne: 'sent' } } });
    for (let i = 0; i < 40 && (await unsent()) > 0; i += 1) {
      await outbox.run();
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await unsent()).toBe(0);
    await app.mail.waitFor(() => people.every((p) => app.mail.to(p.email).length > 0));
    await new Promise((r) => setTimeout(r, 500));
    for (const p of people) expect(app.mail.to(p.email).map((m) => m.subject)).toEqual(['Registration confirmed: Race: one mail each']);
  });
});
