import type { Core } from '@strapi/strapi';
import { activeRequests } from '../../../utils/activity';
import { sendingNow } from '../plugin-mail';
import { textAsHtml } from '../../../utils/html';

const OUTBOX = 'api::outbox-message.outbox-message';
const MAX_ATTEMPTS = 12;
/** A message claimed by a process that died mid-send is retried after this long. */
const STALE_CLAIM_MS = 10 * 60 * 1000;
/** Messages claimed together. */
const BATCH = 50;
/** nodemailer's codes for a server that cannot be reached or refuses us as a whole (not one message). */
const UNREACHABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EAUTH', 'ETLS']);

interface OutboxRow {
  id: number;
  carriesSecret: boolean | null;
  to: string | null;
  from: string | null;
  replyTo: string | null;
  subject: string;
  text: string | null;
  html: string | null;
  attachments: unknown;
  attempts: number;
}
/** A claimed batch: its rows, and the claim's time, which only this worker's writes of their outcome name. */
interface Claim {
  rows: OutboxRow[];
  at: Date;
}

export interface OutgoingMail {
  to: string;
  /** holds a link that signs in or sets a password: its text is not kept once sent (readers of the outbox, backups) */
  carriesSecret?: boolean;
  /** the sender and reply address when not the email plugin's defaults (EMAIL_FROM, EMAIL_REPLY_TO) */
  from?: string;
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  /** nodemailer attachments; `content` must be a string (stored as JSON) */
  attachments?: { filename: string; content: string; contentType?: string }[];
}

