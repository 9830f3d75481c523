import type { Core } from '@strapi/strapi';
import { escapeLiteral } from 'pg';
import type { OutgoingMail } from '../outbox-message/services/outbox';
import { ADVISORY_LOCK_SQL, SHARED_ADVISORY_LOCK_SQL } from '../../utils/advisory-lock';
import { eventLockKey } from './keys';

/**
 * Taking seats in one trip to the database.
 *
 * Under a burst (registration opening for Member Day) the occurrence lock is the limit: every statement run
 * while holding it waits for the busy event loop to come round again, so ten statements held the lock for
 * ten loop turns. Here the whole decision — count the seats held, seat the person or put them at the end of
 * the waitlist, link the row to its event and people, queue the email — is a handful of SQL statements that
 * the database runs without the process in between:
 *  - PostgreSQL: one simple-query message ("a;b;c" runs as one implicit transaction), the advisory lock first,
 *    so each later statement reads a snapshot taken after the lock was granted;
 *  - SQLite: one synchronous better-sqlite3 transaction (BEGIN IMMEDIATE), which nothing can interleave with.
 * Inside a caller's transaction (a staff create in the admin panel) the same statements run one by one on it.
 * Registrations for one occurrence that arrive together share one such transaction (group commit, below).
 *
 * The rule itself is written once, here, as SQL: a seat while the event and the location have one free and nobody in
 * line could take it first, else the next place on the date's waitlist (one line for all the locations); who is next
 * in line for a freed seat; the statuses that hold a seat.
 */

export interface SeatMailText {
  to: string;
  subject: string;
  /** the waitlist email's text is `before` + position + `after` (the position is known only inside the lock) */
  before: string;
  after: string;
}

export interface SeatPerson {
  /** the new registration's documentId */
  documentId: string;
  userId: number;
  userDocumentId: string;
  activeKey: string;
  emergencyPhone: string | null;
  specialNeeds: string | null;
  /** the email when the person gets a seat (confirmed or pending payment), and when they are waitlisted */
  seatMail: OutgoingMail | null;
  waitlistMail: SeatMailText | null;
  outboxDocumentId: string;
}

export interface SeatPlan extends SeatSpec {
  /** event|occurrence: the key the capacity module's locks take (capacity.ts), so seat changes of every kind exclude each other */
  lockKey: string;
  eventRowIds: number[];
  /**
   * The id of the event's published row the plan was made from. Publishing replaces that row (Strapi 5 writes a
   * new one), so a plan whose row is gone when the lock is held was made from an event staff have changed since
   * (its dates, capacities, fee): nothing is written and takeSeats throws EventChanged, for the caller to read the
   * event again.
   */
  publishedRowId: number;
  occurrence: Date;
  location: string | null;
  /** what a free seat gives: confirmed, or (fee events) a seat held pending payment */
  seat: { status: 'confirmed' | 'pending-payment'; holdExpiresAt: Date | null; feeCharged: number | null; confirmedAt: Date | null };
  registeredById: number;
  now: Date;
  people: SeatPerson[];
}

export interface SeatTaken {
  id: number;
  documentId: string;
  status: 'confirmed' | 'pending-payment' | 'waitlisted';
  waitlistPosition: number | null;
}

/** Statuses that hold a seat: the one list every seat count uses. */
export const HOLDING = ['confirmed', 'pending-payment'];

type Dialect = 'postgres' | 'sqlite';
type Value = string | number | boolean | Date | null | undefined;

/** SQL literals; values are inlined because a PostgreSQL simple query (several statements in one message) takes no parameters. */
function literal(dialect: Dialect, v: Value): string {
  if (v == null) return 'NULL';
  if (typeof v === 'boolean') return dialect === 'postgres' ? String(v) : v ? '1' : '0';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`seat-writer: not a finite number: ${v}`);
    return String(v);
  }
  // Strapi's datetime columns are `timestamp` (no time zone) on PostgreSQL, which node-pg fills with the process's
  // local time, and epoch milliseconds on SQLite (knex's binding): the same text as node-pg's here, its offset
  // ignored by the cast, so these rows compare with Strapi's whatever the server's time zone (TZ)
  if (v instanceof Date) return dialect === 'postgres' ? `${escapeLiteral(pgDateText(v))}::timestamp` : String(v.getTime());
  if (v.includes('\u0000')) throw new Error('seat-writer: text with a NUL character');
  return dialect === 'postgres' ? escapeLiteral(v) : `'${v.replace(/'/g, "''")}'`;
}

