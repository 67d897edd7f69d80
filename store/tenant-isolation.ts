import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sql } from './db.js';

/**
 * Row-level security: every table with a tenant_id has a policy that shows and accepts only the
 * rows of the tenant set for the transaction (`app.tenant_id`), for the role `media_tenant`.
 * Work done for a tenant (an API request) runs in a tenant scope, and the database runs each of its
 * statements as that role with that tenant, so a query that forgets its tenant filter still sees
 * only its own tenant. Work across tenants (the outbox relay, workers, migrations) runs outside any
 * scope, as the connecting role, which owns the tables and so is not bound by the policies.
 */
export const TENANT_ROLE = 'media_tenant';

const scope = new AsyncLocalStorage<string>();

/** Runs `fn` (and all it starts) for one tenant: its statements see only that tenant's rows. */
export function inTenantScope<T>(tenantId: string, fn: () => T): T {
  return scope.run(tenantId, fn);
}

/** Runs `fn` outside any tenant scope: for work that serves every tenant, started from a request. */
export function outsideTenantScope<T>(fn: () => T): T {
  return scope.exit(fn);
}

/** The tenant whose scope this code runs in, if any. */
export function currentTenant(): string | undefined {
  return scope.getStore();
}

/** The statement that starts a transaction's tenant scope (transaction-local: gone at COMMIT). */
export const enterTenantSql = (escapedTenant: string) =>
  `SET LOCAL ROLE ${TENANT_ROLE}; SELECT set_config('app.tenant_id', ${escapedTenant}, true)`;

const POLICY = 'tenant_isolation';

/** An identifier quoted for SQL text. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Creates the role, grants it the tables, and puts the policy on every table with a tenant_id
 * that lacks it. Idempotent; runs after every migration, so new tables are covered too. A rebuild
 * runs it on its shadow schema: the tables it swaps into `public` carry their grants and policies.
 */
export async function applyTenantIsolation(tx: Sql, schema = 'public'): Promise<void> {
  const [role] = await tx.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [TENANT_ROLE]);
  // Roles are shared by the cluster's databases; one created meanwhile by another is as good.
  if (!role) {
    await tx.query('SAVEPOINT create_role');
    try {
      await tx.query(`CREATE ROLE ${TENANT_ROLE} NOLOGIN`);
      await tx.query('RELEASE SAVEPOINT create_role');
    } catch (err) {
      if (!['42710', '23505'].includes((err as { code?: string }).code ?? '')) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT create_role');
    }
  }
  const s = quoteIdent(schema);
  await tx.query(`GRANT USAGE ON SCHEMA ${s} TO ${TENANT_ROLE}`);
  await tx.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${TENANT_ROLE}`);
  await tx.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${TENANT_ROLE}`);
  const tables = await tx.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = $2 AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
       AND NOT EXISTS (SELECT 1 FROM pg_policies p
                       WHERE p.schemaname = $2 AND p.tablename = c.table_name AND p.policyname = $1)
     ORDER BY c.table_name`,
    [POLICY, schema],
  );
  for (const { table_name: table } of tables) {
    // Names come from the catalog (or a constant), quoted as identifiers; nothing here comes from a request.
    const t = `${s}.${quoteIdent(table)}`;
    await tx.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
    await tx.query(
      `CREATE POLICY ${POLICY} ON ${t} TO ${TENANT_ROLE}
       USING (tenant_id = current_setting('app.tenant_id', true))
       WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`,
    );
  }
}
