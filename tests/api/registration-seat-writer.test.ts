import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { platformEvent, registerFor } from '../helpers/registration';
import { expectSeatsThenWaitlist, listen } from '../helpers/burst';
import request from 'supertest';

/**
 * Seats are taken in one trip to the database (src/api/registration/seat-writer.ts: SQL below Strapi's query
 * layer). What a person or staff member must never notice: a registration written that way differs from one
 * Strapi wrote itself, an email that says the wrong thing, or a refused request that left something behind.
 */
let app: TestApp;
const REG = 'api::registration.registration';
const OUTBOX = 'api::outbox-message.outbox-message';

beforeAll(async () => {
  app = await startApp();
}, 180_000);
afterAll(async () => {
  await app?.stop();
});

const outboxTo = (email: string) => app.strapi.db.query(OUTBOX).findMany({ where: { to: email }, orderBy: { id: 'asc' } });

describe('a registration taken in one trip', () => {
  it('reads back through Strapi like any document: its event (both rows), person, who registered, and the person\'s own list', async () => {
    const member = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Seat writer: genealogy basics', capacity: 5 });
    const created = (await registerFor(app, member, ev, { emergencyPhone: '217-555-0199' })).body.data[0];

    const doc: any = await app.strapi.documents(REG).findOne({ documentId: created.documentId, populate: ['event', 'user', 'registeredBy'] } as never);
    expect(doc).toMatchObject({ status: 'confirmed', waitlistPosition: null, emergencyPhone: '217-555-0199', paymentVerified: false, attended: false });
    expect(doc.event.documentId).toBe(ev.documentId);
    expect(doc.user.documentId).toBe(member.documentId);
    expect(doc.registeredBy.documentId).toBe(member.documentId);
    expect(new Date(doc.occurrence).toISOString()).toBe(new Date(ev.start as string).toISOString());
    expect(new Date(doc.confirmedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // like a relation Strapi wrote: linked to the event's draft and published rows
    const rows = await app.strapi.db.query('api::event.event').findMany({ where: { documentId: ev.documentId }, select: ['id'] });
    const linked = await app.strapi.db.query(REG).findOne({ where: { documentId: created.documentId }, populate: { event: { select: ['id'] } } });
    expect(rows).toHaveLength(2);
    expect(linked.event).toBeTruthy();
    const links = await app.strapi.db.connection('registrations_event_lnk').where({ registration_id: created.id }).select('event_id');
    expect(links.map((l: { event_id: number }) => Number(l.event_id)).sort()).toEqual(rows.map((r: { id: number }) => r.id).sort());

    // the person's registrations, in the order they were made, through the user's inverse relation
    const second = await platformEvent(app, { title: 'Seat writer: grant writing' });
    await registerFor(app, member, second);
    const user: any = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: member.id }, populate: { registrations: { select: ['documentId'] } } });
    expect(user.registrations.map((r: { documentId: string }) => r.documentId)).toHaveLength(2);
    expect(user.registrations[0].documentId).toBe(created.documentId);
  });

  it('queues the email the seat decided: a confirmation with the event file, or the waitlist place in words', async () => {
    const [first, second, third] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    const ev = await platformEvent(app, { title: 'Seat writer: one seat only', capacity: 1 });
    await registerFor(app, first, ev);
    expect((await registerFor(app, second, ev)).body.data[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await registerFor(app, third, ev)).body.data[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    const [confirmed] = await outboxTo(first.email);
    expect(confirmed.subject).toBe('Registration confirmed: Seat writer: one seat only');
    expect(confirmed.attachments).toEqual([expect.objectContaining({ filename: 'event.ics', content: expect.stringContaining('BEGIN:VEVENT') })]);
    const [waiting] = await outboxTo(third.email);
    expect(waiting.subject).toBe('Waitlisted: Seat writer: one seat only');
    expect(waiting.text).toMatch(/^Seat writer: one seat only is full\. You are number 2 on the waitlist for /);
    expect(waiting.attachments).toEqual([]);
    // queued for delivery (the outbox worker may already be sending it, on a busy machine): never failed
    expect(['pending', 'sending', 'sent']).toContain(waiting.status);
  });

  it('holds a fee event\'s seat pending payment, at the event\'s price', async () => {
    const member = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Seat writer: paid workshop', capacity: 3, fee: 35 });
    const reg = (await registerFor(app, member, ev)).body.data[0];
    expect(reg).toMatchObject({ status: 'pending-payment', feeCharged: 35, confirmedAt: null });
    expect(new Date(reg.holdExpiresAt).getTime()).toBeGreaterThan(Date.now());
    const [mail] = await outboxTo(member.email);
    expect(mail.subject).toBe('Payment needed: Seat writer: paid workshop');
  });

  it('refuses a director\'s batch when one colleague is already registered, naming them, and writes none of it', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const [c1, c2] = [await app.createUser('member', { building }), await app.createUser('member', { building })];
    const ev = await platformEvent(app, { title: 'Seat writer: board retreat', capacity: 10 });
    await registerFor(app, c2, ev);
    const before = await app.strapi.db.query(REG).count({ where: { eventDocumentId: ev.documentId } });
    const res = await app.as(director).post(`/api/events/${ev.documentId}/registrations`).send({ attendees: [c1.documentId, c2.documentId] }).expect(409);
    expect(res.body.error.message).toContain(c2.email);
    expect(await app.strapi.db.query(REG).count({ where: { eventDocumentId: ev.documentId } })).toBe(before);
    expect(await outboxTo(c1.email)).toEqual([]);
  });

  it('refuses text the database cannot store (a NUL character) with 400 naming the field, storing nothing', async () => {
    const member: TestUser = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Seat writer: accessibility check' });
    const res = await app.as(member).post(`/api/events/${ev.documentId}/registrations`).send({ specialNeeds: 'wheelchair\u0000' }).expect(400);
    expect(res.body.error.message).toMatch(/specialNeeds/);
    expect(await app.strapi.db.query(REG).count({ where: { eventDocumentId: ev.documentId } })).toBe(0);
    // quotes and backslashes are stored as written
    const text = `O'Brien \\ "front row" -- ; DROP TABLE registrations`;
    const ok = (await registerFor(app, member, ev, { specialNeeds: text })).body.data[0];
    expect(ok.specialNeeds).toBe(text);
    expect((await app.strapi.db.query(REG).findOne({ where: { documentId: ok.documentId } })).specialNeeds).toBe(text);
  });

  it('writes simultaneous registrations for two events in one batch correctly, and refuses a double click without failing the others', async () => {
    const building = await app.createBuilding();
    const people: TestUser[] = [];
    for (let i = 0; i < 24; i += 1) people.push(await app.createUser('member', { building }));
    const [a, b] = [await platformEvent(app, { title: 'Seat writer: batch A', capacity: 5 }), await platformEvent(app, { title: 'Seat writer: batch B', capacity: 5 })];
    const server = await listen(app);
    try {
      const post = (who: TestUser, ev: { documentId: string }) =>
        request(server.base).post(`/api/events/${ev.documentId}/registrations`).set('Authorization', `Bearer ${who.jwt}`).send({});
      // all at once: half for A, half for B, and the first person clicks twice on A
      const all = await Promise.all([...people.map((p, i) => post(p, i % 2 ? b : a)), post(people[0], a)]);
      const forA = all.filter((_, i) => i < people.length && i % 2 === 0);
      const forB = all.filter((_, i) => i < people.length && i % 2 === 1);
      const twice = [all[0], all[people.length]];
      expect(twice.map((r) => r.status).sort()).toEqual([201, 409]);
      const dup = twice.find((r) => r.status === 409)!;
      expect(dup.body.error.message).toContain(people[0].email);
      // A: the double click is one registration; B: unaffected
      expectSeatsThenWaitlist(forA.map((r, i) => (i === 0 ? twice.find((t) => t.status === 201)! : r)), 5);
      expectSeatsThenWaitlist(forB, 5);
      for (const ev of [a, b]) {
        expect(await app.strapi.db.query(REG).count({ where: { eventDocumentId: ev.documentId } })).toBe(12);
        expect(await app.strapi.db.query(REG).count({ where: { eventDocumentId: ev.documentId, status: 'confirmed' } })).toBe(5);
      }
      expect(await outboxTo(people[0].email)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('stores a question mark and backslashes as written on every path (a director registering colleagues runs in its own transaction)', async () => {
    const building = await app.createBuilding();
    const director = await app.createUser('director', { building });
    const colleague = await app.createUser('member', { building });
    const ev = await platformEvent(app, { title: 'Seat writer: is there parking?', capacity: 4 });
    const needs = 'Is there a ramp? \\? $1 ?? :name';
    const res = await app.as(director).post(`/api/events/${ev.documentId}/registrations`).send({ attendees: [director.documentId, colleague.documentId], specialNeeds: needs }).expect(201);
    const own = res.body.data.find((r: any) => 'specialNeeds' in r);
    expect(own.specialNeeds).toBe(needs);
    expect((await app.strapi.db.query(REG).findOne({ where: { documentId: own.documentId } })).specialNeeds).toBe(needs);
    const [mail] = await outboxTo(colleague.email);
    expect(mail.subject).toBe('Registration confirmed: Seat writer: is there parking?');
  });

  it('puts a newcomer behind people already waiting when seats opened and nobody was promoted yet', async () => {
    const [a, b, c, late] = [await app.createUser('member'), await app.createUser('member'), await app.createUser('member'), await app.createUser('member')];
    const ev = await platformEvent(app, { title: 'Seat writer: waitlist first', capacity: 1 });
    await registerFor(app, a, ev);
    await registerFor(app, b, ev);
    await registerFor(app, c, ev);
    // seats opened by a write that promoted nobody (a raw import, a promotion still to come)
    await app.strapi.db.query('api::event.event').updateMany({ where: { documentId: ev.documentId }, data: { capacity: 5 } });
    const res = (await registerFor(app, late, ev)).body.data[0];
    expect(res).toMatchObject({ status: 'waitlisted', waitlistPosition: 3 });
  });

  it('refuses a staff registration with private details that are not text, naming the field', async () => {
    const member = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Seat writer: staff adds someone' });
    const registrations = app.strapi.service('api::registration.registration');
    await expect(registrations.registerByStaff({ event: ev.documentId, user: member.documentId, specialNeeds: 42 })).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('specialNeeds') });
    await expect(registrations.registerByStaff({ event: ev.documentId, user: member.documentId, emergencyPhone: '555\u0000' })).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('emergencyPhone') });
    expect(await app.strapi.db.query(REG).count({ where: { eventDocumentId: ev.documentId } })).toBe(0);
    const created = await registrations.registerByStaff({ event: ev.documentId, user: member.documentId, specialNeeds: 'Needs a quiet room? Yes.' });
    expect((await app.strapi.db.query(REG).findOne({ where: { documentId: created.documentId } })).specialNeeds).toBe('Needs a quiet room? Yes.');
  });
});

