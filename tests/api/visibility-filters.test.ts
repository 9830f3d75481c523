import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

/**
 * Hidden data must not be readable by asking questions about it: full-text search (`_q`) over
 * private fields, filters / counts / sorts that reach members-only or unpublished events through
 * a relation (REST and GraphQL), and GraphQL relations under a root `status: DRAFT`. Each request
 * below answers as if the hidden data did not exist; the same questions about visible data still work.
 */

let app: TestApp;
let guest: TestUser;
let member: TestUser;
let group: { documentId: string };

const events = () => app.strapi.documents('api::event.event');

beforeAll(async () => {
  app = await startApp();
  guest = await app.createUser('guest');
  member = await app.createUser('member');
  const tag = await app.strapi.documents('api::tag.tag').create({ data: { name: 'Youth services', slug: 'youth-services' } as never });
  group = await app.strapi.documents('api::networking-group.networking-group').create({
    data: { name: 'Directors forum', slug: 'directors-forum', icsFeedUrl: 'https://calendar.secret.example/forum.ics' } as never,
  });
  await app.strapi.documents('api::provider.provider').create({ data: { name: 'Prairie consortium', slug: 'prairie-consortium', contactEmail: 'events@secret.example' } as never });
  await app.createBuilding({ name: 'Annex branch', reviewNote: 'Closed pending asbestos survey' });

  const open = await events().create({
    data: {
      title: 'Open webinar', audience: 'public', start: '2027-03-01T18:00:00.000Z', tags: [tag.documentId], networkingGroup: group.documentId,
      externalUid: 'uid-7f3a@import.example', importSource: 'https://import.secret.example/feed.ics', reviewNote: 'Approved by Pat', submissionState: 'approved',
    } as never,
    status: 'published',
  });
  // a members-only session of the open webinar, with its private meeting link
  await events().create({
    data: {
      title: 'Members roundtable', audience: 'members', start: '2027-03-02T18:00:00.000Z', tags: [tag.documentId], networkingGroup: group.documentId,
      parent: open.documentId, locations: [{ key: 'zoom', name: 'Zoom', onlineUrl: 'https://zoom.example/j/members-only' }],
    } as never,
    status: 'published',
  });
  await events().create({ data: { title: 'Board basics', audience: 'public', start: '2027-03-04T18:00:00.000Z' } as never, status: 'published' });
  // a member's submission waiting for review: a draft only
  await events().create({ data: { title: 'Unpublished swap', audience: 'public', start: '2027-03-03T18:00:00.000Z', tags: [tag.documentId], networkingGroup: group.documentId } as never });
  // an unpublished edit of a published event
  await events().update({ documentId: open.documentId, data: { summary: 'Moved to the annex' } as never });
});

afterAll(async () => {
  await app?.stop();
});

const names = (list: { name?: string; title?: string }[] | undefined) => (list ?? []).map((e) => e.name ?? e.title).sort();
const anonymousAndGuest = () => [null, guest];
const gql = (who: TestUser | null, query: string) => app.as(who).post('/graphql').send({ query });

describe('_q full-text search', () => {
  it('does not match private fields', async () => {
    for (const who of [null, member]) {
      const as = app.as(who);
      expect((await as.get('/api/networking-groups?_q=secret.example').expect(200)).body.data).toEqual([]);
      expect((await as.get('/api/providers?_q=secret.example').expect(200)).body.data).toEqual([]);
      expect((await as.get('/api/buildings?_q=asbestos').expect(200)).body.data).toEqual([]);
      for (const term of ['uid-7f3a', 'import.secret', 'Approved by Pat', 'approved']) {
        expect((await as.get(`/api/events?_q=${encodeURIComponent(term)}`).expect(200)).body.data).toEqual([]);
      }
    }
  });

  it('still searches public fields', async () => {
    expect(names((await app.http().get('/api/networking-groups?_q=directors').expect(200)).body.data)).toEqual(['Directors forum']);
    expect(names((await app.http().get('/api/providers?_q=prairie').expect(200)).body.data)).toEqual(['Prairie consortium']);
    expect(names((await app.http().get('/api/events?_q=webinar').expect(200)).body.data)).toEqual(['Open webinar']);
  });
});

