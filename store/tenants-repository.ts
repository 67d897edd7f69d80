import type { Sql } from './db.js';

export const tenantsRepository = {
  async ensure(sql: Sql, id: string, name = id): Promise<void> {
    await sql.query('INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, name]);
    await sql.query('INSERT INTO tenant_corpus_stats (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
  },
};

export type TenantsRepository = typeof tenantsRepository;
