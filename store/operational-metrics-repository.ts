import type { Sql } from './db.js';

/** A time bucket's start, in UTC whatever the session's time zone, for date_trunc's unit `$n`. */
const bucket = (column: string, unit: string) =>
  `(date_trunc(${unit}, ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;

export interface OperationalWindow {
  tenantId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  interval: 'minute' | 'hour' | 'day';
}

/** Percentiles of one bucket (`t`), or of the whole window (`t` null), in seconds. */
export interface PercentileRow {
  t: Date | null;
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

/** Where a projection lag of this many milliseconds is counted: the bucket's upper bound. */
export const LAG_BUCKETS_MS = [
  100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 2_147_483_647,
] as const;

const percentiles = (rows: { t: Date | null; p: number[] | null; n: number }[]): PercentileRow[] =>
  rows.map((r) => ({
    t: r.t ? new Date(r.t) : null,
    p50: r.p?.[0] ?? 0,
    p95: r.p?.[1] ?? 0,
    p99: r.p?.[2] ?? 0,
    n: r.n,
  }));

/**
 * The operational metrics of GET /v1/metrics, read from what the canonical store records: the
 * enrichment runs (processing_jobs, dated by their last change, which for an ended run is its end),
 * the ingest versions, and the projection-lag histogram the projection job writes. Every statement
 * carries its tenant.
 */
export const operationalMetricsRepository = {
  /** Runs by the bucket of their last change, split by status or workflow (or not at all). */
  async jobs(
    sql: Sql,
    w: OperationalWindow,
    groupBy: 'status' | 'workflow' | null,
  ): Promise<{ t: Date; group: string | null; n: number }[]> {
    const rows = await sql.query<{ t: Date; grp: string | null; n: number }>(
      `SELECT ${bucket('updated_at', '$4')} AS t,
              CASE $5::text WHEN 'status' THEN status WHEN 'workflow' THEN workflow END AS grp,
              count(*)::int AS n
       FROM processing_jobs WHERE tenant_id = $1 AND updated_at >= $2 AND updated_at < $3
       GROUP BY 1, 2`,
      [w.tenantId, w.from, w.to, w.interval, groupBy],
    );
    return rows.map((r) => ({ t: new Date(r.t), group: r.grp, n: r.n }));
  },

  /** Runs that ended (COMPLETED or FAILED for good) per bucket, and how many of them completed. */
  async endedJobs(
    sql: Sql,
    w: OperationalWindow,
    groupBy: 'workflow' | null,
  ): Promise<{ t: Date; group: string | null; completed: number; ended: number }[]> {
    const rows = await sql.query<{ t: Date; grp: string | null; completed: number; ended: number }>(
      `SELECT ${bucket('updated_at', '$4')} AS t,
              CASE $5::text WHEN 'workflow' THEN workflow END AS grp,
              count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed, count(*)::int AS ended
       FROM processing_jobs
       WHERE tenant_id = $1 AND status IN ('COMPLETED', 'FAILED') AND updated_at >= $2 AND updated_at < $3
       GROUP BY 1, 2`,
      [w.tenantId, w.from, w.to, w.interval, groupBy],
    );
    return rows.map((r) => ({ t: new Date(r.t), group: r.grp, completed: r.completed, ended: r.ended }));
  },

  /**
   * Seconds from a run's record (its first attempt) to its end, retries included, for runs that
   * ended in the window: p50/p95/p99 per bucket, and over the window (`t` null).
   */
  async jobLatency(sql: Sql, w: OperationalWindow): Promise<PercentileRow[]> {
    const rows = await sql.query<{ t: Date | null; p: number[] | null; n: number }>(
      `WITH ended AS (
         SELECT ${bucket('updated_at', '$4')} AS t, extract(epoch FROM finished_at - created_at)::float8 AS s
         FROM processing_jobs
         WHERE tenant_id = $1 AND status IN ('COMPLETED', 'FAILED') AND finished_at IS NOT NULL
           AND updated_at >= $2 AND updated_at < $3
       )
       SELECT t, percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY s) AS p, count(*)::int AS n
       FROM ended GROUP BY ROLLUP (t)`,
      [w.tenantId, w.from, w.to, w.interval],
    );
    return percentiles(rows);
  },

  /**
   * Seconds from an asset's ingest (its INGEST version) to the end of the enrichment run that
   * processed that version, for runs completed in the window: p50/p95/p99 per bucket and overall.
   */
  async ingestLag(sql: Sql, w: OperationalWindow): Promise<PercentileRow[]> {
    const rows = await sql.query<{ t: Date | null; p: number[] | null; n: number }>(
      `WITH processed AS (
         SELECT ${bucket('j.updated_at', '$4')} AS t,
                greatest(0, extract(epoch FROM j.finished_at - v.created_at))::float8 AS s
         FROM processing_jobs j
         JOIN asset_versions v ON v.tenant_id = j.tenant_id AND v.asset_id = j.asset_id
                              AND v.version = j.asset_version AND v.change_kind = 'INGEST'
         WHERE j.tenant_id = $1 AND v.tenant_id = $1 AND j.status = 'COMPLETED' AND j.finished_at IS NOT NULL
           AND j.updated_at >= $2 AND j.updated_at < $3
       )
       SELECT t, percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY s) AS p, count(*)::int AS n
       FROM processed GROUP BY ROLLUP (t)`,
      [w.tenantId, w.from, w.to, w.interval],
    );
    return percentiles(rows);
  },

  /**
   * The queue's depth over time: enrichment runs not yet ended (QUEUED, RUNNING or RETRYING). A run
   * is open from its record until its end (`finished_at` of a COMPLETED or FAILED run); one that is
   * open now counts as open since its record, a run retried after it failed included. Answers the
   * runs open at `from`, and per bucket the runs that opened and ended in it, for the caller to add up.
   */
  async queueDepth(
    sql: Sql,
    w: OperationalWindow,
  ): Promise<{ openAtFrom: number; changes: { t: Date; opened: number; ended: number }[] }> {
    // Runs that could be open at some instant of the window: recorded before its end, and open now or
    // ended in it or after (an ended run's updated_at is at or after its end: the indexes find them).
    const runs = `SELECT created_at AS s, CASE WHEN status IN ('COMPLETED', 'FAILED') THEN finished_at END AS e
       FROM processing_jobs
       WHERE tenant_id = $1 AND created_at < $3
         AND (status NOT IN ('COMPLETED', 'FAILED') OR (updated_at >= $2 AND finished_at >= $2))`;
    const [open] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${runs}) r WHERE s < $2 AND (e IS NULL OR e >= $2)`,
      [w.tenantId, w.from, w.to],
    );
    const rows = await sql.query<{ t: Date; opened: number; ended: number }>(
      `WITH r AS (${runs}),
       moves AS (
         SELECT ${bucket('s', '$4')} AS t, 1 AS opened, 0 AS ended FROM r WHERE s >= $2
         UNION ALL
         SELECT ${bucket('e', '$4')}, 0, 1 FROM r WHERE e >= $2 AND e < $3
       )
       SELECT t, sum(opened)::int AS opened, sum(ended)::int AS ended FROM moves GROUP BY t`,
      [w.tenantId, w.from, w.to, w.interval],
    );
    return {
      openAtFrom: open?.n ?? 0,
      changes: rows.map((r) => ({ t: new Date(r.t), opened: r.opened, ended: r.ended })),
    };
  },

  /** The projection-lag histogram per bucket: how many projections fell at or under each `leMs`. */
  async projectionLag(sql: Sql, w: OperationalWindow): Promise<{ t: Date; leMs: number; n: number }[]> {
    const rows = await sql.query<{ t: Date; le_ms: number; n: number }>(
      `SELECT ${bucket('minute', '$4')} AS t, le_ms, sum(n)::int AS n
       FROM projection_lag_minutes WHERE tenant_id = $1 AND minute >= $2 AND minute < $3
       GROUP BY 1, 2`,
      [w.tenantId, w.from, w.to, w.interval],
    );
    return rows.map((r) => ({ t: new Date(r.t), leMs: r.le_ms, n: r.n }));
  },

  /** Counts projections of the tenant, each lagging `lagsMs[i]` behind its canonical change: one statement. */
  async recordProjectionLags(sql: Sql, tenantId: string, lagsMs: number[], at: Date): Promise<void> {
    if (lagsMs.length === 0) return;
    const counts = new Map<number, number>();
    for (const lagMs of lagsMs) {
      const le = LAG_BUCKETS_MS.find((b) => lagMs <= b) ?? LAG_BUCKETS_MS[LAG_BUCKETS_MS.length - 1]!;
      counts.set(le, (counts.get(le) ?? 0) + 1);
    }
    const buckets = [...counts.keys()].sort((a, b) => a - b);
    // In bucket order: concurrent batches take the counter rows' locks in one order.
    await sql.query(
      `INSERT INTO projection_lag_minutes (tenant_id, minute, le_ms, n)
       SELECT $1, date_trunc('minute', $2::timestamptz), b.le, b.n
       FROM unnest($3::int[], $4::int[]) AS b(le, n) ORDER BY b.le
       ON CONFLICT (tenant_id, minute, le_ms) DO UPDATE SET n = projection_lag_minutes.n + EXCLUDED.n`,
      [tenantId, at, buckets, buckets.map((b) => counts.get(b)!)],
    );
  },
};

export type OperationalMetricsRepository = typeof operationalMetricsRepository;
