import { randomUUID } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { BUILT_IN_KINDS, builtInKind } from '../domain/metadata-kinds.js';
import {
  compareSemver,
  compatibilityBreaches,
  DEFAULT_METADATA_PAGE,
  MAX_KIND_SCHEMA_BYTES,
  MAX_METADATA_BATCH,
  MAX_METADATA_PAGE,
  MAX_METADATA_RECORD_BYTES,
  METADATA_NAME,
  parseSemver,
  type BulkStoreItem,
  type MetadataHistoryQuery,
  type MetadataPage,
  type MetadataQuery,
  type MetadataRecord,
  type MetadataRecorder,
  type MetadataRepository,
  type NewMetadataRecord,
} from '../domain/metadata.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { Database, Sql } from '../store/db.js';
import type {
  KindSchemaRow,
  MetadataRow,
  MetadataStoreRepository,
  RecordPosition,
} from '../store/metadata-repository.js';
import { apiAction } from './api-action.js';

/** A kind's schema as the API shows it: built in, or registered by the tenant. */
export interface KindSchema {
  kind: string;
  version: string;
  builtIn: boolean;
  description?: string | undefined;
  retentionDays: number | null;
  schema: Record<string, unknown>;
  forced: boolean;
  createdBy?: string | undefined;
  createdAt?: Date | undefined;
}

export interface NewKindSchema {
  kind: string;
  version: string;
  schema: Record<string, unknown>;
  retentionDays?: number | null | undefined;
  /** Register although not backward compatible with the newest version (audited). */
  force?: boolean | undefined;
}

/** A tolerance band over a numeric payload field: the variability helper's settings. */
export interface VariabilityRule {
  kind: string;
  /** Path in the payload, e.g. ['itemCount']. */
  field: string[];
  /** How many earlier records the moving average covers. */
  window: number;
  /** Half-width of the band in standard deviations of those records. */
  tolerance: number;
  /** Fewer earlier records than this: no judgement yet. */
  minSamples?: number;
  /**
   * Only records with this string at this payload path are judged and make the band (e.g. a run's
   * `status` SUCCEEDED: a failed run's count says nothing of the feed).
   */
  where?: { field: string[]; equals: string };
}

export interface VariabilityResult {
  mean: number;
  lower: number;
  upper: number;
  samples: number;
  anomaly: MetadataRecord | null;
}

const encodeCursor = (p: RecordPosition) =>
  Buffer.from(`${p.producedAt.toISOString()}|${p.seq}`).toString('base64url');

function decodeCursor(cursor: string | undefined): RecordPosition | undefined {
  if (cursor === undefined) return undefined;
  const [at, seq] = Buffer.from(cursor, 'base64url').toString().split('|');
  const producedAt = new Date(at ?? '');
  if (Number.isNaN(producedAt.getTime()) || !/^\d{1,18}$/.test(seq ?? '')) {
    throw new ValidationError('cursor is not one this service issued');
  }
  return { producedAt, seq: Number(seq) };
}

const pageOf = (items: MetadataRecord[], limit: number): MetadataPage => {
  const shown = items.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown,
    nextCursor:
      items.length > limit && last ? encodeCursor({ producedAt: last.producedAt, seq: last.seq }) : null,
  };
};

const clampLimit = (limit: number | undefined) =>
  Math.min(Math.max(limit ?? DEFAULT_METADATA_PAGE, 1), MAX_METADATA_PAGE);

/**
 * A schema's validator, compiled on an Ajv of its own: one tenant's `$id` neither clashes with nor
 * resolves to another's, and a validator dropped from the cache is freed with its Ajv.
 */
const compileSchema = (schema: object): ValidateFunction =>
  new Ajv({ allErrors: false, strict: false }).compile(schema);

