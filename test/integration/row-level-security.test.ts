import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

describe('row-level security', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    for (const tenant of ['rls-a', 'rls-b']) {
      await ingestNamed(t, await t.keyFor(tenant, 'EDITOR'), {
        one: anAssetInput({ title: `Kelp of ${tenant}`, tags: ['kelp'] }),
      });
    }
  }, 60_000);
  afterAll(() => t?.close());

  const tenantsSeen = (rows: { tenant_id: string }[]) => [...new Set(rows.map((r) => r.tenant_id))].sort();

  it('lets a query that forgets its tenant filter see only its own tenant, on every tenant table', async () => {
    const { db } = t.container;
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
    );
    expect(tables.length).toBeGreaterThan(20);
    const seenBy = async (tenant: string) => {
      const seen = new Set<string>();
      for (const { table_name } of tables) {
        const rows = await inTenantScope(tenant, () =>
          db.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM "${table_name}"`),
        );
        for (const r of rows) seen.add(`${table_name}:${r.tenant_id}`);
      }
      return [...seen];
    };
    const byA = await seenBy('rls-a');
    expect(byA.some((s) => s.endsWith(':rls-b'))).toBe(false);
    for (const table of [
      'assets',
      'asset_versions',
      'search_documents',
      'search_postings',
      'asset_graph_nodes',
    ]) {
      expect(byA, table).toContain(`${table}:rls-a`);
    }
    // Outside a tenant scope (the relay, the workers) every tenant is visible.
    expect(tenantsSeen(await db.query<{ tenant_id: string }>('SELECT tenant_id FROM assets'))).toEqual(
      expect.arrayContaining(['rls-a', 'rls-b']),
    );
  });

  it("refuses to write another tenant's rows from a tenant scope", async () => {
    const { db } = t.container;
    const [theirs] = await db.query<{ id: string }>(`SELECT id FROM assets WHERE tenant_id = 'rls-b'`);
    await expect(
      inTenantScope('rls-a', () =>
        db.query(
          `INSERT INTO action_records (tenant_id, id, action_type, direction, controller, actor, status, started_at)
           VALUES ('rls-b', gen_random_uuid(), 'X', 'INBOUND', 'api', 'test', 'SUCCEEDED', now())`,
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await inTenantScope('rls-a', () =>
      db.query(`UPDATE assets SET title = 'taken' WHERE id = $1 RETURNING id`, [theirs!.id]),
    );
    expect(updated).toEqual([]);
    const [still] = await db.query<{ title: string }>('SELECT title FROM assets WHERE id = $1', [theirs!.id]);
    expect(still!.title).toBe('Kelp of rls-b');
  });
});
