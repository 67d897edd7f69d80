import type { AssetType } from '../domain/asset.js';
import type { LifecycleCandidate, LifecycleRule, RuleFields } from '../domain/lifecycle-rules.js';
import type { Sql } from './db.js';

interface RuleRow {
  tenant_id: string;
  id: string;
  name: string;
  asset_type: AssetType | null;
  source_system: string | null;
  archive_after_days: number | null;
  delete_after_days: number | null;
  priority: number;
  active: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toRule = (r: RuleRow): LifecycleRule => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  type: r.asset_type,
  sourceSystem: r.source_system,
  archiveAfterDays: r.archive_after_days,
  deleteAfterDays: r.delete_after_days,
  priority: r.priority,
  active: r.active,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const FIELDS = (f: RuleFields) => [
  f.name,
  f.type,
  f.sourceSystem,
  f.archiveAfterDays,
  f.deleteAfterDays,
  f.priority,
  f.active,
];

export const lifecycleRulesRepository = {
  /** Serializes a tenant's rule changes, so its count and names checked before a write still hold. */
  async lockTenant(sql: Sql, tenantId: string): Promise<void> {
    await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`lifecycle_rules:${tenantId}`]);
  },

  async insert(
    sql: Sql,
    rule: RuleFields & { tenantId: string; id: string; createdBy: string },
  ): Promise<LifecycleRule> {
    const rows = await sql.query<RuleRow>(
      `INSERT INTO lifecycle_rules (tenant_id, id, created_by, name, asset_type, source_system,
         archive_after_days, delete_after_days, priority, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [rule.tenantId, rule.id, rule.createdBy, ...FIELDS(rule)],
    );
    return toRule(rows[0]!);
  },

  async update(sql: Sql, tenantId: string, id: string, f: RuleFields): Promise<LifecycleRule | null> {
    const rows = await sql.query<RuleRow>(
      `UPDATE lifecycle_rules SET name = $3, asset_type = $4, source_system = $5, archive_after_days = $6,
         delete_after_days = $7, priority = $8, active = $9, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING *`,
      [tenantId, id, ...FIELDS(f)],
    );
    return rows[0] ? toRule(rows[0]) : null;
  },

  /** The tenant's rules in the order they are weighed: higher priority first, ties by name. */
  async list(sql: Sql, tenantId: string, limit: number): Promise<LifecycleRule[]> {
    const rows = await sql.query<RuleRow>(
      `SELECT * FROM lifecycle_rules WHERE tenant_id = $1 ORDER BY priority DESC, name COLLATE "C", id LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map(toRule);
  },

  async get(
    sql: Sql,
    tenantId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<LifecycleRule | null> {
    const rows = await sql.query<RuleRow>(
      `SELECT * FROM lifecycle_rules WHERE tenant_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toRule(rows[0]) : null;
  },

  /** The id of the tenant's rule of that name, if any. */
  async idByName(sql: Sql, tenantId: string, name: string): Promise<string | null> {
    const rows = await sql.query<{ id: string }>(
      'SELECT id FROM lifecycle_rules WHERE tenant_id = $1 AND name = $2',
      [tenantId, name],
    );
    return rows[0]?.id ?? null;
  },

  async count(sql: Sql, tenantId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM lifecycle_rules WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.n ?? 0;
  },

  async remove(sql: Sql, tenantId: string, id: string): Promise<LifecycleRule | null> {
    const rows = await sql.query<RuleRow>(
      'DELETE FROM lifecycle_rules WHERE tenant_id = $1 AND id = $2 RETURNING *',
      [tenantId, id],
    );
    return rows[0] ? toRule(rows[0]) : null;
  },

  /** Every tenant with an active rule (the schedule's tenants). */
  async tenantsWithActiveRules(sql: Sql): Promise<string[]> {
    const rows = await sql.query<{ tenant_id: string }>(
      'SELECT DISTINCT tenant_id FROM lifecycle_rules WHERE active ORDER BY tenant_id',
    );
    return rows.map((r) => r.tenant_id);
  },

  /** The tenant's live assets (tombstones left out), by id past `afterId`: what rules are weighed on. */
  async candidates(
    sql: Sql,
    tenantId: string,
    afterId: string,
    limit: number,
  ): Promise<LifecycleCandidate[]> {
    const rows = await sql.query<{
      id: string;
      title: string;
      type: AssetType;
      source_system: string;
      created_at: Date;
      archived: boolean;
      legal_hold: boolean;
      status: string;
    }>(
      `SELECT id, title, type, source_system, created_at, archived_at IS NOT NULL AS archived, legal_hold, status
       FROM assets WHERE tenant_id = $1 AND deleted_at IS NULL AND id > $2 ORDER BY id LIMIT $3`,
      [tenantId, afterId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      type: r.type,
      sourceSystem: r.source_system,
      createdAt: new Date(r.created_at),
      archived: r.archived,
      legalHold: r.legal_hold,
      status: r.status,
    }));
  },

  /** How many live assets the tenant has: a lifecycle run's total. */
  async countCandidates(sql: Sql, tenantId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM assets WHERE tenant_id = $1 AND deleted_at IS NULL',
      [tenantId],
    );
    return row?.n ?? 0;
  },
};

export type LifecycleRulesRepository = typeof lifecycleRulesRepository;
