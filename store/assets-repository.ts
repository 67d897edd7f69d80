import type {
  Asset,
  AssetLink,
  AssetStatus,
  AssetType,
  Enrichment,
  TechnicalMetadata,
} from '../domain/asset.js';
import type { RestoredFields } from '../domain/asset-snapshot.js';
import type { ErasableFields } from '../domain/person-erasure.js';
import type { Sql } from './db.js';
import { outsideTenantScope } from './tenant-isolation.js';

/** An assets row as Postgres returns it. */
export interface AssetRow {
  tenant_id: string;
  id: string;
  type: AssetType;
  title: string;
  description: string;
  transcript: string;
  file_hash: string;
  source_system: string;
  source_id: string | null;
  given_tags: string[];
  given_speakers: string[];
  given_contributors: string[];
  operational_tags: string[];
  technical_metadata: TechnicalMetadata;
  related_links: AssetLink[];
  enriched_metadata: Enrichment | null;
  status: AssetStatus;
  status_detail: string | null;
  version: number;
  version_id: string;
  enriched_from_version: number | null;
  created_at: Date;
  updated_at: Date;
  /** Set on a tombstone (a deleted asset, kept until purged): no reader of live assets sees it. */
  deleted_at: Date | null;
  /** Set while archived: the asset shows as ARCHIVED, `status` keeps its pipeline status. */
  archived_at: Date | null;
  legal_hold: boolean;
}

/** Live assets only: a tombstone is found by nothing but the lifecycle's own statements. */
const LIVE = 'deleted_at IS NULL';

