import type {
  ControllerHealth,
  ControllerKind,
  LoggingLevel,
  RunCounts,
  RunStatus,
  RunTrigger,
  SyncState,
} from '../domain/controllers.js';
import type { Sql } from './db.js';
import { previousWhileValid } from './signing-secrets-repository.js';

/** An ingress controller (migration 0049): a feed, its schedule and where its next sync starts. */
export interface Controller {
  tenantId: string;
  id: string;
  name: string;
  kind: ControllerKind;
  config: Record<string, unknown>;
  sourceSystem: string;
  syncIntervalMinutes: number;
  loggingLevel: LoggingLevel;
  enabled: boolean;
  syncState: SyncState;
  health: ControllerHealth;
  lastError: string | null;
  lastRunAt: Date | null;
  lastSyncAt: Date | null;
  /** A run holds the controller until then. */
  leaseUntil: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ControllerRun {
  tenantId: string;
  id: string;
  controllerId: string;
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  fetchMs: number | null;
  notModified: boolean;
  pages: number;
  counts: RunCounts;
  error: string | null;
  failures: { sourceId: string; error: string }[];
}

/** Which asset an item of a source became, and the digest of what the item said when last seen. */
export interface ControllerItem {
  sourceId: string;
  assetId: string;
  contentHash: string;
  present: boolean;
}

/** A watched folder's file as last hashed (migration 0053). */
export interface HashedFile {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** An item to record, with its file as hashed when it is a watched folder's. */
export interface SavedItem {
  sourceId: string;
  assetId: string;
  contentHash: string;
  file?: HashedFile | undefined;
}

interface ControllerRow {
  tenant_id: string;
  id: string;
  name: string;
  kind: ControllerKind;
  config: Record<string, unknown>;
  source_system: string;
  sync_interval_minutes: number;
  logging_level: LoggingLevel;
  enabled: boolean;
  sync_state: SyncState;
  health: ControllerHealth;
  last_error: string | null;
  last_run_at: Date | null;
  last_sync_at: Date | null;
  lease_until: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

interface RunRow {
  tenant_id: string;
  id: string;
  controller_id: string;
  trigger: RunTrigger;
  status: RunStatus;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  fetch_ms: number | null;
  not_modified: boolean;
  pages: number;
  new_count: number;
  updated_count: number;
  unchanged_count: number;
  failed_count: number;
  gone_count: number;
  archived_count: number;
  deleted_count: number;
  pushed_count: number;
  written_count: number;
  error: string | null;
  failures: { sourceId: string; error: string }[];
}

const COLUMNS = `tenant_id, id, name, kind, config, source_system, sync_interval_minutes, logging_level,
  enabled, sync_state, health, last_error, last_run_at, last_sync_at, lease_until, created_by, created_at, updated_at`;
const RUN_COLUMNS = `tenant_id, id, controller_id, trigger, status, started_at, finished_at, duration_ms,
  fetch_ms, not_modified, pages, new_count, updated_count, unchanged_count, failed_count, gone_count, archived_count, deleted_count, pushed_count, written_count, error, failures`;

const date = (d: Date | string | null) => (d === null ? null : new Date(d));
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

const toController = (r: ControllerRow): Controller => ({
  tenantId: r.tenant_id,
  id: r.id,
  name: r.name,
  kind: r.kind,
  config: json(r.config),
  sourceSystem: r.source_system,
  syncIntervalMinutes: r.sync_interval_minutes,
  loggingLevel: r.logging_level,
  enabled: r.enabled,
  syncState: json(r.sync_state),
  health: r.health,
  lastError: r.last_error,
  lastRunAt: date(r.last_run_at),
  lastSyncAt: date(r.last_sync_at),
  leaseUntil: date(r.lease_until),
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const toRun = (r: RunRow): ControllerRun => ({
  tenantId: r.tenant_id,
  id: r.id,
  controllerId: r.controller_id,
  trigger: r.trigger,
  status: r.status,
  startedAt: new Date(r.started_at),
  finishedAt: date(r.finished_at),
  durationMs: r.duration_ms,
  fetchMs: r.fetch_ms,
  notModified: r.not_modified,
  pages: r.pages,
  counts: {
    new: r.new_count,
    updated: r.updated_count,
    unchanged: r.unchanged_count,
    failed: r.failed_count,
    gone: r.gone_count,
    archived: r.archived_count,
    deleted: r.deleted_count,
    pushed: r.pushed_count,
    written: r.written_count,
  },
  error: r.error,
  failures: json(r.failures),
});

export interface NewController {
  tenantId: string;
  id: string;
  name: string;
  kind: ControllerKind;
  config: Record<string, unknown>;
  sourceSystem: string;
  syncIntervalMinutes: number;
  loggingLevel: LoggingLevel;
  enabled: boolean;
  createdBy: string;
  /** A partner push's signing secret, sealed; read back only by `signingSecrets`. */
  secret?: string | undefined;
}

export interface ControllerChanges {
  name?: string | undefined;
  config?: Record<string, unknown> | undefined;
  sourceSystem?: string | undefined;
  syncIntervalMinutes?: number | undefined;
  loggingLevel?: LoggingLevel | undefined;
  enabled?: boolean | undefined;
  /** A new feed: the sync state of the old one is dropped. */
  resetState?: boolean | undefined;
}

export const controllersRepository = {
  async insert(sql: Sql, c: NewController): Promise<Controller> {
    const rows = await sql.query<ControllerRow>(
      `INSERT INTO controllers (tenant_id, id, name, kind, config, source_system, sync_interval_minutes,
         logging_level, enabled, created_by, secret)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        c.tenantId,
        c.id,
        c.name,
        c.kind,
        JSON.stringify(c.config),
        c.sourceSystem,
        c.syncIntervalMinutes,
        c.loggingLevel,
        c.enabled,
        c.createdBy,
        c.secret ?? null,
      ],
    );
    return toController(rows[0]!);
  },

  /**
   * A partner push's signing secrets, sealed: only the run that signs reads them (COLUMNS leaves
   * them out). `previousSecret` is the secret a rotation replaced while its grace period lasts.
   */
  async signingSecrets(
    sql: Sql,
    tenantId: string,
    id: string,
  ): Promise<{ secret: string; previousSecret: string | null } | null> {
    const rows = await sql.query<{ secret: string | null; previous: string | null }>(
      `SELECT c.secret, ${previousWhileValid('c')} AS previous FROM controllers c
       WHERE c.tenant_id = $1 AND c.id = $2`,
      [tenantId, id],
    );
    const r = rows[0];
    return r?.secret ? { secret: r.secret, previousSecret: r.previous } : null;
  },

  /** Newest first. */
  async list(sql: Sql, tenantId: string, limit: number): Promise<Controller[]> {
    const rows = await sql.query<ControllerRow>(
      `SELECT ${COLUMNS} FROM controllers WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map(toController);
  },

  async count(sql: Sql, tenantId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM controllers WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.n ?? 0;
  },

  async get(
    sql: Sql,
    tenantId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<Controller | null> {
    const rows = await sql.query<ControllerRow>(
      `SELECT ${COLUMNS} FROM controllers WHERE tenant_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toController(rows[0]) : null;
  },

  async update(sql: Sql, tenantId: string, id: string, ch: ControllerChanges): Promise<Controller | null> {
    const rows = await sql.query<ControllerRow>(
      `UPDATE controllers SET
         name = coalesce($3, name),
         config = coalesce($4::jsonb, config),
         source_system = coalesce($5, source_system),
         sync_interval_minutes = coalesce($6, sync_interval_minutes),
         logging_level = coalesce($7, logging_level),
         enabled = coalesce($8, enabled),
         sync_state = CASE WHEN $9 THEN '{}'::jsonb ELSE sync_state END,
         updated_at = date_trunc('milliseconds', now())
       WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [
        tenantId,
        id,
        ch.name ?? null,
        ch.config === undefined ? null : JSON.stringify(ch.config),
        ch.sourceSystem ?? null,
        ch.syncIntervalMinutes ?? null,
        ch.loggingLevel ?? null,
        ch.enabled ?? null,
        ch.resetState ?? false,
      ],
    );
    return rows[0] ? toController(rows[0]) : null;
  },

  async remove(sql: Sql, tenantId: string, id: string): Promise<boolean> {
    const rows = await sql.query('DELETE FROM controllers WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tenantId,
      id,
    ]);
    return rows.length > 0;
  },

  /**
   * The enabled controllers of every tenant whose interval has passed since their last run (or that
   * never ran) and that no live run holds: read on every tick of the schedule, so a change of
   * interval or a disabling counts from the next tick.
   */
  async due(sql: Sql, now: Date, limit: number): Promise<{ tenantId: string; id: string }[]> {
    const rows = await sql.query<{ tenant_id: string; id: string }>(
      `SELECT tenant_id, id FROM controllers
       WHERE enabled
         AND (last_run_at IS NULL OR last_run_at + make_interval(mins => sync_interval_minutes) <= $1)
         AND (lease_until IS NULL OR lease_until < $1)
       ORDER BY last_run_at NULLS FIRST LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id }));
  },

  /**
   * Takes the controller for a run, unless a live run holds it; a run whose lease ran out (its
   * process died) is marked INTERRUPTED. Null when it is held, or gone.
   */
  async claim(
    sql: Sql,
    tenantId: string,
    id: string,
    run: { id: string; trigger: RunTrigger; now: Date; leaseMs: number },
  ): Promise<Controller | null> {
    const rows = await sql.query<ControllerRow & { previous_run: string | null }>(
      `WITH prev AS (SELECT lease_run_id FROM controllers WHERE tenant_id = $1 AND id = $2 FOR UPDATE)
       UPDATE controllers c SET lease_until = $4::timestamptz + make_interval(secs => $5::double precision / 1000),
         lease_run_id = $3, last_run_at = $4
       FROM prev
       WHERE c.tenant_id = $1 AND c.id = $2 AND (c.lease_until IS NULL OR c.lease_until < $4)
       RETURNING ${COLUMNS.split(',')
         .map((col) => `c.${col.trim()}`)
         .join(', ')}, prev.lease_run_id AS previous_run`,
      [tenantId, id, run.id, run.now, run.leaseMs],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.previous_run) {
      await sql.query(
        `UPDATE controller_runs SET status = 'INTERRUPTED', finished_at = $3,
           error = coalesce(error, 'the process running it stopped before it ended')
         WHERE tenant_id = $1 AND id = $2 AND status = 'RUNNING'`,
        [tenantId, row.previous_run, run.now],
      );
    }
    await sql.query(
      `INSERT INTO controller_runs (tenant_id, id, controller_id, trigger, status, started_at)
       VALUES ($1, $2, $3, $4, 'RUNNING', $5)`,
      [tenantId, run.id, id, run.trigger, run.now],
    );
    return toController(row);
  },

  /** Keeps a long run's hold on its controller; false when another run took it meanwhile. */
  async extendLease(sql: Sql, tenantId: string, id: string, runId: string, until: Date): Promise<boolean> {
    const rows = await sql.query(
      `UPDATE controllers SET lease_until = $4 WHERE tenant_id = $1 AND id = $2 AND lease_run_id = $3 RETURNING id`,
      [tenantId, id, runId, until],
    );
    return rows.length > 0;
  },

  /** Where the next sync starts, written as the run gets there. */
  async saveState(sql: Sql, tenantId: string, id: string, runId: string, state: SyncState): Promise<void> {
    await sql.query(
      `UPDATE controllers SET sync_state = $4::jsonb WHERE tenant_id = $1 AND id = $2 AND lease_run_id = $3`,
      [tenantId, id, runId, JSON.stringify(state)],
    );
  },

  /** Ends a run: its counts, and the controller's health, error and hold. */
  async finish(
    sql: Sql,
    tenantId: string,
    id: string,
    run: {
      id: string;
      status: 'SUCCEEDED' | 'FAILED';
      finishedAt: Date;
      durationMs: number;
      fetchMs: number;
      notModified: boolean;
      pages: number;
      counts: RunCounts;
      error: string | null;
      failures: { sourceId: string; error: string }[];
    },
  ): Promise<void> {
    await sql.query(
      // A run taken over stays INTERRUPTED (as the run that took over marked it), with what it counted.
      `UPDATE controller_runs SET status = CASE WHEN status = 'RUNNING' THEN $3 ELSE status END, finished_at = $4, duration_ms = $5, fetch_ms = $6,
         not_modified = $7, pages = $8, new_count = $9, updated_count = $10, unchanged_count = $11,
         failed_count = $12, gone_count = $13, error = $14, failures = $15::jsonb,
         archived_count = $16, deleted_count = $17, pushed_count = $18, written_count = $19
       WHERE tenant_id = $1 AND id = $2`,
      [
        tenantId,
        run.id,
        run.status,
        run.finishedAt,
        Math.round(run.durationMs),
        Math.round(run.fetchMs),
        run.notModified,
        run.pages,
        run.counts.new,
        run.counts.updated,
        run.counts.unchanged,
        run.counts.failed,
        run.counts.gone,
        run.error,
        JSON.stringify(run.failures),
        run.counts.archived,
        run.counts.deleted,
        run.counts.pushed,
        run.counts.written,
      ],
    );
    await sql.query(
      `UPDATE controllers SET lease_until = NULL, lease_run_id = NULL,
         health = CASE WHEN $4 = 'SUCCEEDED' THEN 'healthy' ELSE 'unhealthy' END,
         last_error = $5,
         last_sync_at = CASE WHEN $4 = 'SUCCEEDED' THEN $6::timestamptz ELSE last_sync_at END
       WHERE tenant_id = $1 AND id = $2 AND lease_run_id = $3`,
      [tenantId, id, run.id, run.status, run.error, run.finishedAt],
    );
  },

  /** The controller's runs, newest first, from `before` (a run's start) on. */
  async runs(
    sql: Sql,
    tenantId: string,
    controllerId: string,
    page: { limit: number; before?: { startedAt: Date; id: string } | undefined },
  ): Promise<ControllerRun[]> {
    const rows = await sql.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM controller_runs
       WHERE tenant_id = $1 AND controller_id = $2
         AND ($3::timestamptz IS NULL OR (started_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY started_at DESC, id DESC LIMIT $5`,
      [tenantId, controllerId, page.before?.startedAt ?? null, page.before?.id ?? null, page.limit],
    );
    return rows.map(toRun);
  },

  async run(sql: Sql, tenantId: string, runId: string): Promise<ControllerRun | null> {
    const rows = await sql.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM controller_runs WHERE tenant_id = $1 AND id = $2`,
      [tenantId, runId],
    );
    return rows[0] ? toRun(rows[0]) : null;
  },

  async items(
    sql: Sql,
    tenantId: string,
    sourceSystem: string,
    sourceIds: string[],
  ): Promise<ControllerItem[]> {
    if (sourceIds.length === 0) return [];
    const rows = await sql.query<{
      source_id: string;
      asset_id: string;
      content_hash: string;
      present: boolean;
    }>(
      `SELECT source_id, asset_id, content_hash, present FROM controller_items
       WHERE tenant_id = $1 AND source_system = $2 AND source_id = ANY($3::text[])`,
      [tenantId, sourceSystem, sourceIds],
    );
    return rows.map((r) => ({
      sourceId: r.source_id,
      assetId: r.asset_id,
      contentHash: r.content_hash,
      present: r.present,
    }));
  },

  /** Records the items a run saw, with the asset and digest each stands for now. */
  async saveItems(
    sql: Sql,
    tenantId: string,
    controllerId: string,
    sourceSystem: string,
    runId: string,
    items: SavedItem[],
  ): Promise<void> {
    if (items.length === 0) return;
    await sql.query(
      `INSERT INTO controller_items (tenant_id, source_system, source_id, controller_id, asset_id, content_hash, last_run_id,
         file_size, file_mtime_ms, file_sha256)
       SELECT $1, $2, s, $3, a, h, $4, fs, fm, fh
       FROM unnest($5::text[], $6::uuid[], $7::text[], $8::bigint[], $9::double precision[], $10::text[])
         AS t(s, a, h, fs, fm, fh)
       ON CONFLICT (tenant_id, source_system, source_id) DO UPDATE SET
         controller_id = EXCLUDED.controller_id, asset_id = EXCLUDED.asset_id,
         content_hash = EXCLUDED.content_hash, last_run_id = EXCLUDED.last_run_id,
         file_size = EXCLUDED.file_size, file_mtime_ms = EXCLUDED.file_mtime_ms, file_sha256 = EXCLUDED.file_sha256,
         present = true, gone_at = NULL, leave_pending = false, last_seen_at = now()`,
      [
        tenantId,
        sourceSystem,
        controllerId,
        runId,
        items.map((i) => i.sourceId),
        items.map((i) => i.assetId),
        items.map((i) => i.contentHash),
        items.map((i) => i.file?.size ?? null),
        items.map((i) => i.file?.mtimeMs ?? null),
        items.map((i) => i.file?.sha256 ?? null),
      ],
    );
  },

  /**
   * A watched folder's files as they were last hashed, by path: a file of the same size and
   * modification time is not read again. Bounded by the folder's file limit, and then some.
   */
  async hashedFiles(
    sql: Sql,
    tenantId: string,
    controllerId: string,
    limit: number,
  ): Promise<Map<string, HashedFile>> {
    const rows = await sql.query<{
      source_id: string;
      file_size: string | number;
      file_mtime_ms: number;
      file_sha256: string;
    }>(
      `SELECT source_id, file_size, file_mtime_ms, file_sha256 FROM controller_items
       WHERE tenant_id = $1 AND controller_id = $2 AND present AND file_sha256 IS NOT NULL
       ORDER BY source_id LIMIT $3`,
      [tenantId, controllerId, limit],
    );
    return new Map(
      rows.map((r) => [
        r.source_id,
        { size: Number(r.file_size), mtimeMs: Number(r.file_mtime_ms), sha256: r.file_sha256 },
      ]),
    );
  },

  /** Marks items gone: those named, or (a complete snapshot) those of the controller this run did not see. */
  async markGone(
    sql: Sql,
    tenantId: string,
    controllerId: string,
    which: { sourceSystem: string; sourceIds: string[] } | { notSeenBy: string },
    /** Whether the controller is to archive or delete their assets (`whenGone`): pending until it has. */
    pending = false,
  ): Promise<{ assetId: string; sourceId: string }[]> {
    const rows =
      'notSeenBy' in which
        ? await sql.query<{ asset_id: string; source_id: string }>(
            `UPDATE controller_items SET present = false, gone_at = now(), leave_pending = $4
             WHERE tenant_id = $1 AND controller_id = $2 AND present AND last_run_id <> $3
             RETURNING asset_id, source_id`,
            [tenantId, controllerId, which.notSeenBy, pending],
          )
        : await sql.query<{ asset_id: string; source_id: string }>(
            `UPDATE controller_items SET present = false, gone_at = now(), leave_pending = $4
             WHERE tenant_id = $1 AND source_system = $2 AND source_id = ANY($3::text[]) AND present
             RETURNING asset_id, source_id`,
            [tenantId, which.sourceSystem, which.sourceIds, pending],
          );
    return rows.map((r) => ({ assetId: r.asset_id, sourceId: r.source_id }));
  },

  /**
   * Gone items of the controller whose assets it has yet to archive or delete, in source id order,
   * at most `limit` (on controller_items_leave_pending_idx).
   */
  async pendingGone(
    sql: Sql,
    tenantId: string,
    controllerId: string,
    limit: number,
  ): Promise<{ assetId: string; sourceId: string }[]> {
    const rows = await sql.query<{ asset_id: string; source_id: string }>(
      `SELECT asset_id, source_id FROM controller_items
       WHERE tenant_id = $1 AND controller_id = $2 AND leave_pending AND NOT present
       ORDER BY source_id LIMIT $3`,
      [tenantId, controllerId, limit],
    );
    return rows.map((r) => ({ assetId: r.asset_id, sourceId: r.source_id }));
  },

  /** Of these assets, those that a present item (of any controller of the tenant) still stands for. */
  async sharedAssets(sql: Sql, tenantId: string, assetIds: string[]): Promise<Set<string>> {
    if (assetIds.length === 0) return new Set();
    const rows = await sql.query<{ asset_id: string }>(
      `SELECT DISTINCT asset_id FROM controller_items
       WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) AND present`,
      [tenantId, assetIds],
    );
    return new Set(rows.map((r) => r.asset_id));
  },

  /** Gone items whose assets the controller archived or deleted (or found gone): no longer pending. */
  async settleGone(sql: Sql, tenantId: string, controllerId: string, sourceIds: string[]): Promise<void> {
    if (sourceIds.length === 0) return;
    await sql.query(
      `UPDATE controller_items SET leave_pending = false
       WHERE tenant_id = $1 AND controller_id = $2 AND source_id = ANY($3::text[]) AND leave_pending`,
      [tenantId, controllerId, sourceIds],
    );
  },

  /**
   * Over every tenant, the enabled controllers by health: the connector-health gauge of /metrics
   * (a small table, read whole at each scrape).
   */
  async healthCounts(sql: Sql): Promise<Record<ControllerHealth, number>> {
    const rows = await sql.query<{ health: ControllerHealth; n: number }>(
      'SELECT health, count(*)::int AS n FROM controllers WHERE enabled GROUP BY health',
    );
    const counts: Record<ControllerHealth, number> = { unknown: 0, healthy: 0, unhealthy: 0 };
    for (const r of rows) counts[r.health] = r.n;
    return counts;
  },

  /**
   * The tenant's controllers by state (disabled ones apart, whatever their last run said), and the
   * unhealthy ones, longest failing first (by their last good sync, never synced first), at most `limit`.
   */
  async tenantHealth(
    sql: Sql,
    tenantId: string,
    limit: number,
  ): Promise<{ counts: Record<ControllerHealth | 'disabled', number>; unhealthy: Controller[] }> {
    const [counts, unhealthy] = await Promise.all([
      sql.query<{ state: ControllerHealth | 'disabled'; n: number }>(
        `SELECT CASE WHEN enabled THEN health ELSE 'disabled' END AS state, count(*)::int AS n
         FROM controllers WHERE tenant_id = $1 GROUP BY 1`,
        [tenantId],
      ),
      sql.query<ControllerRow>(
        `SELECT ${COLUMNS} FROM controllers
         WHERE tenant_id = $1 AND enabled AND health = 'unhealthy'
         ORDER BY last_sync_at ASC NULLS FIRST, name, id LIMIT $2`,
        [tenantId, limit],
      ),
    ]);
    const byState: Record<ControllerHealth | 'disabled', number> = {
      unknown: 0,
      healthy: 0,
      unhealthy: 0,
      disabled: 0,
    };
    for (const r of counts) byState[r.state] = r.n;
    return { counts: byState, unhealthy: unhealthy.map(toController) };
  },

  /** Items of the controller still in its feed. */
  async presentCount(sql: Sql, tenantId: string, controllerId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM controller_items WHERE tenant_id = $1 AND controller_id = $2 AND present',
      [tenantId, controllerId],
    );
    return row?.n ?? 0;
  },
};

export type ControllersRepository = typeof controllersRepository;
