import type {
  Asset,
  AssetLink,
  AssetStatus,
  AssetType,
  Enrichment,
  TechnicalMetadata,
} from '../domain/asset.js';
import type { Database, Sql } from './db.js';

interface AssetRow {
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
}

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
  status: r.status,
  statusDetail: r.status_detail,
  version: r.version,
  versionId: r.version_id,
  enrichment: r.enriched_metadata,
  enrichedFromVersion: r.enriched_from_version,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

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

/** The fields a version snapshot keeps: everything a rollback needs. */
export function snapshotOf(a: Asset): Record<string, unknown> {
  return {
    type: a.type,
    title: a.title,
    description: a.description,
    transcript: a.transcript,
    fileHash: a.fileHash,
    sourceSystem: a.sourceSystem,
    sourceId: a.sourceId,
    tags: a.tags,
    speakers: a.speakers,
    contributors: a.contributors,
    operationalTags: a.operationalTags,
    technicalMetadata: a.technicalMetadata,
    links: a.links,
    status: a.status,
    enrichment: a.enrichment,
  };
}

/** What a rollback restores from a snapshot: the editable fields, never identity or provenance. */
export type RestoredFields = Pick<
  Asset,
  | 'title'
  | 'description'
  | 'transcript'
  | 'tags'
  | 'speakers'
  | 'contributors'
  | 'operationalTags'
  | 'technicalMetadata'
  | 'links'
  | 'enrichment'
>;

/**
 * The restorable fields of a snapshot. Snapshots written before a field existed (contributors,
 * links) lack it; it then reads as empty, which is what the asset had at that version.
 */
export function restoredFieldsOf(snapshot: Record<string, unknown>): RestoredFields {
  const text = (k: string) => {
    const v = snapshot[k];
    return typeof v === 'string' ? v : '';
  };
  const list = <T>(k: string) => (Array.isArray(snapshot[k]) ? (snapshot[k] as T[]) : []);
  const technicalMetadata = snapshot.technicalMetadata;
  return {
    title: text('title'),
    description: text('description'),
    transcript: text('transcript'),
    tags: list('tags'),
    speakers: list('speakers'),
    contributors: list('contributors'),
    operationalTags: list('operationalTags'),
    technicalMetadata:
      typeof technicalMetadata === 'object' && technicalMetadata !== null ? technicalMetadata : {},
    links: list('links'),
    enrichment: (snapshot.enrichment as Enrichment | null | undefined) ?? null,
  };
}

/**
 * An asset as an export needs it: no transcript, and of the enrichment only the entity lists, so a
 * page of rows stays small whatever the media.
 */
export type AssetExportRow = Pick<
  Asset,
  | 'id'
  | 'type'
  | 'title'
  | 'description'
  | 'fileHash'
  | 'sourceSystem'
  | 'sourceId'
  | 'tags'
  | 'speakers'
  | 'contributors'
  | 'operationalTags'
  | 'technicalMetadata'
  | 'status'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
> & {
  enrichment: Pick<Enrichment, 'tags' | 'speakers' | 'topics' | 'brands'> | null;
  /** created_at as Postgres prints it, microseconds and all: the row's keyset position. */
  position: string;
};

/** Filters on canonical columns; text values compare ignoring case, as the search filters do. */
export interface CanonicalFilters {
  type?: AssetType[] | undefined;
  sourceSystem?: string[] | undefined;
  status?: AssetStatus[] | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  durationMin?: number | undefined;
  durationMax?: number | undefined;
  resolution?: { width: number; height: number } | undefined;
}

const EXPORT_COLUMNS = `id, type, title, description, file_hash, source_system, source_id, given_tags,
  given_speakers, given_contributors, operational_tags, technical_metadata, status, version, created_at,
  updated_at, created_at::text AS position,
  CASE WHEN enriched_metadata IS NULL THEN NULL ELSE jsonb_build_object(
    'tags', coalesce(enriched_metadata -> 'tags', '[]'), 'speakers', coalesce(enriched_metadata -> 'speakers', '[]'),
    'topics', coalesce(enriched_metadata -> 'topics', '[]'), 'brands', coalesce(enriched_metadata -> 'brands', '[]'))
  END AS enrichment`;

