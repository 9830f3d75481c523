import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;

/** The paths of a 4xx's details.errors, as the rest of the API gives them (details.field was these routes' own shape). */
const errorPaths = (res: { body: any }) => (res.body?.error?.details?.errors ?? []).map((e: { path: string[] }) => e.path);

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
});

const apply = (user: TestUser | null, data: Record<string, unknown>) => app.as(user).post('/api/mentorship-applications').send({ data });

const mentee = (over: Record<string, unknown> = {}) => ({
  role: 'mentee', yearsExperience: 2, membership: 'ila-personal', employedInLibrary: true, goals: 'Learn to run a branch', interests: ['youth services'], ...over,
});
const mentor = (over: Record<string, unknown> = {}) => ({
  role: 'mentor', yearsExperience: 10, membership: 'ila-personal', employedInLibrary: false, goals: 'Give back', interests: ['youth services'], ...over,
});

describe('eligibility (ILA program guidelines)', () => {
  it.each([
    ['an ALA student member', mentee({ membership: 'ala-student', yearsExperience: 0, employedInLibrary: false })],
    ['an ILA student member', mentee({ membership: 'ila-student', yearsExperience: 12, employedInLibrary: false })],
    ['an ILA personal member with 4 years who works in a library', mentee({ yearsExperience: 4 })],
  ])('accepts as mentee %s', async (_label, data) => {
    const user = await app.createUser('guest');
    const res = await apply(user, data).expect(201);
    expect(res.body.data).toMatchObject({ role: 'mentee', status: 'submitted' });
  });

  it.each([
    ['an ILA personal member with 5 years', mentee({ yearsExperience: 5 }), /fewer than 5 years/, [['yearsExperience'], ['membership']]],
    ['an ILA personal member not working in a library', mentee({ employedInLibrary: false }), /currently working in a library/, [['employedInLibrary'], ['membership']]],
    ['someone who is not an ALA/ILA member', mentee({ membership: 'none' }), /student member or an ILA personal member/, [['membership']]],
    ['an ILA institutional member', mentee({ membership: 'ila-institutional' }), /student member or an ILA personal member/, [['membership']]],
  ])('refuses as mentee %s with 422 naming the rule and its fields', async (_label, data, rule, paths) => {
    const user = await app.createUser('guest');
    const res = await apply(user, data).expect(422);
    expect(res.body.error.message).toMatch(rule);
    expect(res.body.error.details).toMatchObject({ rule: res.body.error.message, role: 'mentee' });
    // the fields the unmet rule is about, in details.errors[].path as a 400 names its field
    expect(errorPaths(res)).toEqual(paths);
    expect(res.body.error.details.errors[0]).toMatchObject({ message: res.body.error.message, name: 'UnprocessableEntityError' });
    expect(await app.strapi.db.query('api::mentorship-application.mentorship-application').count({ where: { user: { id: user.id } } })).toBe(0);
  });

  it.each([
    ['6 years in the field, not employed', mentor({ yearsExperience: 6 })],
    ['5 years and employed in a library now', mentor({ yearsExperience: 5, employedInLibrary: true })],
  ])('accepts as mentor someone with %s', async (_label, data) => {
    const user = await app.createUser('member');
    await apply(user, data).expect(201);
  });

  it('refuses as mentor someone with 5 years who is not employed in a library', async () => {
    const user = await app.createUser('guest');
    const res = await apply(user, mentor({ yearsExperience: 5 })).expect(422);
    expect(res.body.error.message).toMatch(/at least 6 years/);
    expect(errorPaths(res)).toEqual([['yearsExperience'], ['employedInLibrary']]);
  });

  it('answers 400 naming the field for malformed input, and never takes status or user from the body', async () => {
    const user = await app.createUser('guest');
    expect((await apply(user, mentee({ yearsExperience: -1 })).expect(400)).body.error.message).toContain('yearsExperience');
    expect((await apply(user, mentee({ role: 'boss' })).expect(400)).body.error.message).toContain('role');
    expect((await apply(user, mentee({ status: 'paired' })).expect(400)).body.error.message).toContain('status');
    expect((await apply(user, mentee({ user: 1 })).expect(400)).body.error.message).toContain('user');
    // each names its field in details.errors[].path, as the rest of the API does
    expect(errorPaths(await apply(user, mentee({ yearsExperience: -1 })).expect(400))).toEqual([['yearsExperience']]);
    expect(errorPaths(await apply(user, mentee({ role: 'boss' })).expect(400))).toEqual([['role']]);
  });

  it('allows one open application per role (409) and requires an account', async () => {
    const user = await app.createUser('guest');
    await apply(user, mentee()).expect(201);
    // the 409 names the field in details.errors[].path, as a 400 does
    expect(errorPaths(await apply(user, mentee()).expect(409))).toEqual([['role']]);
    await apply(null, mentee()).expect(403);
  });
});

