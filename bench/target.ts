import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';

export type TargetKind = 'server' | 'pglite';

/** Where one scale's library lives: a database of its own, kept between runs so a load is done once. */
export interface Target {
  kind: TargetKind;
  /** `bench_10k` on the server, or the PGlite data directory. */
  name: string;
  open(poolSize?: number): Promise<Database>;
  /** The environment that points the API process at the same database. */
  apiEnv(): Record<string, string>;
  drop(): Promise<void>;
}

/** `2k`, `10k`, `100k`, `1m`, or a number. */
export function parseScale(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`--scale: expected 2k, 10k, 100k, 1m or a number, got "${text}"`);
  const n = Number(m[1]) * ({ '': 1, k: 1_000, m: 1_000_000 }[m[2]!.toLowerCase()] ?? 1);
  if (!Number.isInteger(n) || n < 10) throw new Error(`--scale: at least 10 assets, got "${text}"`);
  return n;
}

export function scaleLabel(n: number): string {
  if (n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

/** The server the benchmark creates its databases on: BENCH_DATABASE_URL, else DATABASE_URL, else local. */
export function serverUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres'
  );
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function serverTarget(database: string): Target {
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`database name "${database}": a-z, 0-9 and _ only`);
  const url = withDatabase(serverUrl(), database);
  return {
    kind: 'server',
    name: database,
    async open(poolSize = 4) {
      await admin(async (c) => {
        const { rows } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (rows.length === 0) await c.query(`CREATE DATABASE ${database}`);
      });
      const db = await openDatabase({ url, poolSize });
      await migrate(db);
      return db;
    },
    apiEnv: () => ({ DATABASE_URL: url }),
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`))),
  };
}

export function pgliteTarget(dir: string): Target {
  return {
    kind: 'pglite',
    name: dir,
    async open() {
      const db = await openDatabase({ dataDir: dir });
      await migrate(db);
      return db;
    },
    apiEnv: () => ({ DATA_DIR: dir }),
    async drop() {
      const { rmSync } = await import('node:fs');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function targetFor(kind: TargetKind, n: number, name?: string): Target {
  const label = name ?? `bench_${scaleLabel(n)}`;
  return kind === 'server' ? serverTarget(label) : pgliteTarget(join('bench', 'data', `pglite-${label}`));
}