type ExportRowRecord = Pick<
  AssetRow,
  | 'id'
  | 'type'
  | 'title'
  | 'description'
  | 'file_hash'
  | 'source_system'
  | 'source_id'
  | 'given_tags'
  | 'given_speakers'
  | 'given_contributors'
  | 'operational_tags'
  | 'technical_metadata'
  | 'status'
  | 'version'
  | 'created_at'
  | 'updated_at'
> & { position: string; enrichment: AssetExportRow['enrichment'] };

const toExportRow = (r: ExportRowRecord): AssetExportRow => ({
  id: r.id,
  type: r.type,
  title: r.title,
  description: r.description,
  fileHash: r.file_hash,
  sourceSystem: r.source_system,
  sourceId: r.source_id,
  tags: r.given_tags,
  speakers: r.given_speakers,
  contributors: r.given_contributors,
  operationalTags: r.operational_tags,
  technicalMetadata: r.technical_metadata,
  status: r.status,
  version: r.version,
  enrichment: r.enrichment,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  position: r.position,
});

/** SQL conditions for the filters, parameters appended to `params`. */
function canonicalFilterSql(f: CanonicalFilters, params: unknown[]): string {
  const parts: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.type?.length) parts.push(`type = ANY(${p(f.type)}::text[])`);
  if (f.sourceSystem?.length) {
    parts.push(`lower(source_system) = ANY(${p(f.sourceSystem.map((s) => s.toLowerCase()))}::text[])`);
  }
  if (f.status?.length) parts.push(`status = ANY(${p(f.status)}::text[])`);
  if (f.createdFrom) parts.push(`created_at >= ${p(f.createdFrom.toISOString())}::timestamptz`);
  if (f.createdTo) parts.push(`created_at < ${p(f.createdTo.toISOString())}::timestamptz`);
  // As search_documents holds them: duration as real, width and height as int.
  const duration = `(technical_metadata ->> 'durationSeconds')::real`;
  if (f.durationMin !== undefined) parts.push(`${duration} >= ${p(f.durationMin)}::real`);
  if (f.durationMax !== undefined) parts.push(`${duration} <= ${p(f.durationMax)}::real`);
  if (f.resolution) {
    parts.push(
      `(technical_metadata ->> 'width')::int = ${p(f.resolution.width)}::int AND (technical_metadata ->> 'height')::int = ${p(f.resolution.height)}::int`,
    );
  }
  return parts.map((x) => `AND ${x}`).join(' ');
}

