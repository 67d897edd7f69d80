import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { withDatabase } from './global-setup.js';

export const backendName = (): 'postgres' | 'pglite' => (inject('postgresUrl') ? 'postgres' : 'pglite');

/** A database of a suite's own on the Postgres server; dropping it ends every session still on it. */
export interface ClonedDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A clone of the migrated template, for a suite (or its child processes) that connects by URL. */
export async function cloneTemplateDatabase(): Promise<ClonedDatabase> {
  const url = inject('postgresUrl');
  const template = inject('postgresTemplate');
  if (!url || !template) throw new Error('a template clone needs a Postgres server');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  await asAdmin(url, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return {
    url: withDatabase(url, name),
    drop: () => asAdmin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function asAdmin(url: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh, migrated database of its own for one suite: a clone of the migrated template on a
 * Postgres server, or an in-memory PGlite. Closing it drops it. `backend` asks for one of the two
 * (a suite that must hold on both; the server only where there is one, see `backendName`).
 */
export async function createTestDatabase(
  tenants: string[] = ['default'],
  options: { poolSize?: number; backend?: 'postgres' | 'pglite' } = {},
): Promise<Database> {
  let db: Database;
  if ((options.backend ?? backendName()) === 'postgres') {
    const clone = await cloneTemplateDatabase();
    const inner = await openDatabase({ url: clone.url, poolSize: options.poolSize ?? 5 });
    db = {
      kind: inner.kind,
      query: (text, params, options) => inner.query(text, params, options),
      transaction: (fn) => inner.transaction(fn),
      exec: (script) => inner.exec(script),
      ...(inner.listen ? { listen: inner.listen.bind(inner) } : {}),
      async close() {
        await inner.close();
        await clone.drop();
      },
    };
  } else {
    db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db);
  }
  for (const t of tenants) await tenantsRepository.ensure(db, t);
  return db;
}
