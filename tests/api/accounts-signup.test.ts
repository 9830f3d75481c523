import { startApp, type TestApp } from '../helpers/strapi';
import { keepsSecret, sentRow } from '../helpers/outbox';

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
});

/** The first link in a message, as a path + query the test server can follow. */
function linkIn(html: string, path: string): URL {
  const m = new RegExp(`https?://[^"'\\s<]*${path.replace(/[/?]/g, '\\$&')}[^"'\\s<]*`).exec(html);
  if (!m) throw new Error(`no ${path} link in: ${html}`);
  return new URL(m[0].replace(/&amp;/g, '&'));
}

const password = 'Corr3ct-horse-battery';

describe('sign-up with email confirmation', () => {
  const email = 'Ada.Lovelace@Library.Example';

  it('creates an unconfirmed guest account, username defaults to the email, and emails a confirmation link', async () => {
    const res = await app.http().post('/api/auth/local/register').send({ email, password, firstName: 'Ada', lastName: 'Lovelace' }).expect(200);
    expect(res.body).not.toHaveProperty('jwt');
    expect(res.body.user).toMatchObject({ email: 'ada.lovelace@library.example', username: 'ada.lovelace@library.example', firstName: 'Ada', lastName: 'Lovelace', confirmed: false });
    expect(JSON.stringify(res.body)).not.toMatch(/password|confirmationToken/i);

    const [mail] = await app.mail.waitFor((m) => app.mail.to('ada.lovelace@library.example').length > 0).then(() => app.mail.to('ada.lovelace@library.example'));
    expect(mail.subject).toBe('Confirm your Library Learning account');
    expect(mail.from).toContain('Library Learning');
    const link = linkIn(mail.html, '/api/auth/email-confirmation');
    expect(link.origin).toBe('http://localhost:1337');
    // the link is the person's alone: the outbox keeps no copy of it once sent
    expect(keepsSecret(await sentRow(app, 'ada.lovelace@library.example', mail.subject), link.searchParams.get('confirmation')!)).toBe(false);

    // not confirmed yet: cannot sign in
    const early = await app.http().post('/api/auth/local').send({ identifier: email, password }).expect(400);
    expect(early.body.error.message).toMatch(/not confirmed/i);

    // following the link confirms, then the person can sign in with the email
    const confirm = await app.http().get(link.pathname + link.search);
    expect(confirm.status).toBe(302);
    expect(confirm.headers.location).toBe('http://localhost:1337/account/confirmed');
    const login = await app.http().post('/api/auth/local').send({ identifier: email, password }).expect(200);
    expect(login.body.jwt).toEqual(expect.any(String));
    const me = await app.http().get('/api/users/me').set('Authorization', `Bearer ${login.body.jwt}`).expect(200);
    expect(me.body).toMatchObject({ email: 'ada.lovelace@library.example', confirmed: true });
    const role = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { email: 'ada.lovelace@library.example' }, populate: ['role'] });
    expect(role.role.type).toBe('authenticated'); // a guest until an affiliation is approved
  });

  it('tells a person who already has an account how to get back in instead of creating a second one', async () => {
    const res = await app.http().post('/api/auth/local/register').send({ email: 'ada.lovelace@library.example', password, firstName: 'Ada', lastName: 'L' }).expect(400);
    expect(res.body.error.message).toMatch(/account already exists for this email/i);
    expect(res.body.error.message).toMatch(/forgot-password|reset/i);
    expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { email: 'ada.lovelace@library.example' } })).toBe(1);
  });

  it('accepts an alternate username and lets the person sign in with either', async () => {
    await app.http().post('/api/auth/local/register').send({ email: 'grace@library.example', username: 'ghopper', password, firstName: 'Grace', lastName: 'Hopper' }).expect(200);
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { email: 'grace@library.example' }, data: { confirmed: true } });
    await app.http().post('/api/auth/local').send({ identifier: 'ghopper', password }).expect(200);
    await app.http().post('/api/auth/local').send({ identifier: 'grace@library.example', password }).expect(200);
    const taken = await app.http().post('/api/auth/local/register').send({ email: 'other@library.example', username: 'ghopper', password, firstName: 'O', lastName: 'T' }).expect(400);
    expect(taken.body.error.message).toMatch(/username/i);
  });

  it.each([
    ['role', { role: 1 }],
    ['confirmed', { confirmed: true }],
    ['blocked', { blocked: false }],
    ['calendarToken', { calendarToken: 'x' }],
  ])('refuses %s in the sign-up body and creates nothing', async (field, extra) => {
    const address = `sneaky-${field.toLowerCase()}@library.example`;
    const res = await app.http().post('/api/auth/local/register').send({ email: address, password, firstName: 'S', lastName: 'Neaky', ...extra }).expect(400);
    expect(res.body.error.message).toContain(field);
    expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { email: address } })).toBe(0);
  });

  it('refuses a field other than email when resending the confirmation with 400 naming it (it was ignored), and sends nothing', async () => {
    const address = 'resend-extra@library.example';
    await app.http().post('/api/auth/local/register').send({ email: address, password, firstName: 'Re', lastName: 'Send' }).expect(200);
    const outbox = () => app.strapi.db.query('api::outbox-message.outbox-message').count({ where: { to: address } });
    await app.mail.waitFor(() => app.mail.to(address).length > 0);
    const queued = await outbox();
    const res = await app.http().post('/api/auth/send-email-confirmation').send({ email: address, url: 'https://elsewhere.example/confirm' }).expect(400);
    expect(res.body).toEqual({
      data: null,
      error: { status: 400, name: 'ValidationError', message: 'Unknown field(s): url', details: { errors: [{ path: ['url'], message: 'Unknown field(s): url', name: 'ValidationError' }] } },
    });
    expect(await outbox()).toBe(queued);
    // email alone still resends it
    await app.http().post('/api/auth/send-email-confirmation').send({ email: address }).expect(200);
    expect(await outbox()).toBe(queued + 1);
  });

  it('is not turned away by a mail server that is down: the account is made, and its confirmation arrives once the server is back', async () => {
    const address = 'dee.own@library.example';
    await app.mail.unreachable();
    let res;
    try {
      res = await app.http().post('/api/auth/local/register').send({ email: address, password, firstName: 'Dee', lastName: 'Own' });
    } finally {
      await app.mail.reachable();
    }
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: address, confirmed: false });
    // the next delivery run (its backoff passed) sends it
    await app.strapi.service('api::outbox-message.outbox').deliverDue({ now: new Date(Date.now() + 3_600_000) });
    const [mail] = await app.mail.waitFor(() => app.mail.to(address).length > 0).then(() => app.mail.to(address));
    expect(mail.subject).toBe('Confirm your Library Learning account');
    expect(mail.from).toContain('Library Learning');
    const link = linkIn(mail.html, '/api/auth/email-confirmation');
    expect((await app.http().get(link.pathname + link.search)).status).toBe(302);
    await app.http().post('/api/auth/local').send({ identifier: address, password }).expect(200);
  });

  it('names the missing field', async () => {
    const res = await app.http().post('/api/auth/local/register').send({ email: 'nameless@library.example', password }).expect(400);
    expect(res.body.error.message).toMatch(/firstName/);
    const noEmail = await app.http().post('/api/auth/local/register').send({ password, firstName: 'A', lastName: 'B' }).expect(400);
    expect(noEmail.body.error.message).toMatch(/email/);
  });
});

