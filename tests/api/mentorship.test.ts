import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;

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
    ['an ILA personal member with 5 years', mentee({ yearsExperience: 5 }), /fewer than 5 years/],
    ['an ILA personal member not working in a library', mentee({ employedInLibrary: false }), /currently working in a library/],
    ['someone who is not an ALA/ILA member', mentee({ membership: 'none' }), /student member or an ILA personal member/],
    ['an ILA institutional member', mentee({ membership: 'ila-institutional' }), /student member or an ILA personal member/],
  ])('refuses as mentee %s with 422 naming the rule', async (_label, data, rule) => {
    const user = await app.createUser('guest');
    const res = await apply(user, data).expect(422);
    expect(res.body.error.message).toMatch(rule);
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
  });

  it('answers 400 naming the field for malformed input, and never takes status or user from the body', async () => {
    const user = await app.createUser('guest');
    expect((await apply(user, mentee({ yearsExperience: -1 })).expect(400)).body.error.message).toContain('yearsExperience');
    expect((await apply(user, mentee({ role: 'boss' })).expect(400)).body.error.message).toContain('role');
    expect((await apply(user, mentee({ status: 'paired' })).expect(400)).body.error.message).toContain('status');
    expect((await apply(user, mentee({ user: 1 })).expect(400)).body.error.message).toContain('user');
  });

  it('allows one open application per role (409) and requires an account', async () => {
    const user = await app.createUser('guest');
    await apply(user, mentee()).expect(201);
    await apply(user, mentee()).expect(409);
    await apply(null, mentee()).expect(403);
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

    // a mentor at their limit is no longer suggested
    const names = (await app.strapi.service('api::mentorship-pairing.pairings').suggestMentors(menteeApp)).map((s) => s.name);
    expect(names).not.toContain('Della Mentor');

    // mid-term check-in, once
    const pairings = app.strapi.service('api::mentorship-pairing.pairings');
    expect(await pairings.sendCheckIns('2027-03-01')).toBe(0);
    expect(await pairings.sendCheckIns('2027-04-05')).toBe(1);
    expect(await pairings.sendCheckIns('2027-04-06')).toBe(0);
    await app.mail.waitFor((m) => m.length >= 6);
    expect(app.mail.to(della.user.email).map((m) => m.subject)).toContain('Mentorship check-in: halfway through your term');

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
