import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import type { CapturedMail } from '../helpers/mailbox';
import { keepsSecret, sentRow } from '../helpers/outbox';

/**
 * Changing the email one signs in with: asked with the current password,
 * confirmed from the new address by a link that works once for 24 hours,
 * the old address told at both steps; the pending address never shown.
 */
let app: TestApp;
let building: { id: number; documentId: string };

const USER = 'plugin::users-permissions.user';
const OUTBOX = 'api::outbox-message.outbox-message';

beforeAll(async () => {
  app = await startApp();
  building = await app.createBuilding({ name: 'Willow Branch Library' });
});

afterAll(async () => {
  await app?.stop();
});

const stored = (user: TestUser) => app.strapi.db.query(USER).findOne({ where: { id: user.id } });
/** Messages queued for an address (every email goes through the outbox, so this is all that will ever be sent). */
const queuedFor = (address: string) => app.strapi.db.query(OUTBOX).count({ where: { to: address } });
const mailTo = async (address: string, subject: RegExp): Promise<CapturedMail> => {
  await app.mail.waitFor(() => app.mail.to(address).some((m) => subject.test(m.subject)));
  return app.mail.to(address).filter((m) => subject.test(m.subject)).pop()!;
};
/** The confirmation link of a message, as a path + query the test server can follow. */
const confirmLink = (mail: CapturedMail) => {
  const m = /https?:\/\/[^\s"'<]*\/api\/profile\/email\/confirm\?token=[0-9a-f]+/.exec(mail.text);
  if (!m) throw new Error(`no confirmation link in: ${mail.text}`);
  const url = new URL(m[0]);
  expect(url.origin).toBe('http://localhost:1337');
  return url.pathname + url.search;
};
const signIn = (identifier: string, password: string) => app.http().post('/api/auth/local').send({ identifier, password });

describe('POST /api/profile/email', () => {
  it('refuses a wrong or missing password with 400 naming it, and stores and sends nothing', async () => {
    const user = await app.createUser('guest');
    const wrong = await app.as(user).post('/api/profile/email').send({ email: 'wrong-pass@new.example', password: 'not-my-password' }).expect(400);
    expect(wrong.body.error.message).toMatch(/^password: /);
    const missing = await app.as(user).post('/api/profile/email').send({ email: 'no-pass@new.example' }).expect(400);
    expect(missing.body.error.message).toMatch(/^password: /);
    expect(await stored(user)).toMatchObject({ email: user.email, pendingEmail: null, emailChangeToken: null });
    for (const address of ['wrong-pass@new.example', 'no-pass@new.example', user.email]) expect(await queuedFor(address)).toBe(0);
  });

  it.each([
    ['a malformed address', { email: 'not-an-address' }, 'email'],
    ['an empty address', { email: '  ' }, 'email'],
    ['a NUL character', { email: 'nul\u0000@new.example' }, 'email'],
    ['an address over 254 characters', { email: `${'a'.repeat(64)}@${'b'.repeat(190)}.example` }, 'email'],
    ['a field other than email and password', { email: 'ok@new.example', confirmed: true }, 'confirmed'],
  ])('refuses %s with 400 naming the field', async (_name, body, field) => {
    const user = await app.createUser('guest');
    const res = await app.as(user).post('/api/profile/email').send({ password: user.password, ...body }).expect(400);
    expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    expect(await stored(user)).toMatchObject({ email: user.email, pendingEmail: null });
  });

  it('refuses an address another account signs in with (its email or its username) with 409 naming email', async () => {
    const user = await app.createUser('guest');
    const other = await app.createUser('member', { building });
    const res = await app.as(user).post('/api/profile/email').send({ email: other.email.toUpperCase(), password: user.password }).expect(409);
    expect(res.body.error.message).toMatch(/^email: /);
    expect(res.body.error.details).toMatchObject({ field: 'email' });
    // named as every other 4xx names its field: path, message and the error's name
    expect(res.body.error.details.errors).toEqual([{ path: ['email'], message: 'already used by another account', name: 'ConflictError' }]);
    await app.strapi.db.query(USER).update({ where: { id: other.id }, data: { username: 'alias@elsewhere.example' } });
    await app.as(user).post('/api/profile/email').send({ email: 'alias@elsewhere.example', password: user.password }).expect(409);
    const own = await app.as(user).post('/api/profile/email').send({ email: user.email, password: user.password }).expect(400);
    expect(own.body.error.message).toMatch(/^email: .*already/);
    expect(await stored(user)).toMatchObject({ email: user.email, pendingEmail: null });
  });

  it('needs a signed-in person', async () => {
    await app.as(null).post('/api/profile/email').send({ email: 'anon@new.example', password: 'x' }).expect(403);
  });

  it('stops a stolen session from guessing the password: 429 after the sign-in limit, and still nothing sent', async () => {
    const user = await app.createUser('guest');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      statuses.push((await app.as(user).post('/api/profile/email').send({ email: 'guess@new.example', password: `guess-${i}` })).status);
    }
    expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
    expect(statuses[statuses.length - 1]).toBe(429);
    await app.as(user).post('/api/profile/email').send({ email: 'guess@new.example', password: user.password }).expect(429);
    expect(await queuedFor('guess@new.example')).toBe(0);
  });
});