/** node-pg's own text for a Date parameter (local time with its offset, or UTC when pg is set to). */
const pgDateText = (d: Date): string => (require('pg/lib/utils') as { prepareValue: (v: unknown) => string }).prepareValue(d);

const id = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Quoted SQL names: tables qualified with DATABASE_SCHEMA when one is set, as Strapi's own queries are. */
interface Names {
  reg: string;
  outbox: string;
  events: string;
  links: { event: LinkNames; user: LinkNames; registeredBy: LinkNames };
}
interface LinkNames { table: string; own: string; other: string; ord?: string }

/** Table and link-table names as Strapi's metadata has them (not guessed from conventions). */
function namesOf(strapi: Core.Strapi): Names {
  const meta = strapi.db.metadata.get('api::registration.registration') as any;
  const schema = (strapi.db as unknown as { getSchemaName?: () => string | undefined }).getSchemaName?.();
  const table = (name: string) => (schema ? `${id(schema)}.${id(name)}` : id(name));
  const link = (attr: string): LinkNames => {
    const jt = meta.attributes[attr].joinTable;
    return { table: table(jt.name), own: id(jt.joinColumn.name), other: id(jt.inverseJoinColumn.name), ord: jt.inverseOrderColumnName && id(jt.inverseOrderColumnName) };
  };
  return {
    reg: table(meta.tableName),
    outbox: table((strapi.db.metadata.get('api::outbox-message.outbox-message') as any).tableName),
    events: table((strapi.db.metadata.get('api::event.event') as any).tableName),
    links: { event: link('event'), user: link('user'), registeredBy: link('registeredBy') },
  };
}

/** The seats of one occurrence: the event's capacity and its locations' own (null: unlimited). */
export interface OccurrenceSeats {
  eventDocumentId: string;
  /** event|occurrence| — every slot of the occurrence starts with it */
  occurrencePrefix: string;
  capacity: number | null;
  /** the slots people register for (one per location of the event; one for an event without locations), each with its location's capacity */
  slots: { key: string; capacity: number | null }[];
}

/** Where a newcomer asks for a seat: one slot of the occurrence. */
export interface SeatSpec extends OccurrenceSeats {
  slot: string;
}

type Literal = (v: Value) => string;

/** The registrations of one occurrence: registrations_event_status_idx (event, status, slot, place) answers the counts and the line from the index alone; the slot prefix names the date. */
const ofOccurrence = (occ: OccurrenceSeats, L: Literal) => `event_document_id = ${L(occ.eventDocumentId)} AND slot_key LIKE ${L(`${occ.occurrencePrefix}%`)}`;

/**
 * The capacity rule as SQL conditions, true while a seat is free: `occurrenceFreeSql` for the event's capacity on the
 * date, `slotFreeSql` for the location's; both must hold. The slot is a key, or a column holding one (`column`: the
 * slot of a row being looked at, such as a waiting person's). `except`: a registration whose seat is not counted (one
 * staff are moving: it gives its seat up). null: no limit.
 */
function occurrenceFreeSql(dialect: Dialect, n: Names, occ: OccurrenceSeats, L: Literal, except?: number): string | null {
  if (occ.capacity == null) return null;
  const others = except != null ? ` AND id <> ${L(except)}` : '';
  return `(SELECT count(*) FROM ${n.reg} WHERE ${ofOccurrence(occ, L)} AND status IN (${holdingSql(dialect)})${others}) < ${L(occ.capacity)}`;
}

function slotFreeSql(dialect: Dialect, n: Names, occ: OccurrenceSeats, slot: { key: string } | { column: string }, L: Literal, except?: number): string | null {
  const others = except != null ? ` AND id <> ${L(except)}` : '';
  const slotFree = (key: string, capacity: number) =>
    `(SELECT count(*) FROM ${n.reg} WHERE slot_key = ${L(key)} AND status IN (${holdingSql(dialect)})${others}) < ${L(capacity)}`;
  const limited = occ.slots.filter((s): s is { key: string; capacity: number } => s.capacity != null);
  if ('key' in slot) {
    const own = limited.find((s) => s.key === slot.key);
    return own ? slotFree(own.key, own.capacity) : null;
  }
  return limited.length ? `CASE ${slot.column} ${limited.map((s) => `WHEN ${L(s.key)} THEN ${slotFree(s.key, s.capacity)}`).join(' ')} ELSE ${L(true)} END` : null;
}

