import fs from 'fs';
import net from 'net';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/strapi';

const ARTIFACTS = path.resolve(__dirname, '../artifacts');
const PASSWORD = 'Adm1n-passphrase!';
let app: TestApp;
let browser: Browser;
let base: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = await startApp({ SERVE_ADMIN: 'true', PUBLIC_URL: base });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', () => resolve()));
  await app.createAdmin('staff@ihls.example', 'll-system-staff');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

// Admin users from the test helper sign in with its password, here through the login form.
const adminWithRole = async (email: string, code: string) => (await app.createAdmin(email, code)).id;

async function login(email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/admin/auth/login`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(PASSWORD);
  await page.getByRole('button', { name: /log ?in/i }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/login'), { timeout: 60000 });
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('admin panel in a real browser', () => {
  it('system staff approve a pending affiliation from the queue, and the applicant is emailed', async () => {
    const building = await app.createBuilding({ name: 'Mascoutah Public Library' });
    const applicant = await app.createUser('guest', { firstName: 'Pat', lastName: 'Ronage', email: 'pat.ronage@mascoutahlibrary.example' });
    const affiliation = await app.strapi.documents('api::affiliation.affiliation').create({
      data: { user: applicant.documentId, building: building.documentId, jobTitle: 'Circulation Clerk', roles: ['staff'], requestedRoles: ['staff'], status: 'pending' } as never,
    });
    app.mail.clear();

    const page = await login('staff@ihls.example');
    // the home page's widget counts the work waiting
    await page.goto(`${base}/admin`);
    const waiting = page.getByLabel('Affiliations waiting for confirmation');
    await waiting.waitFor();
    expect(await waiting.innerText()).toBe('1');
    await shot(page, 'home-work-queues');
    // the queue lives in the admin menu
    await page.getByRole('link', { name: 'Confirmation queue', exact: true }).click();
    const row = page.getByRole('row', { name: 'Pat Ronage' });
    await row.waitFor();
    expect(await row.getByText('email at library domain').count()).toBe(1);
    await shot(page, 'confirmation-queue');
    await row.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('No affiliation is waiting for confirmation.').waitFor({ timeout: 30000 });
    await shot(page, 'affiliation-approved');

    await app.mail.waitFor((m) => m.some((x) => x.to.includes('pat.ronage@mascoutahlibrary.example')), 30000);
    expect(app.mail.to('pat.ronage@mascoutahlibrary.example')[0].subject).toContain('is confirmed');
    const user = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: applicant.id }, populate: ['role'] });
    expect(user.role.type).toBe('member');
    await page.context().close();
  });

  it('staff open a full event\'s roster, see the waitlist in order and download it as CSV', async () => {
    const event = await app.strapi.documents('api::event.event').create({
      data: { title: 'Grant Writing Workshop', start: '2027-05-04T15:00:00.000Z', capacity: 1, registrationMode: 'platform' } as never,
    });
    await app.strapi.documents('api::event.event').publish({ documentId: event.documentId } as never);
    const people = [];
    for (const name of ['Ada', 'Ben', 'Cy']) people.push(await app.createUser('member', { firstName: name, lastName: 'Reader', email: `${name.toLowerCase()}.reader@library.example` }));
    for (const p of people) await app.as(p).post(`/api/events/${event.documentId}/registrations`).send({}).expect(201);

    const page = await login('staff@ihls.example');
    await page.getByRole('link', { name: 'Event rosters', exact: true }).click();
    await page.getByRole('row', { name: 'Grant Writing Workshop' }).getByRole('button', { name: 'Open roster' }).click();
    await page.getByText('Waitlist (2)').waitFor();
    await shot(page, 'event-roster');
    const all = await page.locator('main').innerText();
    const confirmed = all.slice(all.indexOf('Confirmed ('), all.indexOf('Pending payment ('));
    const waitlist = all.slice(all.indexOf('Waitlist ('), all.indexOf('Cancelled ('));
    expect(confirmed).toContain('ada.reader@library.example');
    expect(waitlist.indexOf('ben.reader@library.example')).toBeGreaterThan(-1);
    expect(waitlist.indexOf('ben.reader@library.example')).toBeLessThan(waitlist.indexOf('cy.reader@library.example'));
    expect(waitlist).not.toContain('ada.reader@library.example');
    // the CSV export downloads the same roster
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('ben.reader@library.example');
    expect(csv.split('\n')[0]).toContain('"Waitlist position"');
    await page.context().close();
  });

  it('an event provider cannot open another provider\'s event', async () => {
    const providerAdmin = await adminWithRole('ce@share.example', 'll-event-provider');
    const share = await app.strapi.documents('api::provider.provider').create({ data: { name: 'SHARE', slug: 'share', kind: 'consortium', adminUsers: [providerAdmin] } as never });
    const isl = await app.strapi.documents('api::provider.provider').create({ data: { name: 'Illinois State Library', slug: 'isl', kind: 'state-agency' } as never });
    await app.strapi.documents('api::event.event').create({ data: { title: 'SHARE Polaris basics', start: '2027-03-01T15:00:00.000Z', provider: share.documentId } as never });
    const other = await app.strapi.documents('api::event.event').create({ data: { title: 'ISL per capita grant Q&A', start: '2027-03-02T15:00:00.000Z', provider: isl.documentId } as never });

    const page = await login('ce@share.example');
    await page.goto(`${base}/admin/content-manager/collection-types/api::event.event`);
    await page.getByText('SHARE Polaris basics').first().waitFor();
    expect(await page.getByText('ISL per capita grant Q&A').count()).toBe(0);
    await shot(page, 'provider-events');
    await page.goto(`${base}/admin/content-manager/collection-types/api::event.event/${other.documentId}`);
    await page.waitForTimeout(3000);
    await shot(page, 'provider-other-event');
    expect(await page.getByRole('textbox', { name: /^title/i }).count()).toBe(0);
    expect(await page.getByDisplayValue?.('ISL per capita grant Q&A')?.count?.() ?? 0).toBe(0);
    await page.context().close();
  });

  it("an event provider finds Event rosters in the menu and reads its own series' roster one date at a time; no staff queues on its home page", async () => {
    const providerAdmin = await adminWithRole('rosters@share.example', 'll-event-provider');
    const share = await app.strapi.documents('api::provider.provider').create({ data: { name: 'SHARE Rosters', slug: 'share-rosters', kind: 'consortium', adminUsers: [providerAdmin] } as never });
    // a monthly series (noon in Chicago, first Wednesday), one seat per date: each date has its own seat and line
    const series = await app.strapi.documents('api::event.event').create({
      data: { title: 'SHARE cataloging circle', start: '2027-01-06T18:00:00.000Z', rrule: 'FREQ=MONTHLY;BYDAY=1WE;COUNT=6', capacity: 1, registrationMode: 'platform', provider: share.documentId } as never,
      status: 'published',
    });
    const people = [];
    for (const name of ['Gus', 'Hal', 'Ivy']) people.push(await app.createUser('member', { firstName: name, lastName: 'Cataloger', email: `${name.toLowerCase()}.cataloger@library.example` }));
    await app.as(people[0]).post(`/api/events/${series.documentId}/registrations`).send({ occurrence: '2027-01-06T18:00:00.000Z' }).expect(201);
    await app.as(people[1]).post(`/api/events/${series.documentId}/registrations`).send({ occurrence: '2027-02-03T18:00:00.000Z' }).expect(201);
    await app.as(people[2]).post(`/api/events/${series.documentId}/registrations`).send({ occurrence: '2027-02-03T18:00:00.000Z' }).expect(201);

    const page = await login('rosters@share.example');
    await page.goto(`${base}/admin`);
    await page.getByText('No work queues for your role.').waitFor();
    expect(await page.getByLabel('Affiliations waiting for confirmation').count()).toBe(0);
    await page.getByRole('link', { name: 'Event rosters', exact: true }).click();
    await page.getByLabel('Search events').fill('cataloging circle');
    await page.getByRole('row', { name: 'SHARE cataloging circle' }).getByRole('button', { name: 'Open roster' }).click();
    // all dates at once: each row names its date
    await page.getByText('Waitlist (1)').waitFor();
    await shot(page, 'provider-series-roster');
    // (the design system's tables are grids: their header cells are gridcells)
    expect(await page.getByRole('gridcell', { name: 'Date', exact: true }).count()).toBe(2); // confirmed, waitlist
    // the header says which dates it shows: not the series' first date alone
    expect(await page.getByText(/2 dates with registrations, .+ to .+ · capacity 1 each/).count()).toBe(1);
    // one date: its own seat and line
    const date = page.getByLabel('Date', { exact: true });
    expect(await date.locator('option').count()).toBe(3);
    await date.selectOption('2027-02-03T18:00:00.000Z');
    await page.getByText('Confirmed (1)').waitFor();
    await shot(page, 'provider-series-roster-one-date');
    expect(await page.getByText(/dates with registrations/).count()).toBe(0);
    expect(await page.getByText(/· capacity 1$/).count()).toBe(1);
    const all = await page.locator('main').innerText();
    const confirmed = all.slice(all.indexOf('Confirmed ('), all.indexOf('Pending payment ('));
    expect(confirmed).toContain('hal.cataloger@library.example');
    expect(confirmed).not.toContain('gus.cataloger@library.example');
    expect(all.slice(all.indexOf('Waitlist ('), all.indexOf('Cancelled ('))).toContain('ivy.cataloger@library.example');
    // one date's rows need no date column
    expect(await page.getByRole('gridcell', { name: 'Date', exact: true }).count()).toBe(0);
    await page.context().close();
  });

  it('staff publish a member-submitted event from the review page, and the submitter is emailed', async () => {
    // a system that takes member-submitted events, its group and a member of it
    const system = await app.strapi.documents('api::library-system.library-system').create({ data: { name: 'Illinois Heartland Library System', code: 'IHLS', kind: 'system', acceptsEventSubmissions: true } as never });
    const group = await app.strapi.documents('api::networking-group.networking-group').create({ data: { name: 'Medium Pubs Meeting', scope: 'regional', system: system.documentId } as never });
    const submitter = await app.createUser('member', { firstName: 'Amy', lastName: 'Byers', email: 'amy.byers@chathamlibrary.example', building: await app.createBuilding({}, { system }) });
    await app.as(submitter).post('/api/event-submissions').send({
      networkingGroup: group.documentId, title: 'Medium Pubs spring meeting', description: 'Bring a program idea.',
      start: '2027-04-13T15:00:00.000Z', end: '2027-04-13T16:30:00.000Z', location: { name: 'Chatham Area Public Library' }, openToAllMembers: true,
    }).expect(201);
    const page = await login('staff@ihls.example');
    await page.getByRole('link', { name: 'Event submissions', exact: true }).click();
    const row = page.getByRole('row', { name: 'Medium Pubs spring meeting' });
    await row.waitFor();
    await shot(page, 'event-submissions');
    await row.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('No submitted event is waiting for review.').waitFor({ timeout: 30000 });
    await app.mail.waitFor(() => app.mail.to('amy.byers@chathamlibrary.example').some((m) => m.subject.startsWith('Your event was published')), 30000);
    const events = await app.http().get('/api/events?filters[title][$eq]=Medium%20Pubs%20spring%20meeting').expect(200);
    expect(events.body.data).toHaveLength(1);
    await page.context().close();
  });

  it('staff see seats used / offered in the events list (one request per page), an edit view grouped as code, and each building\'s system', async () => {
    const event = await app.strapi.documents('api::event.event').create({
      data: { title: 'Library Board Basics', start: '2027-06-08T15:00:00.000Z', capacity: 4, registrationMode: 'platform' } as never,
      status: 'published',
    });
    const open = await app.strapi.documents('api::event.event').create({
      data: { title: 'Open Lab Hours', start: '2027-06-09T15:00:00.000Z', registrationMode: 'platform' } as never,
      status: 'published',
    });
    const people = [];
    for (const name of ['Dee', 'Eli', 'Fay']) people.push(await app.createUser('member', { firstName: name, lastName: 'Trustee', email: `${name.toLowerCase()}.trustee@library.example` }));
    for (const p of people) await app.as(p).post(`/api/events/${event.documentId}/registrations`).send({}).expect(201);
    await app.as(people[0]).post(`/api/events/${open.documentId}/registrations`).send({}).expect(201);
    const system = await app.strapi.documents('api::library-system.library-system').create({ data: { name: 'Reaching Across Illinois Library System', code: 'RAILS', kind: 'system' } as never });
    const building = await app.createBuilding({ name: 'Aaron Public Library (Bartlett)' });
    const stored = await app.strapi.db.query('api::building.building').findOne({ where: { documentId: building.documentId }, populate: { library: true } });
    await app.strapi.documents('api::library.library').update({ documentId: stored.library.documentId, data: { system: system.documentId } as never });

    // one login for the three pages: the admin login is rate-limited per minute
    const page = await login('staff@ihls.example');
    const seatRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/rosters/seats')) seatRequests.push(r.url());
    });
    await page.goto(`${base}/admin/content-manager/collection-types/api::event.event`);
    // the content manager's table is a grid: its header cells are gridcells
    await page.getByRole('gridcell', { name: 'Seats', exact: true }).waitFor();
    const row = page.getByRole('row', { name: /Library Board Basics/ });
    await row.getByText('3 / 4').waitFor();
    await page.getByRole('row', { name: /Open Lab Hours/ }).getByText('1 / ∞').waitFor();
    await shot(page, 'events-list-seats');
    // every row's figure came from one request for the page
    expect(seatRequests).toHaveLength(1);
    expect(seatRequests[0]).toContain(event.documentId);
    expect(seatRequests[0]).toContain(open.documentId);

    await row.getByRole('link', { name: 'Library Board Basics' }).click();
    await page.waitForURL((url) => url.pathname.endsWith(event.documentId));
    await page.getByText(/RFC 5545 RRULE/).waitFor();
    // grouped as declared: title beside slug, start beside end, capacity under the registration mode
    const top = async (label: RegExp) => (await page.getByLabel(label).first().boundingBox())!.y;
    expect(Math.abs((await top(/^title/i)) - (await top(/^slug/i)))).toBeLessThan(5);
    expect(Math.abs((await top(/^start/i)) - (await top(/^end/i)))).toBeLessThan(5);
    expect(await top(/^capacity/i)).toBeGreaterThan(await top(/^registrationMode/i));
    await shot(page, 'event-edit-view');

    await page.goto(`${base}/admin/content-manager/collection-types/api::building.building`);
    await page.getByRole('gridcell', { name: 'System', exact: true }).waitFor();
    await page.getByRole('row', { name: /Aaron Public Library/ }).getByText('RAILS').waitFor();
    await shot(page, 'buildings-list-system');
    await page.context().close();
  });
});
