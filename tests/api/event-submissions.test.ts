import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;
let member: TestUser;
let guest: TestUser;
let group: { documentId: string };

const events = () => app.strapi.documents('api::event.event');

const systems = () => app.strapi.documents('api::library-system.library-system');
let rails: { documentId: string };

beforeAll(async () => {
  app = await startApp({ SUBMISSIONS_EMAIL: 'events@ihls.example' });
  // L2: RAILS members submit events for RAILS-area networking groups
  rails = await systems().create({ data: { name: 'Reaching Across Illinois Library System', code: 'RAILS', kind: 'system', acceptsEventSubmissions: true } as never });
  member = await app.createUser('member', { firstName: 'Sam', lastName: 'Submitter', building: await app.createBuilding({}, { system: rails }) });
  guest = await app.createUser('guest');
  group = await app.strapi.documents('api::networking-group.networking-group').create({ data: { name: 'Adult Services Forum', slug: 'adult-services-forum', scope: 'regional', system: rails.documentId } as never });
});

afterAll(async () => {
  await app?.stop();
});

const submission = (title: string, extra: Record<string, unknown> = {}) => ({
  networkingGroup: 'adult-services-forum',
  title,
  description: 'Hosted by Urbana Free Library',
  start: '2027-04-08T13:00:00-05:00',
  end: '2027-04-08T15:00:00-05:00',
  location: { name: 'Urbana Free Library' },
  openToAllMembers: true,
  ...extra,
});

/** Every public way of reading events, as this caller: none may show the title. */
async function expectHidden(title: string, documentId: string, user: TestUser | null) {
  const as = app.as(user);
  const seen = (body: unknown) => JSON.stringify(body).includes(title);
  expect(seen((await as.get('/api/events').expect(200)).body)).toBe(false);
  expect(seen((await as.get('/api/events?status=draft').expect(200)).body)).toBe(false);
  await as.get(`/api/events/${documentId}`).expect(404);
  await as.get(`/api/events/${documentId}?status=draft`).expect(404);
  expect(seen((await as.get('/api/occurrences?from=2027-04-01&to=2027-05-01').expect(200)).body)).toBe(false);
  expect((await as.get('/api/calendar.ics').expect(200)).text).not.toContain(title);
  expect((await as.get(`/api/networking-groups/${group.documentId}/ics`).expect(200)).text).not.toContain(title);
  expect((await as.get('/api/events/feed.rss').expect(200)).text).not.toContain(title);
  expect(seen((await as.get(`/api/networking-groups?populate=events&status=draft`).expect(200)).body)).toBe(false);
  expect(seen((await as.get(`/api/networking-groups/${group.documentId}?populate=events`).expect(200)).body)).toBe(false);
  const gql = await as.post('/graphql').send({ query: '{ events(status: DRAFT) { documentId title } }' });
  expect(Array.isArray(gql.body.data?.events)).toBe(true);
  expect(seen(gql.body)).toBe(false);
  expect(seen((await as.get('/api/tags?populate=events&status=draft').expect(200)).body)).toBe(false);
}