const holdingSql = (dialect: Dialect) => HOLDING.map((h) => literal(dialect, h)).join(', ');

/** Conditions that must all hold, as one (true when there are none). */
const allOf = (L: Literal, conditions: (string | null)[]) => {
  const present = conditions.filter((c): c is string => c != null);
  return present.length ? `(${present.join(' AND ')})` : L(true);
};

/**
 * The person a free seat of the occurrence goes to, as a scalar (their registration's id, NULL for nobody): the first
 * on the date's waitlist whose location has a seat free as well as the event. One line per date, all locations
 * together, in waitlist order (first come, first served; a place given by staff's "back to the waitlist" counts from
 * then): someone waiting for a full location keeps their place and is passed over, until their location has room.
 * People waiting for a slot the event no longer has (a location staff removed) are not offered seats.
 * The event's own count is tested once, before the line is read: inside the scan SQLite tested it for every waiting
 * row (0.7 ms with 450 people waiting, in every registration while the date is full).
 */
function firstInLineSql(dialect: Dialect, n: Names, occ: OccurrenceSeats, L: Literal): string {
  // (NULL places, written by a script, wait behind numbered ones on both databases)
  const line = `(SELECT w.id FROM ${n.reg} w
     WHERE w.event_document_id = ${L(occ.eventDocumentId)} AND w.status = 'waitlisted' AND w.slot_key IN (${occ.slots.map((s) => L(s.key)).join(', ')})
       AND ${allOf(L, [slotFreeSql(dialect, n, occ, { column: 'w.slot_key' }, L)])}
     ORDER BY CASE WHEN w.waitlist_position IS NULL THEN 1 ELSE 0 END, w.waitlist_position, w.id LIMIT 1)`;
  const eventFree = occurrenceFreeSql(dialect, n, occ, L);
  return eventFree ? `CASE WHEN ${eventFree} THEN ${line} END` : line;
}

/**
 * A newcomer's seat as one SQL condition: free in the occurrence and the slot, and nobody waiting to whom a free seat
 * would go first (seats opened without a promotion go to the waitlist, in its order). `mover`: a registration staff
 * move to the slot, which is a newcomer there: its own seat is not counted against it, but whether someone in line
 * could take a seat first is judged with that seat still held (it is not theirs to take: moving within one date,
 * the person keeps the event's seat and only changes location).
 */
function newcomerSeatSql(dialect: Dialect, n: Names, spec: SeatSpec, L: Literal, mover?: number): string {
  const free = allOf(L, [occurrenceFreeSql(dialect, n, spec, L, mover), slotFreeSql(dialect, n, spec, { key: spec.slot }, L, mover)]);
  return `(${free} AND (${firstInLineSql(dialect, n, spec, L)}) IS NULL)`;
}

/** The last place on the occurrence's waitlist (0 when nobody waits): one line per date, all its locations together. */
function lastPlaceSql(n: Names, occ: OccurrenceSeats, L: Literal): string {
  return `(SELECT coalesce(max(waitlist_position), 0) FROM ${n.reg} WHERE ${ofOccurrence(occ, L)} AND status = 'waitlisted')`;
}

/**
 * The statements that seat one person; the first returns the registration's id, status and waitlist position.
 * On PostgreSQL they are one statement (the links and the email as data-modifying CTEs on the new row): one
 * to parse and plan while the lock is held, where SQLite (no such CTEs) runs them one after another.
 */
interface Statement { sql: string; params?: Record<string, unknown> }

