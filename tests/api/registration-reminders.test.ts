import { startApp, type TestApp, type TestUser } from '../helpers/strapi';
import { sendReminders } from '../../src/api/registration/jobs';

let app: TestApp;
const HOUR = 3_600_000;
const start = new Date(Date.now() + 10 * 24 * HOUR);
start.setUTCMinutes(0, 0, 0);

const register = (who: TestUser, ev: { documentId: string }) => app.as(who).post(`/api/events/${ev.documentId}/registrations`).send({});
const deliver = async () => {
  const outbox = app.strapi.service('api::outbox-message.outbox');
  await outbox.run();
  return outbox.deliverDue();
};
const hoursBefore = (h: number) => new Date(start.getTime() - h * HOUR);

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('reminder the day before', () => {
  it('emails each confirmed registrant once, 24–48 hours ahead, with the event as a calendar file; never the waitlist or cancelled', async () => {
    const ev = await app.strapi.documents('api::event.event').create({
      data: { title: 'Grant writing basics', audience: 'public', start: start.toISOString(), registrationMode: 'platform', capacity: 2 } as never,
      status: 'published',
    });
    const ann = await app.createUser('member');
    const bo = await app.createUser('member');
    const cy = await app.createUser('member');
    const dee = await app.createUser('member');
    for (const who of [ann, bo, cy]) await register(who, ev).expect(201); // cy is waitlisted
    const boReg = (await app.as(bo).get('/api/me/registrations').expect(200)).body.data[0];
    await app.as(bo).post(`/api/registrations/${boReg.documentId}/cancel`).expect(200); // cy is promoted
    await register(dee, ev).expect(201); // waitlisted
    await deliver();
    app.mail.clear();

    // too early: 60 hours before the start
    expect(await sendReminders(app.strapi, hoursBefore(60))).toBe(0);
    // the day before
    expect(await sendReminders(app.strapi, hoursBefore(36))).toBe(2);
    await deliver();
    const reminded = app.mail.messages.filter((m) => /^Reminder:/.test(m.subject));
    expect(reminded.flatMap((m) => m.to).sort()).toEqual([ann.email, cy.email].sort());
    const mail = app.mail.to(ann.email)[0];
    expect(mail.subject).toBe('Reminder: Grant writing basics');
    expect(mail.text).toMatch(/you are registered for Grant writing basics/);
    expect(mail.attachments.find((a) => a.filename === 'event.ics')!.content.toString()).toMatch(/SUMMARY:Grant writing basics/);
    expect(app.mail.to(bo.email)).toHaveLength(0);
    expect(app.mail.to(dee.email)).toHaveLength(0);

    // later rounds (every hour) do not send it again
    expect(await sendReminders(app.strapi, hoursBefore(35))).toBe(0);
    expect(await sendReminders(app.strapi, hoursBefore(25))).toBe(0);
    await deliver();
    expect(app.mail.to(ann.email)).toHaveLength(1);
    const row = await app.strapi.db.query('api::registration.registration').findOne({ where: { user: { id: ann.id } } });
    expect(row.reminderSentAt).toBeTruthy();
  });

  it('sends no reminders for a cancelled event', async () => {
    const ev = await app.strapi.documents('api::event.event').create({
      data: { title: 'Cancelled talk', audience: 'public', start: new Date(start.getTime() + HOUR).toISOString(), registrationMode: 'platform' } as never,
      status: 'published',
    });
    const member = await app.createUser('member');
    await register(member, ev).expect(201);
    await app.strapi.db.query('api::event.event').updateMany({ where: { documentId: ev.documentId }, data: { cancelled: true } });
    expect(await sendReminders(app.strapi, hoursBefore(30))).toBe(0);
  });

  it('schedules the reminder job hourly', () => {
    const tasks = app.strapi.config.get('server.cron.tasks') as Record<string, { options: { rule: string } }>;
    expect(tasks.registrationReminders.options.rule).toBe('0 15 * * * *');
  });
});