describe('emails to the applicant', () => {
  const APPLICATION = 'api::mentorship-application.mentorship-application';
  const OUTBOX = 'api::outbox-message.outbox-message';
  const APP_CM = `/content-manager/collection-types/${APPLICATION}`;
  /** The last message queued so far: what a step queues is what comes after it. */
  const lastQueued = async () => (await app.strapi.db.query(OUTBOX).findOne({ select: ['id'], orderBy: { id: 'desc' } }))?.id ?? 0;
  const queuedSince = (id: number) => app.strapi.db.query(OUTBOX).findMany({ where: { id: { $gt: id } }, select: ['to', 'subject'], orderBy: { id: 'asc' } });
  const queuedTo = (who: TestUser) => app.strapi.db.query(OUTBOX).findMany({ where: { to: who.email }, select: ['subject'], orderBy: { id: 'asc' } });

  it('acknowledges a mentee application to the applicant alone: what they applied as, what they filed, and what happens next', async () => {
    const user = await app.createUser('member', { firstName: 'Annie', lastName: 'Applicant' });
    const since = await lastQueued();
    await apply(user, mentee({ interests: ['Youth services', 'Teens <&> Tweens'], region: 'RAILS', libraryType: 'public', goals: 'Run a branch & "grow"' })).expect(201);
    // one message, to the applicant and nobody else
    expect(await queuedSince(since)).toEqual([{ to: user.email, subject: 'Your ILA mentorship application as a mentee was received' }]);
    await app.mail.waitFor(() => app.mail.to(user.email).length >= 1);
    const [mail] = app.mail.to(user.email);
    expect(mail.to).toEqual([user.email]);
    expect(mail.text).toContain('Hello Annie Applicant,');
    expect(mail.text).toContain('Mentorship Program as a mentee');
    for (const line of ['Role: mentee', 'Membership: ILA personal member', 'Years of experience: 2', 'Working in a library now: yes', 'Library type: public', 'Region: RAILS', 'Interests: youth services, teens <&> tweens', 'Goals: Run a branch & "grow"']) {
      expect(mail.text).toContain(line);
    }
    // what the program does next (ILA: staff review, a six-month pairing with an experienced professional, the check-in)
    expect(mail.text).toMatch(/What happens next: program staff review your application/);
    expect(mail.text).toMatch(/experienced professional/);
    expect(mail.text).toMatch(/six months/);
    expect(mail.text).not.toMatch(/Mentees at a time/);
    // the HTML part shows what they typed, escaped, in paragraphs
    expect(mail.html).toContain('teens &lt;&amp;&gt; tweens');
    expect(mail.html).toContain('Run a branch &amp; &quot;grow&quot;');
    expect(mail.html).not.toContain('<&>');
    expect(mail.html).toMatch(/^<p>Hello Annie Applicant,<\/p>/);
  });

  it("acknowledges a mentor application with the mentor's answers", async () => {
    const user = await app.createUser('member', { firstName: 'Morgan', lastName: 'Mentor' });
    const since = await lastQueued();
    await apply(user, mentor({ maxMentees: 2, employedInLibrary: true, interests: ['cataloging'] })).expect(201);
    expect(await queuedSince(since)).toEqual([{ to: user.email, subject: 'Your ILA mentorship application as a mentor was received' }]);
    await app.mail.waitFor(() => app.mail.to(user.email).length >= 1);
    const [mail] = app.mail.to(user.email);
    for (const line of ['Role: mentor', 'Years of experience: 10', 'Interests: cataloging', 'Mentees at a time: up to 2', 'Goals: Give back']) expect(mail.text).toContain(line);
    expect(mail.text).toMatch(/pairing with a mentee \(up to 2 at a time/);
  });

  it('sends nothing for an application refused with a 4xx (ineligible, malformed, a second open one)', async () => {
    const user = await app.createUser('guest');
    await apply(user, mentee({ membership: 'none' })).expect(422);
    await apply(user, mentee({ yearsExperience: -1 })).expect(400);
    expect(await queuedTo(user)).toEqual([]);
    await apply(user, mentee()).expect(201);
    await apply(user, mentee()).expect(409);
    // the one application stored is the one acknowledged
    expect(await queuedTo(user)).toEqual([{ subject: 'Your ILA mentorship application as a mentee was received' }]);
    await app.mail.waitFor(() => app.mail.to(user.email).length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.mail.to(user.email)).toHaveLength(1);
  });

  it("tells the applicant staff's decision once per change, kindly when declined; an application staff enter for someone is not acknowledged", async () => {
    const { token: staff } = await app.createAdmin('decisions@ila.example', 'll-membership-staff');
    const user = await app.createUser('member', { firstName: 'Dee', lastName: 'Cided' });
    // entered in the admin panel on the person's behalf: no acknowledgement (as an affiliation staff add)
    const created = await app.as(staff).post(APP_CM).send({
      user: { connect: [{ id: user.id, documentId: user.documentId }], disconnect: [] }, role: 'mentee', yearsExperience: 1, membership: 'ila-student', employedInLibrary: false, status: 'submitted',
    }).expect(201);
    const documentId = created.body.data.documentId;
    expect(await queuedTo(user)).toEqual([]);

    await app.as(staff).put(`${APP_CM}/${documentId}`).send({ status: 'accepted' }).expect(200);
    // saved again unchanged: no second email
    await app.as(staff).put(`${APP_CM}/${documentId}`).send({ status: 'accepted', region: 'IHLS' }).expect(200);
    expect(await queuedTo(user)).toEqual([{ subject: 'Your ILA mentorship application as a mentee was accepted' }]);

    await app.as(staff).put(`${APP_CM}/${documentId}`).send({ status: 'declined' }).expect(200);
    expect(await queuedTo(user)).toEqual([
      { subject: 'Your ILA mentorship application as a mentee was accepted' },
      { subject: 'Your ILA mentorship application as a mentee was not accepted' },
    ]);
    await app.mail.waitFor(() => app.mail.to(user.email).length >= 2);
    const [accepted, declined] = app.mail.to(user.email);
    expect(accepted.text).toMatch(/Program staff accepted your application/);
    expect(accepted.text).toMatch(/six months/);
    expect(declined.text).toContain('Hello Dee Cided,');
    expect(declined.text).toMatch(/Thank you for applying/);
    expect(declined.text).toMatch(/welcome to apply again/);

    // an application put back to accepted by its pairing (one ended early) is not a decision: the pairing's email told them
    await app.strapi.db.query(APPLICATION).update({ where: { documentId }, data: { status: 'paired' } });
    await app.strapi.documents(APPLICATION).update({ documentId, data: { status: 'accepted' } as never });
    expect(await queuedTo(user)).toHaveLength(2);
  });
});

describe('pairings', () => {
  let menteeUser: TestUser;
  let menteeApp: string;
  const mentors: { user: TestUser; app: string }[] = [];

  beforeAll(async () => {
    menteeUser = await app.createUser('member', { firstName: 'Libby', lastName: 'Stacks' });
    menteeApp = (await apply(menteeUser, mentee({ interests: ['youth services', 'grant writing'], region: 'IHLS', libraryType: 'public' })).expect(201)).body.data.documentId;
    const specs = [
      { firstName: 'Della', interests: ['youth services', 'grant writing'], region: 'IHLS', libraryType: 'public' },
      { firstName: 'Otto', interests: ['youth services'], region: 'RAILS', libraryType: 'academic' },
      { firstName: 'Ruth', interests: ['cataloging'], region: 'RAILS', libraryType: 'public' },
    ];
    for (const s of specs) {
      const user = await app.createUser('member', { firstName: s.firstName, lastName: 'Mentor' });
      const res = await apply(user, mentor({ interests: s.interests, region: s.region, libraryType: s.libraryType })).expect(201);
      mentors.push({ user, app: res.body.data.documentId });
    }
    // each applicant's acknowledgement in first: the steps below count the pairing's emails
    await app.mail.waitFor(() => [menteeUser, ...mentors.map((m) => m.user)].every((u) => app.mail.to(u.email).length >= 1));
  });

  it('ranks suggested mentors by shared interests, region and library type', async () => {
    const suggestions = await app.strapi.service('api::mentorship-pairing.pairings').suggestMentors(menteeApp);
    const names = suggestions.map((s) => s.name);
    // Della shares both interests, the region and the library type; Otto one interest; Ruth only the library type
    expect(names[0]).toBe('Della Mentor');
    expect(names.indexOf('Otto Mentor')).toBeLessThan(names.indexOf('Ruth Mentor'));
    expect(suggestions.find((s) => s.name === 'Ruth Mentor')).toMatchObject({ sharedInterests: [], sameRegion: false, sameLibraryType: true });
    expect(suggestions[0]).toMatchObject({ sharedInterests: ['youth services', 'grant writing'], sameRegion: true, sameLibraryType: true });
  });

  it('shows membership staff the ranked suggestions in the admin API, and nobody else', async () => {
    const { token } = await app.createAdmin('mentoring@ila.example', 'll-membership-staff');
    const res = await app.http().get(`/membership/mentorship/suggestions/${menteeApp}?limit=2`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.data.map((s) => s.name)).toEqual(['Della Mentor', expect.any(String)]);
    await app.http().get(`/membership/mentorship/suggestions/${menteeApp}?limit=500`).set('Authorization', `Bearer ${token}`).expect(400);
    await app.http().get(`/membership/mentorship/suggestions/${menteeApp}`).set('Authorization', `Bearer ${menteeUser.jwt}`).expect(401);
    const { token: editor } = await app.createAdmin('editor@ila.example', 'strapi-editor');
    await app.http().get(`/membership/mentorship/suggestions/${menteeApp}`).set('Authorization', `Bearer ${editor}`).expect(403);
  });

  it('goes proposed → active → completed with an email to both at each step, and a six-month term', async () => {
    app.mail.clear();
    const della = mentors[0];
    const pairing = await app.strapi.documents('api::mentorship-pairing.mentorship-pairing').create({
      data: { mentor: della.user.documentId, mentee: menteeUser.documentId, mentorApplication: della.app, menteeApplication: menteeApp } as never,
    });
    expect(pairing).toMatchObject({ status: 'proposed' });
    await app.mail.waitFor((m) => m.length >= 2);
    expect(app.mail.to(della.user.email)[0].subject).toMatch(/proposed/);
    expect(app.mail.to(menteeUser.email)[0].subject).toMatch(/proposed/);

    const active = await app.strapi.documents('api::mentorship-pairing.mentorship-pairing').update({
      documentId: pairing.documentId, data: { status: 'active', startDate: '2027-01-04' } as never,
    });
    expect(active).toMatchObject({ status: 'active', startDate: '2027-01-04', endDate: '2027-07-04' });
    await app.mail.waitFor((m) => m.length >= 4);
    expect(app.mail.to(menteeUser.email)[1].text).toContain(della.user.email);
    expect(app.mail.to(menteeUser.email)[1].text).toContain('January 4, 2027 to July 4, 2027');

    // a mentor at their limit is no longer suggested
    const names = (await app.strapi.service('api::mentorship-pairing.pairings').suggestMentors(menteeApp)).map((s) => s.name);
    expect(names).not.toContain('Della Mentor');

    // mid-term check-in, once
    const pairings = app.strapi.service('api::mentorship-pairing.pairings');
    expect(await pairings.sendCheckIns('2027-03-01')).toBe(0);
    expect(await pairings.sendCheckIns('2027-04-05')).toBe(1);
    expect(await pairings.sendCheckIns('2027-04-06')).toBe(0);
    await app.mail.waitFor((m) => m.length >= 6);
    expect(app.mail.to(della.user.email).find((m) => m.subject === 'Mentorship check-in: halfway through your term')!.text).toContain('(ends July 4, 2027)');

    // the pairing is visible to both people
    const mine = await app.as(menteeUser).get('/api/me/mentorship').expect(200);
    expect(mine.body.data.pairings[0]).toMatchObject({ status: 'active', role: 'mentee', mentor: expect.objectContaining({ firstName: 'Della' }) });
    expect(mine.body.data.applications[0]).toMatchObject({ role: 'mentee' });

    await app.strapi.documents('api::mentorship-pairing.mentorship-pairing').update({ documentId: pairing.documentId, data: { status: 'completed' } as never });
    await app.mail.waitFor((m) => m.length >= 8);
    expect(app.mail.to(menteeUser.email).at(-1)!.subject).toMatch(/complete/);
  });

  it('refuses a transition the lifecycle does not allow', async () => {
    const otto = mentors[1];
    // Libby's application served the completed term above: a new pairing takes a new application
    await apply(menteeUser, mentee()).expect(201);
    const pairing = await app.strapi.documents('api::mentorship-pairing.mentorship-pairing').create({
      data: { mentor: otto.user.documentId, mentee: menteeUser.documentId, status: 'proposed' } as never,
    });
    await app.strapi.documents('api::mentorship-pairing.mentorship-pairing').update({ documentId: pairing.documentId, data: { status: 'ended-early', endedReason: 'Schedules did not fit' } as never });
    await expect(
      app.strapi.documents('api::mentorship-pairing.mentorship-pairing').update({ documentId: pairing.documentId, data: { status: 'active' } as never })
    ).rejects.toThrow(/cannot become active/);
  });

  it('keeps other people out of /api/me/mentorship', async () => {
    const stranger = await app.createUser('member');
    const res = await app.as(stranger).get('/api/me/mentorship').expect(200);
    expect(res.body.data).toEqual({ applications: [], pairings: [] });
    await app.as(null).get('/api/me/mentorship').expect(403);
  });
});

describe('pairing rules, for every writer (admin panel, scripts, the term job)', () => {
  const PAIRING = 'api::mentorship-pairing.mentorship-pairing';
  const APPLICATION = 'api::mentorship-application.mentorship-application';
  const CM = `/content-manager/collection-types/${PAIRING}`;
  let staff: string;

  beforeAll(async () => {
    staff = (await app.createAdmin('pairings@ila.example', 'll-membership-staff')).token;
  });

  interface Applicant { user: TestUser; app: { id: number; documentId: string } }
  let people = 0;
  const applicant = async (role: 'mentor' | 'mentee', over: Record<string, unknown> = {}): Promise<Applicant> => {
    people += 1;
    const user = await app.createUser('member', { firstName: role === 'mentor' ? 'Mona' : 'Manny', lastName: `${role === 'mentor' ? 'Mentor' : 'Mentee'} ${people}` });
    const res = await apply(user, role === 'mentor' ? mentor(over) : mentee(over)).expect(201);
    // the acknowledgement in first: the tests below look at the pairing's emails
    await app.mail.waitFor(() => app.mail.to(user.email).length >= 1);
    return { user, app: await app.strapi.db.query(APPLICATION).findOne({ where: { documentId: res.body.data.documentId }, select: ['id', 'documentId'] }) };
  };
  const rel = (doc: { id: number; documentId: string }) => ({ connect: [{ id: doc.id, documentId: doc.documentId }], disconnect: [] });
  /** The admin panel's create form (Content Manager → Mentorship pairing → Create). */
  const propose = (m: Partial<Applicant> & { user: TestUser }, e: Partial<Applicant> & { user: TestUser }) =>
    app.as(staff).post(CM).send({
      mentor: rel(m.user), mentee: rel(e.user), ...(m.app ? { mentorApplication: rel(m.app) } : {}), ...(e.app ? { menteeApplication: rel(e.app) } : {}),
    });
  /** A script's write: a pairing started on a chosen date. */
  const startPairing = async (m: Applicant, e: Applicant, startDate: string) =>
    (await app.strapi.documents(PAIRING).create({ data: { mentor: m.user.documentId, mentee: e.user.documentId, status: 'active', startDate } as never })) as unknown as { documentId: string; startDate: string; endDate: string };
  const pairingsOf = (who: TestUser) => app.strapi.db.query(PAIRING).count({ where: { $or: [{ mentor: { id: who.id } }, { mentee: { id: who.id } }] } });
  const setStatus = (documentId: string, status: string) => app.strapi.db.query(APPLICATION).update({ where: { documentId }, data: { status } });

  it('pairs two people who hold open applications of their roles, filling in the applications the form left out', async () => {
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const res = await propose({ user: m.user }, { user: e.user });
    expect(res.status).toBe(201);
    const row = await app.strapi.db.query(PAIRING).findOne({ where: { documentId: res.body.data.documentId }, populate: { mentorApplication: true, menteeApplication: true } });
    expect(row).toMatchObject({ status: 'proposed', mentorApplication: { documentId: m.app.documentId }, menteeApplication: { documentId: e.app.documentId } });
  });

  it('staff replacing the mentor of an active pairing: the new mentor and the mentee are told (with each other\'s contact), the mentor taken out is told they no longer are', async () => {
    const [m1, m2] = [await applicant('mentor'), await applicant('mentor')];
    const e = await applicant('mentee');
    const started = await startPairing(m1, e, '2027-02-01');
    const toldStarted = (who: Applicant) => app.mail.to(who.user.email).some((m) => m.subject === 'Your mentorship pairing has started');
    await app.mail.waitFor(() => toldStarted(e) && toldStarted(m1));
    app.mail.clear();
    await app.strapi.documents(PAIRING).update({ documentId: started.documentId, data: { mentor: m2.user.documentId, mentorApplication: m2.app.documentId } as never });
    await app.mail.waitFor(() => [m1, m2, e].every((p) => app.mail.to(p.user.email).length >= 1));
    const [toNew] = app.mail.to(m2.user.email);
    expect(toNew.subject).toBe('Your mentorship pairing has started');
    expect(toNew.text).toContain(e.user.email);
    const [toMentee] = app.mail.to(e.user.email);
    expect(toMentee.text).toContain(`(mentor, ${m2.user.email})`);
    const [toOld] = app.mail.to(m1.user.email);
    expect(toOld.subject).toBe('You are no longer in a mentorship pairing');
    expect(toOld.text).toMatch(/^Program staff have changed the active mentorship pairing with Manny Mentee \d+: you are no longer part of it\./);
    // the mentor taken out is not given the mentee's or the new mentor's address
    expect(toOld.text).not.toContain(e.user.email);
    expect(toOld.text).not.toContain(m2.user.email);
  });

  it('refuses, with a 4xx naming the rule and nothing stored, people without an open, eligible application of their role, or one person twice', async () => {
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const outsider = await app.createUser('member');

    const noApplication = await propose({ user: m.user }, { user: outsider });
    expect(noApplication.status).toBe(422);
    expect(noApplication.body.error.message).toMatch(/no open mentee application/);
    // 409s and 422s name their field where a 400 does: details.errors[].path
    expect(errorPaths(noApplication)).toEqual([['mentee']]);

    const wrongRole = await propose({ user: e.user, app: e.app }, { user: outsider });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body.error.message).toMatch(/mentorApplication.*mentee application/);

    const notTheirs = await propose({ user: m.user }, { user: outsider, app: e.app });
    expect(notTheirs.status).toBe(400);
    expect(notTheirs.body.error.message).toMatch(/menteeApplication.*not .*application/);

    await setStatus(m.app.documentId, 'withdrawn');
    const withdrawn = await propose(m, e);
    expect(withdrawn.status).toBe(422);
    expect(withdrawn.body.error.message).toMatch(/mentor application is withdrawn/);
    expect(errorPaths(withdrawn)).toEqual([['mentorApplication']]);
    await setStatus(m.app.documentId, 'accepted');

    await setStatus(e.app.documentId, 'declined');
    expect((await propose(m, e)).status).toBe(422);
    await setStatus(e.app.documentId, 'accepted');

    // staff edited the application after it was filed: the ILA rule no longer holds
    await app.strapi.db.query(APPLICATION).update({ where: { documentId: e.app.documentId }, data: { yearsExperience: 9 } });
    const ineligible = await propose(m, e);
    expect(ineligible.status).toBe(422);
    expect(ineligible.body.error.message).toMatch(/fewer than 5 years/);
    await app.strapi.db.query(APPLICATION).update({ where: { documentId: e.app.documentId }, data: { yearsExperience: 2 } });

    // one person with both applications cannot mentor themselves
    const both = await applicant('mentee');
    const asMentor = (await apply(both.user, mentor()).expect(201)).body.data.documentId;
    const self = await propose({ user: both.user, app: await app.strapi.db.query(APPLICATION).findOne({ where: { documentId: asMentor }, select: ['id', 'documentId'] }) }, both);
    expect(self.status).toBe(422);
    expect(self.body.error.message).toMatch(/two different people/);
    expect(errorPaths(self)).toEqual([['mentee']]);

    for (const who of [m.user, e.user, outsider, both.user]) expect(await pairingsOf(who)).toBe(0);
    // scripts are held to the same rules
    await expect(app.strapi.documents(PAIRING).create({ data: { mentor: m.user.documentId, mentee: outsider.documentId } as never })).rejects.toThrow(/no open mentee application/);
  });

  it("saves a status set in the admin panel's form, held to the same rules (the form shows it back)", async () => {
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const proposed = (await propose(m, e).expect(201)).body.data.documentId;
    const activated = await app.as(staff).put(`${CM}/${proposed}`).send({ status: 'active', startDate: '2027-01-04' }).expect(200);
    expect(activated.body.data).toMatchObject({ status: 'active', startDate: '2027-01-04', endDate: '2027-07-04' });
    expect((await app.as(staff).get(`${CM}/${proposed}`).expect(200)).body.data).toMatchObject({ status: 'active' });
    expect((await app.as(staff).get(CM).expect(200)).body.results.find((r: any) => r.documentId === proposed)).toMatchObject({ status: 'active' });

    // a second pairing made active in the form is refused like any other writer's (mentee already paired)
    const other = await applicant('mentor', { maxMentees: 3 });
    const created = await app.as(staff).post(CM).send({ mentor: rel(other.user), mentee: rel(e.user), status: 'active' });
    expect(created.status).toBe(409);
    expect(created.body.error.message).toMatch(/one pairing at a time/);

    // an application's status is saved from its form too
    const APP_CM = `/content-manager/collection-types/${APPLICATION}`;
    const later = await applicant('mentee');
    await app.as(staff).put(`${APP_CM}/${later.app.documentId}`).send({ status: 'declined' }).expect(200);
    expect((await app.strapi.db.query(APPLICATION).findOne({ where: { documentId: later.app.documentId } })).status).toBe('declined');
  });

  it("keeps an application's status with its pairings when staff edit it in the admin panel: end the pairing first; paired and completed are never set by hand", async () => {
    const APP_CM = `/content-manager/collection-types/${APPLICATION}`;
    const OUTBOX = 'api::outbox-message.outbox-message';
    const subjectsTo = async (who: TestUser) => (await app.strapi.db.query(OUTBOX).findMany({ where: { to: who.email }, select: ['subject'], orderBy: { id: 'asc' } })).map((m: { subject: string }) => m.subject);
    const appStatus = async (a: Applicant) => (await app.strapi.db.query(APPLICATION).findOne({ where: { id: a.app.id }, select: ['status'] })).status;
    const pairingStatus = async (documentId: string) => (await app.strapi.db.query(PAIRING).findOne({ where: { documentId }, select: ['status'] })).status;
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const pairing = (await propose(m, e).expect(201)).body.data.documentId;
    await app.as(staff).put(`${CM}/${pairing}`).send({ status: 'active', startDate: '2027-01-04' }).expect(200);
    expect([await appStatus(m), await appStatus(e)]).toEqual(['paired', 'paired']);
    const emailsBefore = await subjectsTo(e.user);

    // while the pairing runs, the mentee's application stays paired: a decline (or any other status) is refused,
    // naming status and saying what to do, with nothing stored and no email
    for (const status of ['declined', 'accepted', 'submitted', 'withdrawn', 'completed']) {
      const res = await app.as(staff).put(`${APP_CM}/${e.app.documentId}`).send({ status, region: 'RAILS' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ status: 409, name: 'ConflictError', details: { field: 'status', allowed: ['paired'] } });
      expect(res.body.error.message).toMatch(/active pairing with Mona Mentor .*end the pairing first/);
      expect(errorPaths(res)).toEqual([['status']]);
    }
    // the mentor's side too
    expect((await app.as(staff).put(`${APP_CM}/${m.app.documentId}`).send({ status: 'declined' })).status).toBe(409);
    expect([await appStatus(m), await appStatus(e)]).toEqual(['paired', 'paired']);
    expect((await app.strapi.db.query(APPLICATION).findOne({ where: { id: e.app.id }, select: ['region'] })).region).toBeNull();
    expect(await pairingStatus(pairing)).toBe('active');
    expect(await subjectsTo(e.user)).toEqual(emailsBefore);
    // a script is held to the same rule
    await expect(app.strapi.documents(APPLICATION).update({ documentId: e.app.documentId, data: { status: 'declined' } as never })).rejects.toThrow(/end the pairing first/);
    // nor copied onto a Duplicate, which no pairing holds
    const copy = await app.as(staff).post(`${APP_CM}/clone/${e.app.documentId}`).send({});
    expect(copy.status).toBe(409);
    expect(copy.body.error.message).toMatch(/paired when a pairing of it starts/);
    expect(await app.strapi.db.query(APPLICATION).count({ where: { user: { id: e.user.id } } })).toBe(1);
    // saving the form with its status unchanged still works
    await app.as(staff).put(`${APP_CM}/${e.app.documentId}`).send({ status: 'paired', region: 'RAILS' }).expect(200);

    // ended early, the application is accepted again and staff may decline it: the applicant is told then
    await app.as(staff).put(`${CM}/${pairing}`).send({ status: 'ended-early', endedReason: 'Mentee left the field' }).expect(200);
    expect(await appStatus(e)).toBe('accepted');
    await app.as(staff).put(`${APP_CM}/${e.app.documentId}`).send({ status: 'declined' }).expect(200);
    expect((await subjectsTo(e.user)).at(-1)).toBe('Your ILA mentorship application as a mentee was not accepted');

    // a proposed pairing holds its applications open: accepting is fine, declining or withdrawing waits for its end
    const e2 = await applicant('mentee');
    await propose(m, e2).expect(201);
    await app.as(staff).put(`${APP_CM}/${e2.app.documentId}`).send({ status: 'accepted' }).expect(200);
    const declined = await app.as(staff).put(`${APP_CM}/${e2.app.documentId}`).send({ status: 'declined' });
    expect(declined.status).toBe(409);
    expect(declined.body.error.message).toMatch(/proposed pairing with Mona Mentor .*end the pairing first/);
    expect(await appStatus(e2)).toBe('accepted');
    expect((await subjectsTo(e2.user)).filter((s) => /not accepted/.test(s))).toEqual([]);

    // paired and completed come from pairings only: never set by hand on an application no such pairing holds
    const loner = await applicant('mentee');
    for (const status of ['paired', 'completed']) {
      const res = await app.as(staff).put(`${APP_CM}/${loner.app.documentId}`).send({ status });
      expect(res.status).toBe(409);
      expect(errorPaths(res)).toEqual([['status']]);
      expect(res.body.error.message).toMatch(/not by hand/);
    }
    expect(await appStatus(loner)).toBe('submitted');
    // nor on one entered in the admin panel: nothing stored
    const outsider = await app.createUser('member');
    const created = await app.as(staff).post(APP_CM).send({
      user: { connect: [{ id: outsider.id, documentId: outsider.documentId }], disconnect: [] }, role: 'mentee', yearsExperience: 1, membership: 'ila-student', employedInLibrary: false, status: 'paired',
    });
    expect(created.status).toBe(409);
    expect(await app.strapi.db.query(APPLICATION).count({ where: { user: { id: outsider.id } } })).toBe(0);
  });

  it('refuses deleting an application a proposed or active pairing holds (its Delete and the bulk delete): end the pairing first; one an ended pairing held may go', async () => {
    const APP_CM = `/content-manager/collection-types/${APPLICATION}`;
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const pairing = (await propose(m, e).expect(201)).body.data.documentId;
    const exists = async (a: Applicant) => app.strapi.db.query(APPLICATION).count({ where: { id: a.app.id } });
    const heldBy = async () => app.strapi.db.query(PAIRING).findOne({ where: { documentId: pairing }, populate: { mentorApplication: { select: ['documentId'] }, menteeApplication: { select: ['documentId'] } } });

    for (const status of ['proposed', 'active']) {
      if (status === 'active') await app.as(staff).put(`${CM}/${pairing}`).send({ status: 'active', startDate: '2027-01-04' }).expect(200);
      for (const a of [e, m]) {
        const res = await app.as(staff).delete(`${APP_CM}/${a.app.documentId}`);
        expect(res.status).toBe(409);
        expect(res.body.error).toMatchObject({ status: 409, name: 'ConflictError', details: { application: a.app.documentId, pairingStatus: status } });
        expect(res.body.error.message).toContain(`application (${a.app.documentId}) is in a ${status} pairing with`);
        expect(res.body.error.message).toMatch(/end the pairing first/);
      }
      // the list's bulk delete, with an application no pairing holds: refused as a whole, nothing deleted
      const loose = await applicant('mentee');
      const bulk = await app.as(staff).post(`${APP_CM}/actions/bulkDelete`).send({ documentIds: [loose.app.documentId, e.app.documentId] });
      expect(bulk.status).toBe(409);
      expect(bulk.body.error.message).toMatch(/end the pairing first/);
      expect([await exists(e), await exists(m), await exists(loose)]).toEqual([1, 1, 1]);
      expect(await heldBy()).toMatchObject({ status, mentorApplication: { documentId: m.app.documentId }, menteeApplication: { documentId: e.app.documentId } });
    }
    // a script is held to it too
    await expect(app.strapi.documents(APPLICATION).delete({ documentId: e.app.documentId })).rejects.toThrow(/end the pairing first/);

    // ended, the pairing holds no place: its applications may be deleted, and the pairing still reads with its people
    await app.as(staff).put(`${CM}/${pairing}`).send({ status: 'ended-early', endedReason: 'Moved away' }).expect(200);
    await app.as(staff).delete(`${APP_CM}/${e.app.documentId}`).expect(200);
    await app.as(staff).post(`${APP_CM}/actions/bulkDelete`).send({ documentIds: [m.app.documentId] }).expect(200);
    expect([await exists(e), await exists(m)]).toEqual([0, 0]);
    expect((await app.as(staff).get(`${CM}/${pairing}`).expect(200)).body.data).toMatchObject({ status: 'ended-early' });
    expect((await app.as(staff).get(CM).expect(200)).body.results.find((r: any) => r.documentId === pairing)).toMatchObject({ status: 'ended-early' });
    const mine = (await app.as(e.user).get('/api/me/mentorship').expect(200)).body.data;
    expect(mine.applications).toEqual([]);
    expect(mine.pairings).toEqual([expect.objectContaining({ documentId: pairing, status: 'ended-early', role: 'mentee', mentor: expect.objectContaining({ documentId: m.user.documentId }) })]);
  });

  it('gives a person one open application per role when staff enter, Duplicate or reopen one in the admin panel, as apply does (409 naming role), also two at once', async () => {
    const APP_CM = `/content-manager/collection-types/${APPLICATION}`;
    const form = (who: TestUser, over: Record<string, unknown> = {}) => ({
      user: { connect: [{ id: who.id, documentId: who.documentId }], disconnect: [] }, role: 'mentee', yearsExperience: 1, membership: 'ila-student', employedInLibrary: false, status: 'submitted', ...over,
    });
    const openOf = (who: TestUser, role = 'mentee') => app.strapi.db.query(APPLICATION).count({ where: { user: { id: who.id }, role, status: { $in: ['submitted', 'accepted', 'paired'] } } });
    const e = await applicant('mentee');

    // entered for someone with an open mentee application: refused as their own second one would be
    for (const status of ['submitted', 'accepted']) {
      const res = await app.as(staff).post(APP_CM).send(form(e.user, { status }));
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ status: 409, name: 'ConflictError', details: { field: 'role' } });
      expect(errorPaths(res)).toEqual([['role']]);
      expect(res.body.error.message).toContain(`already has an open mentee application (${e.app.documentId}, submitted)`);
    }
    // a Duplicate of it, or one staff move to that person
    const copy = await app.as(staff).post(`${APP_CM}/clone/${e.app.documentId}`).send({});
    expect(copy.status).toBe(409);
    expect(errorPaths(copy)).toEqual([['role']]);
    expect(await openOf(e.user)).toBe(1);
    expect(await app.strapi.db.query(APPLICATION).count({ where: { user: { id: e.user.id } } })).toBe(1);
    // another role, or a closed one, is fine
    const asMentor = await app.as(staff).post(APP_CM).send(form(e.user, { role: 'mentor', yearsExperience: 8, membership: 'ila-personal' })).expect(201);
    const declined = await app.as(staff).post(APP_CM).send(form(e.user, { status: 'declined' })).expect(201);
    // ... until reopened, or turned into a second mentee application
    const reopen = await app.as(staff).put(`${APP_CM}/${declined.body.data.documentId}`).send({ status: 'accepted' });
    expect(reopen.status).toBe(409);
    expect(errorPaths(reopen)).toEqual([['role']]);
    const turned = await app.as(staff).put(`${APP_CM}/${asMentor.body.data.documentId}`).send({ role: 'mentee' });
    expect(turned.status).toBe(409);
    expect([await openOf(e.user), await openOf(e.user, 'mentor')]).toEqual([1, 1]);
    // and the applicant's own route still says it in their words
    expect((await apply(e.user, mentee()).expect(409)).body.error.message).toBe('You already have an open mentee application');

    // two staff entering one person's application at the same moment: one is stored
    const newcomer = await app.createUser('member');
    const results = await Promise.all([app.as(staff).post(APP_CM).send(form(newcomer)), app.as(staff).post(APP_CM).send(form(newcomer))]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await openOf(newcomer)).toBe(1);
    // withdrawn, the open one makes room for another
    await app.as(staff).put(`${APP_CM}/${e.app.documentId}`).send({ status: 'withdrawn' }).expect(200);
    await app.as(staff).put(`${APP_CM}/${declined.body.data.documentId}`).send({ status: 'accepted' }).expect(200);
  });

  it("gives a Duplicate the status staff chose in its form, held to the rules a create is (not the source's status)", async () => {
    const APP_CM = `/content-manager/collection-types/${APPLICATION}`;
    const statusOf = async (documentId: string) => (await app.strapi.db.query(APPLICATION).findOne({ where: { documentId }, select: ['status'] })).status;
    const e = await applicant('mentee');
    // a copy of the person's open application, closed in the form (e.g. kept as a record): stored with that status
    const withdrawn = await app.as(staff).post(`${APP_CM}/clone/${e.app.documentId}`).send({ status: 'withdrawn', goals: 'Copy kept for the record' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.data).toMatchObject({ status: 'withdrawn', goals: 'Copy kept for the record' });
    expect(await statusOf(withdrawn.body.data.documentId)).toBe('withdrawn');
    expect((await app.as(staff).get(`${APP_CM}/${withdrawn.body.data.documentId}`).expect(200)).body.data).toMatchObject({ status: 'withdrawn' });
    expect(await statusOf(e.app.documentId)).toBe('submitted');

    // the status rules see the form's status: paired and completed are never set by hand, on a copy either
    const newcomer = await app.createUser('member');
    for (const status of ['paired', 'completed']) {
      const res = await app.as(staff).post(`${APP_CM}/clone/${e.app.documentId}`).send({ status, user: rel(newcomer) });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ status: 409, name: 'ConflictError', details: { field: 'status' } });
      expect(errorPaths(res)).toEqual([['status']]);
    }
    // one open application per person and role, with the form's status: a copy accepted for another person is fine,
    // a second open one for them is not
    const accepted = await app.as(staff).post(`${APP_CM}/clone/${e.app.documentId}`).send({ status: 'accepted', user: rel(newcomer) }).expect(200);
    expect(await statusOf(accepted.body.data.documentId)).toBe('accepted');
    const second = await app.as(staff).post(`${APP_CM}/clone/${e.app.documentId}`).send({ status: 'submitted', user: rel(newcomer) });
    expect(second.status).toBe(409);
    expect(errorPaths(second)).toEqual([['role']]);
    expect(await app.strapi.db.query(APPLICATION).count({ where: { user: { id: newcomer.id } } })).toBe(1);
  });

  it('keeps a completed mentee application completed: set back to accepted or anything else it is refused (409 naming status), nothing stored, no email; the mentee applies again', async () => {
    const APP_CM = `/content-manager/collection-types/${APPLICATION}`;
    const OUTBOX = 'api::outbox-message.outbox-message';
    const subjectsTo = async (who: TestUser) => (await app.strapi.db.query(OUTBOX).findMany({ where: { to: who.email }, select: ['subject'], orderBy: { id: 'asc' } })).map((m: { subject: string }) => m.subject);
    const appStatus = async (a: Applicant) => (await app.strapi.db.query(APPLICATION).findOne({ where: { id: a.app.id }, select: ['status'] })).status;
    const m = await applicant('mentor', { maxMentees: 3 });
    const e = await applicant('mentee');
    await startPairing(m, e, '2025-01-06');
    await app.strapi.service('api::mentorship-pairing.pairings').completeEndedTerms('2025-07-06');
    expect(await appStatus(e)).toBe('completed');
    const emailsBefore = await subjectsTo(e.user);

    for (const status of ['accepted', 'submitted', 'declined', 'withdrawn']) {
      const res = await app.as(staff).put(`${APP_CM}/${e.app.documentId}`).send({ status, region: 'RAILS' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ status: 409, name: 'ConflictError', details: { field: 'status', allowed: ['completed'] } });
      expect(errorPaths(res)).toEqual([['status']]);
      expect(res.body.error.message).toMatch(/completed.*six-month term.*applies again.*new mentee application/);
    }
    // a script is held to the same rule
    await expect(app.strapi.documents(APPLICATION).update({ documentId: e.app.documentId, data: { status: 'accepted' } as never })).rejects.toThrow(/applies again/);
    expect(await appStatus(e)).toBe('completed');
    expect((await app.strapi.db.query(APPLICATION).findOne({ where: { id: e.app.id }, select: ['region'] })).region).toBeNull();
    expect(await subjectsTo(e.user)).toEqual(emailsBefore);
    // saving its form unchanged still works, and the term job and pairing writes still pass
    await app.as(staff).put(`${APP_CM}/${e.app.documentId}`).send({ status: 'completed', region: 'RAILS' }).expect(200);
    await app.strapi.service('api::mentorship-pairing.pairings').completeEndedTerms('2025-07-06');
    expect(await appStatus(e)).toBe('completed');
    // the way on: a new application, which a new pairing takes
    await apply(e.user, mentee()).expect(201);
    expect((await propose(m, { user: e.user })).status).toBe(201);
    expect(await appStatus(e)).toBe('completed');
  });

  it("gives a pairing's Duplicate the status of its form: a new pairing starts proposed or active (400 naming status otherwise)", async () => {
    const m = await applicant('mentor', { maxMentees: 3 });
    const e = await applicant('mentee');
    const done = await startPairing(m, e, '2025-02-03');
    await app.strapi.service('api::mentorship-pairing.pairings').completeEndedTerms('2025-08-03');
    const next = await applicant('mentee');
    // the Duplicate form of a completed pairing sends its status back: no completed pairing is made of the newcomer's application
    for (const status of ['completed', 'ended-early']) {
      const res = await app.as(staff).post(`${CM}/clone/${done.documentId}`).send({ status, mentee: rel(next.user) });
      expect(res.status).toBe(400);
      expect(errorPaths(res)).toEqual([['status']]);
      expect(res.body.error.message).toMatch(/starts proposed or active/);
    }
    expect((await app.strapi.db.query(APPLICATION).findOne({ where: { id: next.app.id }, select: ['status'] })).status).toBe('submitted');
    expect(await pairingsOf(next.user)).toBe(0);
    // set active in the form, the copy starts (its term from today), and the applications follow it
    const copy = await app.as(staff).post(`${CM}/clone/${done.documentId}`).send({ status: 'active', mentee: rel(next.user) }).expect(200);
    expect(copy.body.data).toMatchObject({ status: 'active' });
    expect((await app.strapi.db.query(PAIRING).findOne({ where: { documentId: copy.body.data.documentId }, select: ['status'] })).status).toBe('active');
    expect((await app.strapi.db.query(APPLICATION).findOne({ where: { id: next.app.id }, select: ['status'] })).status).toBe('paired');
  });

  it("holds a mentor to their application's maxMentees while pairings are proposed or active", async () => {
    const one = await applicant('mentor');
    const two = await applicant('mentor', { maxMentees: 2 });
    const [a, b, c] = [await applicant('mentee'), await applicant('mentee'), await applicant('mentee')];

    expect((await propose(one, a)).status).toBe(201);
    const full = await propose(one, b);
    expect(full.status).toBe(409);
    expect(full.body.error.message).toMatch(/maxMentees 1/);
    expect(errorPaths(full)).toEqual([['mentor']]);

    expect((await propose(two, b)).status).toBe(201);
    const second = await propose(two, c);
    expect(second.status).toBe(201);
    // a pairing that ended early frees the place
    await app.strapi.documents(PAIRING).update({ documentId: second.body.data.documentId, data: { status: 'ended-early', endedReason: 'Schedules did not fit' } as never });
    const d = await applicant('mentee');
    expect((await propose(two, d)).status).toBe(201);
    expect((await propose(two, await applicant('mentee'))).status).toBe(409);
  });

  it('leaves a mentor at their maxMentees out of the suggestions until a place comes free', async () => {
    const topic = `bookmobiles ${people}`; // an interest nobody else has: these two rank first for each other
    const m = await applicant('mentor', { interests: [topic] });
    const [e1, e2] = [await applicant('mentee', { interests: [topic] }), await applicant('mentee', { interests: [topic] })];
    const suggested = async (e: Applicant) => (await app.strapi.service('api::mentorship-pairing.pairings').suggestMentors(e.app.documentId, 50)).map((x: { applicationDocumentId: string }) => x.applicationDocumentId);
    expect((await suggested(e2))[0]).toBe(m.app.documentId);
    const held = (await propose(m, e1).expect(201)).body.data.documentId;
    expect(await suggested(e2)).not.toContain(m.app.documentId);
    await app.strapi.documents(PAIRING).update({ documentId: held, data: { status: 'ended-early', endedReason: 'Declined the proposal' } as never });
    expect((await suggested(e2))[0]).toBe(m.app.documentId);
  });

  it('gives a mentee one pairing at a time, also when two are made at the same moment', async () => {
    const e = await applicant('mentee');
    const [m1, m2, m3] = [await applicant('mentor'), await applicant('mentor'), await applicant('mentor')];
    expect((await propose(m1, e)).status).toBe(201);
    const again = await propose(m2, e);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/one pairing at a time/);
    expect(errorPaths(again)).toEqual([['mentee']]);

    const f = await applicant('mentee');
    const results = await Promise.all([propose(m2, f), propose(m3, f)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await app.strapi.db.query(PAIRING).count({ where: { mentee: { id: f.user.id }, status: { $in: ['proposed', 'active'] } } })).toBe(1);
  });

  it('runs a six-month term from a month end to the last day of the month six months on, with the check-in three months in', async () => {
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const created = await startPairing(m, e, '2026-08-31');
    expect(created).toMatchObject({ status: 'active', startDate: '2026-08-31', endDate: '2027-02-28' });
    await app.strapi.service('api::mentorship-pairing.pairings').sendCheckIns('2026-11-30');
    const row = await app.strapi.db.query(PAIRING).findOne({ where: { documentId: created.documentId }, select: ['checkInSentAt'] });
    expect(row.checkInSentAt).not.toBeNull();
  });

  it("keeps the six-month term when staff move a pairing's start in the admin panel's form, and refuses another end date", async () => {
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const id = (await propose(m, e).expect(201)).body.data.documentId;
    await app.as(staff).put(`${CM}/${id}`).send({ status: 'active', startDate: '2027-01-04' }).expect(200);
    // the form sends every field back: the start moved a week, the end date as it was on screen
    const untouched = { connect: [], disconnect: [] };
    const form = (over: Record<string, unknown>) => ({
      status: 'active', startDate: '2027-01-04', endDate: '2027-07-04', checkInSentAt: null, endedReason: null,
      mentor: untouched, mentee: untouched, mentorApplication: untouched, menteeApplication: untouched, ...over,
    });
    const moved = await app.as(staff).put(`${CM}/${id}`).send(form({ startDate: '2027-01-11' })).expect(200);
    expect(moved.body.data).toMatchObject({ startDate: '2027-01-11', endDate: '2027-07-11' });
    // an end date that is not six months on is refused, naming the field, and nothing changes
    const stretched = await app.as(staff).put(`${CM}/${id}`).send(form({ startDate: '2027-01-11', endDate: '2029-01-11' }));
    expect(stretched.status).toBe(400);
    expect(stretched.body.error.message).toMatch(/endDate.*six months.*2027-07-11/);
    expect(errorPaths(stretched)).toEqual([['endDate']]);
    await expect(app.strapi.documents(PAIRING).update({ documentId: id, data: { endDate: '2027-03-01' } as never })).rejects.toThrow(/six months/);
    expect(await app.strapi.db.query(PAIRING).findOne({ where: { documentId: id }, select: ['startDate', 'endDate'] })).toMatchObject({ startDate: '2027-01-11', endDate: '2027-07-11' });
    // a pairing that has started keeps its start date: cleared in the form, it is refused naming startDate
    const cleared = await app.as(staff).put(`${CM}/${id}`).send(form({ startDate: null, endDate: '2027-07-11' }));
    expect(cleared.status).toBe(400);
    expect(errorPaths(cleared)).toEqual([['startDate']]);
    expect(await app.strapi.db.query(PAIRING).findOne({ where: { documentId: id }, select: ['startDate', 'endDate'] })).toMatchObject({ startDate: '2027-01-11', endDate: '2027-07-11' });
    // ending it early keeps the dates it had
    await app.as(staff).put(`${CM}/${id}`).send(form({ status: 'ended-early', startDate: '2027-01-11', endDate: '2027-07-11', endedReason: 'Moved away' })).expect(200);
  });

  it('starts a pairing activated on a Chicago evening on that day, not on the next UTC day', async () => {
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const proposed = (await propose(m, e).expect(201)).body.data.documentId;
    // March 9, 2027, 7:30 p.m. in Chicago (March 10, 01:30 UTC): only the clock is faked
    jest.useFakeTimers({ now: new Date('2027-03-10T01:30:00Z'), doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    let active;
    try {
      active = await app.strapi.documents(PAIRING).update({ documentId: proposed, data: { status: 'active' } as never });
    } finally {
      jest.useRealTimers();
    }
    expect(active).toMatchObject({ startDate: '2027-03-09', endDate: '2027-09-09' });
  });

  it('settles, at the daily term job, applications a finished pairing left open (written before applications followed their pairings)', async () => {
    const appStatus = async (a: Applicant) => (await app.strapi.db.query(APPLICATION).findOne({ where: { id: a.app.id }, select: ['status'] })).status;
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const id = (await propose(m, e).expect(201)).body.data.documentId;
    await app.as(staff).put(`${CM}/${id}`).send({ status: 'active', startDate: '2025-01-06' }).expect(200);
    await app.as(staff).put(`${CM}/${id}`).send({ status: 'completed' }).expect(200);
    // as the data stood before: the mentee's application still open, the mentor's marked paired by hand
    await app.strapi.db.query(APPLICATION).update({ where: { id: e.app.id }, data: { status: 'accepted' } });
    await app.strapi.db.query(APPLICATION).update({ where: { id: m.app.id }, data: { status: 'paired' } });
    expect((await apply(e.user, mentee())).status).toBe(409);

    await app.strapi.service('api::mentorship-pairing.pairings').completeEndedTerms('2025-01-07');
    expect([await appStatus(m), await appStatus(e)]).toEqual(['accepted', 'completed']);
    await apply(e.user, mentee()).expect(201);
  });

  it("moves the applications along with the pairing: paired while it runs; at the term's end the mentee's is completed, so they may apply again; ended early, both are open again", async () => {
    const appStatus = async (a: Applicant) => (await app.strapi.db.query(APPLICATION).findOne({ where: { id: a.app.id }, select: ['status'] })).status;
    const m = await applicant('mentor', { maxMentees: 2 });
    const e = await applicant('mentee');
    const proposed = (await propose(m, e).expect(201)).body.data.documentId;
    expect([await appStatus(m), await appStatus(e)]).toEqual(['submitted', 'submitted']);
    await app.as(staff).put(`${CM}/${proposed}`).send({ status: 'active', startDate: '2026-01-05' }).expect(200);
    expect([await appStatus(m), await appStatus(e)]).toEqual(['paired', 'paired']);
    // the mentee sees it too
    expect((await app.as(e.user).get('/api/me/mentorship').expect(200)).body.data.applications[0]).toMatchObject({ role: 'mentee', status: 'paired' });

    // the six months are over (the daily job): the mentee's application has served its term
    await app.strapi.service('api::mentorship-pairing.pairings').completeEndedTerms('2026-07-05');
    expect((await app.strapi.db.query(PAIRING).findOne({ where: { documentId: proposed }, select: ['status'] })).status).toBe('completed');
    expect([await appStatus(m), await appStatus(e)]).toEqual(['accepted', 'completed']);
    // it pairs nobody again (a second term is a new application), and the mentee may file one
    const other = await applicant('mentor');
    const again = await propose(other, e);
    expect(again.status).toBe(422);
    expect(again.body.error.message).toMatch(/mentee application is completed/);
    expect((await propose(other, { user: e.user })).body.error.message).toMatch(/no open mentee application/);
    const renewed = await apply(e.user, mentee()).expect(201);
    expect((await app.as(e.user).get('/api/me/mentorship').expect(200)).body.data.applications.map((a: any) => a.status)).toEqual(['submitted', 'completed']);
    expect((await propose(other, { user: e.user })).status).toBe(201);
    expect((await app.strapi.db.query(PAIRING).findOne({ where: { mentor: { id: other.user.id } }, populate: { menteeApplication: { select: ['documentId'] } } })).menteeApplication.documentId).toBe(renewed.body.data.documentId);

    // ended early: both applications are open for another pairing, as before it started
    const f = await applicant('mentee');
    const short = (await propose(m, f).expect(201)).body.data.documentId;
    await app.strapi.documents(PAIRING).update({ documentId: short, data: { status: 'active' } as never });
    expect([await appStatus(m), await appStatus(f)]).toEqual(['paired', 'paired']);
    await app.strapi.documents(PAIRING).update({ documentId: short, data: { status: 'ended-early', endedReason: 'Mentee changed jobs' } as never });
    expect([await appStatus(m), await appStatus(f)]).toEqual(['accepted', 'accepted']);
    // both people are told it ended, and why
    const endedMail = (who: TestUser) => app.mail.to(who.email).filter((x) => x.subject === 'Your mentorship pairing has ended');
    await app.mail.waitFor(() => endedMail(m.user).length > 0 && endedMail(f.user).length > 0);
    expect(endedMail(f.user)[0].text).toContain('Reason: Mentee changed jobs');
    expect((await propose(m, f)).status).toBe(201);
  });

  it('completes pairings whose term has ended (the daily job), freeing the mentor, and emails both people', async () => {
    const m = await applicant('mentor');
    const e = await applicant('mentee');
    const ended = (await startPairing(m, e, '2026-01-05')).documentId; // ended 2026-07-05
    const m2 = await applicant('mentor');
    const e2 = await applicant('mentee');
    const running = (await startPairing(m2, e2, '2026-11-02')).documentId; // ends 2027-05-02

    const tasks = app.strapi.config.get('server.cron.tasks') as Record<string, { task: (a: { strapi: unknown }) => Promise<void>; options: { rule: string } }>;
    const job = tasks.mentorshipTermEnds;
    expect(job).toBeDefined();
    await job!.task({ strapi: app.strapi });

    const status = async (documentId: string) => (await app.strapi.db.query(PAIRING).findOne({ where: { documentId }, select: ['status'] })).status;
    expect(await status(ended)).toBe('completed');
    expect(await status(running)).toBe('active');
    const completeMail = (who: TestUser) => app.mail.to(who.email).filter((x) => x.subject === 'Your mentorship pairing is complete');
    await app.mail.waitFor(() => completeMail(m.user).length > 0 && completeMail(e.user).length > 0);
    expect(completeMail(e.user)).toHaveLength(1);
    expect(completeMail(m2.user)).toHaveLength(0);
    // the mentor's place is free again
    expect((await propose(m, await applicant('mentee'))).status).toBe(201);

    // a term ends on its end date, in the calendar zone
    const pairings = app.strapi.service('api::mentorship-pairing.pairings');
    await pairings.completeEndedTerms('2027-05-01');
    expect(await status(running)).toBe('active');
    expect(await pairings.completeEndedTerms('2027-05-02')).toBeGreaterThanOrEqual(1);
    expect(await status(running)).toBe('completed');
  });
});