export const assetsRepository = {
  /**
   * Inserts the rows whose file hash is new to the tenant, in input order, and returns them.
   * A repeated hash (already stored, or earlier in the same batch) inserts nothing.
   */
  async insertNew(sql: Sql, tenantId: string, rows: NewAssetRow[]): Promise<Asset[]> {
    if (rows.length === 0) return [];
    const inserted = await sql.query<AssetRow>(
      `INSERT INTO assets (tenant_id, id, type, title, description, transcript, file_hash, source_system,
         source_id, given_tags, given_speakers, given_contributors, operational_tags, technical_metadata, status,
         version, version_id, created_at)
       SELECT $1, x.id, x.type, x.title, x.description, x.transcript, x.file_hash, x.source_system,
         x.source_id, x.tags, x.speakers, x.contributors, x.operational_tags, x.technical_metadata, x.status,
         1, x.version_id, x.created_at
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, version_id uuid, type text, title text,
         description text, transcript text, file_hash text, source_system text, source_id text, tags jsonb,
         speakers jsonb, contributors jsonb, operational_tags jsonb, technical_metadata jsonb, status text,
         created_at timestamptz, ord int)
       -- In file hash order: two batches sharing hashes then lock them in the same order instead of
       -- deadlocking (seen under load: each waited on the other's uncommitted insert of a shared hash).
       ORDER BY x.file_hash, x.ord
       ON CONFLICT (tenant_id, file_hash) DO NOTHING
       RETURNING *`,
      [
        tenantId,
        JSON.stringify(
          rows.map((r, ord) => ({
            ord,
            id: r.id,
            version_id: r.versionId,
            type: r.type,
            title: r.title,
            description: r.description,
            transcript: r.transcript,
            file_hash: r.fileHash,
            source_system: r.sourceSystem,
            source_id: r.sourceId,
            tags: r.tags,
            speakers: r.speakers,
            contributors: r.contributors,
            operational_tags: r.operationalTags,
            technical_metadata: r.technicalMetadata,
            status: r.status,
            created_at: r.createdAt,
          })),
        ),
      ],
    );
    return inserted.map(toAsset);
  },

  async findByFileHashes(sql: Sql, tenantId: string, hashes: string[]): Promise<Asset[]> {
    if (hashes.length === 0) return [];
    const rows = await sql.query<AssetRow>(
      'SELECT * FROM assets WHERE tenant_id = $1 AND file_hash = ANY($2::text[])',
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
      `SELECT * FROM assets WHERE tenant_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toAsset(rows[0]) : null;
  },

  /** Assets by id, in no particular order; ids of other tenants simply do not match. */
  async findByIds(sql: Sql, tenantId: string, ids: string[]): Promise<Asset[]> {
    if (ids.length === 0) return [];
    const rows = await sql.query<AssetRow>(
      'SELECT * FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
      [tenantId, ids],
    );
    return rows.map(toAsset);
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
      `SELECT * FROM assets WHERE tenant_id = $1 ${keyset} ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    );
    return rows.map(toAsset);
  },

  /**
   * One page of an export: the tenant's assets passing the filters, newest first, keyset-paged on
   * (created_at, id) after the last row of the previous page.
   *
   * Read in index order, never sorted: without fresh statistics (PGlite has no autovacuum) the
   * planner estimates few rows and sorts every asset past the cursor, for each page. Walking
   * assets_listing_idx costs a page its own rows plus those the filters skip, whatever the table's size.
   */
  async exportPage(
    db: Pick<Database, 'transaction'>,
    tenantId: string,
    opts: {
      filters: CanonicalFilters;
      limit: number;
      after?: { position: string; id: string } | undefined;
    },
  ): Promise<AssetExportRow[]> {
    const params: unknown[] = [tenantId, opts.limit];
    let keyset = '';
    if (opts.after) {
      params.push(opts.after.position, opts.after.id);
      keyset = 'AND (created_at, id) < ($3::timestamptz, $4::uuid)';
    }
    const where = canonicalFilterSql(opts.filters, params);
    const rows = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_sort = off');
      return tx.query<ExportRowRecord>(
        `SELECT ${EXPORT_COLUMNS} FROM assets WHERE tenant_id = $1 ${keyset} ${where}
         ORDER BY created_at DESC, id DESC LIMIT $2`,
        params,
      );
    });
    return rows.map(toExportRow);
  },

  /** Export rows by id, in no particular order; ids of other tenants simply do not match. */
  async exportRows(sql: Sql, tenantId: string, ids: string[]): Promise<AssetExportRow[]> {
    if (ids.length === 0) return [];
    const rows = await sql.query<ExportRowRecord>(
      `SELECT ${EXPORT_COLUMNS} FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [tenantId, ids],
    );
    return rows.map(toExportRow);
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
    },
  ): Promise<Asset | null> {
    const f = args.fields;
    const rows = await sql.query<AssetRow>(
      `UPDATE assets SET title = $4, description = $5, transcript = $6, given_tags = $7::jsonb,
         given_speakers = $8::jsonb, given_contributors = $9::jsonb, operational_tags = $10::jsonb,
         technical_metadata = $11::jsonb, related_links = $12::jsonb, enriched_metadata = $13::jsonb,
         enriched_from_version = CASE WHEN $13::jsonb IS NULL THEN NULL ELSE enriched_from_version END,
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
       WHERE a.tenant_id = $1 AND a.related_links @> jsonb_build_array(jsonb_build_object('targetId', $2::text))
         AND l.link ->> 'targetId' = $2::text
       ORDER BY l.link ->> 'createdAt' DESC, a.id
       LIMIT $3`,
      [tenantId, id, limit],
    );
    return rows.map((r) => ({ sourceId: r.id, link: r.link }));
  },
};

export type AssetsRepository = typeof assetsRepository;
