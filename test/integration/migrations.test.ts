import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../store/db.js';
import { migrate, SchemaAheadError } from '../../store/migrate.js';

// On an empty in-memory PGlite of its own, with migrations written for the test: the real ones are
// applied by every other suite.
describe('migrations', () => {
  let db: Database;
  let dir: string;
  beforeEach(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    dir = mkdtempSync(join(tmpdir(), 'mdisc-migrations-'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tables = async () =>
    (
      await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name LIKE 'mig_%' ORDER BY 1`,
      )
    ).map((r) => r.table_name);
  const recorded = async () =>
    (await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY 1')).map(
      (r) => r.version,
    );

  it('leaves the schema as it was when a migration fails, and applies it once it is fixed', async () => {
    writeFileSync(join(dir, '0001_ok.sql'), 'CREATE TABLE mig_ok (id int);\n');
    writeFileSync(
      join(dir, '0002_broken.sql'),
      'CREATE TABLE mig_half (id int);\nALTER TABLE mig_ok ADD COLUMN note text;\nSELECT no_such_function();\n',
    );
    await expect(migrate(db, { dir })).rejects.toThrow(/no_such_function/);
    expect(await tables()).toEqual(['mig_ok']);
    expect(await recorded()).toEqual(['0001_ok.sql']);
    const columns = await db.query(
      "SELECT 1 FROM information_schema.columns WHERE table_name = 'mig_ok' AND column_name = 'note'",
    );
    expect(columns).toEqual([]);

    writeFileSync(join(dir, '0002_broken.sql'), 'CREATE TABLE mig_half (id int);\n');
    expect(await migrate(db, { dir })).toEqual(['0002_broken.sql']);
    expect(await tables()).toEqual(['mig_half', 'mig_ok']);
    expect(await migrate(db, { dir })).toEqual([]);
  });

  it('refuses a database migrated by a newer build, naming the migrations it does not know', async () => {
    writeFileSync(join(dir, '0001_ok.sql'), 'CREATE TABLE mig_ok (id int);\n');
    await migrate(db, { dir });
    await db.query("INSERT INTO schema_migrations (version) VALUES ('0099_from_the_future.sql')");
    writeFileSync(join(dir, '0002_pending.sql'), 'CREATE TABLE mig_pending (id int);\n');
    const refused = migrate(db, { dir });
    await expect(refused).rejects.toBeInstanceOf(SchemaAheadError);
    await expect(refused).rejects.toThrow(/schema is newer than this build.*0099_from_the_future\.sql/);
    // Nothing applied: not even the pending migration this build has.
    expect(await tables()).toEqual(['mig_ok']);
  });
});
