import type { Core } from '@strapi/strapi';
import { activeRequests } from '../../../utils/activity';

const OUTBOX = 'api::outbox-message.outbox-message';
const MAX_ATTEMPTS = 12;
/** A message claimed by a process that died mid-send is retried after this long. */
const STALE_CLAIM_MS = 10 * 60 * 1000;
/** Messages claimed and recorded together. */
const BATCH = 50;
/** nodemailer's codes for a server that cannot be reached or refuses us as a whole (not one message). */
const UNREACHABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EAUTH', 'ETLS']);

interface OutboxRow {
  id: number;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  attachments: unknown;
  attempts: number;
}
interface Outcome {
  sent: OutboxRow[];
  failed: { row: OutboxRow; error: string }[];
  /** the error that showed the server unreachable, once one did */
  unreachable: string | false;
}

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
 * `deliverDue` sends due messages, claimed first by a conditional UPDATE so two
 * workers (or two processes) never send the same row.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;
  let scheduled: NodeJS.Timeout | null = null;
  let firstKick = 0;

  const table = () => (strapi.db.metadata.get(OUTBOX) as { tableName: string }).tableName;
  const knex = () => strapi.db.getConnection(table());

  /** Due: pending and its time has come, or claimed by a process that died mid-send (judged by the real clock). */
  const isDue = (now: Date) => (qb: any) =>
    qb
      .where((q: any) => q.where('status', 'pending').andWhere((t: any) => t.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now)))
      .orWhere((q: any) => q.where('status', 'sending').andWhere('claimed_at', '<', new Date(Date.now() - STALE_CLAIM_MS)));

  /**
   * Claims the oldest due messages: only one worker (of any process) turns a row into 'sending'. The outer
   * condition is checked again on each row as it is updated, so a row another worker claimed meanwhile is skipped.
   */
  async function claimDue(now: Date): Promise<OutboxRow[]> {
    const due = isDue(now);
    const claimed: { id: number | string }[] = await knex()
      .whereIn('id', knex().select('id').where(due).orderBy('id', 'asc').limit(BATCH))
      .where(due)
      .update({ status: 'sending', claimed_at: new Date() })
      .returning(['id']);
    if (!claimed.length) return [];
    // read through Strapi's query layer: JSON attachments and dates as the app knows them
    return strapi.db.query(OUTBOX).findMany({ where: { id: { $in: claimed.map((r) => Number(r.id)) } }, orderBy: { id: 'asc' } }) as Promise<OutboxRow[]>;
  }

  /** As many messages at once as the mail transport keeps connections (pooled SMTP); one at a time otherwise. */
  const parallelSends = () => {
    const options = strapi.config.get('plugin::email.providerOptions', {}) as { pool?: boolean; maxConnections?: number };
    return options.pool ? Math.max(1, options.maxConnections ?? 5) : 1;
  };

  /**
   * Sends the batch over parallel connections; one person's messages stay in one queue, in the order they were
   * written (a confirmation arrives before the cancellation that follows it).
   */
  async function sendAll(batch: OutboxRow[]): Promise<Outcome> {
    const outcome: Outcome = { sent: [], failed: [], unreachable: false };
    const byRecipient = new Map<string, OutboxRow[]>();
    for (const row of batch) {
      const key = row.to.toLowerCase();
      byRecipient.set(key, [...(byRecipient.get(key) ?? []), row]);
    }
    const queues = [...byRecipient.values()];
    const sendOne = async (row: OutboxRow) => {
      if (outcome.unreachable) {
        outcome.failed.push({ row, error: outcome.unreachable });
        return;
      }
      try {
        await strapi.plugin('email').service('email').send({
          to: row.to,
          subject: row.subject,
          text: row.text ?? '',
          ...(row.html ? { html: row.html } : {}),
          ...(Array.isArray(row.attachments) && row.attachments.length ? { attachments: row.attachments } : {}),
        });
        outcome.sent.push(row);
      } catch (err) {
        const error = String((err as Error)?.message ?? err).slice(0, 2000);
        outcome.failed.push({ row, error });
        if (UNREACHABLE.has(String((err as { code?: string })?.code))) outcome.unreachable ||= error;
      }
    };
    const worker = async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const row of queue) await sendOne(row);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelSends(), queues.length) }, worker));
    return outcome;
  }

  /** One UPDATE for the delivered messages, one per (attempts, error) for the others: each gets its backoff. */
  async function recordOutcome({ sent, failed }: Outcome) {
    if (sent.length) {
      await knex()
        .whereIn('id', sent.map((r) => r.id))
        .update({ status: 'sent', sent_at: new Date(), attempts: strapi.db.connection.raw('?? + 1', ['attempts']), last_error: null });
    }
    const groups = new Map<string, { attempts: number; error: string; ids: number[] }>();
    for (const { row, error } of failed) {
      const key = `${row.attempts}\u0000${error}`;
      const group = groups.get(key) ?? { attempts: row.attempts, error, ids: [] };
      group.ids.push(row.id);
      groups.set(key, group);
    }
    for (const { attempts: before, error, ids } of groups.values()) {
      const attempts = before + 1;
      await knex()
        .whereIn('id', ids)
        .update({
          status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
          attempts,
          last_error: error,
          next_attempt_at: new Date(Date.now() + backoffMs(attempts)),
        });
    }
  }

  const service = {
    async enqueue(mail: OutgoingMail) {
      // createMany/updateMany: the row is not read back (create and update would re-select it)
      await strapi.db.query(OUTBOX).createMany({
        data: [{ ...mail, html: mail.html ?? null, attachments: mail.attachments ?? [], status: 'pending', attempts: 0, nextAttemptAt: new Date() }],
      });
    },

    /**
     * Sends every due message once; returns how many were delivered. Never throws on a mail error.
     * Messages are claimed and their outcome written a batch at a time (a burst of registrations queues
     * hundreds): one UPDATE claims a batch, one marks the delivered ones.
     */
    async deliverDue(opts: { now?: Date } = {}): Promise<number> {
      const now = opts.now ?? new Date();
      let sent = 0;
      for (;;) {
        const batch = await claimDue(now);
        if (!batch.length) return sent;
        const outcome = await sendAll(batch);
        await recordOutcome(outcome);
        sent += outcome.sent.length;
        // the server is unreachable: the rest waits for the next attempt instead of failing one by one
        if (outcome.unreachable || batch.length < BATCH) return sent;
      }
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