function personStatements(dialect: Dialect, n: Names, plan: SeatPlan, p: SeatPerson, named = false): Statement[] {
  // Values are inlined (PostgreSQL's one message takes no parameters), or, for SQLite's prepared statements,
  // named parameters (@p0, @p1 ...): the text is then the same for every registration and is prepared once.
  // NULL is always written as such (the CASE shortcuts below look for it).
  let params: Record<string, unknown> = {};
  const L = (v: Value): string => {
    if (v == null || !named) return literal(dialect, v);
    const name = `p${Object.keys(params).length}`;
    params[name] = v instanceof Date ? v.getTime() : typeof v === 'boolean' ? Number(v) : v;
    return `@${name}`;
  };
  const out: Statement[] = [];
  const push = (build: () => string) => {
    params = {};
    const sql = build();
    out.push(named ? { sql, params } : { sql });
  };
  const r = n.reg;
  const s = plan.seat;
  // (a CASE of two NULLs would be typed text by PostgreSQL, which a numeric or timestamp column refuses)
  const when = (yes: string, no = 'NULL') => (yes === 'NULL' && no === 'NULL' ? 'NULL' : `CASE WHEN seat.free THEN ${yes} ELSE ${no} END`);
  const thisReg = () => (dialect === 'postgres' ? 'FROM reg WHERE true' : `FROM ${r} reg WHERE reg.document_id = ${L(p.documentId)}`);

  push(() => `INSERT INTO ${r} (document_id, occurrence, location, status, waitlist_position, emergency_phone, special_needs, payment_verified, fee_charged, hold_expires_at, attended, confirmed_at, event_document_id, user_document_id, slot_key, active_key, created_at, updated_at, published_at)
     SELECT ${L(p.documentId)}, ${L(plan.occurrence)}, ${L(plan.location)}, ${when(L(s.status), L('waitlisted'))}, ${when('NULL', 'seat.last + 1')},
       ${L(p.emergencyPhone)}, ${L(p.specialNeeds)}, ${L(false)}, ${when(L(s.feeCharged))}, ${when(L(s.holdExpiresAt))}, ${L(false)}, ${when(L(s.confirmedAt))},
       ${L(plan.eventDocumentId)}, ${L(p.userDocumentId)}, ${L(plan.slot)}, ${L(p.activeKey)}, ${L(plan.now)}, ${L(plan.now)}, ${L(plan.now)}
     FROM (SELECT ${newcomerSeatSql(dialect, n, plan, L)} AS free, ${lastPlaceSql(n, plan, L)} AS last) seat
     WHERE EXISTS (SELECT 1 FROM ${n.events} WHERE id = ${L(plan.publishedRowId)})
     ON CONFLICT (active_key) DO NOTHING
     RETURNING id, status, waitlist_position`);
  const { event, user, registeredBy } = n.links;
  for (const rowId of plan.eventRowIds) {
    push(() => `INSERT INTO ${event.table} (${event.own}, ${event.other}) SELECT reg.id, ${L(rowId)} ${thisReg()}`);
  }
  // the person's registrations keep Strapi's order column (appended last), as a db.query create would
  push(() => user.ord
    ? `INSERT INTO ${user.table} (${user.own}, ${user.other}, ${user.ord}) SELECT reg.id, ${L(p.userId)}, coalesce((SELECT max(${user.ord}) FROM ${user.table} WHERE ${user.other} = ${L(p.userId)}), 0) + 1 ${thisReg()}`
    : `INSERT INTO ${user.table} (${user.own}, ${user.other}) SELECT reg.id, ${L(p.userId)} ${thisReg()}`);
  push(() => `INSERT INTO ${registeredBy.table} (${registeredBy.own}, ${registeredBy.other}) SELECT reg.id, ${L(plan.registeredById)} ${thisReg()}`);

  // the email, in the same transaction: which one depends on the seat the statements above decided
  const seatMail = p.seatMail;
  const waitMail = p.waitlistMail;
  if (seatMail || waitMail) {
    const waiting = `reg.status = 'waitlisted'`;
    const pick = (w: string, c: string) => `CASE WHEN ${waiting} THEN ${waitMail ? w : 'NULL'} ELSE ${seatMail ? c : 'NULL'} END`;
    const pos = dialect === 'postgres' ? 'reg.waitlist_position::text' : 'reg.waitlist_position';
    const json = (sql: string) => (dialect === 'postgres' ? `(${sql})::jsonb` : sql);
    const filter = !seatMail ? ` AND ${waiting}` : !waitMail ? ` AND NOT (${waiting})` : '';
    push(() => `INSERT INTO ${n.outbox} (document_id, ${id('to')}, subject, ${id('text')}, html, attachments, status, attempts, next_attempt_at, created_at, updated_at, published_at)
      SELECT ${L(p.outboxDocumentId)}, ${pick(L(waitMail?.to), L(seatMail?.to))}, ${pick(L(waitMail?.subject), L(seatMail?.subject))},
        ${pick(`${L(waitMail?.before)} || ${pos} || ${L(waitMail?.after)}`, L(seatMail?.text))}, ${seatMail?.html ? pick('NULL', L(seatMail.html)) : 'NULL'},
        ${json(pick(L('[]'), L(JSON.stringify(seatMail?.attachments ?? []))))}, 'pending', 0, ${L(plan.now)}, ${L(plan.now)}, ${L(plan.now)}, ${L(plan.now)}
      ${thisReg()}${filter}`);
  }
  if (dialect === 'sqlite') return out;
  const [insert, ...rest] = out;
  return [{ sql: `WITH reg AS (${insert.sql}), ${rest.map((st, i) => `w${i} AS (${st.sql})`).join(', ')} SELECT id, status, waitlist_position FROM reg` }];
}

