import { randomUUID } from 'node:crypto';
import type { QuerySyntax } from '../domain/query-syntax.js';
import { entityNamesOf } from '../indexers/search-document.js';
import { parseQuery } from '../search/query-parser.js';
import type { SearchFilters, SearchIndexReader, SearchSort } from '../search/search-index.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { AssetExportRepository, AssetExportRow } from '../store/asset-export-repository.js';
import type { Database } from '../store/db.js';
import { BOM, csvRow, type Cell } from './csv.js';
import type { Actor } from './ingest-service.js';

export interface ExportRequest {
  /** Search text, as GET /v1/search takes it; empty exports every asset passing the filters. */
  q: string;
  syntax?: QuerySyntax | undefined;
  filters: SearchFilters;
  sort?: SearchSort | undefined;
  /** Start with a byte order mark (for Excel). */
  bom?: boolean;
}

export interface CsvExport {
  filename: string;
  /** The file, a page of rows per chunk; read it at the pace the client takes it. */
  body: AsyncIterable<string>;
}

/** Rows read per query: a page is a few hundred kilobytes of CSV at most, whatever the export's size. */
export const EXPORT_PAGE_SIZE = 500;

const list = (xs: readonly string[]) => xs.join('; ');

/** The columns, in order: a header and how each asset fills it. */
const COLUMNS: readonly [string, (a: AssetExportRow, e: ReturnType<typeof entityNamesOf>) => Cell][] = [
  ['id', (a) => a.id],
  ['type', (a) => a.type],
  ['title', (a) => a.title],
  ['description', (a) => a.description],
  ['source_system', (a) => a.sourceSystem],
  ['source_id', (a) => a.sourceId],
  ['status', (a) => a.status],
  ['version', (a) => a.version],
  ['created_at', (a) => a.createdAt.toISOString()],
  ['updated_at', (a) => a.updatedAt.toISOString()],
  ['duration_seconds', (a) => a.technicalMetadata.durationSeconds],
  ['width', (a) => a.technicalMetadata.width],
  ['height', (a) => a.technicalMetadata.height],
  ['mime_type', (a) => a.technicalMetadata.mimeType],
  ['tags', (_a, e) => list(e.tags)],
  ['topics', (_a, e) => list(e.topics)],
  ['speakers', (_a, e) => list(e.speakers)],
  ['brands', (_a, e) => list(e.brands)],
  ['contributors', (a) => list(a.contributors)],
  ['operational_tags', (a) => list(a.operationalTags)],
  ['file_hash', (a) => a.fileHash],
];

export const EXPORT_HEADER = COLUMNS.map(([name]) => name);

function toCsv(rows: readonly AssetExportRow[]): string {
  let out = '';
  for (const a of rows) {
    const names = entityNamesOf(a);
    out += csvRow(COLUMNS.map(([, value]) => value(a, names)));
  }
  return out;
}

/**
 * Where an export reads from. Without text, entity filters or a popularity or trending order, the canonical
 * table answers (every asset, searchable yet or not, newest first); otherwise the search index does,
 * exactly as GET /v1/search would page through it.
 */
export function exportSource(req: Pick<ExportRequest, 'q' | 'filters' | 'sort'>): 'canonical' | 'search' {
  const f = req.filters;
  const entityFilter = [f.tags, f.topics, f.speakers, f.brands].some((v) => v !== undefined && v.length > 0);
  return req.q.trim() !== '' || entityFilter || req.sort === 'popularity' || req.sort === 'trending'
    ? 'search'
    : 'canonical';
}

/** CSV exports of a tenant's assets, streamed a page at a time. */
export class ExportService {
  private readonly db: Database;
  private readonly search: SearchIndexReader;
  private readonly pageSize: number;

  constructor(
    private readonly deps: {
      db: Database;
      exports: AssetExportRepository;
      actions: Pick<ActionsRepository, 'insertMany' | 'finish'>;
      search: SearchIndexReader;
      /** Rows read per query (default `EXPORT_PAGE_SIZE`). */
      pageSize?: number;
    },
  ) {
    this.db = deps.db;
    this.search = deps.search;
    this.pageSize = deps.pageSize ?? EXPORT_PAGE_SIZE;
  }

