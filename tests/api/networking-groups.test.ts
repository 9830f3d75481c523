import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { icalJsOccurrences } from '../helpers/ical-check';

let app: TestApp;
let admin: TestUser;
let otherAdmin: TestUser;
let member: TestUser;
let group: { documentId: string };
let otherGroup: { documentId: string };
let otherEvent: string;

const groups = () => app.strapi.documents('api::networking-group.networking-group');

beforeAll(async () => {
  app = await startApp();
  admin = await app.createUser('member', { firstName: 'Gwen', lastName: 'Admin' });
  otherAdmin = await app.createUser('member');
  member = await app.createUser('member');
  group = await groups().create({
    data: { name: 'Youth Services Forum', scope: 'regional', primaryAdmin: admin.documentId, icsFeedUrl: 'https://secret.example/feed.ics', contacts: [{ name: 'Varies by host library' }] } as never,
  });
  otherGroup = await groups().create({ data: { name: 'Technical Services Roundtable', scope: 'regional', primaryAdmin: otherAdmin.documentId } as never });
  const e = await app.strapi.documents('api::event.event').create({
    data: { title: 'Tech Services Meetup', start: '2027-03-04T16:00:00.000Z', kind: 'networking', networkingGroup: otherGroup.documentId } as never,
    status: 'published',
  } as never);
  otherEvent = (e as any).documentId;
});

afterAll(async () => {
  await app?.stop();
});

const meeting = {
  title: 'Youth Services Forum: Summer Reading',
  description: 'Bring your summer reading ideas.',
  start: '2027-03-17T10:00:00-05:00',
  end: '2027-03-17T12:00:00-05:00',
  rrule: 'FREQ=MONTHLY;BYDAY=3WE;COUNT=6',
  exdates: ['2027-05-19T15:00:00.000Z'],
  locations: [{ name: 'Champaign Public Library', key: 'champaign' }],
  registrationMode: 'external',
  signupInstructions: 'RSVP to the host library',
};