describe('filters through relations', () => {
  it('do not match members-only events for anonymous callers and guests, and do for members', async () => {
    for (const who of anonymousAndGuest()) {
      const as = app.as(who);
      expect((await as.get('/api/tags?filters[events][audience][$eq]=members').expect(200)).body.data).toEqual([]);
      expect((await as.get('/api/tags?filters[events][title][$startsWith]=M').expect(200)).body.data).toEqual([]);
      expect((await as.get('/api/tags?filters[$or][0][events][title][$startsWith]=M&filters[$or][1][name][$eq]=nothing').expect(200)).body.data).toEqual([]);
      expect((await as.get('/api/networking-groups?filters[events][title][$containsi]=roundtable').expect(200)).body.data).toEqual([]);
      expect((await as.get('/api/events?filters[sessions][locations][onlineUrl][$startsWith]=https://zoom.example/j/m').expect(200)).body.data).toEqual([]);
      expect((await as.get('/api/events?filters[tags][events][title][$startsWith]=Members').expect(200)).body.data).toEqual([]);
      // a populated relation's filters are filters too
      const populated = await as.get('/api/events?filters[title][$eq]=Open webinar&populate[networkingGroup][filters][events][title][$startsWith]=Members').expect(200);
      expect(populated.body.data.map((e: any) => e.networkingGroup)).toEqual([null]);
    }
    const as = app.as(member);
    expect(names((await as.get('/api/tags?filters[events][audience][$eq]=members').expect(200)).body.data)).toEqual(['Youth services']);
    expect(names((await as.get('/api/tags?filters[events][title][$startsWith]=M').expect(200)).body.data)).toEqual(['Youth services']);
    expect(names((await as.get('/api/events?filters[sessions][locations][onlineUrl][$startsWith]=https://zoom.example/j/m').expect(200)).body.data)).toEqual(['Open webinar']);
    const populated = await as.get('/api/events?filters[title][$eq]=Open webinar&populate[networkingGroup][filters][events][title][$startsWith]=Members').expect(200);
    expect(populated.body.data[0].networkingGroup.name).toBe('Directors forum');
  });

  it('still match public events', async () => {
    for (const who of [null, guest, member]) {
      const as = app.as(who);
      expect(names((await as.get('/api/tags?filters[events][title][$startsWith]=Open').expect(200)).body.data)).toEqual(['Youth services']);
      expect(names((await as.get('/api/networking-groups?filters[events][audience][$eq]=public').expect(200)).body.data)).toEqual(['Directors forum']);
      expect(names((await as.get(`/api/events?filters[networkingGroup][documentId][$eq]=${group.documentId}&filters[tags][events][title][$eq]=Open webinar`).expect(200)).body.data)).toContain('Open webinar');
    }
  });

  it('never match unpublished events or unpublished edits, members included', async () => {
    for (const who of [null, guest, member]) {
      const as = app.as(who);
      expect((await as.get('/api/networking-groups?filters[events][title][$containsi]=unpublished').expect(200)).body.data).toEqual([]);
      expect((await as.get('/api/tags?filters[events][summary][$containsi]=annex').expect(200)).body.data).toEqual([]);
      expect((await as.get('/api/tags?filters[events][publishedAt][$null]=true').expect(200)).body.data).toEqual([]);
    }
  });

  it('count only the related events the caller may see', async () => {
    const count = async (who: TestUser | null) => (await app.as(who).get('/api/tags?populate[events][count]=true').expect(200)).body.data[0].events.count;
    expect(await count(null)).toBe(1);
    expect(await count(guest)).toBe(1);
    expect(await count(member)).toBe(2);
  });

  it('refuse what a join cannot answer from visible events only: negating them, sorting by them', async () => {
    const negated = await app.http().get('/api/tags?filters[$not][events][title][$eq]=Open webinar').expect(400);
    expect(negated.body.error.message).toMatch(/\$not.*related events/);
    const sorted = await app.http().get('/api/tags?sort=events.title:asc').expect(400);
    expect(sorted.body.error.message).toContain('events.title');
    await app.as(member).get('/api/events?sort=parent.title').expect(400);
    // each names the refused part in details.errors[].path, a list as every 400 gives it (details.path stays as it was)
    const paths = (res: { body: any }) => res.body.error.details.errors.map((e: { path: string[] }) => e.path);
    expect(paths(negated)).toEqual([['filters', '$not', 'events']]);
    expect(negated.body.error.details).toMatchObject({ path: '$not.events', param: 'filters', source: 'query' });
    expect(negated.body.error.details.errors[0]).toMatchObject({ message: expect.stringMatching(/related events/), name: 'ValidationError' });
    expect(paths(sorted)).toEqual([['sort', 'events', 'title']]);
    expect(sorted.body.error.details).toMatchObject({ path: 'events.title', param: 'sort' });
    const nestedFilter = await app.http().get('/api/events?populate[tags][filters][$not][events][title][$eq]=x').expect(400);
    expect(paths(nestedFilter)).toEqual([['populate', 'tags', 'filters', '$not', 'events']]);
    const nestedSort = await app.http().get('/api/events?populate[tags][sort]=events.title').expect(400);
    expect(paths(nestedSort)).toEqual([['populate', 'tags', 'sort', 'events', 'title']]);
    // sorting and negating plain fields still works
    expect(names((await app.http().get('/api/tags?sort=name&filters[$not][name][$eq]=nothing').expect(200)).body.data)).toEqual(['Youth services']);
  });

  it('are constrained the same way through GraphQL', async () => {
    for (const who of anonymousAndGuest()) {
      expect((await gql(who, '{ tags(filters: { events: { title: { startsWith: "M" } } }) { name } }').expect(200)).body.data.tags).toEqual([]);
      const nested = await gql(who, '{ events { title tags(filters: { events: { audience: { eq: "members" } } }) { name } } }').expect(200);
      expect(nested.body.data.events.flatMap((e: any) => e.tags)).toEqual([]);
      // a relation's own filters and limits count only visible events
      const paged = await gql(who, '{ tags { events(filters: { or: [{ title: { startsWith: "M" } }, { title: { eq: "Open webinar" } }] }, sort: "title", pagination: { limit: 1 }) { title } } }').expect(200);
      expect(paged.body.data.tags[0].events).toEqual([{ title: 'Open webinar' }]);
    }
    expect(names((await gql(member, '{ tags(filters: { events: { title: { startsWith: "M" } } }) { name } }').expect(200)).body.data.tags)).toEqual(['Youth services']);
    const nested = await gql(member, '{ events(filters: { title: { eq: "Open webinar" } }) { tags(filters: { events: { audience: { eq: "members" } } }) { name } } }').expect(200);
    expect(nested.body.data.events[0].tags).toEqual([{ name: 'Youth services' }]);
    const parent = await gql(member, '{ events(filters: { title: { eq: "Members roundtable" } }) { parent { title } } }').expect(200);
    expect(parent.body.data.events).toEqual([{ parent: { title: 'Open webinar' } }]);
    const drafts = await gql(member, '{ tags(filters: { events: { title: { containsi: "unpublished" } } }) { name } }').expect(200);
    expect(drafts.body.data.tags).toEqual([]);
    const sorted = await gql(null, '{ tags { events(sort: "parent.title") { title } } }');
    expect(JSON.stringify(sorted.body.errors)).toContain('parent.title');
  });
});

