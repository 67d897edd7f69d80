import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { currentTenant, enterTenantSql, quoteIdent, TENANT_ROLE } from './tenant-isolation.js';

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

// int8 (counts, identities) as numbers on both drivers; values stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

class PgDatabase implements Database {
  readonly kind = 'postgres';
  constructor(private readonly pool: pg.Pool) {}

  async query<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    if (currentTenant() !== undefined) return this.transaction((tx) => tx.query<R>(text, params));
    const res = await this.pool.query(text, params as unknown[]);
    return res.rows as R[];
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tenant = currentTenant();
    // A checked-out client whose server goes away (a restart) emits 'error'; unheard, that would end
    // the process. The failing query rejects anyway, and the broken client is discarded on release.
    let lost: Error | undefined;
    const onError = (err: Error) => {
      lost = err;
    };
    client.on('error', onError);
    try {
      // One round trip opens the transaction and, in a tenant scope, binds it to the tenant.
      await client.query(
        tenant === undefined ? 'BEGIN' : `BEGIN; ${enterTenantSql(client.escapeLiteral(tenant))}`,
      );
      const tx: Sql = {
        query: async <R>(text: string, params: readonly unknown[] = []) =>
          (await client.query(text, params as unknown[])).rows as R[],
      };
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', onError);
      client.release(lost);
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

class PgliteDatabase implements Database {
  readonly kind = 'pglite';
  constructor(
    private readonly db: PGlite,
    private readonly release: () => void = () => undefined,
  ) {}

  async query<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    if (currentTenant() !== undefined) return this.transaction((tx) => tx.query<R>(text, params));
    return (await this.db.query<R>(text, params as unknown[])).rows;
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const tenant = currentTenant();
    // PGlite serializes transactions on its single connection.
    return this.db.transaction(async (t) => {
      if (tenant !== undefined) {
        await t.exec(`SET LOCAL ROLE ${TENANT_ROLE}`);
        await t.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
      }
      return fn({
        query: async <R>(text: string, params: readonly unknown[] = []) =>
          (await t.query<R>(text, params as unknown[])).rows,
      });
    });
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
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

  query<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.transaction((tx) => tx.query<R>(text, params));
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
    return new PgDatabase(pool);
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
