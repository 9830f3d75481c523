import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

/**
 * The shopping cart of L2's help text: "If there is a fee, you will see your 'shopping cart' and will need to click
 * the 'Checkout - Confirm Payment' button. Next, check the box to verify payment and click Submit." A director
 * registering several colleagues for a fee event holds a seat for each; the cart lists them (GET /api/me/cart) and
 * one checkout confirms them together, all or nothing (POST /api/me/cart/checkout).
 */
let app: TestApp;
let n = 0;
const DAY = 86_400_000;
const REG = 'api::registration.registration';

const event = async (data: Record<string, unknown> = {}) => {
  n += 1;
  return app.strapi.documents('api::event.event').create({
    data: { title: `Cart workshop ${n}`, audience: 'public', start: new Date(Date.now() + 10 * DAY).toISOString(), registrationMode: 'platform', ...data } as never,
    status: 'published',
  });
};
const register = (who: TestUser, ev: { documentId: string }, body: Record<string, unknown> = {}) =>
  app.as(who).post(`/api/events/${ev.documentId}/registrations`).send(body).expect(201);
const cartOf = (who: TestUser | null) => app.as(who).get('/api/me/cart');
const checkout = (who: TestUser | null, body: unknown) => app.as(who).post('/api/me/cart/checkout').send(body as object);
const statusOf = async (documentId: string) => (await app.strapi.db.query(REG).findOne({ where: { documentId }, select: ['status'] })).status;
const deliver = async () => {
  const outbox = app.strapi.service('api::outbox-message.outbox');
  await outbox.run();
  return outbox.deliverDue();
};
const confirmations = (who: TestUser, title: string) => app.mail.to(who.email).filter((m) => m.subject === `Registration confirmed: ${title}`);
const paths = (res: { body: any }) => (res.body.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path);

/** A director and two colleagues of one building. */
const team = async () => {
  const building = await app.createBuilding();
  const director = await app.createUser('director', { building, firstName: 'Dana', lastName: 'Aspen' });
  const c1 = await app.createUser('member', { building, firstName: 'Ada', lastName: 'Okafor' });
  const c2 = await app.createUser('member', { building, firstName: 'Ben', lastName: 'Reyes' });
  return { director, c1, c2 };
};
const holdOf = (regs: any[], who: TestUser) => regs.find((r) => r.user.documentId === who.documentId).documentId as string;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('GET /api/me/cart', () => {
  it("lists a director's holds for colleagues, on two events, with names, dates, fees, expiry and the total; nothing private", async () => {
    const { director, c1, c2 } = await team();
    const board = await event({ title: 'Board training', fee: 25, locations: [{ key: 'main', name: 'Main room' }] });
    const grants = await event({ title: 'Grant writing', fee: '40.50', start: new Date(Date.now() + 20 * DAY).toISOString() });
    const regs = (await register(director, board, { attendees: [c1.documentId, c2.documentId] })).body.data;
    expect(regs.map((r: any) => r.status)).toEqual(['pending-payment', 'pending-payment']);
    await register(director, grants, { attendees: [c1.documentId] });
    // the colleague's own details stay theirs: Ada registers herself elsewhere with an emergency phone
    await register(c1, await event({ title: 'Ada alone', fee: 5 }), { emergencyPhone: '217-555-0199', specialNeeds: 'Step-free access' });

    const res = await cartOf(director).expect(200);
    expect(res.body.data).toHaveLength(3);
    expect(res.body.meta).toEqual({ count: 3, total: 90.5, earliestHoldExpiresAt: expect.any(String) });
    const boardItem = res.body.data.find((i: any) => i.documentId === holdOf(regs, c1));
    expect(boardItem).toEqual({
      documentId: holdOf(regs, c1),
      status: 'pending-payment',
      person: { documentId: c1.documentId, firstName: 'Ada', lastName: 'Okafor', you: false },
      event: { documentId: board.documentId, title: 'Board training' },
      occurrence: new Date(board.start as string).toISOString(),
      start: new Date(board.start as string).toISOString(),
      end: expect.any(String),
      location: 'main',
      locationName: 'Main room',
      feeCharged: 25,
      holdExpiresAt: expect.any(String),
      expired: false,
    });
    expect(new Date(boardItem.holdExpiresAt).getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(res.body.meta.earliestHoldExpiresAt).toBe(res.body.data.map((i: any) => i.holdExpiresAt).sort()[0]);
    expect(res.body.data.map((i: any) => i.person.firstName).sort()).toEqual(['Ada', 'Ada', 'Ben']);
    // never a colleague's email, emergency phone or special needs; Ada's own hold is not the director's to see
    expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`${c1.email}|${c2.email}|217-555-0199|Step-free|Ada alone|emergencyPhone|specialNeeds`));

    // each colleague's cart holds their own seats, whoever registered them
    const ada = (await cartOf(c1).expect(200)).body;
    expect(ada.data.map((i: any) => i.event.title).sort()).toEqual(['Ada alone', 'Board training', 'Grant writing']);
    expect(ada.data.every((i: any) => i.person.you)).toBe(true);
    expect(ada.meta.total).toBe(70.5);
    // free events and waitlist places are no holds
    await register(director, await event({ title: 'Free talk' }), { attendees: [c2.documentId] });
    expect((await cartOf(c2).expect(200)).body.data.map((i: any) => i.event.title)).toEqual(['Board training']);
    expect((await cartOf(await app.createUser('member')).expect(200)).body).toEqual({ data: [], meta: { count: 0, total: 0, earliestHoldExpiresAt: null } });
  });

  it('is for signed-in people only', async () => {
    expect([401, 403]).toContain((await cartOf(null)).status);
    expect([401, 403]).toContain((await checkout(null, { paymentVerified: true })).status);
  });
});

