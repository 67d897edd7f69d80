/**
 * The built-in kinds of metadata record: what the service's own producers write. Their schemas are
 * versioned here (docs/metadata.md lists them); a tenant registers kinds of its own through the API
 * but cannot change these. `retentionDays` null keeps the full history; a number keeps a rolling
 * window of so many days (the latest record per target is always kept).
 */
export interface KindDefinition {
  kind: string;
  version: string;
  description: string;
  retentionDays: number | null;
  schema: Record<string, unknown>;
}

const int = { type: 'integer', minimum: 0 };
const ms = { type: 'number', minimum: 0 };

export const BUILT_IN_KINDS: readonly KindDefinition[] = [
  {
    kind: 'ingestion_volume',
    version: '1.0.0',
    description:
      'One ingest call (an API batch or a controller page): how many assets came in, were new or duplicates.',
    retentionDays: 30,
    schema: {
      type: 'object',
      required: ['received', 'created', 'duplicates', 'durationMs'],
      properties: {
        received: int,
        created: int,
        duplicates: int,
        durationMs: ms,
        controller: { type: 'string' },
      },
    },
  },
  {
    kind: 'enrichment_run',
    version: '1.0.0',
    description: "One enrichment job's run over its assets, with the time each extractor took.",
    retentionDays: 30,
    schema: {
      type: 'object',
      required: ['status', 'assets', 'durationMs'],
      properties: {
        status: { type: 'string', enum: ['SUCCEEDED', 'FAILED', 'PARTIAL'] },
        assets: int,
        enriched: int,
        failed: int,
        durationMs: ms,
        extractorMs: { type: 'object', additionalProperties: ms },
      },
    },
  },
  {
    kind: 'technical_metadata',
    version: '1.0.0',
    description:
      "An asset's technical metadata as its latest version holds it (duration, size, codecs, urls).",
    retentionDays: null,
    schema: { type: 'object' },
  },
  {
    kind: 'projection_run',
    version: '1.1.0',
    description:
      'One projection job: assets written to the search index and the graph, removed, failed, and the time each took.',
    retentionDays: 30,
    schema: {
      type: 'object',
      required: ['assets', 'durationMs'],
      properties: {
        assets: int,
        projected: int,
        removed: int,
        failed: int,
        durationMs: ms,
        searchMs: ms,
        graphMs: ms,
        embeddingMs: ms,
      },
    },
  },
  {
    kind: 'drift_report',
    version: '1.1.0',
    description:
      "A drift check's findings for a tenant: assets missing from or stale in a projection, and repairs.",
    retentionDays: 90,
    schema: {
      type: 'object',
      required: ['checked'],
      properties: {
        checked: int,
        missing: int,
        stale: int,
        extra: int,
        stuck: int,
        repaired: int,
        unrepaired: int,
        repair: { type: 'boolean' },
        projections: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: { missing: int, stale: int, orphaned: int },
          },
        },
      },
    },
  },
  {
    kind: 'sync_result',
    version: '1.1.0',
    description:
      "A controller's run: the items it read, new, updated, unchanged, failed, gone (archived or deleted), and how long it took.",
    retentionDays: 90,
    schema: {
      type: 'object',
      required: ['status', 'itemCount'],
      properties: {
        status: { type: 'string' },
        itemCount: int,
        ingested: int,
        new: int,
        updated: int,
        unchanged: int,
        failed: int,
        gone: int,
        archived: int,
        deleted: int,
        pushed: int,
        written: int,
        pages: int,
        durationMs: ms,
        fetchMs: ms,
      },
    },
  },
  {
    kind: 'rebuild_result',
    version: '1.1.0',
    description:
      "A projection rebuild, recorded for each tenant: the tenant's documents it wrote, and how it ended.",
    retentionDays: null,
    schema: {
      type: 'object',
      required: ['status'],
      properties: {
        status: { type: 'string' },
        documents: int,
        durationMs: ms,
        projection: { type: 'string' },
        resumed: { type: 'boolean' },
        drift: { type: 'object', properties: { missing: int, stale: int, orphaned: int } },
      },
    },
  },
  {
    kind: 'anomaly',
    version: '1.0.0',
    description:
      "A record whose numeric field fell outside its kind's tolerance band (the variability helper).",
    retentionDays: null,
    schema: {
      type: 'object',
      required: ['kind', 'field', 'value', 'mean', 'lower', 'upper', 'recordId'],
      properties: {
        kind: { type: 'string' },
        field: { type: 'string' },
        value: { type: 'number' },
        mean: { type: 'number' },
        lower: { type: 'number' },
        upper: { type: 'number' },
        window: int,
        recordId: { type: 'string' },
      },
    },
  },
];

export const builtInKind = (kind: string) => BUILT_IN_KINDS.find((k) => k.kind === kind);
