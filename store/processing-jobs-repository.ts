import type { Sql } from './db.js';

export type ProcessingJobStatus = 'QUEUED' | 'RUNNING' | 'RETRYING' | 'COMPLETED' | 'FAILED';

export interface ProcessingJob {
  id: string;
  assetId: string;
  assetVersion: number;
  workflow: string;
  status: ProcessingJobStatus;
  capabilitiesRequested: string[];
  capabilitiesCompleted: string[];
  capabilitiesFailed: string[];
  progress: number;
  timings: Record<string, number>;
  retryCount: number;
  retryConfig: Record<string, unknown>;
  lastError: string | null;
  deadLetteredAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** The asset's title, where the query read it (lists and single reads, for people to see). */
  assetTitle?: string | null;
}

interface Row {
  id: string;
  asset_id: string;
  asset_version: number;
  workflow: string;
  status: ProcessingJobStatus;
  capabilities_requested: string[];
  capabilities_completed: string[];
  capabilities_failed: string[];
  progress: number;
  timings: Record<string, number>;
  retry_count: number;
  retry_config: Record<string, unknown>;
  last_error: string | null;
  dead_lettered_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
  asset_title?: string | null;
}

const toJob = (r: Row): ProcessingJob => ({
  id: r.id,
  assetId: r.asset_id,
  assetVersion: r.asset_version,
  workflow: r.workflow,
  status: r.status,
  capabilitiesRequested: r.capabilities_requested,
  capabilitiesCompleted: r.capabilities_completed,
  capabilitiesFailed: r.capabilities_failed,
  progress: r.progress,
  timings: r.timings,
  retryCount: r.retry_count,
  retryConfig: r.retry_config,
  lastError: r.last_error,
  deadLetteredAt: r.dead_lettered_at ? new Date(r.dead_lettered_at) : null,
  startedAt: r.started_at ? new Date(r.started_at) : null,
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  ...(r.asset_title !== undefined ? { assetTitle: r.asset_title } : {}),
});

/** A run to start: `attempt` counts from 1. */
export interface NewRun {
  id: string;
  assetId: string;
  assetVersion: number;
  workflow: string;
  capabilities: string[];
  attempt: number;
  retryConfig: Record<string, unknown>;
  queueJobId: string;
}

/** How a run ended. */
export interface RunResult {
  id: string;
  /** RETRYING: the queue will run it again; FAILED: that was the last attempt, it joins the dead letters. */
  status: 'COMPLETED' | 'RETRYING' | 'FAILED';
  completed: string[];
  failed: string[];
  timings: Record<string, number>;
  error?: string | null;
  /**
   * Only a run still RUNNING is finished: one that a duplicate job (sharing the run of the same
   * asset version and workflow) finished first keeps what it recorded.
   */
  ifRunning?: boolean;
}

/** A run with its asset's title (null once the asset is gone). */
const WITH_TITLE = `SELECT j.*, a.title AS asset_title FROM processing_jobs j
  LEFT JOIN assets a ON a.tenant_id = j.tenant_id AND a.id = j.asset_id`;

