import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import type { Database, QueryOptions, Sql } from './database.js';
import { currentTenant, enterTenantSql, quoteIdent, TENANT_ROLE } from './tenant-isolation.js';

export type { Database, QueryOptions, Sql } from './database.js';

/**
 * One statement on a pg client or pool: by name when it is to be kept prepared (pg parses it on a
 * connection once, then only binds and executes it there), else as an unnamed statement.
 */
async function send<R>(
  on: pg.Pool | pg.PoolClient,
  text: string,
  params: readonly unknown[],
  options: QueryOptions | undefined,
): Promise<R[]> {
  const values = params as unknown[];
  const result = options?.prepare
    ? await on.query({ name: options.prepare, text, values })
    : await on.query(text, values);
  return result.rows as R[];
}

// int8 (counts, identities) as numbers on both drivers; values stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Two pools: the owner's, for work across tenants, and the tenants', whose connections run as the
 * tenant role for their whole session, each bound to the tenant it served last. A tenant's single
 * statement then costs one round trip (plus one to rebind a connection that served another tenant)
 * instead of three (BEGIN with the binding, the statement, COMMIT): GET /v1/assets/{id} spent more
 * in those round trips than in its query.
 */
class PgDatabase implements Database {
  readonly kind = 'postgres';
  /** The tenant each connection of the tenants' pool is bound to, once binding succeeded. */
  private readonly boundTo = new WeakMap<pg.PoolClient, string>();
  constructor(
    private readonly pool: pg.Pool,
    private readonly tenantPool: pg.Pool,
  ) {}

  async query<R>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<R[]> {
    const tenant = currentTenant();
    if (tenant === undefined) return send<R>(this.pool, text, params, options);
    return this.withClient(this.tenantPool, async (client) => {
      if (this.boundTo.get(client) !== tenant) {
        // Forgotten first, so a failed rebinding never leaves the connection counted as bound.
        this.boundTo.delete(client);
        await client.query(
          `SET ROLE ${TENANT_ROLE}; SELECT set_config('app.tenant_id', ${client.escapeLiteral(tenant)}, false)`,
        );
        this.boundTo.set(client, tenant);
      }
      return send<R>(client, text, params, options);
    });
  }

