import type { TestApp } from './strapi';

/** The outbox row of a message once it is marked sent (the test mailbox receives it a moment before). */
export async function sentRow(app: TestApp, to: string, subject: string | RegExp): Promise<Record<string, any>> {
  const matches = (s: string) => (typeof subject === 'string' ? s === subject : subject.test(s));
  for (let i = 0; i < 100; i += 1) {
    const rows = await app.strapi.db.query('api::outbox-message.outbox-message').findMany({ where: { to }, orderBy: { id: 'desc' } });
    const row = rows.find((r: { subject: string }) => matches(r.subject));
    if (row?.status === 'sent') return row;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no sent message "${subject}" to ${to}`);
}

/** Whether the stored text of a sent message still holds this secret (a sign-in or password link's code). */
export const keepsSecret = (row: Record<string, any>, secret: string) => `${row.text ?? ''}\n${row.html ?? ''}`.includes(secret);
