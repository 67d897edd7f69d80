import type { Asset, AssetStatus, AssetType, Enrichment } from '../domain/asset.js';
import type { AssetRow } from './assets-repository.js';
import type { Database, Sql } from './db.js';

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

/**
 * Filters on canonical columns; text values compare ignoring case, as the search filters do.
 * A copy of the rules of the search port's filters (`SearchFilters` in search/search-index.ts, and
 * the Postgres search adapter's SQL for them, in search/postgres/translator.ts): store/ may not import search/, and the two read
 * different tables. A change to one is a change to both (test/e2e/export.test.ts pins the canonical side).
 */
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
  given_speakers, given_contributors, operational_tags, technical_metadata,
  CASE WHEN archived_at IS NOT NULL THEN 'ARCHIVED' ELSE status END AS status, version, created_at,
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
  if (f.status?.length)
    parts.push(
      `(CASE WHEN archived_at IS NOT NULL THEN 'ARCHIVED' ELSE status END) = ANY(${p(f.status)}::text[])`,
    );
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

/** The export read model: the canonical assets as a CSV export pages through them. */
export const assetExportRepository = {
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
        `SELECT ${EXPORT_COLUMNS} FROM assets WHERE tenant_id = $1 AND deleted_at IS NULL ${keyset} ${where}
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
      `SELECT ${EXPORT_COLUMNS} FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`,
      [tenantId, ids],
    );
    return rows.map(toExportRow);
  },
};

export type AssetExportRepository = typeof assetExportRepository;