describe('a conflict with another transaction', () => {
  const postgresOnly = process.env.DATABASE_CLIENT === 'postgres' ? it : it.skip;

  // A publish of a rescheduled event takes the date's lock after holding the event's rows; a registration holds the
  // date's lock and then needs those rows (its link's foreign key). PostgreSQL breaks the deadlock by failing one of them.
  postgresOnly('a registration caught in a deadlock is written again, once, instead of failing', async () => {
    const member = await app.createUser('member');
    const ev = await platformEvent(app, { title: 'Seat writer: deadlock', capacity: 5 });
    const knex = app.strapi.db.connection;
    const rows = await app.strapi.db.query('api::event.event').findMany({ where: { documentId: ev.documentId }, select: ['id'] });
    const lockKey = `${ev.documentId}|${new Date(ev.start as string).toISOString()}`;
    const waiting = async () => Number((await knex.raw("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0].n);

    const other = await knex.transaction();
    await other.raw(`SELECT id FROM events WHERE id IN (${rows.map(() => '?').join(',')}) FOR UPDATE`, rows.map((r: { id: number }) => r.id));
    const registering = app.as(member).post(`/api/events/${ev.documentId}/registrations`).send({}).then((r) => r);
    // the registration holds the date's lock and waits for the event's rows ...
    for (let i = 0; i < 200 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await waiting()).toBeGreaterThan(0);
    // ... when the other transaction asks for the date's lock: a deadlock
    const otherDone = other.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [lockKey]).then(
      () => other.commit(),
      async (err: unknown) => {
        await other.rollback().catch(() => undefined);
        return err;
      },
    );

    const res = await registering;
    await otherDone;
    expect(res.status).toBe(201);
    expect(res.body.data[0]).toMatchObject({ status: 'confirmed' });
    const mine = await app.strapi.db.query(REG).findMany({ where: { eventDocumentId: ev.documentId, userDocumentId: member.documentId } });
    expect(mine).toHaveLength(1);
    expect(await app.strapi.db.query(OUTBOX).count({ where: { to: member.email } })).toBe(1);
  });
});
