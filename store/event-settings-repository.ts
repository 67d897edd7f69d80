import type { Sql } from './db.js';

/** A tenant's interaction-event settings as stored (migration 0034); absent: the defaults. */
export interface EventSettingsRecord {
  rawRetentionDays: number;
  updatedAt: Date;
}

export const eventSettingsRepository = {
  async get(sql: Sql, tenantId: string): Promise<EventSettingsRecord | null> {
    const [row] = await sql.query<{ raw_retention_days: number; updated_at: Date }>(
      'SELECT raw_retention_days, updated_at FROM event_settings WHERE tenant_id = $1',
      [tenantId],
    );
    return row ? { rawRetentionDays: row.raw_retention_days, updatedAt: new Date(row.updated_at) } : null;
  },

  async put(sql: Sql, tenantId: string, rawRetentionDays: number): Promise<EventSettingsRecord> {
    const [row] = await sql.query<{ raw_retention_days: number; updated_at: Date }>(
      `INSERT INTO event_settings (tenant_id, raw_retention_days) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE
         SET raw_retention_days = EXCLUDED.raw_retention_days, updated_at = date_trunc('milliseconds', now())
       RETURNING raw_retention_days, updated_at`,
      [tenantId, rawRetentionDays],
    );
    return { rawRetentionDays: row!.raw_retention_days, updatedAt: new Date(row!.updated_at) };
  },

  /**
   * Every tenant with its raw-event retention, `defaultDays` where it set none. Read by the
   * retention job outside a tenant scope: it serves every tenant.
   */
  async retentionOfAll(sql: Sql, defaultDays: number): Promise<{ tenantId: string; days: number }[]> {
    const rows = await sql.query<{ tenant_id: string; days: number }>(
      `SELECT t.id AS tenant_id, COALESCE(s.raw_retention_days, $1::int) AS days
       FROM tenants t LEFT JOIN event_settings s ON s.tenant_id = t.id
       ORDER BY t.id`,
      [defaultDays],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, days: r.days }));
  },
};

export type EventSettingsRepository = typeof eventSettingsRepository;
