import type { MetadataRecord, PathFilter } from '../domain/metadata.js';
import type { Sql } from './db.js';

/** A record ready to insert: validated, with its id and schema version. */
export interface MetadataRow {
  id: string;
  targetType: string;
  targetId: string;
  targetExtras: Record<string, unknown>;
  kind: string;
  schemaVersion: string;
  payload: Record<string, unknown>;
  producedAt: Date;
  producerId: string;
  context: Record<string, unknown>;
  version: string | null;
  quality: number | null;
  extras: Record<string, unknown> | null;
}

interface RecordRow {
  tenant_id: string;
  seq: number;
  id: string;
  target_type: string;
  target_id: string;
  target_extras: Record<string, unknown>;
  kind: string;
  schema_version: string;
  payload: Record<string, unknown>;
  produced_at: Date;
  producer_id: string;
  context: Record<string, unknown>;
  version: string | null;
  quality: number | null;
  extras: Record<string, unknown> | null;
  recorded_at: Date;
}

const COLUMNS = `tenant_id, seq, id, target_type, target_id, target_extras, kind, schema_version, payload,
  produced_at, producer_id, context, version, quality, extras, recorded_at`;

const toRecord = (r: RecordRow): MetadataRecord => ({
  id: r.id,
  seq: Number(r.seq),
  tenantId: r.tenant_id,
  target: { type: r.target_type, id: r.target_id, extras: r.target_extras },
  kind: r.kind,
  schemaVersion: r.schema_version,
  payload: r.payload,
  producedAt: new Date(r.produced_at),
  producerId: r.producer_id,
  context: { ...(r.context as Omit<MetadataRecord['context'], 'tenant'>), tenant: r.tenant_id },
  ...(r.version !== null ? { version: r.version } : {}),
  ...(r.quality !== null ? { quality: r.quality } : {}),
  ...(r.extras !== null ? { extras: r.extras } : {}),
  recordedAt: new Date(r.recorded_at),
});

/** A page position in newest-first order: the producedAt and seq of the last item shown. */
export interface RecordPosition {
  producedAt: Date;
  seq: number;
}

export interface RecordFilter {
  kind?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  filters?: PathFilter[] | undefined;
  after?: RecordPosition | undefined;
  limit: number;
}

const SQL_OPS = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export interface KindSchemaRow {
  kind: string;
  version: string;
  schema: Record<string, unknown>;
  retentionDays: number | null;
  forced: boolean;
  createdBy: string;
  createdAt: Date;
}

interface KindSchemaDbRow {
  kind: string;
  version: string;
  schema: Record<string, unknown>;
  retention_days: number | null;
  forced: boolean;
  created_by: string;
  created_at: Date;
}

const toKindSchema = (r: KindSchemaDbRow): KindSchemaRow => ({
  kind: r.kind,
  version: r.version,
  schema: r.schema,
  retentionDays: r.retention_days,
  forced: r.forced,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
});

/**
 * Metadata records and the schemas of the kinds tenants register (migration 0058). The records'
 * table is the log too: `seq` orders it, and `insertMany` takes the tenant's log lock first so a
 * tenant's rows commit in seq order (a reader resuming after a seq misses none). Writers insert
 * their records last in their transaction, so the lock is held only to the commit.
 */