describe('event submissions', () => {
  let approvedId: string;

  it('a member submits an event for a group: a draft nobody else sees, listed in My submissions', async () => {
    const res = await app.as(member).post('/api/event-submissions').send(submission('Readers Advisory Swap')).expect(201);
    expect(res.body.data).toMatchObject({ title: 'Readers Advisory Swap', submissionState: 'submitted', published: false, networkingGroup: { name: 'Adult Services Forum' }, locations: [{ name: 'Urbana Free Library' }] });
    approvedId = res.body.data.documentId;
    await app.mail.waitFor(() => app.mail.to('events@ihls.example').length >= 1 && app.mail.to(member.email).length >= 1);
    expect(app.mail.to('events@ihls.example')[0].subject).toContain('Readers Advisory Swap');
    expect(app.mail.to(member.email)[0].subject).toMatch(/received your event/);

    await expectHidden('Readers Advisory Swap', approvedId, null);
    await expectHidden('Readers Advisory Swap', approvedId, member);

    const mine = await app.as(member).get('/api/me/event-submissions').expect(200);
    expect(mine.body.data).toEqual([expect.objectContaining({ documentId: approvedId, submissionState: 'submitted', published: false })]);
  });

  it('staff publish it: it appears on the calendar and the submitter is emailed once', async () => {
    await events().publish({ documentId: approvedId } as never);
    await app.mail.waitFor(() => app.mail.to(member.email).some((m) => /published/.test(m.subject)));
    const mail = app.mail.to(member.email).find((m) => /published/.test(m.subject))!;
    expect(mail.subject).toBe('Your event was published: Readers Advisory Swap');
    expect(mail.text).toContain(`/events/${approvedId}`);

    await app.http().get(`/api/events/${approvedId}`).expect(200);
    const occ = await app.http().get(`/api/occurrences?from=2027-04-01&to=2027-05-01&group=${group.documentId}`).expect(200);
    expect(occ.body.data.map((o: any) => o.event.title)).toEqual(['Readers Advisory Swap']);
    const mine = await app.as(member).get('/api/me/event-submissions').expect(200);
    expect(mine.body.data[0]).toMatchObject({ submissionState: 'approved', published: true });

    // a later edit and re-publish is not a new decision
    const before = app.mail.to(member.email).length;
    await events().update({ documentId: approvedId, data: { summary: 'Bring a book' }, status: 'published' } as never);
    await new Promise((r) => setTimeout(r, 500));
    expect(app.mail.to(member.email)).toHaveLength(before);
  });

  it('an event staff made all-day in review is named by its day in the decision email, not a midnight time', async () => {
    // a submitter of their own: the other tests count this file's member's submissions
    const submitter = await app.createUser('member', { building: await app.createBuilding({}, { system: rails }) });
    const id = (await app.as(submitter).post('/api/event-submissions').send(submission('Library Camp')).expect(201)).body.data.documentId;
    await events().update({ documentId: id, data: { allDay: true, start: '2027-05-14T00:00:00-05:00', end: '2027-05-15T00:00:00-05:00' } } as never);
    await events().publish({ documentId: id } as never);
    await app.mail.waitFor(() => app.mail.to(submitter.email).some((m) => m.subject === 'Your event was published: Library Camp'));
    const text = app.mail.to(submitter.email).find((m) => m.subject === 'Your event was published: Library Camp')!.text;
    expect(text).toContain('"Library Camp" (Friday, May 14, 2027)');
    expect(text).not.toMatch(/12:00 AM/);
  });

  it('staff reject one with a note: the submitter is emailed the note and it stays off the calendar', async () => {
    const res = await app.as(member).post('/api/event-submissions').send(submission('Book Cart Drill Team Tryouts')).expect(201);
    const id = res.body.data.documentId;
    await events().update({ documentId: id, data: { submissionState: 'rejected', reviewNote: 'Please add a host library and an end time.' } } as never);
    await app.mail.waitFor(() => app.mail.to(member.email).some((m) => /not accepted/.test(m.subject)));
    const mail = app.mail.to(member.email).find((m) => /not accepted/.test(m.subject))!;
    expect(mail.subject).toContain('Book Cart Drill Team Tryouts');
    expect(mail.text).toContain('Please add a host library and an end time.');
    await expectHidden('Book Cart Drill Team Tryouts', id, member);
    const mine = await app.as(member).get('/api/me/event-submissions').expect(200);
    expect(mine.body.data.find((s: any) => s.documentId === id)).toMatchObject({ submissionState: 'rejected', reviewNote: 'Please add a host library and an end time.', published: false });
  });

  it('the admin panel path: staff reject, then change their mind and publish with the content manager', async () => {
    const res = await app.as(member).post('/api/event-submissions').send(submission('Storytime Shareathon')).expect(201);
    const id = res.body.data.documentId;
    const cm = app.strapi.plugin('content-manager').service('document-manager');
    await cm.update(id, 'api::event.event', { data: { submissionState: 'rejected', reviewNote: 'Needs a host.' } });
    await app.mail.waitFor(() => app.mail.to(member.email).some((m) => m.subject === 'Your event was not accepted: Storytime Shareathon'));
    await cm.update(id, 'api::event.event', { data: { submissionState: 'approved', reviewNote: null } });
    await cm.publish(id, 'api::event.event');
    await app.mail.waitFor(() => app.mail.to(member.email).some((m) => m.subject === 'Your event was published: Storytime Shareathon'));
    await app.http().get(`/api/events/${id}`).expect(200);
  });

  it('refuses an event that is not open to all members (422 with the rule), guests, and bad input', async () => {
    const closed = await app.as(member).post('/api/event-submissions').send(submission('Members of the Forum Only', { openToAllMembers: false })).expect(422);
    expect(closed.body.error.message).toMatch(/open to all members/);
    await app.as(member).post('/api/event-submissions').send(submission('No Promise', { openToAllMembers: undefined })).expect(422);
    await app.as(guest).post('/api/event-submissions').send(submission('Guest Event')).expect(403);
    await app.as(null).post('/api/event-submissions').send(submission('Anonymous Event')).expect(403);
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await app.as(member).post('/api/event-submissions').send(body).expect(400);
      expect(res.body.error.message).toContain(field);
    };
    await bad(submission('x', { networkingGroup: 'no-such-group' }), 'networkingGroup');
    await bad(submission('x', { networkingGroup: undefined }), 'networkingGroup');
    await bad(submission(''), 'title');
    await bad(submission('x', { start: 'soon' }), 'start');
    await bad(submission('x', { rrule: 'FREQ=NEVER' }), 'rrule');
    await bad(submission('x', { submissionState: 'approved' }), 'submissionState');
    await bad(submission('x', { location: { name: '' } }), 'locations[0].name');
    // nothing of that was stored
    const mine = await app.as(member).get('/api/me/event-submissions').expect(200);
    expect(mine.body.data).toHaveLength(3);
    expect((await app.as(guest).get('/api/me/event-submissions').expect(200)).body.data).toEqual([]);
  });

  it('staff review submissions in the admin API: the queue, publish, reject with a note, and the queue counts', async () => {
    const staff = await app.createAdmin('review@ihls.example', 'll-system-staff');
    const editor = await app.createAdmin('editor@ihls.example', 'strapi-editor');
    const one = (await app.as(member).post('/api/event-submissions').send(submission('Genealogy Lock-In')).expect(201)).body.data.documentId;
    const two = (await app.as(member).post('/api/event-submissions').send(submission('Zine Workshop')).expect(201)).body.data.documentId;

    const counts = (await app.as(staff.token).get('/approvals/counts').expect(200)).body.data;
    expect(counts.submissions).toBeGreaterThanOrEqual(2);
    expect(counts.affiliations).toEqual(expect.any(Number));
    expect(counts.siteVisits).toEqual(expect.any(Number));
    // an event provider works none of these queues: how many people wait for approval is not theirs to see
    const provider = await app.createAdmin('provider@ihls.example', 'll-event-provider');
    expect((await app.as(provider.token).get('/approvals/counts').expect(200)).body.data).toEqual({ affiliations: null, submissions: null, siteVisits: null });
    const queue = (await app.as(staff.token).get('/approvals/submissions').expect(200)).body.data.map((r) => r.title);
    expect(queue).toEqual(expect.arrayContaining(['Genealogy Lock-In', 'Zine Workshop']));
    await app.as(editor.token).get('/approvals/submissions').expect(403);

    app.mail.clear();
    await app.as(staff.token).post(`/approvals/submissions/${one}/publish`).send({}).expect(200);
    expect((await app.http().get(`/api/events/${one}`).expect(200)).body.data.title).toBe('Genealogy Lock-In');
    await app.as(staff.token).post(`/approvals/submissions/${two}/reject`).send({}).expect(400);
    await app.as(staff.token).post(`/approvals/submissions/${two}/reject`).send({ reason: 'Please add the host library' }).expect(200);
    await app.http().get(`/api/events/${two}`).expect(404);
    await app.as(staff.token).post(`/approvals/submissions/${one}/publish`).send({}).expect(404);
    const decided = () => app.mail.to(member.email).map((m) => m.subject).filter((x) => /published|not accepted/.test(x));
    await app.mail.waitFor(() => decided().length >= 2);
    const subjects = decided();
    expect(subjects).toEqual(expect.arrayContaining(['Your event was published: Genealogy Lock-In', 'Your event was not accepted: Zine Workshop']));
    expect(app.mail.to(member.email).find((m) => m.subject === 'Your event was not accepted: Zine Workshop')!.text).toContain('Please add the host library');
  });
});