/** The event changed between reading it and taking the seat (see SeatPlan.publishedRowId): nothing was written. */
export class EventChanged extends Error {
  constructor() {
    super('the event was changed while registering');
  }
}

/** A person of the plan already holds a registration for the occurrence (the unique activeKey index). */
export class AlreadyRegistered extends Error {
  constructor(readonly personIndex: number) {
    super('already registered for this occurrence');
  }
}

type Taken = SeatTaken | null; // null: the unique activeKey index refused the row (nothing was written for it)

function dialectOf(strapi: Core.Strapi): Dialect {
  const client = strapi.db.dialect.client;
  if (client === 'postgres' || client === 'sqlite') return client;
  throw new Error(`seat-writer: database client ${client} is not supported (postgres, sqlite)`);
}

/** The advisory lock statements with their keys inlined (a simple query of several statements takes no parameters). */
const lockSql = (dialect: Dialect, key: string) => ADVISORY_LOCK_SQL.replace('?', literal(dialect, key));
const sharedLockSql = (dialect: Dialect, key: string) => SHARED_ADVISORY_LOCK_SQL.replace('?', literal(dialect, key));

const asTaken = (documentId: string, row: { id: number | string; status: string; waitlist_position: number | string | null } | undefined): Taken =>
  row
    ? { id: Number(row.id), documentId, status: row.status as SeatTaken['status'], waitlistPosition: row.waitlist_position == null ? null : Number(row.waitlist_position) }
    : null;

/**
 * The plan's rows; where a person got none, EventChanged when the plan's event row is gone (nothing was written for
 * anyone: a replaced row never comes back, so reading it now tells), else AlreadyRegistered naming the first person
 * the unique index refused.
 */
async function settled(strapi: Core.Strapi, plan: SeatPlan, taken: Taken[]): Promise<SeatTaken[]> {
  const refused = taken.findIndex((t) => t === null);
  if (refused < 0) return taken as SeatTaken[];
  if (!(await readOne(strapi, (_, n, L) => `SELECT 1 AS present FROM ${n.events} WHERE id = ${L(plan.publishedRowId)}`))) throw new EventChanged();
  throw new AlreadyRegistered(refused);
}

/**
 * The driver's error without the statement: the SQL carries people's private details (emergency phone, special
 * needs, addresses) and an error message ends up in logs. The code (SQLSTATE, SQLITE_*) is kept.
 */
function withoutStatement(err: unknown): Error {
  const e = err as { message?: string; code?: string } | null;
  const message = String(e?.message ?? err).split('\n')[0].slice(0, 200);
  return Object.assign(new Error(`seat-writer: ${message}`), { code: e?.code });
}

/**
 * Runs plans in order on a raw connection: in a transaction of its own (`own`: PostgreSQL one message that runs
 * as one implicit transaction, read-committed so each statement reads after the locks; SQLite BEGIN IMMEDIATE),
 * or in the caller's (a Strapi transaction already open on this connection). Per plan, per person: the row, or
 * null where the unique index refused it.
 */
