import type { Database } from './database.js';

/**
 * Runs `fn` holding a Postgres advisory lock named `name`, for work that processes sharing this
 * database must not do at the same time (the ClickHouse analytics schema and its backfill). The lock
 * is held by a transaction open for the run, so it goes with the connection when the process dies.
 * PGlite is one process: `fn` runs as it is.
 */
export function advisoryLock(db: Database, name: string): <T>(fn: () => Promise<T>) => Promise<T> {
  return (fn) =>
    db.kind !== 'postgres'
      ? fn()
      : db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
          return fn();
        });
}
