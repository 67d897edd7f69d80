import { openDatabase, type Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { tenantsRepository } from '../store/tenants-repository.js';

/** The p-th percentile (0–100) of the samples, by nearest rank. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** The Postgres server at DATABASE_URL, migrated, with the benchmark's own tenant. */
export async function openBenchDatabase(tenantId: string): Promise<Database> {
  if (!process.env.DATABASE_URL)
    throw new Error('set DATABASE_URL: the benchmark measures the Postgres server');
  const db = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 8 });
  await migrate(db);
  await tenantsRepository.ensure(db, tenantId);
  return db;
}