describe('the confirmation link', () => {
  it('changes nothing until followed; then the new address signs in, the old one does not, and the old one is told', async () => {
    const user = await app.createUser('member', { building, email: 'robin.old@library.example', firstName: 'Robin' });
    app.mail.clear();
    const res = await app.as(user).post('/api/profile/email').send({ email: '  Robin.New@Example.ORG ', password: user.password }).expect(202);
    expect(res.body.data.message).toMatch(/confirmation link/i);

    const confirmation = await mailTo('robin.new@example.org', /confirm your new/i);
    const notice = await mailTo(user.email, /about to change/i);
    expect(notice.text).toMatch(/change your password/i);
    expect(notice.text).not.toMatch(/confirm\?token=/); // the link goes to the new address only
    expect(app.mail.to(user.email).map((m) => m.subject)).toEqual([notice.subject]);

    // nothing changed yet
    expect((await app.as(user).get('/api/users/me').expect(200)).body.email).toBe(user.email);

    // the link is the person's alone: the outbox keeps no copy of it once sent
    expect(keepsSecret(await sentRow(app, 'robin.new@example.org', confirmation.subject), new URL(`http://x${confirmLink(confirmation)}`).searchParams.get('token')!)).toBe(false);
    const follow = await app.http().get(confirmLink(confirmation));
    expect(follow.status).toBe(302);
    expect(follow.headers.location).toBe('http://localhost:1337/account/email-changed');

    expect((await signIn(user.email, user.password)).status).toBe(400);
    const login = await signIn('robin.new@example.org', user.password).expect(200);
    const me = await app.as(login.body.jwt).get('/api/users/me').expect(200);
    // the username was the old address: it follows, or the old address would still sign in
    expect(me.body).toMatchObject({ id: user.id, email: 'robin.new@example.org', username: 'robin.new@example.org', confirmed: true });

    const changed = await mailTo(user.email, /was changed/i);
    expect(changed.text).toMatch(/contact your library system/i);
    expect(await stored(user)).toMatchObject({ pendingEmail: null, emailChangeToken: null, emailChangeExpiresAt: null });
  });

  it('works once: a used, replaced, expired, unknown or malformed link gets one answer, 400', async () => {
    const user = await app.createUser('guest');
    const ask = async (email: string) => {
      await app.as(user).post('/api/profile/email').send({ email, password: user.password }).expect(202);
      return confirmLink(await mailTo(email, /confirm your new/i));
    };
    const answers: string[] = [];
    const refused = async (path: string) => {
      const res = await app.http().get(path).expect(400);
      answers.push(res.body.error.message);
    };

    // a second request replaces the first, whose link stops working
    const first = await ask('first-try@new.example');
    const second = await ask('second-try@new.example');
    await refused(first);
    await app.http().get(second).expect(302);
    expect((await stored(user)).email).toBe('second-try@new.example');
    await refused(second); // used

    // expired: the 24 hours have passed
    const late = await ask('late@new.example');
    await app.strapi.db.query(USER).update({ where: { id: user.id }, data: { emailChangeExpiresAt: new Date(Date.now() - 1000) } });
    await refused(late);
    await refused(`/api/profile/email/confirm?token=${'0'.repeat(64)}`);
    await refused('/api/profile/email/confirm?token=nope');
    await refused('/api/profile/email/confirm');

    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/invalid or has expired/);
    expect((await stored(user)).email).toBe('second-try@new.example');
    expect(await queuedFor('first-try@new.example')).toBe(1); // the confirmation request, nothing since
  });

  it('answers 409 when another account took the address meanwhile, and keeps the old address', async () => {
    const user = await app.createUser('guest');
    await app.as(user).post('/api/profile/email').send({ email: 'contested@new.example', password: user.password }).expect(202);
    const link = confirmLink(await mailTo('contested@new.example', /confirm your new/i));
    await app.createUser('guest', { email: 'contested@new.example' });
    const res = await app.http().get(link).expect(409);
    expect(res.body.error.message).toMatch(/^email: /);
    expect(res.body.error.details.errors).toEqual([{ path: ['email'], message: 'already used by another account', name: 'ConflictError' }]);
    expect(JSON.stringify(res.body)).not.toContain('contested@new.example');
    expect((await stored(user)).email).toBe(user.email);
  });

  it('stops working when the password is changed (what the old address is told to do if the request was not theirs)', async () => {
    const user = await app.createUser('guest');
    await app.as(user).post('/api/profile/email').send({ email: 'attacker@evil.example', password: user.password }).expect(202);
    const link = confirmLink(await mailTo('attacker@evil.example', /confirm your new/i));
    await app
      .as(user)
      .post('/api/auth/change-password')
      .send({ currentPassword: user.password, password: 'N3w-passphrase!', passwordConfirmation: 'N3w-passphrase!' })
      .expect(200);
    await app.http().get(link).expect(400);
    expect(await stored(user)).toMatchObject({ email: user.email, pendingEmail: null });
  });
});

