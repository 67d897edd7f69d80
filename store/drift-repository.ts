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

/** A drifted asset a repair could not put right, as a tenant's row of a run keeps it. */
export interface UnrepairedSample {
  assetId: string;
  projections: string[];
  error: string;
}

/** One tenant's part of a drift run (migration 0054). */
export interface TenantDrift {
  tenantId: string;
  counts: DriftCounts;
  stuck: number;
  unrepaired: number;
  /** The first few of them (the service keeps 20); `unrepaired` counts them all. */
  unrepairedSamples: UnrepairedSample[];
}

/** The latest run that checked a tenant, with that tenant's part. */
export interface TenantDriftRun extends Omit<TenantDrift, 'tenantId'> {
  startedAt: Date;
  finishedAt: Date;
  repaired: boolean;
}

/** An unrepaired asset's error is kept to this many characters. */
const ERROR_CHARS = 500;

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

  /** Records a run and each checked tenant's part of it (one statement: both or neither). */
  async record(sql: Sql, run: Omit<DriftRun, 'finishedAt'>, tenants: TenantDrift[] = []): Promise<void> {
    await sql.query(
      `WITH run AS (
         INSERT INTO drift_runs (started_at, repaired, counts, stuck, unrepaired)
         VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING id
       )
       INSERT INTO drift_run_tenants (run_id, tenant_id, counts, stuck, unrepaired, unrepaired_samples)
       SELECT run.id, t.tenant_id, t.counts::jsonb, t.stuck, t.unrepaired, t.samples::jsonb
       FROM run, unnest($6::text[], $7::text[], $8::int[], $9::int[], $10::text[])
         AS t(tenant_id, counts, stuck, unrepaired, samples)`,
      [
        run.startedAt,
        run.repaired,
        JSON.stringify(run.counts),
        run.stuck,
        run.unrepaired,
        tenants.map((t) => t.tenantId),
        tenants.map((t) => JSON.stringify(t.counts)),
        tenants.map((t) => t.stuck),
        tenants.map((t) => t.unrepaired),
        tenants.map((t) =>
          JSON.stringify(t.unrepairedSamples.map((u) => ({ ...u, error: u.error.slice(0, ERROR_CHARS) }))),
        ),
      ],
    );
  },

  /** The tenant's part of the latest run that checked it; null when none has. */
  async latestForTenant(sql: Sql, tenantId: string): Promise<TenantDriftRun | null> {
    const [row] = await sql.query<{
      started_at: Date;
      finished_at: Date;
      repaired: boolean;
      counts: DriftCounts | string;
      stuck: number;
      unrepaired: number;
      unrepaired_samples: UnrepairedSample[] | string;
    }>(
      `SELECT r.started_at, r.finished_at, r.repaired, t.counts, t.stuck, t.unrepaired, t.unrepaired_samples
       FROM drift_run_tenants t JOIN drift_runs r ON r.id = t.run_id
       WHERE t.tenant_id = $1 ORDER BY t.run_id DESC LIMIT 1`,
      [tenantId],
    );
    const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
    return row
      ? {
          startedAt: new Date(row.started_at),
          finishedAt: new Date(row.finished_at),
          repaired: row.repaired,
          counts: json(row.counts),
          stuck: row.stuck,
          unrepaired: row.unrepaired,
          unrepairedSamples: json(row.unrepaired_samples),
        }
      : null;
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
