import type { Sql } from './db.js';

/** A canonical asset as a drift check sees it. */
export interface CanonicalVersion {
  id: string;
  version: number;
  /** The pipeline has produced a version for the projections: enriched or edited at least once. */
  expected: boolean;
  /** Changed within the grace period: its projection may still be on its way. */
  recent: boolean;
}

export type DriftCounts = Record<string, { missing: number; stale: number; orphaned: number }>;

export interface DriftRun {
  startedAt: Date;
  finishedAt: Date;
  repaired: boolean;
  counts: DriftCounts;
}

export const driftRepository = {
  async tenantIds(sql: Sql): Promise<string[]> {
    const rows = await sql.query<{ id: string }>('SELECT id FROM tenants ORDER BY id');
    return rows.map((r) => r.id);
  },

  /** A page of the tenant's assets in id order (the primary key), after `afterId`. */
  async canonicalPage(
    sql: Sql,
    tenantId: string,
    afterId: string | null,
    limit: number,
    graceMs: number,
  ): Promise<CanonicalVersion[]> {
    return sql.query<CanonicalVersion>(
      `SELECT id, version,
              (status = 'PROCESSED' OR version > 1) AS expected,
              (updated_at > now() - $4::double precision * interval '1 millisecond') AS recent
       FROM assets
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
       ORDER BY id LIMIT $3`,
      [tenantId, afterId, limit, graceMs],
    );
  },

  /** Which of these ids are assets of the tenant. */
  async existingIds(sql: Sql, tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await sql.query<{ id: string }>(
      'SELECT id FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
      [tenantId, ids],
    );
    return new Set(rows.map((r) => r.id));
  },

  async record(sql: Sql, run: Omit<DriftRun, 'finishedAt'>): Promise<void> {
    await sql.query('INSERT INTO drift_runs (started_at, repaired, counts) VALUES ($1, $2, $3::jsonb)', [
      run.startedAt,
      run.repaired,
      JSON.stringify(run.counts),
    ]);
  },

  async latest(sql: Sql): Promise<DriftRun | null> {
    const [row] = await sql.query<{
      started_at: Date;
      finished_at: Date;
      repaired: boolean;
      counts: DriftCounts;
    }>('SELECT started_at, finished_at, repaired, counts FROM drift_runs ORDER BY id DESC LIMIT 1');
    return row
      ? {
          startedAt: new Date(row.started_at),
          finishedAt: new Date(row.finished_at),
          repaired: row.repaired,
          counts: row.counts,
        }
      : null;
  },
};

export type DriftRepository = typeof driftRepository;
