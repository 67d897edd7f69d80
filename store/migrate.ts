import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.js';
import { applyTenantIsolation } from './tenant-isolation.js';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 727_001;

/** The database holds migrations this build does not have: a newer build migrated it. */
export class SchemaAheadError extends Error {
  override name = 'SchemaAheadError';
  constructor(readonly unknown: string[]) {
    super(
      `the database schema is newer than this build: it has migration(s) ${unknown.join(', ')}, which this ` +
        'build does not know. A newer version of the service migrated it; run that version (or a later one), ' +
        'or restore a backup taken before that migration. Refusing to start rather than run against it.',
    );
  }
}

/**
 * Applies pending migrations in file-name order, each in its own transaction: a migration that fails
 * leaves the schema as it was, and is applied again at the next start. Refuses to run at all
 * (SchemaAheadError) on a database that holds a migration this build does not have.
 */
export async function migrate(db: Database, options: { dir?: string } = {}): Promise<string[]> {
  const dir = options.dir ?? migrationsDir;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const known = new Set(files);
  const recorded = await db.query<{ version: string }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  const unknown = recorded.map((r) => r.version).filter((v) => !known.has(v));
  if (unknown.length > 0) throw new SchemaAheadError(unknown);
  const applied: string[] = [];
  for (const file of files) {
    const script = await readFile(join(dir, file), 'utf8');
    const didApply = await db.transaction(async (tx) => {
      // Serializes concurrent start-ups (API and worker processes booting together).
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [file]);
      if (done.length > 0) return false;
      for (const statement of splitStatements(script)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
      return true;
    });
    if (didApply) applied.push(file);
  }
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await applyTenantIsolation(tx);
  });
  return applied;
}

/** Statements end with `;` at the end of a line, except inside a $$-quoted function body. */
function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let pending = '';
  for (const part of script.split(/;\s*$/m)) {
    pending = pending ? `${pending};${part}` : part;
    // A `;` inside a $$-quoted function body does not end the statement.
    if ((pending.match(/\$\$/g)?.length ?? 0) % 2 === 1) continue;
    statements.push(pending);
    pending = '';
  }
  if (pending) statements.push(pending);
  return statements.map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter((s) => s.length > 0);
}
