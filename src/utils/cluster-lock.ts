import type { Core } from '@strapi/strapi';

/**
 * Runs a scheduled job on one process of the cluster only. On PostgreSQL a
 * transaction-scoped advisory lock, held on its own connection while the job
 * runs, makes every other process skip that round; SQLite is a single-host file
 * that one process at a time serves.
 */
export async function runOncePerCluster(strapi: Core.Strapi, name: string, job: () => Promise<void>): Promise<boolean> {
  if (strapi.db.dialect.client !== 'postgres') {
    await job();
    return true;
  }
  return strapi.db.connection.transaction(async (trx) => {
    const res = await trx.raw('SELECT pg_try_advisory_xact_lock(hashtext(?)) AS ok', [name]);
    if (!res.rows[0].ok) return false;
    await job();
    return true;
  });
}