/** The first regular-expression keyword (`pattern`, `patternProperties`) in a schema, if any. */
function regexKeyword(node: unknown): string | null {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = regexKeyword(item);
      if (found) return found;
    }
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') return 'pattern';
      if (key === 'patternProperties' && value && typeof value === 'object') return 'patternProperties';
      const found = regexKeyword(value);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Metadata records on the canonical store (docs/metadata.md): validated against their kind's JSON
 * Schema (ajv), written in the caller's transaction when it gives one, read newest first. Also the
 * registry of tenants' kinds (semver, backward compatible unless forced, audited), the retention
 * of rolling kinds, and the variability helper.
 */
export class MetadataService implements MetadataRecorder {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly deps: {
      db: Database;
      records: MetadataStoreRepository;
      actions: Pick<ActionsRepository, 'insertMany'>;
      /** Where an anomaly's `metadata.anomaly` webhook event is written (absent: no event). */
      outbox?: Pick<OutboxRepository, 'insertMany'>;
    },
  ) {}

  /** The embedded MetadataRepository of a tenant; on `sql` (a producer's transaction) when given. */
  forTenant(tenantId: string, sql?: Sql): MetadataRepository {
    const on = sql ?? this.deps.db;
    // The log lock numbers a tenant's records in commit order only inside a transaction: without a
    // producer's, the records get one of their own.
    const write = (records: Parameters<MetadataRepository['bulkStore']>[0]) =>
      sql
        ? this.bulkStore(sql, tenantId, records)
        : this.deps.db.transaction((tx) => this.bulkStore(tx, tenantId, records));
    return {
      store: async (record) => {
        const [item] = await write([record]);
        if (item!.status === 'rejected') throw new ValidationError(item!.error);
        return item!.record;
      },
      bulkStore: write,
      latest: (target, kind) => this.deps.records.latest(on, tenantId, target, kind),
      history: (q) => this.history(on, tenantId, q),
      query: (q) => this.query(on, tenantId, q),
    };
  }

  /**
   * Writes records in the producer's transaction: any invalid record fails the work it describes,
   * as a bug in the producer should.
   */
  async record(tx: unknown, tenantId: string, records: NewMetadataRecord[]): Promise<MetadataRecord[]> {
    const out: MetadataRecord[] = [];
    // A producer's batch may be larger than a call's (an ingest of 1,000 assets' technical metadata).
    for (let i = 0; i < records.length; i += MAX_METADATA_BATCH) {
      const items = await this.bulkStore(tx as Sql, tenantId, records.slice(i, i + MAX_METADATA_BATCH));
      const refused = items.find((item) => item.status === 'rejected');
      if (refused?.status === 'rejected')
        throw new ValidationError(`metadata record refused: ${refused.error}`);
      out.push(...items.flatMap((item) => (item.status === 'stored' ? [item.record] : [])));
    }
    return out;
  }

  async bulkStore(sql: Sql, tenantId: string, records: NewMetadataRecord[]): Promise<BulkStoreItem[]> {
    if (records.length > MAX_METADATA_BATCH) {
      throw new ValidationError(`at most ${MAX_METADATA_BATCH} records in one call`);
    }
    const rows: Array<{ index: number; row: MetadataRow }> = [];
    const out: BulkStoreItem[] = [];
    for (const [index, record] of records.entries()) {
      const prepared = await this.prepare(sql, tenantId, record);
      if (typeof prepared === 'string') out.push({ index, status: 'rejected', error: prepared });
      else rows.push({ index, row: prepared });
    }
    const stored = await this.deps.records.insertMany(
      sql,
      tenantId,
      rows.map((r) => r.row),
    );
    stored.forEach((record, i) => out.push({ index: rows[i]!.index, status: 'stored', record }));
    return out.sort((a, b) => a.index - b.index);
  }

  private async history(sql: Sql, tenantId: string, q: MetadataHistoryQuery): Promise<MetadataPage> {
    const limit = clampLimit(q.limit);
    const items = await this.deps.records.find(sql, tenantId, {
      kind: q.kind,
      targetType: q.target.type,
      targetId: q.target.id,
      from: q.from,
      to: q.to,
      after: decodeCursor(q.cursor),
      limit: limit + 1,
    });
    return pageOf(items, limit);
  }

  private async query(sql: Sql, tenantId: string, q: MetadataQuery): Promise<MetadataPage> {
    const limit = clampLimit(q.limit);
    const items = await this.deps.records.find(sql, tenantId, {
      kind: q.kind,
      targetType: q.target?.type,
      targetId: q.target?.id,
      from: q.from,
      to: q.to,
      filters: q.filters,
      after: decodeCursor(q.cursor),
      limit: limit + 1,
    });
    return pageOf(items, limit);
  }

  /** A page of the tenant's log after `afterSeq`, in log order (GET /v1/metadata/log). */
  logPage(tenantId: string, kinds: readonly string[] | null, afterSeq: number, limit: number) {
    return this.deps.records.logAfter(this.deps.db, tenantId, afterSeq, kinds, limit);
  }

  /** The record checked and made a row, or why it is refused. */
  private async prepare(sql: Sql, tenantId: string, r: NewMetadataRecord): Promise<MetadataRow | string> {
    if (!METADATA_NAME.test(r.kind))
      return `kind "${r.kind}" is not a name of lower-case letters, digits, _ and .`;
    if (!METADATA_NAME.test(r.target.type)) return `target type "${r.target.type}" is not such a name`;
    if (r.target.id.length < 1 || r.target.id.length > 256) return 'target id is 1 to 256 characters';
    if (r.producerId.length < 1 || r.producerId.length > 128) return 'producerId is 1 to 128 characters';
    const size = JSON.stringify([
      r.payload,
      r.extras ?? null,
      r.target.extras ?? null,
      r.context ?? null,
    ]).length;
    if (size > MAX_METADATA_RECORD_BYTES)
      return `a record is at most ${MAX_METADATA_RECORD_BYTES} bytes of JSON`;
    const schema = await this.currentSchema(sql, tenantId, r.kind);
    if (!schema) return `kind "${r.kind}" is not registered`;
    const validate = this.validatorFor(tenantId, schema);
    if (!validate(r.payload)) {
      const e = validate.errors?.[0];
      return `payload does not match ${r.kind} ${schema.version}: ${e ? `${e.instancePath || '/'} ${e.message ?? ''}` : 'invalid'}`;
    }
    const { jobId, runId, namespace, extras } = r.context ?? {};
    return {
      id: randomUUID(),
      targetType: r.target.type,
      targetId: r.target.id,
      targetExtras: r.target.extras ?? {},
      kind: r.kind,
      schemaVersion: schema.version,
      payload: r.payload,
      producedAt: r.producedAt ?? new Date(),
      producerId: r.producerId,
      context: {
        ...(jobId !== undefined ? { jobId } : {}),
        ...(runId !== undefined ? { runId } : {}),
        ...(namespace !== undefined ? { namespace } : {}),
        ...(extras !== undefined ? { extras } : {}),
      },
      version: r.version ?? null,
      quality: r.quality ?? null,
      extras: r.extras ?? null,
    };
  }

  private async currentSchema(sql: Sql, tenantId: string, kind: string): Promise<KindSchema | null> {
    const builtIn = builtInKind(kind);
    if (builtIn) return { ...builtIn, builtIn: true, forced: false };
    const row = await this.deps.records.newestSchema(sql, tenantId, kind);
    return row ? tenantKind(row) : null;
  }

  private validatorFor(tenantId: string, s: KindSchema): ValidateFunction {
    const key = s.builtIn ? `builtin:${s.kind}:${s.version}` : `${tenantId}:${s.kind}:${s.version}`;
    let v = this.validators.get(key);
    if (!v) {
      v = compileSchema(s.schema);
      // Registered versions never change, so a compiled validator stays right; bounded all the same.
      if (this.validators.size > 2_000) this.validators.clear();
      this.validators.set(key, v);
    }
    return v;
  }

  /** The kinds a tenant can write: the built-in ones and the newest version of each of its own. */
  async kinds(tenantId: string): Promise<KindSchema[]> {
    const own = await this.deps.records.listSchemas(this.deps.db, tenantId, 1_000);
    const newest = new Map<string, KindSchemaRow>();
    for (const row of own) if (!newest.has(row.kind)) newest.set(row.kind, row);
    return [
      ...BUILT_IN_KINDS.map((k) => ({ ...k, builtIn: true, forced: false })),
      ...[...newest.values()].map(tenantKind),
    ];
  }

  async kind(tenantId: string, kind: string): Promise<KindSchema> {
    const found = await this.currentSchema(this.deps.db, tenantId, kind);
    if (!found) throw new NotFoundError(`kind ${kind} is not registered`);
    return found;
  }

  /**
   * Registers a version of a tenant's kind. Refused (409) unless newer than the newest version and
   * backward compatible with it (domain/metadata.ts, `compatibilityBreaches`), or `force`d: a
   * forced registration is audited with the breaches it overrode.
   */
  async registerKind(by: { tenantId: string; actor: string }, input: NewKindSchema): Promise<KindSchema> {
    const startedAt = new Date();
    if (!METADATA_NAME.test(input.kind))
      throw new ValidationError(`kind "${input.kind}" is not a valid name`);
    if (builtInKind(input.kind))
      throw new ConflictError(`${input.kind} is a built-in kind; its schema is the service's`);
    const semver = parseSemver(input.version);
    if (!semver) throw new ValidationError(`version "${input.version}" is not major.minor.patch`);
    if (JSON.stringify(input.schema).length > MAX_KIND_SCHEMA_BYTES) {
      throw new ValidationError(`a kind's schema is at most ${MAX_KIND_SCHEMA_BYTES} bytes of JSON`);
    }
    const regex = regexKeyword(input.schema);
    if (regex)
      throw new ValidationError(
        `a kind's schema may not use "${regex}": a tenant's regular expression could stall the service (docs/metadata.md)`,
      );
    try {
      compileSchema(input.schema);
    } catch (err) {
      throw new ValidationError(`schema is not a valid JSON Schema: ${(err as Error).message}`);
    }
    return this.deps.db.transaction(async (tx) => {
      await this.deps.records.lockKind(tx, by.tenantId, input.kind);
      const newest = await this.deps.records.newestSchema(tx, by.tenantId, input.kind);
      let breaches: string[] = [];
      if (newest) {
        const previous = parseSemver(newest.version)!;
        if (compareSemver(semver, previous) <= 0) {
          throw new ConflictError(`${input.kind} is at ${newest.version}; a new version must be higher`);
        }
        breaches = compatibilityBreaches(newest.schema, input.schema);
        if (breaches.length > 0 && !input.force) {
          throw new ConflictError(
            `${input.kind} ${input.version} is not backward compatible with ${newest.version}: ${breaches.join('; ')}`,
            { breaches },
          );
        }
      }
      const row = await this.deps.records.insertSchema(tx, by.tenantId, {
        kind: input.kind,
        version: input.version,
        semver,
        schema: input.schema,
        retentionDays: input.retentionDays ?? newest?.retentionDays ?? null,
        forced: breaches.length > 0,
        createdBy: by.actor,
      });
      await this.deps.actions.insertMany(tx, by.tenantId, [
        apiAction(
          by.actor,
          breaches.length > 0 ? 'METADATA_SCHEMA_FORCE' : 'METADATA_SCHEMA_REGISTER',
          { kind: input.kind, version: input.version, previous: newest?.version ?? null, breaches },
          { startedAt },
        ),
      ]);
      return tenantKind(row);
    });
  }

  /**
   * Retention: deletes the records of rolling kinds older than their window, keeping the newest
   * record of each target (so `latest` holds); the log's positions are never reused, so a reader
   * resuming after a deleted record goes on from the next. At most `limit` rows per kind and call.
   */
  async compact(now = new Date(), limit = 10_000): Promise<{ removed: number; failed: string[] }> {
    const day = 86_400_000;
    let removed = 0;
    const failed: string[] = [];
    const windows: Array<{ tenantId: string | null; kind: string; days: number }> = [
      ...BUILT_IN_KINDS.flatMap((k) =>
        k.retentionDays === null ? [] : [{ tenantId: null, kind: k.kind, days: k.retentionDays }],
      ),
      ...(await this.deps.records.tenantRetention(this.deps.db)).map((t) => ({
        tenantId: t.tenantId,
        kind: t.kind,
        days: t.retentionDays,
      })),
    ];
    for (const w of windows) {
      try {
        removed += await this.deps.records.compact(
          this.deps.db,
          w.tenantId,
          w.kind,
          new Date(now.getTime() - w.days * day),
          limit,
        );
      } catch {
        // One kind's failure does not stop the others; the schedule logs it, the next run retries.
        failed.push(w.tenantId ?? w.kind);
      }
    }
    return { removed, failed };
  }

  /**
   * The variability helper: the moving average and a band of `tolerance` standard deviations over
   * the `window` records before `record` (same kind and target); a value outside it is recorded as
   * an `anomaly` record in the same transaction, announced by a `metadata.anomaly` outbox event
   * (webhooks). Fewer than `minSamples` earlier records: no band.
   */
  async checkVariability(
    tx: Sql,
    record: MetadataRecord,
    rule: VariabilityRule,
  ): Promise<VariabilityResult | null> {
    if (record.kind !== rule.kind) return null;
    const at = (path: string[]) =>
      path.reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        record.payload,
      );
    if (rule.where && at(rule.where.field) !== rule.where.equals) return null;
    const value = at(rule.field);
    if (typeof value !== 'number') return null;
    const recent = (
      await this.deps.records.recentValues(
        tx,
        record.tenantId,
        record.target,
        record.kind,
        rule.field,
        rule.window + 1,
        rule.where,
      )
    ).filter((r) => r.id !== record.id);
    const samples = recent.slice(0, rule.window).map((r) => r.value);
    if (samples.length < (rule.minSamples ?? 3)) return null;
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length);
    const lower = mean - rule.tolerance * sd;
    const upper = mean + rule.tolerance * sd;
    let anomaly: MetadataRecord | null = null;
    if (value < lower || value > upper) {
      anomaly = await this.forTenant(record.tenantId, tx).store({
        target: { type: record.target.type, id: record.target.id },
        kind: 'anomaly',
        producerId: 'metadata.variability',
        payload: {
          kind: record.kind,
          field: rule.field.join('.'),
          value,
          mean,
          lower,
          upper,
          window: samples.length,
          recordId: record.id,
        },
        context: record.context.runId ? { runId: record.context.runId } : undefined,
      });
      // Announced to the tenant's webhooks that take it, committed with the anomaly record.
      await this.deps.outbox?.insertMany(tx, record.tenantId, [
        {
          type: 'metadata.anomaly',
          aggregateId: anomaly.id,
          payload: {
            recordId: anomaly.id,
            target: { type: record.target.type, id: record.target.id },
            kind: record.kind,
            field: rule.field.join('.'),
            value,
            mean,
            lower,
            upper,
            sourceRecordId: record.id,
          },
        },
      ]);
    }
    return { mean, lower, upper, samples: samples.length, anomaly };
  }
}

const tenantKind = (row: KindSchemaRow): KindSchema => ({
  kind: row.kind,
  version: row.version,
  builtIn: false,
  retentionDays: row.retentionDays,
  schema: row.schema,
  forced: row.forced,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
});