const toAsset = (r: AssetRow): Asset => ({
  id: r.id,
  tenantId: r.tenant_id,
  type: r.type,
  title: r.title,
  description: r.description,
  transcript: r.transcript,
  fileHash: r.file_hash,
  sourceSystem: r.source_system,
  sourceId: r.source_id,
  tags: r.given_tags,
  speakers: r.given_speakers,
  contributors: r.given_contributors,
  operationalTags: r.operational_tags,
  technicalMetadata: r.technical_metadata,
  links: r.related_links,
  status: r.archived_at ? 'ARCHIVED' : r.status,
  statusDetail: r.status_detail,
  // Only when held: an asset as inserted (insertNew) and as read back are then the same object.
  ...(r.legal_hold ? { legalHold: true } : {}),
  version: r.version,
  versionId: r.version_id,
  enrichment: r.enriched_metadata,
  enrichedFromVersion: r.enriched_from_version,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

/** What a job re-checks under an asset's lock: whether it changed, and whether it was enriched since. */
export type AssetState = Pick<Asset, 'id' | 'status' | 'version' | 'enrichedFromVersion'>;

/** A new asset row, ready to insert. */
export interface NewAssetRow {
  id: string;
  versionId: string;
  type: AssetType;
  title: string;
  description: string;
  transcript: string;
  fileHash: string;
  sourceSystem: string;
  sourceId: string | null;
  tags: string[];
  speakers: string[];
  contributors: string[];
  operationalTags: string[];
  technicalMetadata: TechnicalMetadata;
  status: AssetStatus;
  createdAt: string;
}

export const assetsRepository = {
  /**
   * Inserts the rows whose file hash is new to the tenant, in input order, and returns them.
   * A repeated hash (already stored, or earlier in the same batch) inserts nothing.
   *
   * One multi-row statement over typed arrays (unnest): no JSON document to parse for the batch, and
   * only the columns the database decides (timestamps) come back, since the rest is what was sent.
   */
  async insertNew(sql: Sql, tenantId: string, rows: NewAssetRow[]): Promise<Asset[]> {
    if (rows.length === 0) return [];
    const col = <T>(f: (r: NewAssetRow) => T) => rows.map(f);
    const json = (f: (r: NewAssetRow) => unknown) => rows.map((r) => JSON.stringify(f(r)));
    const inserted = await sql.query<{ id: string; created_at: Date; updated_at: Date }>(
      `INSERT INTO assets (tenant_id, id, type, title, description, transcript, file_hash, source_system,
         source_id, given_tags, given_speakers, given_contributors, operational_tags, technical_metadata, status,
         version, version_id, created_at)
       SELECT $1, x.id, x.type, x.title, x.description, x.transcript, x.file_hash, x.source_system,
         x.source_id, x.tags::jsonb, x.speakers::jsonb, x.contributors::jsonb, x.operational_tags::jsonb,
         x.technical_metadata::jsonb, x.status, 1, x.version_id, x.created_at
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
         $17::timestamptz[]) WITH ORDINALITY
         AS x(id, version_id, type, title, description, transcript, file_hash, source_system, source_id, tags,
           speakers, contributors, operational_tags, technical_metadata, status, created_at, ord)
       -- In file hash order: two batches sharing hashes then lock them in the same order instead of
       -- deadlocking (seen under load: each waited on the other's uncommitted insert of a shared hash).
       ORDER BY x.file_hash, x.ord
       ON CONFLICT (tenant_id, file_hash) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id, created_at, updated_at`,
      [
        tenantId,
        col((r) => r.id),
        col((r) => r.versionId),
        col((r) => r.type),
        col((r) => r.title),
        col((r) => r.description),
        col((r) => r.transcript),
        col((r) => r.fileHash),
        col((r) => r.sourceSystem),
        col((r) => r.sourceId),
        json((r) => r.tags),
        json((r) => r.speakers),
        json((r) => r.contributors),
        json((r) => r.operationalTags),
        json((r) => r.technicalMetadata),
        col((r) => r.status),
        col((r) => r.createdAt),
      ],
    );
    const position = new Map(rows.map((r, i) => [r.id, i]));
    return inserted
      .map((x) => ({ ...x, at: position.get(x.id)! }))
      .sort((a, b) => a.at - b.at)
      .map(({ at, created_at, updated_at }) => {
        const r = rows[at]!;
        return {
          id: r.id,
          tenantId,
          type: r.type,
          title: r.title,
          description: r.description,
          transcript: r.transcript,
          fileHash: r.fileHash,
          sourceSystem: r.sourceSystem,
          sourceId: r.sourceId,
          tags: r.tags,
          speakers: r.speakers,
          contributors: r.contributors,
          operationalTags: r.operationalTags,
          technicalMetadata: r.technicalMetadata,
          links: [],
          status: r.status,
          statusDetail: null,
          version: 1,
          versionId: r.versionId,
          enrichment: null,
          enrichedFromVersion: null,
          createdAt: new Date(created_at),
          updatedAt: new Date(updated_at),
        };
      });
  },

  async findByFileHashes(sql: Sql, tenantId: string, hashes: string[]): Promise<Asset[]> {
    if (hashes.length === 0) return [];
    const rows = await sql.query<AssetRow>(
      `SELECT * FROM assets WHERE tenant_id = $1 AND file_hash = ANY($2::text[]) AND ${LIVE}`,
      [tenantId, hashes],
    );
    return rows.map(toAsset);
  },

  async findById(
    sql: Sql,
    tenantId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<Asset | null> {
    const rows = await sql.query<AssetRow>(
      `SELECT * FROM assets WHERE tenant_id = $1 AND id = $2 AND ${LIVE}${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toAsset(rows[0]) : null;
  },

  /**
   * Assets by id, in no particular order; ids of other tenants simply do not match. With `forUpdate`,
   * locked in id order, so that two batches sharing assets wait on each other instead of deadlocking.
   */
  async findByIds(
    sql: Sql,
    tenantId: string,
    ids: string[],
    opts: { forUpdate?: boolean } = {},
  ): Promise<Asset[]> {
    if (ids.length === 0) return [];
    const rows = await sql.query<AssetRow>(
      `SELECT * FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND ${LIVE}${
        opts.forUpdate ? ' ORDER BY id FOR UPDATE' : ''
      }`,
      [tenantId, ids],
    );
    return rows.map(toAsset);
  },

  /**
   * Locks assets in id order (as findByIds with `forUpdate`) and returns only what decides whether
   * they still need a job's work: a batch's re-checks under the lock read no transcripts.
   */
  async lockStates(sql: Sql, tenantId: string, ids: string[]): Promise<AssetState[]> {
    if (ids.length === 0) return [];
    const rows = await sql.query<{
      id: string;
      status: AssetStatus;
      version: number;
      enriched_from_version: number | null;
    }>(
      `SELECT id, status, version, enriched_from_version FROM assets
       WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
      [tenantId, ids],
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      version: r.version,
      enrichedFromVersion: r.enriched_from_version,
    }));
  },

  /**
   * The status and version of assets by id, without their content: what a wait polls (a transcript
   * read many times a second for each waiting request cost more than everything else it does).
   */
  async statesOf(
    sql: Sql,
    tenantId: string,
    ids: string[],
  ): Promise<{ id: string; status: AssetStatus; version: number }[]> {
    if (ids.length === 0) return [];
    return sql.query<{ id: string; status: AssetStatus; version: number }>(
      `SELECT id, status, version FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND ${LIVE}`,
      [tenantId, ids],
    );
  },

  /** Newest first, keyset-paged on (created_at, id) so pages stay stable while assets arrive. */
  async list(
    sql: Sql,
    tenantId: string,
    opts: { limit: number; after?: { createdAt: string; id: string } | undefined },
  ): Promise<Asset[]> {
    const params: unknown[] = [tenantId, opts.limit];
    let keyset = '';
    if (opts.after) {
      params.push(opts.after.createdAt, opts.after.id);
      keyset = 'AND (created_at, id) < ($3::timestamptz, $4::uuid)';
    }
    const rows = await sql.query<AssetRow>(
      `SELECT * FROM assets WHERE tenant_id = $1 AND ${LIVE} ${keyset} ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    );
    return rows.map(toAsset);
  },

  /** Every asset left PROCESSING by a process that is gone goes back to QUEUED; returns how many. */
  async requeueInterrupted(sql: Sql, detail: string): Promise<number> {
    const rows = await sql.query<{ id: string }>(
      `UPDATE assets SET status = 'QUEUED', status_detail = $1, updated_at = now()
       WHERE status = 'PROCESSING' RETURNING id`,
      [detail],
    );
    return rows.length;
  },

  async setStatus(
    sql: Sql,
    tenantId: string,
    id: string,
    status: AssetStatus,
    detail: string | null,
  ): Promise<void> {
    await sql.query(
      'UPDATE assets SET status = $3, status_detail = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2',
      [tenantId, id, status, detail],
    );
  },

  /**
   * Stores an enrichment as a new version, only if the asset is still at `expectedVersion`.
   * Returns the updated asset, or null when the asset changed meanwhile.
   */
  async saveEnrichment(
    sql: Sql,
    args: {
      tenantId: string;
      id: string;
      expectedVersion: number;
      newVersionId: string;
      enrichment: Enrichment;
      enrichedFromVersion: number;
    },
  ): Promise<Asset | null> {
    const rows = await sql.query<AssetRow>(
      `UPDATE assets SET enriched_metadata = $4::jsonb, status = 'PROCESSED', status_detail = NULL,
         version = version + 1, version_id = $5, enriched_from_version = $6, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND version = $3
       RETURNING *`,
      [
        args.tenantId,
        args.id,
        args.expectedVersion,
        JSON.stringify(args.enrichment),
        args.newVersionId,
        args.enrichedFromVersion,
      ],
    );
    return rows[0] ? toAsset(rows[0]) : null;
  },

  /** Sets the status (and its detail) of each asset given, in one statement. */
  async setStatuses(
    sql: Sql,
    tenantId: string,
    rows: { id: string; status: AssetStatus; detail: string | null }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await sql.query(
      `UPDATE assets a SET status = x.status, status_detail = x.detail, updated_at = now()
       FROM unnest($2::uuid[], $3::text[], $4::text[]) AS x(id, status, detail)
       WHERE a.tenant_id = $1 AND a.id = x.id`,
      [tenantId, rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.detail)],
    );
  },

  /**
   * saveEnrichment for many assets in one statement: each is stored as a new version only if it is
   * still at its `expectedVersion`. Returns the assets updated; one that changed meanwhile is left out.
   */
  async saveEnrichments(
    sql: Sql,
    tenantId: string,
    rows: { id: string; expectedVersion: number; newVersionId: string; enrichment: Enrichment }[],
  ): Promise<Asset[]> {
    if (rows.length === 0) return [];
    const saved = await sql.query<AssetRow>(
      `UPDATE assets a SET enriched_metadata = x.enrichment, status = 'PROCESSED', status_detail = NULL,
         version = a.version + 1, version_id = x.version_id, enriched_from_version = a.version, updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, expected_version int, version_id uuid, enrichment jsonb)
       WHERE a.tenant_id = $1 AND a.id = x.id AND a.version = x.expected_version
       RETURNING a.*`,
      [
        tenantId,
        JSON.stringify(
          rows.map((r) => ({
            id: r.id,
            expected_version: r.expectedVersion,
            version_id: r.newVersionId,
            enrichment: r.enrichment,
          })),
        ),
      ],
    );
    return saved.map(toAsset);
  },

  /**
   * Replaces the asset's links as a new version, only if the asset is still at `expectedVersion`.
   * Returns the updated asset, or null when the asset changed meanwhile.
   */
  async saveLinks(
    sql: Sql,
    args: { tenantId: string; id: string; expectedVersion: number; newVersionId: string; links: AssetLink[] },
  ): Promise<Asset | null> {
    const rows = await sql.query<AssetRow>(
      `UPDATE assets SET related_links = $4::jsonb, version = version + 1, version_id = $5, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND version = $3
       RETURNING *`,
      [args.tenantId, args.id, args.expectedVersion, JSON.stringify(args.links), args.newVersionId],
    );
    return rows[0] ? toAsset(rows[0]) : null;
  },

  /**
   * Writes restored or edited fields as a new version, only if the asset is still at
   * `expectedVersion`. The status and enrichedFromVersion stay: they say what the workers did, so an
   * enrichment in flight or a failed one is not covered up by an edit.
   */
  async restore(
    sql: Sql,
    args: {
      tenantId: string;
      id: string;
      expectedVersion: number;
      newVersionId: string;
      fields: RestoredFields;
      /** A new file hash (a watched folder's file whose content changed); absent: kept. */
      fileHash?: string | undefined;
    },
  ): Promise<Asset | null> {
    const f = args.fields;
    const rows = await sql.query<AssetRow>(
      `UPDATE assets SET title = $4, description = $5, transcript = $6, given_tags = $7::jsonb,
         given_speakers = $8::jsonb, given_contributors = $9::jsonb, operational_tags = $10::jsonb,
         technical_metadata = $11::jsonb, related_links = $12::jsonb, enriched_metadata = $13::jsonb,
         enriched_from_version = CASE WHEN $13::jsonb IS NULL THEN NULL ELSE enriched_from_version END,
         file_hash = COALESCE($15, file_hash),
         version = version + 1, version_id = $14, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND version = $3
       RETURNING *`,
      [
        args.tenantId,
        args.id,
        args.expectedVersion,
        f.title,
        f.description,
        f.transcript,
        JSON.stringify(f.tags),
        JSON.stringify(f.speakers),
        JSON.stringify(f.contributors),
        JSON.stringify(f.operationalTags),
        JSON.stringify(f.technicalMetadata),
        JSON.stringify(f.links),
        f.enrichment === null ? null : JSON.stringify(f.enrichment),
        args.newVersionId,
        args.fileHash ?? null,
      ],
    );
    return rows[0] ? toAsset(rows[0]) : null;
  },

  /** The assets that link to this one, with their links' notes (most recent first). */
  async linkedFrom(
    sql: Sql,
    tenantId: string,
    id: string,
    limit: number,
  ): Promise<{ sourceId: string; link: AssetLink }[]> {
    const rows = await sql.query<{ id: string; link: AssetLink }>(
      `SELECT a.id, l.link FROM assets a
       CROSS JOIN LATERAL jsonb_array_elements(a.related_links) AS l(link)
       WHERE a.tenant_id = $1 AND a.deleted_at IS NULL
         AND a.related_links @> jsonb_build_array(jsonb_build_object('targetId', $2::text))
         AND l.link ->> 'targetId' = $2::text
       ORDER BY l.link ->> 'createdAt' DESC, a.id
       LIMIT $3`,
      [tenantId, id, limit],
    );
    return rows.map((r) => ({ sourceId: r.id, link: r.link }));
  },

  // --- Lifecycle (services/asset-lifecycle-service.ts): the statements that see tombstones ---

  /**
   * The tenant's assets changed after a position (`at`, `id`), oldest change first, tombstones
   * included: what an egress controller sends next (services/controller-service.ts). The position is
   * `updated_at` to the microsecond, as text, so that the next page starts exactly after this one.
   * Changes younger than `settleMs` wait for a later run: `updated_at` is its transaction's start, so
   * a transaction still open could yet commit a change older than one already read. Nor is anything
   * read from the start of the oldest transaction still open that has written (pg_stat_activity),
   * however long it has been open: what it commits is not passed over.
   */
  async changedSince(
    sql: Sql,
    tenantId: string,
    after: { at: string; id: string } | undefined,
    limit: number,
    settleMs = 0,
  ): Promise<{ asset: Asset; deletedAt: Date | null; at: string }[]> {
    // Read as the connecting role: the tenant role sees no other session's transaction. Nothing of a
    // tenant is read here, only when the oldest writer still open started (none on PGlite).
    const [open] = await outsideTenantScope(() =>
      sql.query<{ since: string | null }>(
        `SELECT min(xact_start)::text AS since FROM pg_stat_activity
         WHERE backend_xid IS NOT NULL AND datname = current_database() AND pid <> pg_backend_pid()`,
      ),
    );
    const rows = await sql.query<AssetRow & { change_at: string }>(
      `SELECT *, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS change_at
       FROM assets
       WHERE tenant_id = $1
         AND ($2::timestamptz IS NULL OR (updated_at, id) > ($2::timestamptz, $3::uuid))
         AND updated_at <= clock_timestamp() - make_interval(secs => $5::double precision / 1000)
         AND ($6::timestamptz IS NULL OR updated_at < $6::timestamptz)
       ORDER BY updated_at, id LIMIT $4`,
      [tenantId, after?.at ?? null, after?.id ?? null, limit, settleMs, open?.since ?? null],
    );
    return rows.map((r) => ({
      asset: toAsset(r),
      deletedAt: r.deleted_at ? new Date(r.deleted_at) : null,
      at: r.change_at,
    }));
  },

  /** The asset, live or a tombstone; null when there is no row (never ingested, or purged). */
  async findWithTombstone(
    sql: Sql,
    tenantId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<{ asset: Asset; deletedAt: Date | null } | null> {
    const rows = await sql.query<AssetRow>(
      `SELECT * FROM assets WHERE tenant_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    const row = rows[0];
    return row ? { asset: toAsset(row), deletedAt: row.deleted_at ? new Date(row.deleted_at) : null } : null;
  },

  /**
   * Deletes (`deleted`), archives or restores the asset as a new version, if it is still at
   * `expectedVersion`. A tombstone keeps its content until purged; null when the asset changed meanwhile.
   */
  async setLifecycle(
    sql: Sql,
    args: {
      tenantId: string;
      id: string;
      expectedVersion: number;
      newVersionId: string;
      change: 'deleted' | 'archived' | 'restored';
    },
  ): Promise<Asset | null> {
    const set = {
      deleted: 'deleted_at = now()',
      archived: 'archived_at = now()',
      restored: 'archived_at = NULL',
    }[args.change];
    const rows = await sql.query<AssetRow>(
      `UPDATE assets SET ${set}, version = version + 1, version_id = $4, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND version = $3 AND ${LIVE}
       RETURNING *`,
      [args.tenantId, args.id, args.expectedVersion, args.newVersionId],
    );
    return rows[0] ? toAsset(rows[0]) : null;
  },

  /** Sets or lifts the legal hold of a live asset; null when there is none. Not a version: no content changes. */
  async setLegalHold(sql: Sql, tenantId: string, id: string, hold: boolean): Promise<Asset | null> {
    const rows = await sql.query<AssetRow>(
      `UPDATE assets SET legal_hold = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND ${LIVE}
       RETURNING *`,
      [tenantId, id, hold],
    );
    return rows[0] ? toAsset(rows[0]) : null;
  },

  /**
   * Erases the asset's row, live or a tombstone, and with it (ON DELETE CASCADE) every version
   * snapshot, its enrichment runs and its terms. Returns whether there was a row.
   */
  async purge(sql: Sql, tenantId: string, id: string): Promise<boolean> {
    const rows = await sql.query<{ id: string }>(
      'DELETE FROM assets WHERE tenant_id = $1 AND id = $2 RETURNING id',
      [tenantId, id],
    );
    return rows.length > 0;
  },

  // --- Person erasure (services/person-erasure-service.ts): the statements that see tombstones ---

  /**
   * The tenant's assets, tombstones included, whose content or any version snapshot matches the
   * POSIX regex `pattern` (a pre-filter: the service judges each asset), in id order after `afterId`,
   * at most `limit`. One statement per page; a version's text fields are compared as text, so a name
   * split over a line break is found as the service finds it.
   */
  async erasureCandidates(
    sql: Sql,
    tenantId: string,
    pattern: string,
    opts: { afterId: string | null; limit: number },
  ): Promise<{ id: string; legalHold: boolean; deleted: boolean }[]> {
    const rows = await sql.query<{ id: string; legal_hold: boolean; deleted: boolean }>(
      `SELECT a.id, a.legal_hold, a.deleted_at IS NOT NULL AS deleted FROM assets a
       WHERE a.tenant_id = $1 AND ($3::uuid IS NULL OR a.id > $3::uuid)
         AND (a.title ~ $2 OR a.description ~ $2 OR a.transcript ~ $2 OR a.given_speakers::text ~ $2
           OR a.given_contributors::text ~ $2 OR a.given_tags::text ~ $2 OR a.operational_tags::text ~ $2
           OR a.related_links::text ~ $2 OR COALESCE(a.enriched_metadata::text, '') ~ $2
           OR EXISTS (SELECT 1 FROM asset_versions v
             WHERE v.tenant_id = a.tenant_id AND v.asset_id = a.id
               AND (COALESCE(v.reason, '') ~ $2 OR (v.snapshot IS NOT NULL AND (
                 COALESCE(v.snapshot->>'title', '') ~ $2 OR COALESCE(v.snapshot->>'description', '') ~ $2
                 OR COALESCE(v.snapshot->>'transcript', '') ~ $2
                 OR (v.snapshot - 'title' - 'description' - 'transcript')::text ~ $2)))))
       ORDER BY a.id LIMIT $4`,
      [tenantId, pattern, opts.afterId, opts.limit],
    );
    return rows.map((r) => ({ id: r.id, legalHold: r.legal_hold, deleted: r.deleted }));
  },

  /** Assets by id, tombstones included, locked in id order (as findByIds with `forUpdate`). */
  async lockForErasure(
    sql: Sql,
    tenantId: string,
    ids: string[],
  ): Promise<{ asset: Asset; deleted: boolean }[]> {
    if (ids.length === 0) return [];
    const rows = await sql.query<AssetRow>(
      'SELECT * FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE',
      [tenantId, ids],
    );
    return rows.map((r) => ({ asset: toAsset(r), deleted: r.deleted_at !== null }));
  },

  /**
   * Writes erased fields as a new version of each asset, in one statement, only where the asset is
   * still at its `expectedVersion`. Status, enrichedFromVersion, identity and provenance stay.
   * Returns the ids and new versions written.
   */
  async saveErased(
    sql: Sql,
    tenantId: string,
    rows: {
      id: string;
      expectedVersion: number;
      newVersionId: string;
      fields: ErasableFields;
    }[],
  ): Promise<Asset[]> {
    if (rows.length === 0) return [];
    const saved = await sql.query<AssetRow>(
      `UPDATE assets a SET title = x.title, description = x.description, transcript = x.transcript,
         given_tags = x.tags, given_speakers = x.speakers, given_contributors = x.contributors,
         operational_tags = x.operational_tags, related_links = x.links, enriched_metadata = x.enrichment,
         version = a.version + 1, version_id = x.version_id, updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, expected_version int, version_id uuid, title text,
         description text, transcript text, tags jsonb, speakers jsonb, contributors jsonb,
         operational_tags jsonb, links jsonb, enrichment jsonb)
       WHERE a.tenant_id = $1 AND a.id = x.id AND a.version = x.expected_version
       RETURNING a.*`,
      [
        tenantId,
        JSON.stringify(
          rows.map((r) => ({
            id: r.id,
            expected_version: r.expectedVersion,
            version_id: r.newVersionId,
            title: r.fields.title,
            description: r.fields.description,
            transcript: r.fields.transcript,
            tags: r.fields.tags,
            speakers: r.fields.speakers,
            contributors: r.fields.contributors,
            operational_tags: r.fields.operationalTags,
            links: r.fields.links,
            enrichment: r.fields.enrichment,
          })),
        ),
      ],
    );
    return saved.map(toAsset);
  },

  /** Which of these ids are live assets (neither deleted nor purged). */
  async liveIds(sql: Sql, tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await sql.query<{ id: string }>(
      `SELECT id FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND ${LIVE}`,
      [tenantId, ids],
    );
    return new Set(rows.map((r) => r.id));
  },

  /** Whether the tenant has any archived asset (an index-only probe: assets_archived_idx). */
  async hasArchived(sql: Sql, tenantId: string): Promise<boolean> {
    const rows = await sql.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM assets WHERE tenant_id = $1 AND archived_at IS NOT NULL AND ${LIVE}) AS found`,
      [tenantId],
    );
    return rows[0]?.found ?? false;
  },
};

export type AssetsRepository = typeof assetsRepository;
