import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;
let member: TestUser;
let guest: TestUser;
let group: { documentId: string };

const events = () => app.strapi.documents('api::event.event');

beforeAll(async () => {
  app = await startApp({ SUBMISSIONS_EMAIL: 'events@ihls.example' });
  member = await app.createUser('member', { firstName: 'Sam', lastName: 'Submitter' });
  guest = await app.createUser('guest');
  group = await app.strapi.documents('api::networking-group.networking-group').create({ data: { name: 'Adult Services Forum', slug: 'adult-services-forum', scope: 'regional' } as never });
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
