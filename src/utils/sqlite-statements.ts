/**
 * Prepared statements kept per SQLite connection, by their SQL text.
 *
 * knex's better-sqlite3 client prepares every query anew (`connection.prepare(sql)` in its `_query`), and
 * SQLite's compile of a statement costs as much as running the small indexed reads most requests make (a
 * tenth of a millisecond and more per query for Strapi's populates). Strapi sends the same few hundred texts
 * again and again, so the connection keeps the compiled statements: least recently used first out.
 * Safe because better-sqlite3 is synchronous and knex only calls `all` or `run` (no iterator keeps a
 * statement busy, no raw/pluck mode sticks to it), and SQLite re-compiles a kept statement by itself when
 * the schema changes under it.
 */
interface PreparingConnection {
  prepare: (sql: string) => unknown;
}

export function keepPreparedStatements(conn: PreparingConnection, max = 500): void {
  const prepare = conn.prepare.bind(conn);
  const kept = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = kept.get(sql);
    if (statement) {
      kept.delete(sql);
    } else {
      statement = prepare(sql);
      if (kept.size >= max) kept.delete(kept.keys().next().value as string);
    }
    kept.set(sql, statement);
    return statement;
  };
}
