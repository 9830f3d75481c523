import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;
let guest: TestUser;
let member: TestUser;
let open: { documentId: string; id: number };
let secret: { documentId: string; id: number };
let tag: { documentId: string };
let group: { documentId: string };

const publish = async (data: Record<string, unknown>) =>
  app.strapi.documents('api::event.event').create({ data: data as never, status: 'published' });

beforeAll(async () => {
  app = await startApp();
  guest = await app.createUser('guest');
  member = await app.createUser('member');
  tag = await app.strapi.documents('api::tag.tag').create({ data: { name: 'Youth services', slug: 'youth-services' } as never, status: 'published' });
  group = await app.strapi.documents('api::networking-group.networking-group').create({
    data: { name: 'Directors forum', slug: 'directors-forum' } as never,
    status: 'published',
  });
  open = (await publish({
    title: 'Open webinar', audience: 'public', start: '2027-03-01T18:00:00.000Z',
    tags: [tag.documentId], networkingGroup: group.documentId,
  })) as never;
  secret = (await publish({
    title: 'Members roundtable', audience: 'members', start: '2027-03-02T18:00:00.000Z',
    tags: [tag.documentId], networkingGroup: group.documentId, parent: open.documentId,
  })) as never;
});

afterAll(async () => {
  await app?.stop();
});

const titles = (list: { title: string }[] | undefined) => (list ?? []).map((e) => e.title).sort();