describe('networking-group primary admin', () => {
  let created: string;

  it('the primary admin creates a published networking event for the group; it shows on the calendar', async () => {
    const res = await app.as(admin).post(`/api/networking-groups/${group.documentId}/events`).send(meeting).expect(201);
    expect(res.body.data).toMatchObject({ title: meeting.title, kind: 'networking', rrule: meeting.rrule, networkingGroup: { name: 'Youth Services Forum' } });
    created = res.body.data.documentId;
    // anyone sees it: public list, group calendar and group feed
    await app.http().get(`/api/events/${created}`).expect(200);
    const occ = await app.http().get(`/api/occurrences?from=2027-03-01&to=2027-09-01&group=${group.documentId}`).expect(200);
    expect(occ.body.data.map((o: any) => o.start)).toContain('2027-03-17T15:00:00.000Z');
    expect(occ.body.data).toHaveLength(5); // six months minus the excluded May meeting
    const ics = await app.http().get(`/api/networking-groups/${group.documentId}/ics`).expect(200);
    expect(ics.text).toContain('SUMMARY:Youth Services Forum: Summer Reading');
  });

  it('the primary admin edits one of the group\'s events', async () => {
    const res = await app.as(admin).put(`/api/networking-groups/${group.documentId}/events/${created}`).send({ title: 'Youth Services Forum (moved online)', locations: [{ name: 'Zoom', onlineUrl: 'https://zoom.example/j/1' }] }).expect(200);
    expect(res.body.data).toMatchObject({ title: 'Youth Services Forum (moved online)', rrule: meeting.rrule, locations: [{ name: 'Zoom', key: 'zoom', onlineUrl: 'https://zoom.example/j/1' }] });
    const pub = await app.http().get(`/api/events/${created}`).expect(200);
    expect(pub.body.data.title).toBe('Youth Services Forum (moved online)');
  });

  it('reads exdates and UNTIL written without an offset as Chicago time, like start, whatever zone the server runs in', async () => {
    // Thursdays at 1 p.m. through January 28, skipping January 14 (the server of this test runs in UTC)
    const body = { ...meeting, title: 'Youth Services Forum: Thursday chats', start: '2027-01-07T13:00:00', end: '2027-01-07T14:00:00', rrule: 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20270128', exdates: ['2027-01-14T13:00:00'] };
    const res = await app.as(admin).post(`/api/networking-groups/${group.documentId}/events`).send(body).expect(201);
    // stored as instants, as start is: the exdate at 1 p.m. Chicago, UNTIL at the end of January 28 there
    expect(res.body.data).toMatchObject({ start: '2027-01-07T19:00:00.000Z', exdates: ['2027-01-14T19:00:00.000Z'], rrule: 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20270129T055959Z' });
    const id = res.body.data.documentId;
    const occ = await app.http().get(`/api/occurrences?from=2027-01-01&to=2027-02-28&group=${group.documentId}`).expect(200);
    const ours = occ.body.data.filter((o: any) => o.event.documentId === id).map((o: any) => o.start);
    expect(ours).toEqual(['2027-01-07T19:00:00.000Z', '2027-01-21T19:00:00.000Z', '2027-01-28T19:00:00.000Z']);
    // iCal clients reading the event's feed see the same three meetings
    const ics = await app.http().get(`/api/events/${id}/ics`).expect(200);
    expect(ics.text).toContain('EXDATE;TZID=America/Chicago:20270114T130000');
    expect(icalJsOccurrences(ics.text, '2027-01-01T00:00:00Z', '2027-02-28T00:00:00Z').map((o) => o.start)).toEqual(ours);
    // an edit reads them the same way
    const edit = await app.as(admin).put(`/api/networking-groups/${group.documentId}/events/${id}`).send({ exdates: ['2027-01-21T13:00:00'] }).expect(200);
    expect(edit.body.data.exdates).toEqual(['2027-01-21T19:00:00.000Z']);
  });

  it('refuses everyone else, and another group\'s events', async () => {
    const url = `/api/networking-groups/${group.documentId}/events`;
    const denied = await app.as(member).post(url).send(meeting).expect(403);
    expect(denied.body.error.message).toMatch(/primary admin of Youth Services Forum/);
    await app.as(otherAdmin).post(url).send(meeting).expect(403);
    await app.as(otherAdmin).put(`${url}/${created}`).send({ title: 'Hijacked' }).expect(403);
    await app.as(null).post(url).send(meeting).expect(403);
    // an admin cannot reach another group's event through their own group
    await app.as(admin).put(`${url}/${otherEvent}`).send({ title: 'Hijacked' }).expect(404);
    await app.as(admin).put(`/api/networking-groups/${otherGroup.documentId}/events/${otherEvent}`).send({ title: 'Hijacked' }).expect(403);
    expect((await app.http().get(`/api/events/${otherEvent}`).expect(200)).body.data.title).toBe('Tech Services Meetup');
    await app.as(admin).post('/api/networking-groups/nope/events').send(meeting).expect(404);
  });

  it('an admin who is no member (a guest) neither reads nor edits the group\'s members-only events, nor publishes one', async () => {
    const guestAdmin = await app.createUser('guest');
    const forum = await groups().create({ data: { name: 'Trustees Forum', scope: 'regional', primaryAdmin: guestAdmin.documentId } as never });
    const hidden = (await app.strapi.documents('api::event.event').create({
      data: { title: 'Trustees closed session', audience: 'members', start: '2027-04-07T16:00:00.000Z', kind: 'networking', networkingGroup: forum.documentId, locations: [{ key: 'zoom', name: 'Zoom', onlineUrl: 'https://zoom.example/j/trustees' }] } as never,
      status: 'published',
    } as never)) as any;
    const url = `/api/networking-groups/${forum.documentId}/events`;
    // not found, as anywhere else for a guest: no answer tells it exists, nothing is changed
    for (const body of [{ title: 'Renamed by a guest' }, {}]) {
      const res = await app.as(guestAdmin).put(`${url}/${hidden.documentId}`).send(body).expect(404);
      expect(JSON.stringify(res.body)).not.toMatch(/Trustees closed session|zoom\.example/);
    }
    const stored = await app.strapi.db.query('api::event.event').findMany({ where: { documentId: hidden.documentId }, select: ['title'] });
    expect(stored.map((e: { title: string }) => e.title)).toEqual(['Trustees closed session', 'Trustees closed session']);
    // nor published members-only: it would vanish from the admin's own answer and calendar
    const refused = await app.as(guestAdmin).post(url).send({ ...meeting, title: 'Trustees members meetup', audience: 'members' }).expect(403);
    expect(refused.body.error.message).toContain('audience');
    expect(await app.strapi.db.query('api::event.event').count({ where: { title: 'Trustees members meetup' } })).toBe(0);
    // public events are theirs to manage as before
    const open = await app.as(guestAdmin).post(url).send({ ...meeting, title: 'Trustees open meetup' }).expect(201);
    await app.as(guestAdmin).put(`${url}/${open.body.data.documentId}`).send({ audience: 'members' }).expect(403);
    await app.as(guestAdmin).put(`${url}/${open.body.data.documentId}`).send({ title: 'Trustees open meetup (online)' }).expect(200);
    // a member admin still publishes members-only events
    await app.as(admin).post(`/api/networking-groups/${group.documentId}/events`).send({ ...meeting, title: 'Forum members meetup', audience: 'members' }).expect(201);
  });

  it('rejects bad input with 400 naming the field', async () => {
    const url = `/api/networking-groups/${group.documentId}/events`;
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await app.as(admin).post(url).send(body).expect(400);
      expect(res.body.error.message).toContain(field);
    };
    await bad({ ...meeting, rrule: 'FREQ=SOMETIMES' }, 'rrule');
    await bad({ ...meeting, exdates: ['next tuesday'] }, 'exdates');
    await bad({ ...meeting, rrule: 'FREQ=WEEKLY;UNTIL=20271345' }, 'rrule');
    await bad({ ...meeting, title: '' }, 'title');
    await bad({ ...meeting, start: 'tomorrow' }, 'start');
    await bad({ ...meeting, end: '2027-03-17T09:00:00-05:00' }, 'end');
    await bad({ ...meeting, audience: 'everyone' }, 'audience');
    await bad({ ...meeting, networkingGroup: otherGroup.documentId }, 'networkingGroup');
    await bad({ ...meeting, submissionState: 'approved' }, 'submissionState');
    const edit = await app.as(admin).put(`${url}/${created}`).send({ rrule: 'FREQ=WEEKLY;BYDAY=XX' }).expect(400);
    expect(edit.body.error.message).toContain('rrule');
  });

  it('keeps the primary admin and the import feed address private', async () => {
    const list = await app.http().get('/api/networking-groups?populate=contacts').expect(200);
    const g = list.body.data.find((x: any) => x.documentId === group.documentId);
    expect(g.contacts).toEqual([expect.objectContaining({ name: 'Varies by host library' })]);
    expect(g).not.toHaveProperty('primaryAdmin');
    expect(g).not.toHaveProperty('icsFeedUrl');
    const one = await app.as(member).get(`/api/networking-groups/${group.documentId}?populate=*`).expect(200);
    expect(one.body.data).not.toHaveProperty('primaryAdmin');
    expect(JSON.stringify(one.body)).not.toContain('secret.example');
    const probe = await app.http().get(`/api/networking-groups?populate[primaryAdmin]=true`);
    expect(probe.status === 400 || !JSON.stringify(probe.body).includes(admin.email)).toBe(true);
    const filter = await app.http().get(`/api/networking-groups?filters[primaryAdmin][email][$eq]=${encodeURIComponent(admin.email)}`);
    expect(filter.status).toBe(400);
  });

  it('a group page links to its meetings on the calendar and its iCal feed', async () => {
    const one = await app.http().get(`/api/networking-groups/${group.documentId}`).expect(200);
    const { calendarUrl, icsUrl, webcalUrl } = one.body.data;
    expect(icsUrl).toBe(`http://localhost:1337/api/networking-groups/${group.documentId}/ics`);
    expect(webcalUrl).toBe(`webcal://localhost:1337/api/networking-groups/${group.documentId}/ics`);
    // both addresses work as given
    const path = (url: string) => url.replace('http://localhost:1337', '');
    expect((await app.http().get(path(icsUrl)).expect(200)).text).toContain('BEGIN:VCALENDAR');
    const occ = await app.http().get(path(calendarUrl)).expect(200);
    expect(occ.body.data.every((o: any) => o.event.networkingGroup.documentId === group.documentId)).toBe(true);
    const list = await app.http().get('/api/networking-groups').expect(200);
    expect(list.body.data.find((g: any) => g.documentId === otherGroup.documentId).icsUrl).toContain(otherGroup.documentId);
  });

  it("a meeting that takes no registration here answers a member with the group's sign-up instructions, not 'just come' (L2 help)", async () => {
    // L2: networking group meetings "often do not use L2's registration functions. The contact information or
    // instructions for signing up are included in the event details."
    const instructions = 'To attend, or to learn the host library, contact Stephanie Strick, Mount Zion District Library, 217.864.3622.';
    const res = await app.as(admin).post(`/api/networking-groups/${group.documentId}/events`)
      .send({ ...meeting, title: 'Youth Services Forum: Fall books', rrule: null, exdates: null, registrationMode: 'none', signupInstructions: instructions }).expect(201);
    const id = res.body.data.documentId;
    // the website's "Register" slot says why there is none, and whom to contact
    const availability = await app.as(member).get(`/api/events/${id}/availability`).expect(200);
    expect(availability.body.data).toMatchObject({ registrationMode: 'none', open: false });
    expect(availability.body.data.closedReason).toContain(instructions);
    expect(availability.body.data.closedReason).not.toMatch(/just come/);
    // a member who registers anyway is told the same, and nothing is stored
    const refused = await app.as(member).post(`/api/events/${id}/registrations`).send({}).expect(422);
    expect(refused.body.error.message).toContain(instructions);
    expect(refused.body.error.message).not.toMatch(/just come/);
    expect(await app.strapi.db.query('api::registration.registration').count({ where: { eventDocumentId: id } })).toBe(0);
    // with no instructions, it is an event people just come to
    const open = await app.as(admin).post(`/api/networking-groups/${group.documentId}/events`)
      .send({ ...meeting, title: 'Youth Services Forum: open house', rrule: null, exdates: null, registrationMode: 'none', signupInstructions: null }).expect(201);
    expect((await app.as(member).get(`/api/events/${open.body.data.documentId}/availability`).expect(200)).body.data.closedReason).toBe('This event does not take registrations; just come.');
  });

  it('lists groups with their contacts, meeting pattern and library system without being asked to populate (API.md, README)', async () => {
    const ihls = await app.strapi.documents('api::library-system.library-system').create({ data: { name: 'Illinois Heartland Library System', code: 'IHLS', kind: 'system', eventSubmissionContact: 'Contact IHLS' } as never });
    await groups().update({ documentId: group.documentId, data: { system: ihls.documentId } as never });
    const list = await app.http().get('/api/networking-groups').expect(200);
    const g = list.body.data.find((x: any) => x.documentId === group.documentId);
    expect(g.contacts).toEqual([expect.objectContaining({ name: 'Varies by host library' })]);
    expect(g).toHaveProperty('meetingPattern');
    // the system by name and code only
    expect(g.system).toMatchObject({ name: 'Illinois Heartland Library System', code: 'IHLS' });
    expect(g.system).not.toHaveProperty('eventSubmissionContact');
    expect(list.body.data.find((x: any) => x.documentId === otherGroup.documentId).system).toBeNull();
    const one = await app.http().get(`/api/networking-groups/${group.documentId}`).expect(200);
    expect(one.body.data.contacts).toEqual([expect.objectContaining({ name: 'Varies by host library' })]);
    expect(one.body.data.system).toMatchObject({ code: 'IHLS' });
  });
});
