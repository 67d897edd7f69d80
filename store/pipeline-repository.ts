import type { Sql } from './db.js';

/** One minute of the pipeline: how many assets were ingested, enriched and failed in it. */
export interface PipelineMinute {
  minute: Date;
  ingested: number;
  enriched: number;
  failed: number;
}

/**
 * The pipeline status read model (GET /v1/pipeline/status): counts of one tenant's assets by status,
 * its enrichment runs in flight, its outbox events not yet relayed, and what happened minute by
 * minute since a time. Each statement reads an index: it is polled while an import runs.
 */
export const pipelineRepository = {
  async assetsByStatus(sql: Sql, tenantId: string): Promise<Map<string, number>> {
    const rows = await sql.query<{ status: string; n: number }>(
      `SELECT CASE WHEN archived_at IS NOT NULL THEN 'ARCHIVED' ELSE status END AS status, count(*)::int AS n
       FROM assets WHERE tenant_id = $1 AND deleted_at IS NULL GROUP BY 1`,
      [tenantId],
    );
    return new Map(rows.map((r) => [r.status, r.n]));
  },

  /** Enrichment runs that are not done: QUEUED, RUNNING and RETRYING, by status. */
  async activeJobs(sql: Sql, tenantId: string): Promise<Map<string, number>> {
    const rows = await sql.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM processing_jobs
       WHERE tenant_id = $1 AND status IN ('QUEUED', 'RUNNING', 'RETRYING') GROUP BY status`,
      [tenantId],
    );
    return new Map(rows.map((r) => [r.status, r.n]));
  },

  /**
   * Over every tenant, the assets QUEUED or PROCESSING and the age of the oldest since its last
   * change: the processing lag, for /metrics. Reads the in-flight partial index (migration 0027),
   * so it costs the backlog, not the library.
   */
  async inFlight(sql: Sql): Promise<{ assets: number; oldestAgeSeconds: number }> {
    const [row] = await sql.query<{ n: number; age: number }>(
      `SELECT count(*)::int AS n,
              COALESCE(extract(epoch FROM now() - min(updated_at)), 0)::float8 AS age
       FROM assets WHERE status IN ('QUEUED', 'PROCESSING')`,
    );
    return { assets: row?.n ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
  },

  async outboxPending(sql: Sql, tenantId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL AND tenant_id = $1',
      [tenantId],
    );
    return row?.n ?? 0;
  },

  /** When the tenant's last asset was ingested (its INGEST version), if ever. */
  async lastIngestAt(sql: Sql, tenantId: string): Promise<Date | null> {
    const [row] = await sql.query<{ at: Date | null }>(
      `SELECT max(created_at) AS at FROM asset_versions WHERE tenant_id = $1 AND change_kind = 'INGEST'`,
      [tenantId],
    );
    return row?.at ? new Date(row.at) : null;
  },

  /**
   * Per minute since `since` (only minutes with something in them): assets ingested, and enrichment
   * runs completed and failed. A run's last change is its end, so `updated_at` dates it.
   */
  async minutes(sql: Sql, tenantId: string, since: Date): Promise<PipelineMinute[]> {
    const rows = await sql.query<{ minute: Date; ingested: number; enriched: number; failed: number }>(
      `WITH ingested AS (
         SELECT date_trunc('minute', created_at) AS minute, count(*)::int AS n FROM asset_versions
         WHERE tenant_id = $1 AND change_kind = 'INGEST' AND created_at >= $2 GROUP BY 1
       ), ended AS (
         SELECT date_trunc('minute', updated_at) AS minute,
                count(*) FILTER (WHERE status = 'COMPLETED')::int AS enriched,
                count(*) FILTER (WHERE status = 'FAILED')::int AS failed
         FROM processing_jobs
         WHERE tenant_id = $1 AND status IN ('COMPLETED', 'FAILED') AND updated_at >= $2 GROUP BY 1
       )
       SELECT coalesce(i.minute, e.minute) AS minute, coalesce(i.n, 0) AS ingested,
              coalesce(e.enriched, 0) AS enriched, coalesce(e.failed, 0) AS failed
       FROM ingested i FULL JOIN ended e ON e.minute = i.minute
       ORDER BY 1`,
      [tenantId, since],
    );
    return rows.map((r) => ({
      minute: new Date(r.minute),
      ingested: r.ingested,
      enriched: r.enriched,
      failed: r.failed,
    }));
  },
};

export type PipelineRepository = typeof pipelineRepository;