async function runPlans(dialect: Dialect, names: Names, conn: any, plans: SeatPlan[], own: boolean): Promise<Taken[][]> {
  try {
    if (dialect === 'postgres') {
      // the locks first, in one order for every process (no two transactions wait on each other): each event's,
      // shared (staff editing the event hold it alone), then each occurrence's
      const sorted = (keys: string[]) => [...new Set(keys)].sort();
      const locks = [
        ...sorted(plans.map((p) => eventLockKey(p.eventDocumentId))).map((k) => sharedLockSql(dialect, k)),
        ...sorted(plans.map((p) => p.lockKey)).map((k) => lockSql(dialect, k)),
      ];
      const perPerson = plans.map((plan) => plan.people.map((p) => personStatements(dialect, names, plan, p)[0].sql));
      let results: any[];
      if (own) {
        const head = ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', ...locks];
        results = [].concat(await conn.query([...head, ...perPerson.flat()].join(';\n'))).slice(head.length);
      } else {
        results = [];
        for (const sql of locks) await conn.query(sql);
        for (const sql of perPerson.flat()) results.push(await conn.query(sql));
      }
      let at = 0;
      return plans.map((plan) => plan.people.map((p) => asTaken(p.documentId, results[at++].rows[0])));
    }
    // better-sqlite3 is synchronous: from BEGIN to COMMIT nothing else runs in this process, and IMMEDIATE
    // takes the database's write lock first, so another process waits too
    if (own) conn.exec('BEGIN IMMEDIATE');
    try {
      const out = plans.map((plan) =>
        plan.people.map((p) => {
          const [first, ...rest] = personStatements(dialect, names, plan, p, true);
          // (the connection keeps compiled statements: src/utils/sqlite-statements.ts)
          const taken = asTaken(p.documentId, conn.prepare(first.sql).get(first.params));
          for (const st of rest) conn.prepare(st.sql).run(st.params);
          return taken;
        }),
      );
      if (own) conn.exec('COMMIT');
      return out;
    } catch (err) {
      if (own && conn.inTransaction) conn.exec('ROLLBACK');
      throw err;
    }
  } catch (err) {
    throw withoutStatement(err);
  }
}

/**
 * Seats the plan's people in order, in one transaction holding the occurrence lock; all or none of them
 * (AlreadyRegistered when one already holds a registration for the occurrence).
 *
 * One person's plan (the common case, and a burst's) joins its occurrence's group commit: the plans for that
 * occurrence that arrive while the previous batch is written go to the database together, in arrival order, in
 * one transaction. One trip, one commit and one pooled connection for many registrations, instead of one
 * connection per registration queued on the lock while sign-in reads wait for a free one. Occurrences do not
 * wait on each other.
 */
export async function takeSeats(strapi: Core.Strapi, plan: SeatPlan): Promise<SeatTaken[]> {
  if (strapi.db.inTransaction() || plan.people.length !== 1) return inOneTransaction(strapi, plan);
  return settled(strapi, plan, await groupCommit(strapi, plan));
}

/** The caller's transaction (its connection, its atomicity) or a new Strapi one. */
async function inOneTransaction(strapi: Core.Strapi, plan: SeatPlan): Promise<SeatTaken[]> {
  const dialect = dialectOf(strapi);
  const names = namesOf(strapi);
  return (await strapi.db.transaction(async () => {
    const [taken] = await onTransactionConnection(strapi, (conn) => runPlans(dialect, names, conn, [plan], false));
    // all or none: rolled back when anyone was already registered (or the event changed)
    return settled(strapi, plan, taken);
  })) as SeatTaken[];
}

/**
 * Runs fn on the raw connection of the current Strapi transaction (a new one when there is none; knex hands its
 * connection to the transaction's client): statements run on it as they are, without knex reading a `?` in a
 * person's text or a location key as a placeholder.
 */
async function onTransactionConnection<T>(strapi: Core.Strapi, fn: (conn: any) => Promise<T>): Promise<T> {
  return (await strapi.db.transaction(async ({ trx }) => {
    const client = (trx as any).client;
    const conn = await client.acquireConnection();
    try {
      return await fn(conn);
    } finally {
      await client.releaseConnection(conn);
    }
  })) as T;
}

interface Waiting { plan: SeatPlan; resolve: (t: Taken[]) => void; reject: (e: unknown) => void }
const MAX_BATCH = 100;
/** Per process, per occurrence: the plans waiting for the batch being written. */
const queues = new WeakMap<Core.Strapi, Map<string, Waiting[]>>();

