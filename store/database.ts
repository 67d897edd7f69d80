/**
 * The database port: what repositories and the Postgres projection adapters (search/, graph/) may
 * know of the database. Types only; `db.ts` implements them for a Postgres server and for PGlite.
 */

/** What repositories need: parameterized statements and nothing else. */
export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** One SQL code path for a Postgres server (pg) and embedded Postgres (PGlite). */
export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * How a Postgres projection adapter reaches its table set: `db` for reads, `write` for a write
 * transaction. The composition root makes it (`projectionAccess` in `projection-rebuilds-repository.ts`):
 * on the live tables, `write` also writes the set an online rebuild is building.
 */
export interface ProjectionTables {
  readonly db: Database;
  write<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}
