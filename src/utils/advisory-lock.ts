import type { Core } from '@strapi/strapi';

/**
 * A lock on a name until the transaction ends, held across every process on the database: PostgreSQL's
 * advisory locks, the one statement every writer of seats and pairings takes. SQLite needs none (one writer
 * at a time, and a transaction takes the write lock).
 */
export const ADVISORY_LOCK_SQL = 'SELECT pg_advisory_xact_lock(hashtext(?))';

/** Takes the locks of these names in the transaction, in sorted order (two transactions never wait on each other). */
export async function lockNames(strapi: Core.Strapi, trx: unknown, names: string[]): Promise<void> {
  if (strapi.db.dialect.client !== 'postgres') return;
  for (const name of [...new Set(names)].sort()) {
    await strapi.db.connection.raw(ADVISORY_LOCK_SQL, [name]).transacting(trx as never);
  }
}