/** What a sent message that held a sign-in or password link keeps of its text: the link is the person's alone. */
const SECRET_SENT = { text: '(sent; its link is not kept)', html: null };

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
  /**
   * Until when kicks leave the mail server alone after a run found it unreachable: messages queued meanwhile (a
   * registration's, every few milliseconds in a burst) go in one run when the wait is over, instead of each
   * commit's run trying the server again. A hint for this process only; another finds the server down on its own,
   * and the scheduled run (cron) tries regardless.
   */
  let serverDownUntil = 0;

  const table = () => (strapi.db.metadata.get(OUTBOX) as { tableName: string }).tableName;
  const knex = () => strapi.db.getConnection(table());
  /** A query in DATABASE_SCHEMA when one is set (as Strapi's own queries are). */
  const inSchema = (qb: any) => {
    const schema = strapi.db.getSchemaName();
    return schema ? qb.withSchema(schema) : qb;
  };
  /** The table under an alias (correlated subqueries). */
  const aliased = (alias: string) => inSchema(strapi.db.connection(`${table()} as ${alias}`));

  /** Due: pending and its time has come, or claimed by a process that died mid-send (judged by the real clock). */
  const isDue = (now: Date) => (qb: any) =>
    qb
      .where((q: any) => q.where('status', 'pending').andWhere((t: any) => t.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now)))
      .orWhere((q: any) => q.where('status', 'sending').andWhere('claimed_at', '<', new Date(Date.now() - STALE_CLAIM_MS)));

  /**
   * Claims the oldest due messages: only one worker (of any process) turns a row into 'sending'. The outer
   * condition is checked again on each row as it is updated, so a row another worker claimed meanwhile is skipped.
   * A message waits while an earlier one to the same address is unsent, so each person's arrive in the order they
   * were written (a confirmation before the cancellation that follows it), whichever worker sends them.
   */
  async function claimDue(now: Date): Promise<Claim> {
    const due = isDue(now);
    const earlierUnsent = (qb: any) =>
      inSchema(qb)
        .select(strapi.db.connection.raw('1'))
        .from(`${table()} as e`)
        .whereRaw('?? = ??', ['e.to', 'o.to'])
        .whereRaw('?? < ??', ['e.id', 'o.id'])
        .whereIn('e.status', ['pending', 'sending']);
    const at = new Date();
    const claimed: { id: number | string }[] = await knex()
      .whereIn('id', aliased('o').select('o.id').where(due).whereNotExists(earlierUnsent).orderBy('o.id', 'asc').limit(BATCH))
      .where(due)
      .update({ status: 'sending', claimed_at: at })
      .returning(['id']);
    if (!claimed.length) return { rows: [], at };
    // read through Strapi's query layer: JSON attachments and dates as the app knows them
    const rows = (await strapi.db.query(OUTBOX).findMany({ where: { id: { $in: claimed.map((r) => Number(r.id)) } }, orderBy: { id: 'asc' } })) as OutboxRow[];
    return { rows, at };
  }

  /** An outcome is written only while the row is still this claim's: never over another worker's later claim. */
  const ownRow = (claim: Claim, ids: number[]) => knex().whereIn('id', ids).where({ status: 'sending', claimed_at: claim.at });

  /** As many messages at once as the mail transport keeps connections (pooled SMTP); one at a time otherwise. */
  const parallelSends = () => {
    const options = strapi.config.get('plugin::email.providerOptions', {}) as { pool?: boolean; maxConnections?: number };
    return options.pool ? Math.max(1, options.maxConnections ?? 5) : 1;
  };

  /**
   * Sends a claimed batch over parallel connections, writing each message's outcome as soon as it is known (a
   * process that dies mid-batch re-sends nothing that was delivered). Messages not tried (the server proved
   * unreachable, the process is stopping, the claim is getting old) go back to pending as they were.
   * Returns how many were delivered, and whether the run should stop.
   */
  async function sendClaimed(claim: Claim): Promise<{ sent: number; stop: boolean }> {
    const queue = [...claim.rows];
    const untried: number[] = [];
    let sent = 0;
    let unreachable = false;
    /** when the message that found the server unreachable is tried again: the untried ones wait as long */
    let serverRetryAt = new Date(Date.now() + backoffMs(1));
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        // a claim this old could soon be taken for a dead one's by another process
        if (stopped || unreachable || Date.now() - claim.at.getTime() > STALE_CLAIM_MS / 2) {
          untried.push(row.id);
          continue;
        }
        try {
          await sendingNow(() => strapi.plugin('email').service('email').send({
            to: row.to ?? '',
            ...(row.from ? { from: row.from } : {}),
            ...(row.replyTo ? { replyTo: row.replyTo } : {}),
            subject: row.subject,
            text: row.text ?? '',
            // a text-only message gets its text as HTML, escaped (the provider would send the raw text as HTML)
            html: row.html || textAsHtml(row.text ?? ''),
            ...(Array.isArray(row.attachments) && row.attachments.length ? { attachments: row.attachments } : {}),
          }));
          sent += 1;
          await ownRow(claim, [row.id]).update({ status: 'sent', sent_at: new Date(), attempts: row.attempts + 1, last_error: null, ...(row.carriesSecret ? SECRET_SENT : {}) });
        } catch (err) {
          const serverDown = UNREACHABLE.has(String((err as { code?: string })?.code));
          // a 4xx is the server's "try again later" (greylisting, a sending quota, a full mailbox): retried at the
          // longest backoff for as long as it lasts, never given up on; only a permanent (5xx) or local error fails
          const code = Number((err as { responseCode?: number })?.responseCode);
          const temporary = code >= 400 && code < 500;
          unreachable ||= serverDown;
          const attempts = row.attempts + 1;
          const nextAttemptAt = new Date(Date.now() + backoffMs(attempts));
          if (serverDown && nextAttemptAt > serverRetryAt) serverRetryAt = nextAttemptAt;
          await ownRow(claim, [row.id]).update({
            // a server that is down delays messages, it never makes them fail: only a message's own errors count
            status: attempts >= MAX_ATTEMPTS && !serverDown && !temporary ? 'failed' : 'pending',
            attempts,
            last_error: String((err as Error)?.message ?? err).slice(0, 2000),
            next_attempt_at: nextAttemptAt,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelSends(), claim.rows.length) }, worker));
    // not an attempt: due again at once (or, after a server that proved unreachable, with the message that found it so)
    if (untried.length) {
      await ownRow(claim, untried).update({ status: 'pending', ...(unreachable ? { next_attempt_at: serverRetryAt } : {}) });
    }
    // (a short wait: the backoff of a message tried many times would hold every new one back for up to an hour)
    if (unreachable) serverDownUntil = Date.now() + backoffMs(1);
    // a message delivered: the server is back, kicks need not wait any longer
    else if (sent > 0) serverDownUntil = 0;
    return { sent, stop: unreachable || stopped };
  }

  const service = {
    async enqueue(mail: OutgoingMail) {
      // createMany/updateMany: the row is not read back (create and update would re-select it)
      await strapi.db.query(OUTBOX).createMany({
        data: [{ ...mail, html: mail.html ?? null, attachments: mail.attachments ?? [], status: 'pending', attempts: 0, nextAttemptAt: new Date() }],
      });
    },

    /**
     * Sends every due message once; returns how many were delivered. Never throws on a mail error. Claims 50
     * at a time (a burst of registrations queues hundreds) until none is due; stops early when the server
     * cannot be reached or the process is stopping.
     */
    async deliverDue(opts: { now?: Date } = {}): Promise<number> {
      const now = opts.now ?? new Date();
      let sent = 0;
      while (!stopped) {
        const claim = await claimDue(now);
        if (!claim.rows.length) break;
        const batch = await sendClaimed(claim);
        sent += batch.sent;
        if (batch.stop) break;
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
        if (Date.now() < serverDownUntil) {
          // looked at again each second: a run that delivers meanwhile (the scheduled one) ends the wait
          scheduled = setTimeout(tick, Math.min(serverDownUntil - Date.now(), 1000));
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