describe('the pending change is private', () => {
  it('never shows in /api/users/me, /api/profile, GraphQL, colleague lists or the request answer', async () => {
    const director = await app.createUser('director', { building });
    const user = await app.createUser('member', { building, firstName: 'Pending', lastName: 'Person' });
    const pending = 'secret-new-address@hidden.example';
    const asked = await app.as(user).post('/api/profile/email').send({ email: pending, password: user.password }).expect(202);
    await mailTo(pending, /confirm your new/i);
    const { emailChangeToken } = await stored(user);
    expect(emailChangeToken).toMatch(/^[0-9a-f]{64}$/);

    const gql = (who: TestUser, query: string) => app.http().post('/graphql').set('Authorization', `Bearer ${who.jwt}`).send({ query });
    const bodies = [
      asked,
      await app.as(user).get('/api/users/me').expect(200),
      await app.as(user).get('/api/users/me?populate=*').expect(200),
      await app.as(user).get('/api/users/me?populate=affiliations').expect(200),
      await app.as(user).get('/api/profile').expect(200),
      await app.as(director).get('/api/people?q=pending').expect(200),
      await app.as(director).get(`/api/buildings/${building.documentId}/staff`).expect(200),
      await app.as(director).put(`/api/people/${user.documentId}`).send({ phone: '217-555-0142' }).expect(200),
      await gql(user, '{ me { id documentId email username confirmed } }').expect(200),
      await gql(user, '{ __type(name: "UsersPermissionsUser") { fields { name } } }').expect(200),
      await gql(user, '{ __type(name: "UsersPermissionsMe") { fields { name } } }').expect(200),
    ];
    // the reads answered (GraphQL errors come with 200 too), and do show the person
    expect(bodies[8].body.data.me).toMatchObject({ email: user.email, confirmed: true });
    expect(bodies[9].body.data.__type.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['email', 'firstName']));
    expect(bodies[10].body.data.__type.fields.map((f: { name: string }) => f.name)).toContain('email');
    expect(JSON.stringify(bodies[5].body)).toContain('Pending');
    expect(JSON.stringify(bodies[6].body)).toContain(user.email);
    for (const res of bodies) {
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(pending);
      expect(text).not.toContain(emailChangeToken);
      expect(text).not.toMatch(/pendingEmail|emailChange/);
    }
    for (const field of ['pendingEmail', 'emailChangeToken', 'emailChangeExpiresAt']) {
      const res = await gql(user, `{ me { ${field} } }`);
      expect(res.body.errors?.[0]?.message).toMatch(/Cannot query field/);
    }
  });
});

describe('other routes still refuse email', () => {
  it('PUT /api/profile with email is 400 and points to the email route; so is a director editing a colleague', async () => {
    const director = await app.createUser('director', { building });
    const user = await app.createUser('member', { building });
    const own = await app.as(user).put('/api/profile').send({ email: 'quick@new.example' }).expect(400);
    expect(own.body.error.message).toMatch(/^email: .*POST \/api\/profile\/email/);
    const colleague = await app.as(director).put(`/api/people/${user.documentId}`).send({ email: 'takeover@evil.example' }).expect(400);
    expect(colleague.body.error.message).toMatch(/^email: /);
    expect(await stored(user)).toMatchObject({ email: user.email, pendingEmail: null });
    expect(await queuedFor('quick@new.example')).toBe(0);
    expect(await queuedFor('takeover@evil.example')).toBe(0);
  });
});
