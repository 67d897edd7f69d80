import type { Sql } from './db.js';

export type BackgroundJobStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';

export interface BackgroundJob {
  id: string;
  kind: string;
  status: BackgroundJobStatus;
  params: Record<string, unknown>;
  total: number | null;
  processed: number;
  cursor: unknown;
  lastError: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

interface Row {
  id: string;
  kind: string;
  status: BackgroundJobStatus;
  params: Record<string, unknown>;
  total: number | null;
  processed: number;
  cursor: unknown;
  last_error: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const toJob = (r: Row): BackgroundJob => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  params: r.params,
  total: r.total,
  processed: r.processed,
  cursor: r.cursor,
  lastError: r.last_error,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
});

export const backgroundJobsRepository = {
  async insert(
    sql: Sql,
    tenantId: string,
    job: { id: string; kind: string; params: Record<string, unknown>; createdBy: string },
  ): Promise<BackgroundJob> {
    const rows = await sql.query<Row>(
      `INSERT INTO background_jobs (tenant_id, id, kind, status, params, created_by)
       VALUES ($1, $2, $3, 'QUEUED', $4::jsonb, $5) RETURNING *`,
      [tenantId, job.id, job.kind, JSON.stringify(job.params), job.createdBy],
    );
    return toJob(rows[0]!);
  },

  async get(
    sql: Sql,
    tenantId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<BackgroundJob | null> {
    const rows = await sql.query<Row>(
      `SELECT * FROM background_jobs WHERE tenant_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toJob(rows[0]) : null;
  },

  async update(
    sql: Sql,
    tenantId: string,
    id: string,
    patch: {
      status?: BackgroundJobStatus;
      total?: number;
      processedDelta?: number;
      cursor?: unknown;
      error?: string | null;
    },
  ): Promise<void> {
    await sql.query(
      `UPDATE background_jobs SET
         status = coalesce($3, status),
         total = coalesce($4, total),
         processed = processed + $5,
         cursor = CASE WHEN $6::boolean THEN $7::jsonb ELSE cursor END,
         last_error = CASE WHEN $8::boolean THEN $9 ELSE last_error END,
         finished_at = CASE WHEN $3 IN ('COMPLETED', 'FAILED') THEN now() ELSE finished_at END,
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [
        tenantId,
        id,
        patch.status ?? null,
        patch.total ?? null,
        patch.processedDelta ?? 0,
        patch.cursor !== undefined,
        patch.cursor === undefined ? null : JSON.stringify(patch.cursor),
        patch.error !== undefined,
        patch.error ?? null,
      ],
    );
  },
};

export type BackgroundJobsRepository = typeof backgroundJobsRepository;