describe('who may submit: members of a system that takes submissions, for its groups (L2 help text)', () => {
  const IHLS_CONTACT = 'Groups within IHLS should contact IHLS about submitting an event.';
  let ihls: { documentId: string };
  let railsMember: TestUser;
  let ihlsMember: TestUser;
  let unplacedMember: TestUser;
  let pendingRails: TestUser;

  const group = (name: string, slug: string, system?: { documentId: string }) =>
    app.strapi.documents('api::networking-group.networking-group').create({ data: { name, slug, scope: 'regional', ...(system ? { system: system.documentId } : {}) } as never });
  const submit = (user: TestUser | null, networkingGroup: string, title: string, extra: Record<string, unknown> = {}) =>
    app.as(user).post('/api/event-submissions').send(submission(title, { networkingGroup, ...extra }));
  const stored = (title: string) => app.strapi.db.query('api::event.event').count({ where: { title } });
  // every email is written to the outbox first: none there, none will be sent
  const outboxCount = () => app.strapi.db.query('api::outbox-message.outbox-message').count();

  beforeAll(async () => {
    ihls = await systems().create({
      data: { name: 'Illinois Heartland Library System', code: 'IHLS', kind: 'system', acceptsEventSubmissions: false, eventSubmissionContact: IHLS_CONTACT } as never,
    });
    railsMember = await app.createUser('member', { building: await app.createBuilding({}, { system: rails }) });
    ihlsMember = await app.createUser('member', { building: await app.createBuilding({}, { system: ihls }) });
    // an approved affiliation with a library that is in no system: a member, of no system
    unplacedMember = await app.createUser('member');
    // a RAILS affiliation still waiting for staff: not a member yet
    pendingRails = await app.createUser('guest');
    await app.strapi.documents('api::affiliation.affiliation').create({
      data: { user: pendingRails.documentId, building: (await app.createBuilding({}, { system: rails })).documentId, jobTitle: 'Page', roles: ['staff'], status: 'pending' } as never,
    });
    await group('Fox Valley Teen Services', 'fox-valley-teen-services', rails);
    await group('Small Pubs Meeting', 'small-pubs-meeting', ihls);
    await group('Statewide Trustee Forum', 'statewide-trustee-forum');
  });

  it('a RAILS member submits for a RAILS group (members-only events are open to all members too)', async () => {
    const res = await submit(railsMember, 'fox-valley-teen-services', 'Teen Advisory Board Swap').expect(201);
    expect(res.body.data).toMatchObject({ submissionState: 'submitted', networkingGroup: { name: 'Fox Valley Teen Services' } });
    await app.mail.waitFor(() => app.mail.to(railsMember.email).some((m) => m.subject === 'We received your event: Teen Advisory Board Swap'));
    const membersOnly = await submit(railsMember, 'fox-valley-teen-services', 'Teen Librarians Only Mixer', { audience: 'members' }).expect(201);
    expect(membersOnly.body.data.audience).toBe('members');
  });

  it('refuses with 403 naming the rule (and the system\'s contact), storing and sending nothing', async () => {
    const before = await outboxCount();
    const refused = async (user: TestUser | null, slug: string, title: string, rule: string | null) => {
      const res = await submit(user, slug, title).expect(403);
      if (rule) expect(res.body.error.details).toMatchObject({ rule, field: 'networkingGroup' });
      expect(await stored(title)).toBe(0);
      return res.body.error.message as string;
    };

    // a member of another system
    expect(await refused(ihlsMember, 'fox-valley-teen-services', 'Heartland Visit', 'member-of-system')).toMatch(/only members of Reaching Across Illinois Library System \(RAILS\)/);
    // a system that does not take submissions here: its own members are refused too, told whom to contact
    const wrongSystem = await refused(railsMember, 'small-pubs-meeting', 'Small Pubs Potluck', 'system-accepts-submissions');
    expect(wrongSystem).toContain('Illinois Heartland Library System (IHLS) does not take event submissions');
    expect(wrongSystem).toContain(IHLS_CONTACT);
    expect(await refused(ihlsMember, 'small-pubs-meeting', 'Small Pubs Picnic', 'system-accepts-submissions')).toContain(IHLS_CONTACT);
    // a group of no system (statewide): no system staff to review it
    expect(await refused(railsMember, 'statewide-trustee-forum', 'Trustee Tea', 'group-without-system')).toMatch(/belongs to no library system/);
    // a member of no system, a pending affiliation (a guest), a guest, anonymous
    await refused(unplacedMember, 'fox-valley-teen-services', 'Unplaced Event', 'member-of-system');
    await refused(pendingRails, 'fox-valley-teen-services', 'Pending Event', null);
    await refused(guest, 'fox-valley-teen-services', 'Guest Event', null);
    await refused(null, 'fox-valley-teen-services', 'Anonymous Event', null);

    expect(await outboxCount()).toBe(before);
    for (const user of [ihlsMember, unplacedMember, pendingRails]) {
      expect((await app.as(user).get('/api/me/event-submissions').expect(200)).body.data).toEqual([]);
    }
  });

  it('system staff switch submissions on in the admin panel; the switch and contact text are public', async () => {
    const listed = (await app.http().get('/api/library-systems?sort=code').expect(200)).body.data;
    expect(listed.map((s: any) => [s.code, s.acceptsEventSubmissions, s.eventSubmissionContact])).toEqual([
      ['IHLS', false, IHLS_CONTACT],
      ['RAILS', true, null],
    ]);
    const staff = await app.createAdmin('systems@ihls.example', 'll-system-staff');
    await app.http()
      .put(`/content-manager/collection-types/api::library-system.library-system/${ihls.documentId}`)
      .set('Authorization', `Bearer ${staff.token}`)
      .send({ acceptsEventSubmissions: true, eventSubmissionContact: null })
      .expect(200);
    await submit(ihlsMember, 'small-pubs-meeting', 'Small Pubs Spring Meeting').expect(201);
    // still only its own members
    await submit(railsMember, 'small-pubs-meeting', 'Small Pubs Summer Meeting').expect(403);
  });
});
