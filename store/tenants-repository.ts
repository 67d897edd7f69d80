import type { Sql } from './db.js';

export const tenantsRepository = {
  async ensure(sql: Sql, id: string, name = id): Promise<void> {
    await sql.query('INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, name]);
    await sql.query('INSERT INTO tenant_corpus_stats (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
  },

  /** Every tenant's id, for the background runs that serve them all (read outside a tenant scope). */
  async allIds(sql: Sql): Promise<string[]> {
    const rows = await sql.query<{ id: string }>('SELECT id FROM tenants ORDER BY id');
    return rows.map((r) => r.id);
  },
};

export type TenantsRepository = typeof tenantsRepository;
