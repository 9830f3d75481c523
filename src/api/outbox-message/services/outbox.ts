import type { Core } from '@strapi/strapi';
import { activeRequests } from '../../../utils/activity';

const OUTBOX = 'api::outbox-message.outbox-message';
const MAX_ATTEMPTS = 12;
/** A message claimed by a process that died mid-send is retried after this long. */
const STALE_CLAIM_MS = 10 * 60 * 1000;

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** nodemailer attachments; `content` must be a string (stored as JSON) */
  attachments?: { filename: string; content: string; contentType?: string }[];
}

/** How long delivery may wait for the process's requests to be answered before it runs anyway. */
const MAX_DEFER_MS = Number(process.env.OUTBOX_MAX_DEFER_MS) || 3000;

/** Backoff before attempt n+1: 15 s, 30 s, 1 min, ... capped at 1 h. */
export const backoffMs = (attempts: number) => Math.min(15_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);

/**
 * The transactional outbox: `enqueue` writes a message row inside the caller's
 * transaction (so a registration and its email commit or roll back together);
 * `deliverDue` sends due messages, each claimed first with a conditional
 * UPDATE so two workers (or two processes) never send the same row.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;
  let scheduled: NodeJS.Timeout | null = null;
  let firstKick = 0;

  const service = {
    async enqueue(mail: OutgoingMail) {
      // createMany/updateMany: the row is not read back (create and update would re-select it)
      await strapi.db.query(OUTBOX).createMany({
        data: [{ ...mail, html: mail.html ?? null, attachments: mail.attachments ?? [], status: 'pending', attempts: 0, nextAttemptAt: new Date() }],
      });
    },

    /** Sends every due message once; returns how many were delivered. Never throws. */
    async deliverDue(opts: { now?: Date } = {}): Promise<number> {
      const now = opts.now ?? new Date();
      const due = await strapi.db.query(OUTBOX).findMany({
        where: {
          $or: [
            { status: 'pending', $or: [{ nextAttemptAt: { $null: true } }, { nextAttemptAt: { $lte: now } }] },
            // stale claims are judged by the real clock, never by a `now` passed in
            { status: 'sending', claimedAt: { $lt: new Date(Date.now() - STALE_CLAIM_MS) } },
          ],
        },
        orderBy: { id: 'asc' },
        limit: 100,
      });
      let sent = 0;
      for (const row of due) {
        // Claim: only one process turns this row from its current state into 'sending'.
        const claim = await strapi.db.query(OUTBOX).updateMany({
          where: { id: row.id, status: row.status, attempts: row.attempts },
          data: { status: 'sending', claimedAt: new Date() },
        });
        if (!claim?.count) continue;
        try {
          await strapi.plugin('email').service('email').send({
            to: row.to,
            subject: row.subject,
            text: row.text ?? '',
            ...(row.html ? { html: row.html } : {}),
            ...(Array.isArray(row.attachments) && row.attachments.length ? { attachments: row.attachments } : {}),
          });
          await strapi.db.query(OUTBOX).updateMany({ where: { id: row.id }, data: { status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, lastError: null } });
          sent += 1;
        } catch (err) {
          const attempts = row.attempts + 1;
          await strapi.db.query(OUTBOX).updateMany({
            where: { id: row.id },
            data: {
              status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
              attempts,
              lastError: String((err as Error)?.message ?? err).slice(0, 2000),
              nextAttemptAt: new Date(Date.now() + backoffMs(attempts)),
            },
          });
        }
      }
      return sent;
    },

    /**
     * Runs the worker unless a run is already going in this process (cron ticks
     * and kicks overlap); a call during a run schedules one more run after it,
     * so messages committed meanwhile are not left for the next tick.
     */
    run(opts: { now?: Date } = {}): Promise<number> {
      if (stopped) return Promise.resolve(0);
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        let total = 0;
        do {
          again = false;
          total += await service.deliverDue(opts);
        } while (again && !stopped);
        return total;
      })()
        .catch((err) => {
          strapi.log.warn(`outbox: delivery run stopped: ${err?.message ?? err}`);
          return 0;
        })
        .finally(() => {
          running = null;
        });
      return running;
    },

    /**
     * Queues messages in the current transaction (a new one when there is none)
     * and starts delivery once it commits: the one way notices leave the platform,
     * so a mail server that is down delays them but never loses them.
     */
    async send(mails: OutgoingMail[]) {
      await strapi.db.transaction(async ({ onCommit }) => {
        for (const m of mails) await service.enqueue(m);
        onCommit(() => service.kick());
      });
    },

    /**
     * Starts delivery soon, without waiting (called after a commit). Requests being answered go first: while
     * any are, delivery waits, but never more than MAX_DEFER_MS after the first kick it has not served.
     */
    kick() {
      if (stopped || scheduled) return;
      if (!firstKick) firstKick = Date.now();
      const tick = () => {
        scheduled = null;
        if (stopped) return;
        if (activeRequests(strapi) > 0 && Date.now() - firstKick < MAX_DEFER_MS) {
          scheduled = setTimeout(tick, 25);
          scheduled.unref();
          return;
        }
        firstKick = 0;
        void service.run();
      };
      scheduled = setTimeout(tick, 0);
      scheduled.unref();
    },

    /**
     * On shutdown: lets the delivery run in progress finish (a message is never cut off
     * mid-send with the database closing under it) and starts no other; what is left
     * stays in the table for the next start or another process.
     */
    async stop() {
      stopped = true;
      if (scheduled) clearTimeout(scheduled);
      scheduled = null;
      await running;
    },
  };
  return service;
};