export const processingJobsRepository = {
  /**
   * Starts (or restarts, on redelivery) the run records of many asset versions of one tenant in one
   * statement, one run per asset version and workflow. Each asset appears once; the runs come back
   * keyed by asset.
   */
  async startMany(sql: Sql, tenantId: string, runs: NewRun[]): Promise<Map<string, ProcessingJob>> {
    if (runs.length === 0) return new Map();
    const rows = await sql.query<Row>(
      `INSERT INTO processing_jobs (tenant_id, id, asset_id, asset_version, workflow, status, capabilities_requested,
         retry_count, retry_config, queue_job_id, started_at)
       SELECT $1, x.id, x.asset_id, x.asset_version, x.workflow, 'RUNNING',
         ARRAY(SELECT jsonb_array_elements_text(x.capabilities)), x.retry_count, x.retry_config, x.queue_job_id, now()
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, asset_id uuid, asset_version int, workflow text,
         capabilities jsonb, retry_count int, retry_config jsonb, queue_job_id text)
       ORDER BY x.asset_id
       ON CONFLICT (tenant_id, asset_id, asset_version, workflow) DO UPDATE SET
         status = 'RUNNING', retry_count = GREATEST(processing_jobs.retry_count, EXCLUDED.retry_count),
         capabilities_completed = '{}', capabilities_failed = '{}', progress = 0,
         queue_job_id = EXCLUDED.queue_job_id, started_at = now(), finished_at = NULL, updated_at = now()
       RETURNING *`,
      [
        tenantId,
        JSON.stringify(
          runs.map((r) => ({
            id: r.id,
            asset_id: r.assetId,
            asset_version: r.assetVersion,
            workflow: r.workflow,
            capabilities: r.capabilities,
            retry_count: r.attempt - 1,
            retry_config: r.retryConfig,
            queue_job_id: r.queueJobId,
          })),
        ),
      ],
    );
    return new Map(rows.map((r) => [r.asset_id, toJob(r)]));
  },

  /** Finishes many runs of one tenant in one statement. */
  async finishMany(sql: Sql, tenantId: string, results: RunResult[]): Promise<void> {
    if (results.length === 0) return;
    await sql.query(
      `UPDATE processing_jobs j SET status = x.status,
         capabilities_completed = ARRAY(SELECT jsonb_array_elements_text(x.completed)),
         capabilities_failed = ARRAY(SELECT jsonb_array_elements_text(x.failed)),
         timings = x.timings, progress = x.progress, last_error = x.error, finished_at = now(), updated_at = now(),
         dead_lettered_at = CASE WHEN x.status = 'FAILED' THEN now() END
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, status text, completed jsonb, failed jsonb,
         timings jsonb, progress real, error text, if_running boolean)
       WHERE j.tenant_id = $1 AND j.id = x.id AND (NOT x.if_running OR j.status = 'RUNNING')`,
      [
        tenantId,
        JSON.stringify(
          results.map((r) => ({
            id: r.id,
            status: r.status,
            completed: r.completed,
            failed: r.failed,
            timings: r.timings,
            progress: r.completed.length / Math.max(1, r.completed.length + r.failed.length),
            error: r.error?.slice(0, 4000) ?? null,
            if_running: r.ifRunning ?? false,
          })),
        ),
      ],
    );
  },

  async listForAsset(sql: Sql, tenantId: string, assetId: string): Promise<ProcessingJob[]> {
    const rows = await sql.query<Row>(
      'SELECT * FROM processing_jobs WHERE tenant_id = $1 AND asset_id = $2 ORDER BY created_at',
      [tenantId, assetId],
    );
    return rows.map(toJob);
  },

  async get(sql: Sql, tenantId: string, id: string): Promise<ProcessingJob | null> {
    const rows = await sql.query<Row>(`${WITH_TITLE} WHERE j.tenant_id = $1 AND j.id = $2`, [tenantId, id]);
    return rows[0] ? toJob(rows[0]) : null;
  },

  /** Newest first, keyset-paged on (created_at, id). */
  async list(
    sql: Sql,
    tenantId: string,
    opts: {
      status?: ProcessingJobStatus | undefined;
      limit: number;
      after?: { createdAt: string; id: string } | undefined;
    },
  ): Promise<ProcessingJob[]> {
    const rows = await sql.query<Row>(
      `${WITH_TITLE}
       WHERE j.tenant_id = $1 AND ($2::text IS NULL OR j.status = $2)
         AND ($3::timestamptz IS NULL OR (j.created_at, j.id) < ($3::timestamptz, $4::uuid))
       ORDER BY j.created_at DESC, j.id DESC LIMIT $5`,
      [tenantId, opts.status ?? null, opts.after?.createdAt ?? null, opts.after?.id ?? null, opts.limit],
    );
    return rows.map(toJob);
  },

  /**
   * Runs left RUNNING by a process that is gone: they become RETRYING (so a manual retry may take
   * them), with `reason` as their error. Returns each run's tenant and asset.
   */
  async reclaimRunning(sql: Sql, reason: string): Promise<{ tenantId: string; assetId: string }[]> {
    const rows = await sql.query<{ tenant_id: string; asset_id: string }>(
      `UPDATE processing_jobs SET status = 'RETRYING', last_error = $1, finished_at = now(), updated_at = now()
       WHERE status = 'RUNNING' RETURNING tenant_id, asset_id`,
      [reason],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, assetId: r.asset_id }));
  },

  /** A manual retry: the run goes back to QUEUED, leaves the dead letters, and counts one more retry. */
  async requeue(sql: Sql, tenantId: string, id: string): Promise<ProcessingJob | null> {
    const rows = await sql.query<Row>(
      `UPDATE processing_jobs SET status = 'QUEUED', retry_count = retry_count + 1, dead_lettered_at = NULL,
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING *`,
      [tenantId, id],
    );
    return rows[0] ? toJob(rows[0]) : null;
  },
};

export type ProcessingJobsRepository = typeof processingJobsRepository;
