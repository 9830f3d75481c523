import type { Core } from '@strapi/strapi';

/**
 * A lock on a name until the transaction ends, held across every process on the database: PostgreSQL's
 * advisory locks, the one statement every writer of seats and pairings takes. SQLite needs none (one writer
 * at a time, and a transaction takes the write lock).
 */
export const ADVISORY_LOCK_SQL = 'SELECT pg_advisory_xact_lock(hashtext(?))';
/** The same lock shared: any number of transactions hold it together, none while one holds it alone. */
export const SHARED_ADVISORY_LOCK_SQL = 'SELECT pg_advisory_xact_lock_shared(hashtext(?))';

/**
 * Takes the locks of these names in the transaction, in sorted order (two transactions never wait on each other),
 * alone or `shared`.
 */
export async function lockNames(strapi: Core.Strapi, trx: unknown, names: string[], opts: { shared?: boolean } = {}): Promise<void> {
  if (strapi.db.dialect.client !== 'postgres') return;
  for (const name of [...new Set(names)].sort()) {
    await strapi.db.connection.raw(opts.shared ? SHARED_ADVISORY_LOCK_SQL : ADVISORY_LOCK_SQL, [name]).transacting(trx as never);
  }
}

/**
 * Runs fn in one transaction holding the locks of these names: a check and the write it allows (one open
 * application, one affiliation per building, one decision, a read-modify-write of a building's record) happen
 * with no other process's check between them. On SQLite the transaction is the one writer.
 */
export function withNamedLocks<T>(strapi: Core.Strapi, names: string[], fn: () => Promise<T>): Promise<T> {
  return strapi.db.transaction(async ({ trx }) => {
    await lockNames(strapi, trx, names);
    return fn();
  }) as Promise<T>;
}
