import type { Database } from './database.js';

/**
 * Work run under a lock: `held` rejects once the lock may have gone (its connection died), so a
 * long run can check between steps that no other process can have taken it meanwhile.
 */
export type Exclusive = <T>(fn: (held: () => Promise<void>) => Promise<T>) => Promise<T>;
/** As `Exclusive`, but gives up at once (null) while another process holds the lock. */
export type ExclusiveIfFree = <T>(fn: (held: () => Promise<void>) => Promise<T>) => Promise<T | null>;

const alwaysHeld = () => Promise.resolve();

/**
 * Runs `fn` holding a Postgres advisory lock named `name`, for work that processes sharing this
 * database must not do at the same time (the ClickHouse analytics schema and its backfill). The lock
 * is held by a transaction open for the run, so it goes with the connection when the process dies;
 * `held` runs `SELECT 1` in that transaction. PGlite is one process: `fn` runs as it is.
 */
export function advisoryLock(db: Database, name: string): Exclusive {
  return (fn) =>
    db.kind !== 'postgres'
      ? fn(alwaysHeld)
      : db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
          return fn(async () => void (await tx.query('SELECT 1')));
        });
}

/** `advisoryLock` that does not wait: null at once when another process holds the lock. */
export function advisoryLockIfFree(db: Database, name: string): ExclusiveIfFree {
  return (fn) =>
    db.kind !== 'postgres'
      ? fn(alwaysHeld)
      : db.transaction(async (tx) => {
          const [row] = await tx.query<{ got: boolean }>(
            'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS got',
            [name],
          );
          return row?.got ? fn(async () => void (await tx.query('SELECT 1'))) : null;
        });
}