describe('drafts through GraphQL relations', () => {
  it('a root status: DRAFT reaches no unpublished event or edit, for anyone', async () => {
    for (const [who, expected] of [[null, ['Open webinar']], [guest, ['Open webinar']], [member, ['Members roundtable', 'Open webinar']]] as const) {
      const groups = await gql(who, '{ networkingGroups(status: DRAFT) { name events { title summary publishedAt } } }').expect(200);
      const seen = groups.body.data.networkingGroups[0].events;
      expect(names(seen)).toEqual(expected);
      expect(seen.every((e: any) => e.publishedAt && e.summary !== 'Moved to the annex')).toBe(true);
      const viaEvents = await gql(who, '{ events(status: DRAFT) { title tags { events { title summary } } } }').expect(200);
      expect(JSON.stringify(viaEvents.body.data)).not.toMatch(/Unpublished swap|Moved to the annex/);
    }
  });

  it('publication filters do not tell which events have unpublished edits', async () => {
    const modified = await app.http().get('/api/events?publicationFilter=modified&fields[0]=title').expect(200);
    expect(names(modified.body.data)).toEqual(['Board basics', 'Open webinar']);
    const viaGroup = await gql(null, '{ networkingGroups(publicationFilter: MODIFIED) { events { title } } }').expect(200);
    expect(names(viaGroup.body.data.networkingGroups[0].events)).toEqual(['Open webinar']);
  });
});
