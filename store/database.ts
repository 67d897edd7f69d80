/**
 * The database port: what repositories and the Postgres projection adapters (search/, graph/) may
 * know of the database, and how statements name their parameters. `db.ts` implements the port for a
 * Postgres server and for PGlite.
 */
import { createHash } from 'node:crypto';

/** How a statement is sent. */
export interface QueryOptions {
  /**
   * Keep the statement prepared under this name on each server connection that runs it, so that
   * Postgres parses it once per connection and, once it settles on a generic plan (plan_cache_mode
   * `auto`: after five custom plans that cost no less), plans it once per connection too. Only for
   * hot statements whose result columns are listed (a `SELECT *` kept prepared fails once a
   * migration adds a column). PGlite ignores it.
   */
  readonly prepare?: string;
}

/** What repositories need: parameterized statements and nothing else. */
export interface Sql {
  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<R[]>;
}

/** One SQL code path for a Postgres server (pg) and embedded Postgres (PGlite). */
export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * A Postgres server only: calls `onPayload` with each notification on `channel` (LISTEN, on a
   * connection of its own, tried again a second after it is lost or fails to connect, the first
   * time too) until the returned function is called, which ends it and its retries.
   * Embedded PGlite has none: its readers poll.
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
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

/**
 * A statement with named parameters (`:tenantId`), compiled once to Postgres' positional form, so
 * that a catalogue of statements never counts `$15` by hand. `::casts` and quoted literals are left
 * alone; a name used twice binds one parameter.
 */
export interface NamedStatement {
  /** The statement in positional form (`$1`, `$2`…), ready for `query` or `EXPLAIN`. */
  readonly text: string;
  /** The parameter names in the order of their positions. */
  readonly names: readonly string[];
  /** The name it is kept prepared under on server connections (`QueryOptions.prepare`), if any. */
  readonly prepare?: string;
}

/**
 * `prepare`, a label: keep the statement prepared per server connection (`QueryOptions.prepare`)
 * under the label and a digest of its text, so that two statements never share a name on one
 * connection (the driver refuses a name reused for other text).
 */
export function statement(text: string, options: { prepare?: string } = {}): NamedStatement {
  const names: string[] = [];
  const positional = text.replace(/'(?:[^']|'')*'|::|:([A-Za-z_]\w*)/g, (match, name: string | undefined) => {
    if (name === undefined) return match;
    let at = names.indexOf(name);
    if (at < 0) at = names.push(name) - 1;
    return `$${at + 1}`;
  });
  if (!options.prepare) return { text: positional, names };
  const digest = createHash('sha256').update(positional).digest('hex').slice(0, 12);
  return { text: positional, names, prepare: `${options.prepare}_${digest}` };
}

/** The values of a statement's parameters, in position order; a missing name is a bug, so it throws. */
export function bind(st: NamedStatement, params: Readonly<Record<string, unknown>>): unknown[] {
  return st.names.map((name) => {
    if (!(name in params)) throw new Error(`statement parameter :${name} was not given`);
    return params[name];
  });
}

/** Runs a named statement. */
export function run<R = Record<string, unknown>>(
  sql: Sql,
  st: NamedStatement,
  params: Readonly<Record<string, unknown>>,
): Promise<R[]> {
  const values = bind(st, params);
  return st.prepare ? sql.query<R>(st.text, values, { prepare: st.prepare }) : sql.query<R>(st.text, values);
}
