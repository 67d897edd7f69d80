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

/** What a bulk tag job did to one asset. */
export interface JobChange {
  ord: number;
  assetId: string;
  /** The asset's title now; null once the asset is gone. */
  title: string | null;
  outcome: 'CHANGED' | 'UNCHANGED' | 'SKIPPED';
  added: { name: string; type: string }[];
  removed: { name: string; type: string }[];
  locked: { name: string; type: string }[];
  unlocked: { name: string; type: string }[];
  version: number | null;
  error: string | null;
}

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
  WHERE a.tenant_id = $1 AND a.id > $2 AND a.deleted_at IS NULL
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

  /** Newest first, keyset-paged on (created_at, id), as the enrichment runs are. */
  async list(
    sql: Sql,
    tenantId: string,
    opts: {
      status?: string | undefined;
      kind?: string | undefined;
      limit: number;
      after?: { createdAt: string; id: string } | undefined;
    },
  ): Promise<BackgroundJob[]> {
    const rows = await sql.query<Row>(
      `SELECT * FROM background_jobs
       WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR kind = $3)
         AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $6`,
      [
        tenantId,
        opts.status ?? null,
        opts.kind ?? null,
        opts.after?.createdAt ?? null,
        opts.after?.id ?? null,
        opts.limit,
      ],
    );
    return rows.map(toJob);
  },

  /** Records what a job did to some assets; a resumed job's second record of one is dropped. */
  async insertChanges(sql: Sql, tenantId: string, jobId: string, changes: Omit<JobChange, 'title'>[]) {
    if (changes.length === 0) return;
    await sql.query(
      `INSERT INTO background_job_changes
         (tenant_id, job_id, ord, asset_id, outcome, added, removed, locked, unlocked, version, error)
       SELECT $1, $2, x.ord, x.asset_id, x.outcome, x.added, x.removed, x.locked, x.unlocked, x.version, x.error
       FROM jsonb_to_recordset($3::jsonb) AS x(ord int, asset_id uuid, outcome text, added jsonb,
         removed jsonb, locked jsonb, unlocked jsonb, version int, error text)
       ON CONFLICT DO NOTHING`,
      [
        tenantId,
        jobId,
        JSON.stringify(
          changes.map((c) => ({
            ord: c.ord,
            asset_id: c.assetId,
            outcome: c.outcome,
            added: c.added,
            removed: c.removed,
            locked: c.locked,
            unlocked: c.unlocked,
            version: c.version,
            error: c.error,
          })),
        ),
      ],
    );
  },

  /** A job's changes in its order, after `afterOrd`, with each asset's title. */
  async listChanges(
    sql: Sql,
    tenantId: string,
    jobId: string,
    opts: { afterOrd: number; limit: number; outcome?: string | undefined },
  ): Promise<JobChange[]> {
    const rows = await sql.query<{
      ord: number;
      asset_id: string;
      title: string | null;
      outcome: JobChange['outcome'];
      added: JobChange['added'];
      removed: JobChange['removed'];
      locked: JobChange['locked'];
      unlocked: JobChange['unlocked'];
      version: number | null;
      error: string | null;
    }>(
      `SELECT c.ord, c.asset_id, a.title, c.outcome, c.added, c.removed, c.locked, c.unlocked, c.version, c.error
       FROM background_job_changes c
       LEFT JOIN assets a ON a.tenant_id = c.tenant_id AND a.id = c.asset_id
       WHERE c.tenant_id = $1 AND c.job_id = $2 AND c.ord > $3 AND ($5::text IS NULL OR c.outcome = $5)
       ORDER BY c.ord LIMIT $4`,
      [tenantId, jobId, opts.afterOrd, opts.limit, opts.outcome ?? null],
    );
    return rows.map((r) => ({
      ord: r.ord,
      assetId: r.asset_id,
      title: r.title,
      outcome: r.outcome,
      added: r.added,
      removed: r.removed,
      locked: r.locked,
      unlocked: r.unlocked,
      version: r.version,
      error: r.error,
    }));
  },

  /** How many of a job's assets ended each way. */
  async changeCounts(
    sql: Sql,
    tenantId: string,
    jobId: string,
  ): Promise<Record<JobChange['outcome'], number>> {
    const rows = await sql.query<{ outcome: JobChange['outcome']; n: number }>(
      `SELECT outcome, count(*)::int AS n FROM background_job_changes
       WHERE tenant_id = $1 AND job_id = $2 GROUP BY outcome`,
      [tenantId, jobId],
    );
    const counts = { CHANGED: 0, UNCHANGED: 0, SKIPPED: 0 };
    for (const r of rows) counts[r.outcome] = r.n;
    return counts;
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
  /** How many live assets the tenant holds: what a walk over its whole library reads. */
  async countLive(sql: Sql, tenantId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM assets WHERE tenant_id = $1 AND deleted_at IS NULL',
      [tenantId],
    );
    return row?.n ?? 0;
  },

  /**
   * The tenant's unfinished job of this kind (queued or running), if any. Called in a transaction,
   * it holds a lock on (tenant, kind) until the transaction ends, so two callers that each start
   * such a job unless one is unfinished cannot both find none.
   */
  async lockUnfinished(sql: Sql, tenantId: string, kind: string): Promise<BackgroundJob | null> {
    await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`background-job:${tenantId}:${kind}`]);
    const rows = await sql.query<Row>(
      `SELECT * FROM background_jobs WHERE tenant_id = $1 AND kind = $2 AND status IN ('QUEUED', 'RUNNING')
       ORDER BY created_at, id LIMIT 1`,
      [tenantId, kind],
    );
    return rows[0] ? toJob(rows[0]) : null;
  },

  /** How many live assets a backfill to the given extractor versions has to re-enrich. */
  async countOutdated(
    sql: Sql,
    tenantId: string,
    extractorVersions: Record<string, number>,
  ): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assets
       WHERE tenant_id = $1 AND status <> 'ARCHIVED' AND archived_at IS NULL AND deleted_at IS NULL AND ${OUTDATED}`,
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
       WHERE tenant_id = $1 AND status NOT IN ('ARCHIVED', 'QUEUED', 'PROCESSING') AND archived_at IS NULL
         AND deleted_at IS NULL AND ${OUTDATED} AND id > $3
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

  /**
   * Person erasure's pre-filter over the jobs' records (docs/lifecycle.md, "Erasure"): a page of the
   * tenant's jobs whose parameters or last error, or whose change rows, may name the person
   * (`pattern`, a POSIX regex), by id. The erasure judges them and rewrites them with `rewriteForErasure`.
   */
  async erasureCandidates(
    sql: Sql,
    tenantId: string,
    pattern: string,
    opts: { afterId: string | null; limit: number },
  ): Promise<ErasableJob[]> {
    const rows = await sql.query<{ id: string; params: Record<string, unknown>; last_error: string | null }>(
      `SELECT j.id, j.params, j.last_error FROM background_jobs j
       WHERE j.tenant_id = $1 AND ($3::uuid IS NULL OR j.id > $3::uuid)
         AND (j.params::text ~ $2 OR COALESCE(j.last_error, '') ~ $2
           OR EXISTS (SELECT 1 FROM background_job_changes c WHERE c.tenant_id = j.tenant_id AND c.job_id = j.id
             AND (c.added::text ~ $2 OR c.removed::text ~ $2 OR c.locked::text ~ $2 OR c.unlocked::text ~ $2
               OR COALESCE(c.error, '') ~ $2)))
       ORDER BY j.id LIMIT $4`,
      [tenantId, pattern, opts.afterId, opts.limit],
    );
    if (rows.length === 0) return [];
    const changes = await sql.query<ErasableJobChange & { job_id: string }>(
      `SELECT c.job_id, c.ord, c.added, c.removed, c.locked, c.unlocked, c.error FROM background_job_changes c
       WHERE c.tenant_id = $1 AND c.job_id = ANY($3::uuid[])
         AND (c.added::text ~ $2 OR c.removed::text ~ $2 OR c.locked::text ~ $2 OR c.unlocked::text ~ $2
           OR COALESCE(c.error, '') ~ $2)
       ORDER BY c.job_id, c.ord`,
      [tenantId, pattern, rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: r.id,
      params: r.params,
      lastError: r.last_error,
      changes: changes
        .filter((c) => c.job_id === r.id)
        .map((c) => ({
          ord: c.ord,
          added: c.added,
          removed: c.removed,
          locked: c.locked,
          unlocked: c.unlocked,
          error: c.error,
        })),
    }));
  },

  /** Writes back what `erasureCandidates` gave, with the person taken out. */
  async rewriteForErasure(sql: Sql, tenantId: string, jobs: ErasableJob[]) {
    if (jobs.length === 0) return;
    await sql.query(
      `UPDATE background_jobs j SET params = x.params, last_error = x.last_error
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, params jsonb, last_error text)
       WHERE j.tenant_id = $1 AND j.id = x.id`,
      [tenantId, JSON.stringify(jobs.map((j) => ({ id: j.id, params: j.params, last_error: j.lastError })))],
    );
    const changes = jobs.flatMap((j) => j.changes.map((c) => ({ job_id: j.id, ...c })));
    if (changes.length === 0) return;
    await sql.query(
      `UPDATE background_job_changes c
       SET added = x.added, removed = x.removed, locked = x.locked, unlocked = x.unlocked, error = x.error
       FROM jsonb_to_recordset($2::jsonb)
         AS x(job_id uuid, ord int, added jsonb, removed jsonb, locked jsonb, unlocked jsonb, error text)
       WHERE c.tenant_id = $1 AND c.job_id = x.job_id AND c.ord = x.ord`,
      [tenantId, JSON.stringify(changes)],
    );
  },
};

/** A bulk job's record as person erasure reads and rewrites it. */
export interface ErasableJob {
  id: string;
  params: Record<string, unknown>;
  lastError: string | null;
  changes: ErasableJobChange[];
}
export interface ErasableJobChange {
  ord: number;
  added: unknown;
  removed: unknown;
  locked: unknown;
  unlocked: unknown;
  error: string | null;
}

export type BackgroundJobsRepository = typeof backgroundJobsRepository;