describe('POST /api/me/cart/checkout', () => {
  it('confirms every hold in the cart together, and each person gets their confirmation email', async () => {
    const { director, c1, c2 } = await team();
    const ev = await event({ title: 'Trustee essentials', fee: 30, capacity: 5 });
    const regs = (await register(director, ev, { attendees: [c1.documentId, c2.documentId, director.documentId], emergencyPhone: '217-555-0100' })).body.data;
    const res = await checkout(director, { paymentVerified: true }).expect(200);
    expect(res.body.meta).toEqual({ count: 3, total: 90 });
    expect(res.body.data.map((r: any) => r.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(res.body.data.every((r: any) => r.paymentVerified === true)).toBe(true);
    // the director's own details are theirs; none of a colleague's is shown
    expect(res.body.data.filter((r: any) => 'emergencyPhone' in r).map((r: any) => r.emergencyPhone)).toEqual(['217-555-0100']);
    for (const r of regs) expect(await statusOf(r.documentId)).toBe('confirmed');
    await deliver();
    for (const who of [director, c1, c2]) expect(confirmations(who, 'Trustee essentials')).toHaveLength(1);
    expect(confirmations(c1, 'Trustee essentials')[0].text).toContain('Registration fee: $30.00');
    expect((await cartOf(director).expect(200)).body.data).toEqual([]);
    // nothing left to pay for
    const empty = await checkout(director, { paymentVerified: true }).expect(409);
    expect(empty.body.error.message).toMatch(/cart is empty/);
  });

  it('confirms only the holds it lists, which may span several events', async () => {
    const { director, c1, c2 } = await team();
    const [a, b] = [await event({ title: 'Cart A', fee: 10 }), await event({ title: 'Cart B', fee: 15 })];
    const onA = (await register(director, a, { attendees: [c1.documentId, c2.documentId] })).body.data;
    const onB = (await register(director, b, { attendees: [c1.documentId] })).body.data;
    const res = await checkout(director, { paymentVerified: true, registrations: [holdOf(onB, c1), holdOf(onA, c2)] }).expect(200);
    expect(res.body.data.map((r: any) => r.documentId)).toEqual([holdOf(onB, c1), holdOf(onA, c2)]);
    expect(res.body.meta.total).toBe(25);
    expect(await statusOf(holdOf(onA, c1))).toBe('pending-payment');
    expect((await cartOf(director).expect(200)).body.data.map((i: any) => i.documentId)).toEqual([holdOf(onA, c1)]);
  });

  it("answers each confirmed registration with its event, whose it is and who registered them; a colleague's without their private details", async () => {
    const { director, c1, c2 } = await team();
    const [a, b] = [await event({ title: 'Cart answers A', fee: 10 }), await event({ title: 'Cart answers B', fee: 15 })];
    const onA = (await register(director, a, { attendees: [director.documentId, c1.documentId], emergencyPhone: '217-555-0170' })).body.data;
    await register(director, b, { attendees: [c2.documentId] });
    // staff recorded Ada's own details on her registration (admin panel): they stay hers
    await app.strapi.db.query(REG).update({ where: { documentId: holdOf(onA, c1) }, data: { emergencyPhone: '217-555-0171', specialNeeds: 'Quiet room' } });

    const res = await checkout(director, { paymentVerified: true }).expect(200);
    const answered = res.body.data.map((r: any) => [r.user?.documentId, r.registeredBy?.documentId, r.event?.documentId, r.event?.title, r.status]);
    expect(answered.sort()).toEqual(
      [
        [director.documentId, director.documentId, a.documentId, 'Cart answers A', 'confirmed'],
        [c1.documentId, director.documentId, a.documentId, 'Cart answers A', 'confirmed'],
        [c2.documentId, director.documentId, b.documentId, 'Cart answers B', 'confirmed'],
      ].sort(),
    );
    const byUser = (who: TestUser) => res.body.data.find((r: any) => r.user.documentId === who.documentId);
    expect(byUser(director).emergencyPhone).toBe('217-555-0170');
    for (const who of [c1, c2]) expect(byUser(who)).not.toHaveProperty('emergencyPhone');
    expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`217-555-0171|Quiet room|${c1.email}|${c2.email}|${director.email}`));
  });

  it('refuses a checkout listing a hold that has expired, naming it; nothing is confirmed and nobody emailed', async () => {
    const { director, c1, c2 } = await team();
    const ev = await event({ title: 'Expiring webinar', fee: 20 });
    const regs = (await register(director, ev, { attendees: [c1.documentId, c2.documentId] })).body.data;
    const late = holdOf(regs, c2);
    // Ben's hold ran out a minute ago (the release job has not come round yet)
    await app.strapi.db.query(REG).update({ where: { documentId: late }, data: { holdExpiresAt: new Date(Date.now() - 60_000) } });
    const cart = (await cartOf(director).expect(200)).body;
    expect(cart.data.find((i: any) => i.documentId === late)).toMatchObject({ expired: true });
    // shown, but not what the cart costs: only the live hold is paid for
    expect(cart.meta).toMatchObject({ count: 2, total: 20 });

    const res = await checkout(director, { paymentVerified: true, registrations: [holdOf(regs, c1), late] }).expect(409);
    expect(paths(res)).toEqual([['registrations', '1']]);
    expect(res.body.error.message).toMatch(/^registrations\[1\]: .*Ben Reyes.*Expiring webinar.*: The seat hold expired at /);
    expect(res.body.error.details.registration).toBe(late);
    for (const r of regs) expect(await statusOf(r.documentId)).toBe('pending-payment');
    await deliver();
    expect(confirmations(c1, 'Expiring webinar')).toEqual([]);
    // the whole cart is what it totals: the live hold alone, confirmed; the one that ran out stays as it was
    const whole = await checkout(director, { paymentVerified: true }).expect(200);
    expect({ ids: whole.body.data.map((r: any) => r.documentId), meta: whole.body.meta }).toEqual({ ids: [holdOf(regs, c1)], meta: { count: 1, total: 20 } });
    expect(await statusOf(late)).toBe('pending-payment');
    // nothing live left: an empty cart
    await checkout(director, { paymentVerified: true }).expect(409);
  });

  it('refuses a cancelled hold, and another person\'s hold (not in your cart), naming it; nothing is confirmed', async () => {
    const { director, c1, c2 } = await team();
    const stranger = await app.createUser('member');
    const ev = await event({ title: 'Open to all', fee: 12 });
    const regs = (await register(director, ev, { attendees: [c1.documentId, c2.documentId] })).body.data;
    const theirs = (await register(stranger, ev)).body.data[0].documentId;

    const notMine = await checkout(director, { paymentVerified: true, registrations: [holdOf(regs, c1), theirs] }).expect(404);
    expect(paths(notMine)).toEqual([['registrations', '1']]);
    expect(notMine.body.error.message).toContain(`registrations[1]: ${theirs} is not in your cart`);
    // a colleague's cart is their own: Ada cannot pay for Ben's seat either
    expect(paths(await checkout(c1, { paymentVerified: true, registrations: [holdOf(regs, c2)] }).expect(404))).toEqual([['registrations', '0']]);
    expect(paths(await checkout(director, { paymentVerified: true, registrations: ['no-such-registration'] }).expect(404))).toEqual([['registrations', '0']]);

    await app.as(c2).post(`/api/registrations/${holdOf(regs, c2)}/cancel`).expect(200);
    const gone = await checkout(director, { paymentVerified: true, registrations: [holdOf(regs, c1), holdOf(regs, c2)] }).expect(409);
    expect(paths(gone)).toEqual([['registrations', '1']]);
    expect(gone.body.error.message).toMatch(/registrations\[1\]: .*is cancelled, not waiting for payment/);
    expect(await statusOf(holdOf(regs, c1))).toBe('pending-payment');
    expect(await statusOf(theirs)).toBe('pending-payment');
    // the single checkout follows the same rule
    await app.as(director).post(`/api/registrations/${theirs}/checkout`).send({ paymentVerified: true }).expect(404);
    await app.as(director).post(`/api/registrations/${holdOf(regs, c1)}/checkout`).send({ paymentVerified: true }).expect(200);
  });

  it('takes exactly { paymentVerified: true, registrations? }: anything else is a 400 naming the field, and nothing changes', async () => {
    const { director, c1 } = await team();
    const hold = (await register(director, await event({ fee: 9 }), { attendees: [c1.documentId] })).body.data[0].documentId;
    const bad: [unknown, string[]][] = [
      [{}, ['paymentVerified']],
      [{ paymentVerified: 'true' }, ['paymentVerified']],
      [{ paymentVerified: 1, registrations: [hold] }, ['paymentVerified']],
      [{ paymentVerified: false }, ['paymentVerified']],
      [{ paymentVerified: true, status: 'confirmed' }, ['status']],
      [{ paymentVerified: true, feeCharged: 0 }, ['feeCharged']],
      [{ data: { paymentVerified: true } }, ['data']],
      [[hold], ['body']],
      [{ paymentVerified: true, registrations: hold }, ['registrations']],
      [{ paymentVerified: true, registrations: [] }, ['registrations']],
      [{ paymentVerified: true, registrations: [hold, 7] }, ['registrations', '1']],
      [{ paymentVerified: true, registrations: [hold, hold] }, ['registrations', '1']],
    ];
    for (const [body, path] of bad) {
      const res = await checkout(director, body);
      expect({ body, status: res.status, paths: paths(res) }).toEqual({ body, status: 400, paths: [path] });
      expect(res.body.error.message).toContain(path.length > 1 ? `registrations[${path[1]}]` : path[0]);
    }
    expect(await statusOf(hold)).toBe('pending-payment');
  });

  it('lets a guest pay for a hold on an event open to everyone; a hidden or members-only event is no longer in the cart of someone who stopped being a member', async () => {
    const guest = await app.createUser('guest');
    const open = await event({ title: 'Open webinar', fee: 8 });
    const held = (await register(guest, open)).body.data[0].documentId;
    expect((await cartOf(guest).expect(200)).body.data.map((i: any) => i.documentId)).toEqual([held]);
    await checkout(guest, { paymentVerified: true }).expect(200);

    const member = await app.createUser('member');
    const hidden = await event({ title: 'Members only fee event', audience: 'members', fee: 10 });
    const forMembers = await event({ title: 'Members register', registrationAudience: 'members', fee: 10 });
    const hiddenHold = (await register(member, hidden)).body.data[0].documentId;
    const membersHold = (await register(member, forMembers)).body.data[0].documentId;
    expect((await cartOf(member).expect(200)).body.meta.count).toBe(2);
    const [affiliation] = await app.strapi.documents('api::affiliation.affiliation').findMany({ filters: { user: { id: member.id } } });
    await app.strapi.documents('api::affiliation.affiliation').update({ documentId: affiliation.documentId, data: { status: 'ended' } as never });
    // now a guest: the members-only event is hidden from them, as everywhere; the members' registration is refused
    const cart = (await cartOf(member).expect(200)).body;
    expect(cart.data.map((i: any) => i.event.title)).toEqual(['Members register']);
    expect(JSON.stringify(cart)).not.toContain('Members only fee event');
    expect(paths(await checkout(member, { paymentVerified: true, registrations: [hiddenHold] }).expect(404))).toEqual([['registrations', '0']]);
    const refused = await checkout(member, { paymentVerified: true }).expect(403);
    expect(paths(refused)).toEqual([['registrations', '0']]);
    expect(refused.body.error.message).toMatch(/registrations\[0\]: .*approved library affiliation/);
    await app.as(member).post(`/api/registrations/${hiddenHold}/checkout`).send({ paymentVerified: true }).expect(404);
    expect(await statusOf(hiddenHold)).toBe('pending-payment');
    expect(await statusOf(membersHold)).toBe('pending-payment');
  });

  it('two checkouts of the same holds at once, listed in opposite orders across two events: one confirms all, the other changes nothing', async () => {
    for (let round = 0; round < 4; round += 1) {
      const { director, c1 } = await team();
      const [a, b] = [await event({ title: `Race A ${round}`, fee: 5 }), await event({ title: `Race B ${round}`, fee: 6 })];
      const x = (await register(director, a, { attendees: [c1.documentId, director.documentId] })).body.data;
      const y = (await register(director, b, { attendees: [c1.documentId] })).body.data;
      const [byDirector, byColleague] = await Promise.all([
        checkout(director, { paymentVerified: true, registrations: [holdOf(x, c1), holdOf(y, c1), holdOf(x, director)] }),
        checkout(c1, { paymentVerified: true, registrations: [holdOf(y, c1), holdOf(x, c1)] }),
      ]);
      expect([byDirector.status, byColleague.status].sort()).toEqual([200, 409]);
      expect(await statusOf(holdOf(x, c1))).toBe('confirmed');
      expect(await statusOf(holdOf(y, c1))).toBe('confirmed');
      // all or nothing: the director's own seat is confirmed only if the director's checkout went through
      expect(await statusOf(holdOf(x, director))).toBe(byDirector.status === 200 ? 'confirmed' : 'pending-payment');
    }
  });
});