export const metadataRepository = {
  async insertMany(sql: Sql, tenantId: string, rows: MetadataRow[]): Promise<MetadataRecord[]> {
    if (rows.length === 0) return [];
    await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`metadata_log:${tenantId}`]);
    const inserted = await sql.query<RecordRow>(
      `INSERT INTO metadata_records (tenant_id, id, target_type, target_id, target_extras, kind, schema_version,
         payload, produced_at, producer_id, context, version, quality, extras)
       SELECT $1, x.id, x.target_type, x.target_id, x.target_extras::jsonb, x.kind, x.schema_version,
              x.payload::jsonb, x.produced_at, x.producer_id, x.context::jsonb, x.version, x.quality,
              x.extras::jsonb
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::float8[], $14::text[])
            WITH ORDINALITY AS x(id, target_type, target_id, target_extras, kind, schema_version, payload,
                                 produced_at, producer_id, context, version, quality, extras, ord)
       ORDER BY x.ord
       RETURNING ${COLUMNS}`,
      [
        tenantId,
        rows.map((r) => r.id),
        rows.map((r) => r.targetType),
        rows.map((r) => r.targetId),
        rows.map((r) => JSON.stringify(r.targetExtras)),
        rows.map((r) => r.kind),
        rows.map((r) => r.schemaVersion),
        rows.map((r) => JSON.stringify(r.payload)),
        rows.map((r) => r.producedAt.toISOString()),
        rows.map((r) => r.producerId),
        rows.map((r) => JSON.stringify(r.context)),
        rows.map((r) => r.version),
        rows.map((r) => r.quality),
        rows.map((r) => (r.extras === null ? null : JSON.stringify(r.extras))),
      ],
    );
    const byId = new Map(inserted.map((r) => [r.id, toRecord(r)]));
    return rows.map((r) => byId.get(r.id)!);
  },

  async latest(
    sql: Sql,
    tenantId: string,
    target: { type: string; id: string },
    kind: string,
  ): Promise<MetadataRecord | null> {
    const rows = await sql.query<RecordRow>(
      `SELECT ${COLUMNS} FROM metadata_records
       WHERE tenant_id = $1 AND target_type = $2 AND target_id = $3 AND kind = $4
       ORDER BY produced_at DESC, seq DESC LIMIT 1`,
      [tenantId, target.type, target.id, kind],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** Newest first; filters on kind, target, window and payload/extras paths, all parameters. */
  async find(sql: Sql, tenantId: string, f: RecordFilter): Promise<MetadataRecord[]> {
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    const add = (clause: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(clause(params.length));
    };
    if (f.kind !== undefined) add((n) => `kind = $${n}`, f.kind);
    if (f.targetType !== undefined) add((n) => `target_type = $${n}`, f.targetType);
    if (f.targetId !== undefined) add((n) => `target_id = $${n}`, f.targetId);
    if (f.from) add((n) => `produced_at >= $${n}`, f.from.toISOString());
    if (f.to) add((n) => `produced_at < $${n}`, f.to.toISOString());
    for (const filter of f.filters ?? []) {
      // The column and operator come from fixed lists; the path and value are parameters. jsonb
      // compares numbers as numbers and strings as strings, and never fails on a mix of types.
      const column = filter.root === 'payload' ? 'payload' : 'extras';
      params.push(filter.path);
      const pathParam = params.length;
      add(
        (n) => `${column} #> $${pathParam}::text[] ${SQL_OPS[filter.op]} $${n}::jsonb`,
        JSON.stringify(filter.value),
      );
    }
    if (f.after) {
      params.push(f.after.producedAt.toISOString());
      const at = params.length;
      add((n) => `(produced_at, seq) < ($${at}::timestamptz, $${n}::bigint)`, f.after.seq);
    }
    params.push(f.limit);
    const rows = await sql.query<RecordRow>(
      `SELECT ${COLUMNS} FROM metadata_records WHERE ${where.join(' AND ')}
       ORDER BY produced_at DESC, seq DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  },

  /** The log in seq order after a position, of some kinds or all. */
  async logAfter(
    sql: Sql,
    tenantId: string,
    afterSeq: number,
    kinds: readonly string[] | null,
    limit: number,
  ): Promise<MetadataRecord[]> {
    const rows = await sql.query<RecordRow>(
      `SELECT ${COLUMNS} FROM metadata_records
       WHERE tenant_id = $1 AND seq > $2 AND ($3::text[] IS NULL OR kind = ANY($3::text[]))
       ORDER BY seq LIMIT $4`,
      [tenantId, afterSeq, kinds, limit],
    );
    return rows.map(toRecord);
  },

  /** The numeric field of the newest records of a kind about a target (the variability helper). */
  async recentValues(
    sql: Sql,
    tenantId: string,
    target: { type: string; id: string },
    kind: string,
    field: string[],
    limit: number,
    /** Only records whose payload has this string at this path (e.g. a run's status). */
    where?: { field: string[]; equals: string },
  ): Promise<Array<{ id: string; value: number }>> {
    const rows = await sql.query<{ id: string; value: number }>(
      `SELECT id, (payload #>> $5::text[])::float8 AS value FROM metadata_records
       WHERE tenant_id = $1 AND target_type = $2 AND target_id = $3 AND kind = $4
         AND jsonb_typeof(payload #> $5::text[]) = 'number'
         AND ($7::text[] IS NULL OR payload #>> $7::text[] = $8::text)
       ORDER BY produced_at DESC, seq DESC LIMIT $6`,
      [tenantId, target.type, target.id, kind, field, limit, where?.field ?? null, where?.equals ?? null],
    );
    return rows;
  },

  /**
   * Deletes a kind's records produced before `before`, except the newest of each target (so
   * `latest` still answers). Across tenants when `tenantId` is null (the retention job). At most
   * `limit` rows per call.
   */
  async compact(
    sql: Sql,
    tenantId: string | null,
    kind: string,
    before: Date,
    limit: number,
  ): Promise<number> {
    const rows = await sql.query(
      `DELETE FROM metadata_records m
       WHERE (m.tenant_id, m.seq) IN (
         SELECT r.tenant_id, r.seq FROM metadata_records r
         WHERE ($1::text IS NULL OR r.tenant_id = $1) AND r.kind = $2 AND r.produced_at < $3
           AND EXISTS (SELECT 1 FROM metadata_records n
                       WHERE n.tenant_id = r.tenant_id AND n.target_type = r.target_type
                         AND n.target_id = r.target_id AND n.kind = r.kind
                         AND (n.produced_at, n.seq) > (r.produced_at, r.seq))
         LIMIT $4)
       RETURNING m.seq`,
      [tenantId, kind, before.toISOString(), limit],
    );
    return rows.length;
  },

  /** The kinds with rolling retention that tenants registered, newest version each. */
  async tenantRetention(sql: Sql): Promise<Array<{ tenantId: string; kind: string; retentionDays: number }>> {
    return sql
      .query<{ tenantId: string; kind: string; retentionDays: number }>(
        `SELECT DISTINCT ON (tenant_id, kind) tenant_id AS "tenantId", kind, retention_days AS "retentionDays"
       FROM metadata_kind_schemas ORDER BY tenant_id, kind, major DESC, minor DESC, patch DESC`,
      )
      .then((rows) => rows.filter((r) => r.retentionDays !== null));
  },

  async lockKind(sql: Sql, tenantId: string, kind: string): Promise<void> {
    await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`metadata_kind:${tenantId}:${kind}`]);
  },

  /** The newest version of a tenant's kind, or null. */
  async newestSchema(sql: Sql, tenantId: string, kind: string): Promise<KindSchemaRow | null> {
    const rows = await sql.query<KindSchemaDbRow>(
      `SELECT kind, version, schema, retention_days, forced, created_by, created_at FROM metadata_kind_schemas
       WHERE tenant_id = $1 AND kind = $2 ORDER BY major DESC, minor DESC, patch DESC LIMIT 1`,
      [tenantId, kind],
    );
    return rows[0] ? toKindSchema(rows[0]) : null;
  },

  /** Every version of the tenant's kinds, newest first per kind. */
  async listSchemas(sql: Sql, tenantId: string, limit: number): Promise<KindSchemaRow[]> {
    const rows = await sql.query<KindSchemaDbRow>(
      `SELECT kind, version, schema, retention_days, forced, created_by, created_at FROM metadata_kind_schemas
       WHERE tenant_id = $1 ORDER BY kind, major DESC, minor DESC, patch DESC LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map(toKindSchema);
  },

  async insertSchema(
    sql: Sql,
    tenantId: string,
    s: {
      kind: string;
      version: string;
      semver: [number, number, number];
      schema: Record<string, unknown>;
      retentionDays: number | null;
      forced: boolean;
      createdBy: string;
    },
  ): Promise<KindSchemaRow> {
    const rows = await sql.query<KindSchemaDbRow>(
      `INSERT INTO metadata_kind_schemas (tenant_id, kind, version, major, minor, patch, schema, retention_days,
         forced, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
       RETURNING kind, version, schema, retention_days, forced, created_by, created_at`,
      [
        tenantId,
        s.kind,
        s.version,
        s.semver[0],
        s.semver[1],
        s.semver[2],
        JSON.stringify(s.schema),
        s.retentionDays,
        s.forced,
        s.createdBy,
      ],
    );
    return toKindSchema(rows[0]!);
  },
};

export type MetadataStoreRepository = typeof metadataRepository;
