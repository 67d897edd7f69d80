import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { withDatabase } from './global-setup.js';

export const backendName = (): 'postgres' | 'pglite' => (inject('postgresUrl') ? 'postgres' : 'pglite');

/**
 * A fresh, migrated database of its own for one suite: a clone of the migrated template on a
 * Postgres server, or an in-memory PGlite. Closing it drops it.
 */
export async function createTestDatabase(
  tenants: string[] = ['default'],
  options: { poolSize?: number } = {},
): Promise<Database> {
  const url = inject('postgresUrl');
  const template = inject('postgresTemplate');
  let db: Database;
  if (url && template) {
    const name = `${template}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    const inner = await openDatabase({ url: withDatabase(url, name), poolSize: options.poolSize ?? 5 });
    db = {
      kind: inner.kind,
      query: (text, params) => inner.query(text, params),
      transaction: (fn) => inner.transaction(fn),
      exec: (script) => inner.exec(script),
      async close() {
        await inner.close();
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  } else {
    db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db);
  }
  for (const t of tenants) await tenantsRepository.ensure(db, t);
  return db;
}