  /**
   * Starts an export: its audit row is written first (as FAILED, until the last row is out, so an
   * export the process never finishes still shows), and the first page is read before answering, so
   * a query that fails does so with a proper error rather than a cut-off file.
   */
  async assetsCsv(who: Actor, req: ExportRequest): Promise<CsvExport> {
    const startedAt = new Date();
    const auditId = randomUUID();
    const source = exportSource(req);
    await this.deps.actions.insertMany(this.db, who.tenantId, [
      {
        id: auditId,
        actionType: 'ASSET_EXPORT',
        direction: 'OUTBOUND',
        controller: 'api',
        actor: who.actor,
        status: 'FAILED',
        details: {
          format: 'csv',
          q: req.q,
          syntax: req.syntax ?? 'query',
          filters: req.filters,
          sort: req.sort ?? null,
          source,
          state: 'started',
        },
        startedAt,
        durationMs: 0,
      },
    ]);
    const finish = (state: 'completed' | 'aborted' | 'failed', rows: number, error?: unknown) =>
      this.deps.actions.finish(this.db, who.tenantId, auditId, {
        status: state === 'completed' ? 'SUCCEEDED' : 'FAILED',
        durationMs: Date.now() - startedAt.getTime(),
        details: {
          state,
          rows,
          ...(error ? { error: error instanceof Error ? error.message : 'unknown error' } : {}),
        },
      });

    const pages =
      source === 'canonical' ? this.canonicalPages(who.tenantId, req) : this.searchPages(who.tenantId, req);
    let first: IteratorResult<AssetExportRow[]>;
    try {
      first = await pages.next();
    } catch (err) {
      await finish('failed', 0, err);
      throw err;
    }

    async function* body(): AsyncGenerator<string> {
      let rows = 0;
      let state: 'completed' | 'aborted' | 'failed' = 'aborted';
      let error: unknown;
      try {
        yield (req.bom ? BOM : '') + csvRow(EXPORT_HEADER);
        if (!first.done) {
          rows += first.value.length;
          yield toCsv(first.value);
          for await (const page of pages) {
            rows += page.length;
            yield toCsv(page);
          }
        }
        state = 'completed';
      } catch (err) {
        state = 'failed';
        error = err;
        throw err;
      } finally {
        // Reached on completion, on a failed read, and when the client goes away (the stream is
        // destroyed, which returns this generator): the row count says how far it got.
        await pages.return(undefined);
        await finish(state, rows, error);
      }
    }

    return { filename: `assets-${who.tenantId}-${fileTime(startedAt)}.csv`, body: body() };
  }

  /** Newest first, keyset-paged on (created_at, id) over the canonical table. */
  private async *canonicalPages(tenantId: string, req: ExportRequest): AsyncGenerator<AssetExportRow[]> {
    let after: { position: string; id: string } | undefined;
    for (;;) {
      const rows = await this.deps.exports.exportPage(this.db, tenantId, {
        filters: req.filters,
        limit: this.pageSize,
        after,
      });
      if (rows.length > 0) yield rows;
      const last = rows[rows.length - 1];
      if (rows.length < this.pageSize || !last) return;
      after = { position: last.position, id: last.id };
    }
  }

  /** The search index's ranking, page by page with its cursor; each page's assets read canonical. */
  private async *searchPages(tenantId: string, req: ExportRequest): AsyncGenerator<AssetExportRow[]> {
    const query = parseQuery(req.q, req.syntax);
    let cursor: string | undefined;
    for (;;) {
      const page = await this.search.search(tenantId, {
        query,
        limit: this.pageSize,
        cursor,
        filters: req.filters,
        ...(req.sort ? { sort: req.sort } : {}),
      });
      const ids = page.hits.map((h) => h.assetId);
      const found = new Map(
        (await this.deps.exports.exportRows(this.db, tenantId, ids)).map((r) => [r.id, r] as const),
      );
      // A hit whose asset is gone from the truth (deleted, not yet unprojected) is left out.
      const rows = ids.flatMap((id) => found.get(id) ?? []);
      if (rows.length > 0) yield rows;
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }
}

/** 2025-01-31T12:00:00.000Z → 20250131T120000Z, for a file name. */
const fileTime = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
