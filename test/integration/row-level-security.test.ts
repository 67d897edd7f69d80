import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, statement } from '../../store/database.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
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

  it('keeps every statement to its own tenant while one connection serves tenants, transactions and the owner in turn', async () => {
    // One connection per pool: each step below reuses the connection the step before left bound.
    const db = await createTestDatabase(['one', 'two'], { poolSize: 1 });
    try {
      await db.query(
        `INSERT INTO action_records (tenant_id, id, action_type, direction, controller, actor, status, started_at)
         SELECT t, gen_random_uuid(), 'X', 'INBOUND', 'api', 'test', 'SUCCEEDED', now() FROM unnest($1::text[]) t`,
        [['one', 'two']],
      );
      const visible = (rows: { tenant_id: string }[]) => tenantsSeen(rows).join(',');
      const sql = 'SELECT tenant_id FROM action_records';
      const steps: [string, () => Promise<{ tenant_id: string }[]>][] = [
        ['one', () => inTenantScope('one', () => db.query(sql))],
        ['one', () => inTenantScope('one', () => db.query(sql))],
        ['two', () => inTenantScope('two', () => db.query(sql))],
        ['one,two', () => db.query(sql)],
        ['one', () => inTenantScope('one', () => db.transaction((tx) => tx.query(sql)))],
        ['two', () => inTenantScope('two', () => db.query(sql))],
        ['one,two', () => db.transaction((tx) => tx.query(sql))],
        ['one', () => inTenantScope('one', () => db.transaction((tx) => tx.query(sql)))],
        ['two', () => inTenantScope('two', () => db.query(sql))],
        ['one', () => inTenantScope('one', () => db.query(sql))],
      ];
      for (const [i, [expected, step]] of steps.entries())
        expect(visible(await step()), `step ${i}`).toBe(expected);
      // A failed statement leaves the connection bound to its tenant, not to whoever comes next.
      await expect(inTenantScope('two', () => db.query('SELECT 1/0'))).rejects.toThrow();
      expect(visible(await inTenantScope('one', () => db.query(sql)))).toBe('one');
      expect(visible(await db.query(sql))).toBe('one,two');
    } finally {
      await db.close();
    }
  });

  it('keeps a statement kept prepared to its tenant once Postgres plans it generically, across tenants on one connection', async () => {
    const db = await createTestDatabase(['one', 'two'], { poolSize: 1 });
    try {
      await db.query(
        `INSERT INTO action_records (tenant_id, id, action_type, direction, controller, actor, status, started_at)
         SELECT t, gen_random_uuid(), k.kind, 'INBOUND', 'api', 'test', 'SUCCEEDED', now()
         FROM unnest($1::text[]) t CROSS JOIN (VALUES ('X'), ('Y')) k(kind)`,
        [['one', 'two']],
      );
      // No tenant filter: row-level security alone keeps each call to its tenant.
      const kept = statement('SELECT tenant_id, action_type FROM action_records WHERE action_type = :type', {
        prepare: 'rls_test',
      });
      const seen = async (tenant: string | null) => {
        const rows = await (tenant === null
          ? run<{ tenant_id: string }>(db, kept, { type: 'X' })
          : inTenantScope(tenant, () => run<{ tenant_id: string }>(db, kept, { type: 'X' })));
        return tenantsSeen(rows).join(',');
      };
      // Past the five custom plans after which plan_cache_mode `auto` may settle on a generic plan.
      for (let i = 0; i < 8; i++) expect(await seen('one'), `call ${i}`).toBe('one');
      expect(await seen('two')).toBe('two');
      expect(await seen(null)).toBe('one,two');
      expect(await seen('one')).toBe('one');
      const inTransaction = await inTenantScope('two', () =>
        db.transaction((tx) => run<{ tenant_id: string }>(tx, kept, { type: 'X' })),
      );
      expect(tenantsSeen(inTransaction)).toEqual(['two']);
      if (db.kind === 'postgres') {
        // The tenant's connection kept it prepared and ran it on a generic plan.
        const [plans] = await inTenantScope('one', () =>
          db.query<{ generic_plans: number }>(
            `SELECT generic_plans FROM pg_prepared_statements WHERE name = $1`,
            [kept.prepare],
          ),
        );
        expect(plans?.generic_plans).toBeGreaterThan(0);
      }
    } finally {
      await db.close();
    }
  });
});