describe('password reset by email', () => {
  it('emails a link whose code sets a new password; the old one stops working', async () => {
    const user = await app.createUser('guest');
    app.mail.clear();
    await app.http().post('/api/auth/forgot-password').send({ email: user.email }).expect(200);
    const [mail] = await app.mail.waitFor(() => app.mail.to(user.email).length > 0).then(() => app.mail.to(user.email));
    expect(mail.subject).toBe('Set your Library Learning password');
    const link = linkIn(mail.html, '/account/reset-password');
    expect(link.origin).toBe('http://localhost:1337');
    const code = link.searchParams.get('code');
    expect(code).toBeTruthy();
    expect(keepsSecret(await sentRow(app, user.email, mail.subject), code!)).toBe(false);

    const bad = await app.http().post('/api/auth/reset-password').send({ code: 'nope', password: 'N3w-passphrase!', passwordConfirmation: 'N3w-passphrase!' }).expect(400);
    expect(bad.body.error.message).toMatch(/code/i);
    const reset = await app.http().post('/api/auth/reset-password').send({ code, password: 'N3w-passphrase!', passwordConfirmation: 'N3w-passphrase!' }).expect(200);
    expect(reset.body.jwt).toEqual(expect.any(String));
    await app.http().post('/api/auth/local').send({ identifier: user.email, password: user.password }).expect(400);
    await app.http().post('/api/auth/local').send({ identifier: user.email, password: 'N3w-passphrase!' }).expect(200);
    // the code works once
    await app.http().post('/api/auth/reset-password').send({ code, password: 'Th1rd-passphrase!', passwordConfirmation: 'Th1rd-passphrase!' }).expect(400);
  });

  it('asked while the mail server is down: answered as usual, and the link arrives once the server is back', async () => {
    const user = await app.createUser('guest');
    app.mail.clear();
    await app.mail.unreachable();
    let res;
    try {
      res = await app.http().post('/api/auth/forgot-password').send({ email: user.email });
    } finally {
      await app.mail.reachable();
    }
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { ok: true } });
    await app.strapi.service('api::outbox-message.outbox').deliverDue({ now: new Date(Date.now() + 3_600_000) });
    const [mail] = await app.mail.waitFor(() => app.mail.to(user.email).length > 0).then(() => app.mail.to(user.email));
    const code = linkIn(mail.html, '/account/reset-password').searchParams.get('code');
    await app.http().post('/api/auth/reset-password').send({ code, password: 'N3w-passphrase!', passwordConfirmation: 'N3w-passphrase!' }).expect(200);
  });

  it('answers an unknown address the same, and emails it how to sign up (L2: "you will be prompted to create an account")', async () => {
    const user = await app.createUser('guest');
    app.mail.clear();
    const known = await app.http().post('/api/auth/forgot-password').send({ email: user.email }).expect(200);
    const unknown = await app.http().post('/api/auth/forgot-password').send({ email: 'Nobody@Library.example' }).expect(200);
    expect(unknown.body).toEqual(known.body);
    await app.mail.waitFor(() => app.mail.to('nobody@library.example').length > 0);
    const [prompt] = app.mail.to('nobody@library.example');
    expect(prompt.subject).toBe('No Library Learning account for this address');
    expect(linkIn(prompt.html, '/account/sign-up').origin).toBe('http://localhost:1337');
    expect(prompt.text).toMatch(/Find Colleagues/);
    expect(prompt.text).not.toMatch(/code=/);
    // asked again the same day: answered the same, and no second message (the form is no way to flood an inbox)
    await app.http().post('/api/auth/forgot-password').send({ email: 'nobody@library.example' }).expect(200);
    const outbox = await app.strapi.db.query('api::outbox-message.outbox-message').count({ where: { to: 'nobody@library.example' } });
    expect(outbox).toBe(1);
    // the person with an account gets the password link, not the prompt
    await app.mail.waitFor(() => app.mail.to(user.email).length > 0);
    expect(app.mail.to(user.email).map((m) => m.subject)).toEqual(['Set your Library Learning password']);
  });
});

describe('rate limit on the auth routes', () => {
  it('answers 429 after too many sign-in attempts for one identifier', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      statuses.push((await app.http().post('/api/auth/local').send({ identifier: 'brute@library.example', password: `guess-${i}` })).status);
    }
    expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
    expect(statuses[statuses.length - 1]).toBe(429);
  });
});
