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

/** Assets whose enrichment was made by an older extractor version than the current ones ($2). */
const OUTDATED = `(enriched_metadata IS NULL OR NOT (enriched_metadata->'extractors' @> $2::jsonb))`;

/**
 * The assets of tenant $1 past id $2 that may carry one of the names in $3 (each name as its words):
 * their names folded once per row, like normalizeEntityName folds them (lower case, no accents),
 * and holding every word of some name. A cheap superset; the rename itself decides.
 */
const RENAME_CANDIDATES = `FROM assets a
  CROSS JOIN LATERAL (SELECT regexp_replace(normalize(lower(coalesce(a.enriched_metadata::text, '')
    || ' ' || a.given_tags::text || ' ' || a.given_speakers::text), NFKD), '[\u0300-\u036f]', '', 'g') AS names) n
  WHERE a.tenant_id = $1 AND a.id > $2
    AND EXISTS (SELECT 1 FROM jsonb_array_elements($3::jsonb) name
                WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(name.value) word
                                  WHERE strpos(n.names, word) = 0))`;

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

  /** Jobs not finished yet, QUEUED or RUNNING, of every tenant. */
  async unfinished(sql: Sql): Promise<{ tenantId: string; id: string; kind: string }[]> {
    const rows = await sql.query<{ tenant_id: string; id: string; kind: string }>(
      `SELECT tenant_id, id, kind FROM background_jobs WHERE status IN ('QUEUED', 'RUNNING') ORDER BY created_at`,
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, kind: r.kind }));
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
  /** How many live assets a backfill to the given extractor versions has to re-enrich. */
  async countOutdated(
    sql: Sql,
    tenantId: string,
    extractorVersions: Record<string, number>,
  ): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assets WHERE tenant_id = $1 AND status <> 'ARCHIVED' AND ${OUTDATED}`,
      [tenantId, JSON.stringify(extractorVersions)],
    );
    return row?.n ?? 0;
  },

  /** The next page, by id, of settled assets enriched by older extractor versions. */
  outdatedPage(
    sql: Sql,
    tenantId: string,
    extractorVersions: Record<string, number>,
    afterId: string,
    limit: number,
  ): Promise<{ id: string; version: number }[]> {
    return sql.query<{ id: string; version: number }>(
      `SELECT id, version FROM assets
       WHERE tenant_id = $1 AND status NOT IN ('ARCHIVED', 'QUEUED', 'PROCESSING') AND ${OUTDATED} AND id > $3
       ORDER BY id LIMIT $4`,
      [tenantId, JSON.stringify(extractorVersions), afterId, limit],
    );
  },

  /** How many assets past `afterId` may carry one of the names (each given as its folded words). */
  async countRenameCandidates(
    sql: Sql,
    tenantId: string,
    afterId: string,
    names: string[][],
  ): Promise<number> {
    const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n ${RENAME_CANDIDATES}`, [
      tenantId,
      afterId,
      JSON.stringify(names),
    ]);
    return row?.n ?? 0;
  },

  /** The next page, by id, of the assets that may carry one of the names. */
  async renameCandidatesPage(
    sql: Sql,
    tenantId: string,
    afterId: string,
    names: string[][],
    limit: number,
  ): Promise<string[]> {
    const rows = await sql.query<{ id: string }>(`SELECT a.id ${RENAME_CANDIDATES} ORDER BY a.id LIMIT $4`, [
      tenantId,
      afterId,
      JSON.stringify(names),
      limit,
    ]);
    return rows.map((r) => r.id);
  },
};

export type BackgroundJobsRepository = typeof backgroundJobsRepository;