/** Errors a plan's own data causes (PostgreSQL SQLSTATE classes 22 and 23, SQLite constraints): worth retrying the others. */
const causedByData = (err: unknown) => /^(22|23)|^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(String((err as { code?: string })?.code ?? ''));

function groupCommit(strapi: Core.Strapi, plan: SeatPlan): Promise<Taken[]> {
  const byKey = queues.get(strapi) ?? new Map<string, Waiting[]>();
  queues.set(strapi, byKey);
  const waiting = byKey.get(plan.lockKey);
  const done = new Promise<Taken[]>((resolve, reject) => {
    if (waiting) waiting.push({ plan, resolve, reject });
    else byKey.set(plan.lockKey, [{ plan, resolve, reject }]);
  });
  if (!waiting) void drain(strapi, byKey, plan.lockKey);
  return done;
}

/** Writes the occurrence's waiting plans batch after batch until none is left. */
async function drain(strapi: Core.Strapi, byKey: Map<string, Waiting[]>, key: string) {
  const queue = byKey.get(key)!;
  try {
    while (queue.length) {
      // requests read in this turn of the event loop join the batch
      await new Promise((r) => setImmediate(r));
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const results = await writeBatch(strapi, batch.map((w) => w.plan));
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (err) {
        if (batch.length > 1 && causedByData(err)) {
          // one plan's data must not fail the others: each again on its own, its own error to its own caller
          for (const w of batch) await writeBatch(strapi, [w.plan]).then((r) => w.resolve(r[0]), w.reject);
        } else {
          for (const w of batch) w.reject(err);
        }
      }
    }
  } finally {
    byKey.delete(key);
  }
}

/**
 * A conflict with another transaction that rolled this one back whole, so running it again is safe: PostgreSQL's
 * deadlock (40P01: e.g. staff publishing a rescheduled series that locks this date and the event's rows while a
 * registration holds the date's lock and waits on those rows) or serialization failure (40001); SQLite's write
 * lock held by another process past the busy timeout.
 */
const transientConflict = (err: unknown) => /^(40P01|40001|SQLITE_BUSY)/.test(String((err as { code?: string })?.code ?? ''));
const ATTEMPTS = 3;

/** One transaction of its own for the plans, on a connection from the pool; again (up to 3 times) after a transient conflict. */
async function writeBatch(strapi: Core.Strapi, plans: SeatPlan[]): Promise<Taken[][]> {
  const client = (strapi.db.connection as any).client;
  for (let attempt = 1; ; attempt += 1) {
    const conn = await client.acquireConnection();
    try {
      return await runPlans(dialectOf(strapi), namesOf(strapi), conn, plans, true);
    } catch (err) {
      if (attempt >= ATTEMPTS || !transientConflict(err)) throw err;
    } finally {
      client.releaseConnection(conn);
    }
  }
}

/** One row of a query read in the current transaction (a new one when there is none). */
async function readOne(strapi: Core.Strapi, build: (dialect: Dialect, n: Names, L: Literal) => string): Promise<Record<string, unknown> | undefined> {
  const dialect = dialectOf(strapi);
  const sql = build(dialect, namesOf(strapi), (v) => literal(dialect, v));
  return onTransactionConnection(strapi, async (conn) => (dialect === 'postgres' ? (await conn.query(sql)).rows[0] : conn.prepare(sql).get()));
}

/**
 * Whether someone new to the slot gets a seat (the rule takeSeats applies), read in the current transaction: for
 * registrations moved to another date or location (`mover`: the id of the registration staff move, see newcomerSeatSql).
 */
export async function seatIsFree(strapi: Core.Strapi, spec: SeatSpec, mover?: number): Promise<boolean> {
  const row = await readOne(strapi, (dialect, n, L) => `SELECT ${newcomerSeatSql(dialect, n, spec, L, mover)} AS free`);
  return row?.free === true || Number(row?.free) === 1;
}

/** The id of the waiting registration a free seat of the occurrence goes to now (firstInLineSql), or null; read in the current transaction. */
export async function nextInLine(strapi: Core.Strapi, occ: OccurrenceSeats): Promise<number | null> {
  const row = await readOne(strapi, (dialect, n, L) => `SELECT ${firstInLineSql(dialect, n, occ, L)} AS id`);
  return row?.id != null ? Number(row.id) : null;
}
