import type { Sql } from './db.js';
import { tenantsRepository } from './tenants-repository.js';

/** A canonical asset as a drift check sees it. */
export interface CanonicalVersion {
  id: string;
  version: number;
  /** The pipeline has produced a version for the projections: enriched or edited at least once. */
  expected: boolean;
  /** Changed within the grace period: its projection may still be on its way. */
  recent: boolean;
}

/** An asset still QUEUED or PROCESSING, as a drift check sees it. */
export interface InFlightAsset {
  id: string;
  version: number;
  status: 'QUEUED' | 'PROCESSING';
  updatedAt: Date;
}

export type DriftCounts = Record<string, { missing: number; stale: number; orphaned: number }>;

export interface DriftRun {
  startedAt: Date;
  finishedAt: Date;
  repaired: boolean;
  counts: DriftCounts;
  /** Assets stuck in QUEUED or PROCESSING past the grace period. */
  stuck: number;
  /** With `repaired`: drifted assets the repair could not put right. */
  unrepaired: number;
}

/**
 * Which assets count as changed recently: within `graceMs` of now, or (with `since`) at or after
 * that moment, such as the start of the process.
 */
export interface Recency {
  graceMs: number;
  since?: Date | undefined;
}

/** The moment from which a change is recent: `$5` (since) when given, else `$4` milliseconds ago. */
const RECENT_FROM = `COALESCE($5::timestamptz, now() - $4::double precision * interval '1 millisecond')`;

export const driftRepository = {
  tenantIds: (sql: Sql) => tenantsRepository.allIds(sql),

  /** A page of the tenant's live assets in id order (the primary key), after `afterId`; tombstones are "must be absent". */
  async canonicalPage(
    sql: Sql,
    tenantId: string,
    afterId: string | null,
    limit: number,
    recency: Recency | number,
  ): Promise<CanonicalVersion[]> {
    const { graceMs, since } = typeof recency === 'number' ? { graceMs: recency, since: null } : recency;
    return sql.query<CanonicalVersion>(
      `SELECT id, version,
              (status = 'PROCESSED' OR version > 1) AS expected,
              (updated_at >= ${RECENT_FROM}) AS recent
       FROM assets
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid) AND deleted_at IS NULL
       ORDER BY id LIMIT $3`,
      [tenantId, afterId, limit, graceMs, since ?? null],
    );
  },

  /** A page of the tenant's assets left QUEUED or PROCESSING since before the grace period, in id order. */
  async stuckPage(
    sql: Sql,
    tenantId: string,
    afterId: string | null,
    limit: number,
    recency: Recency,
  ): Promise<InFlightAsset[]> {
    const rows = await sql.query<{
      id: string;
      version: number;
      status: InFlightAsset['status'];
      updated_at: Date;
    }>(
      `SELECT id, version, status, updated_at FROM assets
       WHERE tenant_id = $1 AND status IN ('QUEUED', 'PROCESSING') AND ($2::uuid IS NULL OR id > $2::uuid)
         AND deleted_at IS NULL
         AND updated_at < ${RECENT_FROM}
       ORDER BY id LIMIT $3`,
      [tenantId, afterId, limit, recency.graceMs, recency.since ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      version: r.version,
      status: r.status,
      updatedAt: new Date(r.updated_at),
    }));
  },

  /** Which of these ids are assets of the tenant. */
  async existingIds(sql: Sql, tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await sql.query<{ id: string }>(
      // A tombstone is not among them: a projection holding a deleted asset holds an orphan.
      'SELECT id FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL',
      [tenantId, ids],
    );
    return new Set(rows.map((r) => r.id));
  },

  async record(sql: Sql, run: Omit<DriftRun, 'finishedAt'>): Promise<void> {
    await sql.query(
      `INSERT INTO drift_runs (started_at, repaired, counts, stuck, unrepaired)
       VALUES ($1, $2, $3::jsonb, $4, $5)`,
      [run.startedAt, run.repaired, JSON.stringify(run.counts), run.stuck, run.unrepaired],
    );
  },

  async latest(sql: Sql): Promise<DriftRun | null> {
    const [row] = await sql.query<{
      started_at: Date;
      finished_at: Date;
      repaired: boolean;
      counts: DriftCounts;
      stuck: number;
      unrepaired: number;
    }>(
      `SELECT started_at, finished_at, repaired, counts, stuck, unrepaired
       FROM drift_runs ORDER BY id DESC LIMIT 1`,
    );
    return row
      ? {
          startedAt: new Date(row.started_at),
          finishedAt: new Date(row.finished_at),
          repaired: row.repaired,
          counts: row.counts,
          stuck: row.stuck,
          unrepaired: row.unrepaired,
        }
      : null;
  },
};

export type DriftRepository = typeof driftRepository;
