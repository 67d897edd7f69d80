import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from '../../graph/postgres/statements.js';
import { statement, type NamedStatement } from '../../store/database.js';
import { openDatabase, type Database } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';

// Postgres plans each statement of the graph adapter's catalogue against the migrated schema, as
// the Cypher lint does for the Neo4j adapter: a statement that no longer parses, or that names a
// table, column or function the schema lacks, fails. Always embedded PGlite (Postgres 17), whose
// EXPLAIN (GENERIC_PLAN) plans a statement with its parameters unbound.

let db: Database;
beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
});
afterAll(() => db.close());

// The simple query protocol: the extended one would want values for the parameters.
const explain = (st: NamedStatement) => db.exec(`EXPLAIN (GENERIC_PLAN) ${st.text}`);

describe('SQL statements of the Postgres graph adapter', () => {
  it.each(Object.entries(SQL))('SQL.%s plans on the migrated schema', async (_name, st) => {
    await expect(explain(st)).resolves.toBeUndefined();
  });

  it.each(Object.entries(SQL))('SQL.%s carries its tenant', (_name, st) => {
    expect(st.names).toContain('tenantId');
  });

  it('rejects a statement that does not parse, or names a column or table the schema lacks', async () => {
    const broken = [
      'SELECT asset_id FROM graph_asset_projections WHERE tenant_id = :tenantId AND',
      'SELECT asset_id, versoin FROM graph_asset_projections WHERE tenant_id = :tenantId',
      'SELECT id FROM graph_node WHERE tenant_id = :tenantId',
      'DELETE FROM asset_graph_nodes WHERE tenant_id = :tenantId AND asset = :assetId',
    ];
    for (const text of broken) await expect(explain(statement(text)), text).rejects.toThrow();
  });

  it('writes nothing into SQL text but the scoring constants', () => {
    const source = readFileSync(new URL('../../graph/postgres/statements.ts', import.meta.url), 'utf8');
    const interpolated = [...source.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
    expect(interpolated).toEqual(['FREQUENT_ENTITY.share', 'FREQUENT_ENTITY.fanOut', 'FAN_OUT_CAP']);
  });
});