  /**
   * Runs `fn` with a checked-out client. A client whose server goes away (a restart) emits 'error';
   * unheard, that would end the process. The failing query rejects anyway, and the broken client is
   * discarded on release. Any other client is kept: one a transaction used, or whose binding failed,
   * stays unbound (its session runs as the owner) until a statement binds it.
   */
  private async withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let lost: Error | undefined;
    const onError = (err: Error) => {
      lost = err;
    };
    client.on('error', onError);
    try {
      return await fn(client);
    } finally {
      client.off('error', onError);
      client.release(lost);
    }
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const tenant = currentTenant();
    return this.withClient(tenant === undefined ? this.pool : this.tenantPool, async (client) => {
      try {
        // One round trip opens the transaction and, in a tenant scope, binds it to the tenant (for
        // the transaction only: a connection's session binding is left as it was).
        await client.query(
          tenant === undefined ? 'BEGIN' : `BEGIN; ${enterTenantSql(client.escapeLiteral(tenant))}`,
        );
        const tx: Sql = {
          query: <R>(text: string, params: readonly unknown[] = [], options?: QueryOptions) =>
            send<R>(client, text, params, options),
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    // The current connection, from its first attempt on (connected or not), so stopping ends it.
    let client: pg.Client | null = null;
    let stopped = false;
    let retry: NodeJS.Timeout | null = null;
    // A connection of its own, outside the pools: it stays in LISTEN as long as there are listeners.
    // It never throws: a failed attempt (connecting or LISTEN) ends its client and tries again later.
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ ...this.pool.options, keepAlive: true });
      client = c;
      let lost = false;
      const again = () => {
        if (lost) return;
        lost = true;
        c.removeAllListeners();
        c.on('error', () => undefined);
        void c.end().catch(() => undefined);
        if (client === c) client = null;
        // Lost: readers poll meanwhile, so a second later is soon enough.
        if (!stopped && retry === null)
          retry = setTimeout(() => {
            retry = null;
            void connect();
          }, 1_000).unref();
      };
      c.on('error', again);
      c.on('end', again);
      c.on('notification', (n) => {
        if (n.channel === channel) onPayload(n.payload ?? '');
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${quoteIdent(channel)}`);
      } catch {
        again();
      }
      if (stopped) again();
    };
    // Even when the first attempt failed: the retries that follow stop with this function too.
    await connect();
    return async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      retry = null;
      const c = client;
      client = null;
      c?.removeAllListeners();
      c?.on('error', () => undefined);
      await c?.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.tenantPool.end()]);
  }
}

/** Set for the work an API request does; everything else (jobs, the relay, checks) is background. */
const foreground = new AsyncLocalStorage<boolean>();

/** Runs `fn` as an API request's work: on PGlite its statements go before background work. */
export function inForeground<T>(fn: () => T): T {
  return foreground.run(true, fn);
}

/** Runs `fn` as background work, even when a request started it (a job the request enqueued). */
export function inBackground<T>(fn: () => T): T {
  return foreground.run(false, fn);
}

/** After this many requests' turns in a row, waiting background work gets one. */
const MAX_REQUESTS_IN_ROW = 8;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Turns on PGlite's single connection. PGlite runs in this thread, and a chain of its statements
 * resolves in microtasks, so without turns a backlog of jobs kept the event loop from reading
 * sockets: during a 2,550-talk import `/health` went unanswered for over a minute. Here each
 * operation (a statement, or a whole transaction) waits for its turn: a request's before any
 * background work's, and background work only after the event loop has polled I/O again.
 */
class ConnectionTurns {
  private busy = false;
  private scheduled = false;
  /** Requests served in a row while background work waited: bounded, so jobs are never starved. */
  private requestsInRow = 0;
  private readonly waiting: { foreground: (() => void)[]; background: (() => void)[] } = {
    foreground: [],
    background: [],
  };

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.busy = false;
      this.schedule();
    }
  }

  private acquire(): Promise<void> {
    if (foreground.getStore() === true) {
      // A request on an idle connection goes at once; otherwise it is next.
      if (!this.busy && this.waiting.foreground.length === 0 && !this.backgroundsTurn()) {
        this.busy = true;
        this.countTurn(true);
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        this.waiting.foreground.push(resolve);
        this.schedule();
      });
    }
    return new Promise((resolve) => {
      this.waiting.background.push(resolve);
      this.schedule();
    });
  }

  /** Hands the connection on after the event loop's next poll, so requests that arrived go first. */
  private schedule(): void {
    if (this.scheduled || this.busy) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.busy) return;
      const request = !this.backgroundsTurn() && this.waiting.foreground.length > 0;
      const next = request ? this.waiting.foreground.shift() : this.waiting.background.shift();
      if (next) {
        this.busy = true;
        this.countTurn(request);
        next();
      }
    });
  }

  private backgroundsTurn(): boolean {
    return this.waiting.background.length > 0 && this.requestsInRow >= MAX_REQUESTS_IN_ROW;
  }

  private countTurn(request: boolean): void {
    this.requestsInRow = request && this.waiting.background.length > 0 ? this.requestsInRow + 1 : 0;
  }
}

/** PGlite's driver sends every statement unnamed: `QueryOptions.prepare` is not used here. */
class PgliteDatabase implements Database {
  readonly kind = 'pglite';
  private readonly turns = new ConnectionTurns();
  constructor(
    private readonly db: PGlite,
    private readonly release: () => void = () => undefined,
  ) {}

  async query<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    if (currentTenant() !== undefined) return this.transaction((tx) => tx.query<R>(text, params));
    return this.turns.run(async () => (await this.db.query<R>(text, params as unknown[])).rows);
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const tenant = currentTenant();
    // Background transactions (an enrichment, a relay batch) let the event loop poll between their
    // statements: requests that need no database (/health) are answered meanwhile.
    const yieldBetween = foreground.getStore() !== true;
    return this.turns.run(() =>
      this.db.transaction(async (t) => {
        if (tenant !== undefined) {
          await t.exec(`SET LOCAL ROLE ${TENANT_ROLE}`);
          await t.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
        }
        return fn({
          query: async <R>(text: string, params: readonly unknown[] = []) => {
            if (yieldBetween) await nextTurn();
            return (await t.query<R>(text, params as unknown[])).rows;
          },
        });
      }),
    );
  }

  async exec(script: string): Promise<void> {
    await this.turns.run(() => this.db.exec(script));
  }

  async close(): Promise<void> {
    await this.db.close();
    this.release();
  }
}

/** Makes the rest of the transaction resolve unqualified table names in `schema` first, then `public`. */
export async function useSchema(tx: Sql, schema: string): Promise<void> {
  await tx.query("SELECT set_config('search_path', $1, true)", [`${quoteIdent(schema)}, public`]);
}

/**
 * The database as seen from another schema: every statement runs in a transaction that resolves
 * unqualified table names there first. An adapter given it reads and writes the table set of an
 * online rebuild (services/rebuild-service.ts) with its usual SQL.
 */
export class SchemaDatabase implements Database {
  readonly kind: Database['kind'];
  constructor(
    private readonly db: Database,
    readonly schema: string,
  ) {
    this.kind = db.kind;
  }

  query<R>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<R[]> {
    return this.transaction((tx) => tx.query<R>(text, params, options));
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await useSchema(tx, this.schema);
      return fn(tx);
    });
  }

  exec(): Promise<void> {
    return Promise.reject(new Error('scripts (migrations) run on the database itself, not on a schema view'));
  }

  /** The database belongs to whoever opened it. */
  async close(): Promise<void> {}
}

/**
 * PGlite is a single-process database: two processes opening one data directory corrupt it.
 * A pid lock file turns that mistake into a clear error.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, '.mdisc.lock');
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `data directory ${dataDir} is in use by process ${holder}; stop it first, or use DATABASE_URL`,
      );
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DatabaseOptions {
  /** A postgres:// URL; without it PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; `memory://` keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const newPool = () => {
      const pool = new pg.Pool({
        connectionString: options.url,
        max: options.poolSize ?? 10,
        // No JIT: the service runs short queries whose cost estimates can still pass jit_above_cost at
        // a million assets; compiling then took about 40 ms of a 70 ms search ranking, every time.
        options: '-c jit=off',
        connectionTimeoutMillis: 10_000,
      });
      // An idle client losing its server must not crash the process; the pool replaces it.
      pool.on('error', () => undefined);
      return pool;
    };
    return new PgDatabase(newPool(), newPool());
  }
  const dataDir = options.dataDir ?? 'memory://';
  if (dataDir.startsWith('memory://'))
    return new PgliteDatabase(await PGlite.create(dataDir, { extensions: { pg_trgm } }));
  mkdirSync(dataDir, { recursive: true });
  const release = lockDataDir(dataDir);
  try {
    return new PgliteDatabase(await PGlite.create(dataDir, { extensions: { pg_trgm } }), release);
  } catch (err) {
    release();
    throw err;
  }
}