describe('members-only events', () => {
  it('are absent from the list for anonymous callers and guests, present for members', async () => {
    for (const who of [null, guest]) {
      const res = await app.as(who).get('/api/events').expect(200);
      expect(titles(res.body.data)).toEqual(['Open webinar']);
      expect(res.body.meta.pagination.total).toBe(1);
    }
    const res = await app.as(member).get('/api/events').expect(200);
    expect(titles(res.body.data)).toEqual(['Members roundtable', 'Open webinar']);
  });

  it('are absent from every other route for anonymous callers and guests (API.md): calendar, feeds, RSS, registration', async () => {
    const text = (res: { text?: string; body?: unknown }) => (res.text ? res.text : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '');
    for (const who of [null, guest]) {
      const occ = await app.as(who).get('/api/occurrences?from=2027-02-01&to=2027-04-01').expect(200);
      expect(occ.body.data.map((o: { event: { title: string } }) => o.event.title)).toEqual(['Open webinar']);
      await app.as(who).get(`/api/events/${secret.documentId}/ics`).expect(404);
      await app.as(who).get(`/api/events/${secret.documentId}/availability`).expect(404);
      if (who) await app.as(who).post(`/api/events/${secret.documentId}/registrations`).send({}).expect(404);
    }
    // the feeds calendar clients poll without signing in carry public events only, whoever asks
    for (const who of [null, guest, member]) {
      for (const url of ['/api/calendar.ics', `/api/networking-groups/${group.documentId}/ics`, '/api/events/feed.rss']) {
        const body = text(await app.as(who).get(url).buffer(true).expect(200));
        expect({ url, open: body.includes('Open webinar'), secret: body.includes('Members roundtable') }).toEqual({ url, open: true, secret: false });
      }
    }
    // a member sees it where they are signed in
    const occ = await app.as(member).get('/api/occurrences?from=2027-02-01&to=2027-04-01').expect(200);
    expect(occ.body.data.map((o: { event: { title: string } }) => o.event.title).sort()).toEqual(['Members roundtable', 'Open webinar']);
  });

  it('answer 404 when asked for directly by anonymous callers and guests', async () => {
    await app.as(null).get(`/api/events/${secret.documentId}`).expect(404);
    await app.as(guest).get(`/api/events/${secret.documentId}`).expect(404);
    const res = await app.as(member).get(`/api/events/${secret.documentId}`).expect(200);
    expect(res.body.data.title).toBe('Members roundtable');
  });

  it('cannot be found by filtering on them', async () => {
    const res = await app.as(null).get('/api/events?filters[audience][$eq]=members').expect(200);
    expect(res.body.data).toEqual([]);
  });

  it('are dropped from populated relations of tags, networking groups and other events', async () => {
    const tags = await app.as(null).get('/api/tags?populate=events').expect(200);
    expect(titles(tags.body.data[0].events)).toEqual(['Open webinar']);
    const groups = await app.as(guest).get(`/api/networking-groups/${group.documentId}?populate=events`).expect(200);
    expect(titles(groups.body.data.events)).toEqual(['Open webinar']);
    const sessions = await app.as(null).get(`/api/events/${open.documentId}?populate=sessions`).expect(200);
    expect(sessions.body.data.sessions).toEqual([]);

    const asMember = await app.as(member).get('/api/tags?populate=events').expect(200);
    expect(titles(asMember.body.data[0].events)).toEqual(['Members roundtable', 'Open webinar']);
    const memberSessions = await app.as(member).get(`/api/events/${open.documentId}?populate=sessions`).expect(200);
    expect(titles(memberSessions.body.data.sessions)).toEqual(['Members roundtable']);
  });

  it('are dropped from a relation populated with * (populate[networkingGroup][populate][events]=*), which answers', async () => {
    const eventsOfGroup = (list: any[]) => titles(list.find((e) => e.title === 'Open webinar')?.networkingGroup?.events);
    for (const who of [null, guest]) {
      const nested = await app.as(who).get('/api/events?populate[networkingGroup][populate][events]=*').expect(200);
      expect(titles(nested.body.data)).toEqual(['Open webinar']);
      expect(eventsOfGroup(nested.body.data)).toEqual(['Open webinar']);
      const groups = await app.as(who).get('/api/networking-groups?populate[events]=*').expect(200);
      const events = groups.body.data.find((g: any) => g.documentId === group.documentId).events;
      expect(titles(events)).toEqual(['Open webinar']);
      // the relation comes with its own relations: a members-only session of a public event stays hidden there too
      expect(events[0].sessions).toEqual([]);
      expect(events[0].tags.map((t: { slug: string }) => t.slug)).toEqual(['youth-services']);
    }
    const asMember = await app.as(member).get('/api/events?populate[networkingGroup][populate][events]=*').expect(200);
    expect(eventsOfGroup(asMember.body.data)).toEqual(['Members roundtable', 'Open webinar']);
    const memberGroups = await app.as(member).get('/api/networking-groups?populate[events]=*').expect(200);
    const memberEvents = memberGroups.body.data.find((g: any) => g.documentId === group.documentId).events;
    expect(titles(memberEvents.find((e: any) => e.title === 'Open webinar').sessions)).toEqual(['Members roundtable']);
  });

  it('are not shown as the parent (conference) of a public session', async () => {
    const session = await publish({ title: 'Open session', audience: 'public', start: '2027-03-02T20:00:00.000Z', parent: secret.documentId });
    const anon = await app.as(null).get(`/api/events/${session.documentId}?populate=parent`).expect(200);
    expect(anon.body.data.parent).toBeNull();
    const asMember = await app.as(member).get(`/api/events/${session.documentId}?populate=parent`).expect(200);
    expect(asMember.body.data.parent.title).toBe('Members roundtable');
    await app.strapi.documents('api::event.event').delete({ documentId: session.documentId });
  });

  it('are invisible through GraphQL too', async () => {
    const query = (who: TestUser | null, q: string) => app.as(who).post('/graphql').send({ query: q });
    const list = await query(null, '{ events { title } }').expect(200);
    expect(titles(list.body.data.events)).toEqual(['Open webinar']);
    const one = await query(guest, `{ event(documentId: "${secret.documentId}") { title } }`).expect(200);
    expect(one.body.data.event).toBeNull();
    const nested = await query(null, '{ tags { events { title } } }').expect(200);
    expect(titles(nested.body.data.tags[0].events)).toEqual(['Open webinar']);
    const asMember = await query(member, '{ events { title } }').expect(200);
    expect(titles(asMember.body.data.events)).toEqual(['Members roundtable', 'Open webinar']);
  });

  it('GraphQL has no way to read the email outbox', async () => {
    const res = await app.as(member).post('/graphql').send({ query: '{ outboxMessages { to subject } }' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toMatch(/outboxMessages/);
  });

  it('stay visible to internal calls made outside a request', async () => {
    const all = await app.strapi.documents('api::event.event').findMany({ status: 'published' });
    expect(titles(all as never)).toEqual(['Members roundtable', 'Open webinar']);
  });
});
