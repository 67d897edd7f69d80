/**
 * Metadata records (docs/metadata.md): facts about the service's own work, each about a target, of
 * a kind whose JSON Schema validates its payload. This module holds the record's shape, the
 * repository port that producers write through (embedded on the canonical store, or remote through
 * the generated client), the payload path filters of a query, and the schema compatibility rule.
 */

export const MAX_METADATA_BATCH = 500;
/** A record's payload, extras and target extras together, serialized. */
export const MAX_METADATA_RECORD_BYTES = 64 * 1024;
export const MAX_METADATA_PAGE = 500;
export const DEFAULT_METADATA_PAGE = 100;
export const MAX_METADATA_FILTERS = 8;
/** A kind's JSON Schema, serialized. */
export const MAX_KIND_SCHEMA_BYTES = 32 * 1024;

/** Lower-case words with `_` or `.`: names a kind, a target type. */
export const METADATA_NAME = /^[a-z][a-z0-9_.]{0,63}$/;

export interface MetadataTarget {
  /** What is described: `asset`, `controller`, `job`, `tenant`, `index`, or another name. */
  type: string;
  id: string;
  extras?: Record<string, unknown> | undefined;
}

export interface MetadataContext {
  jobId?: string | undefined;
  runId?: string | undefined;
  namespace?: string | undefined;
  extras?: Record<string, unknown> | undefined;
}

/** A record as a producer hands it over. */
export interface NewMetadataRecord {
  target: MetadataTarget;
  kind: string;
  payload: Record<string, unknown>;
  /** When the fact was true; default now. */
  producedAt?: Date | undefined;
  /** What produced it, e.g. `enrichment.v3`. */
  producerId: string;
  context?: MetadataContext | undefined;
  version?: string | undefined;
  quality?: number | undefined;
  extras?: Record<string, unknown> | undefined;
}

/** A stored record: its id, its place in the log (`seq`) and the schema version that validated it. */
export interface MetadataRecord {
  id: string;
  seq: number;
  tenantId: string;
  target: { type: string; id: string; extras: Record<string, unknown> };
  kind: string;
  schemaVersion: string;
  payload: Record<string, unknown>;
  producedAt: Date;
  producerId: string;
  context: MetadataContext & { tenant: string };
  version?: string | undefined;
  quality?: number | undefined;
  extras?: Record<string, unknown> | undefined;
  recordedAt: Date;
}

/** One item of a bulk store: the record, or why it was refused (the others are stored). */
export type BulkStoreItem =
  | { index: number; status: 'stored'; record: MetadataRecord }
  | { index: number; status: 'rejected'; error: string };

export const FILTER_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** A filter on a JSON path of a record's payload or extras: `payload.itemCount gte 10`. */
export interface PathFilter {
  /** `payload` or `extras`, then up to 5 property names. */
  root: 'payload' | 'extras';
  path: string[];
  op: FilterOp;
  /** Compared as JSON: a number with numbers, a string with strings. */
  value: string | number | boolean;
}

export interface MetadataWindow {
  /** Records produced at or after this. */
  from?: Date | undefined;
  /** Records produced before this. */
  to?: Date | undefined;
}

export interface MetadataHistoryQuery extends MetadataWindow {
  target: { type: string; id: string };
  kind: string;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface MetadataQuery extends MetadataWindow {
  kind?: string | undefined;
  target?: { type: string; id?: string | undefined } | undefined;
  filters?: PathFilter[] | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface MetadataPage {
  /** Newest first (by producedAt, then by log position). */
  items: MetadataRecord[];
  nextCursor: string | null;
}

/**
 * The metadata repository of one tenant: the same interface embedded (on the canonical store, in
 * the producer's transaction where it gives one) and remote (through the API), so a producer does
 * not change when the backend does. Writes are validated against the kind's schema.
 */
export interface MetadataRepository {
  store(record: NewMetadataRecord): Promise<MetadataRecord>;
  /** Each item stored or refused on its own; at most MAX_METADATA_BATCH. */
  bulkStore(records: NewMetadataRecord[]): Promise<BulkStoreItem[]>;
  /** The newest record of a kind about a target, or null. */
  latest(target: { type: string; id: string }, kind: string): Promise<MetadataRecord | null>;
  history(query: MetadataHistoryQuery): Promise<MetadataPage>;
  query(query: MetadataQuery): Promise<MetadataPage>;
}

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Parses `payload.a.b:op:value` (or `extras.…`). The path is a whitelist syntax (a root and up to 5
 * plain property names), so nothing of it reaches SQL but as a parameter. A value that reads as a
 * number is compared as one; `true`/`false` as booleans; anything else as a string.
 */
export function parsePathFilter(text: string): PathFilter | string {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (first < 0 || second < 0) return `filter "${text}" is not path:op:value`;
  const [root, ...path] = text.slice(0, first).split('.');
  const op = text.slice(first + 1, second);
  const raw = text.slice(second + 1);
  if (root !== 'payload' && root !== 'extras') return `filter "${text}" must start with payload. or extras.`;
  if (path.length < 1 || path.length > 5 || !path.every((s) => SEGMENT.test(s))) {
    return `filter "${text}": the path is 1 to 5 names of letters, digits and _`;
  }
  if (!(FILTER_OPS as readonly string[]).includes(op)) {
    return `filter "${text}": the operator is one of ${FILTER_OPS.join(', ')}`;
  }
  if (raw.length > 256) return `filter "${text.slice(0, 40)}…": the value is longer than 256 characters`;
  const value =
    raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  return { root, path, op: op as FilterOp, value };
}

export const formatPathFilter = (f: PathFilter) =>
  `${[f.root, ...f.path].join('.')}:${f.op}:${String(f.value)}`;

/** A semantic version, major.minor.patch (no pre-release). */
export function parseSemver(v: string): [number, number, number] | null {
  const m = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function compareSemver(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

type JsonSchema = Record<string, unknown>;

const typesOf = (s: JsonSchema): Set<string> | null => {
  const t = s.type;
  if (t === undefined) return null;
  const list = Array.isArray(t) ? (t as string[]) : [t as string];
  // An integer is a number: widening integer to number is no narrowing.
  return new Set(list.flatMap((x) => (x === 'number' ? ['number', 'integer'] : [x])));
};

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The compatibility rule of a kind's schemas: a new version is backward compatible with the one
 * before when every record the old one accepted is still accepted, as far as these keywords tell:
 * no new required property, no property removed, no type narrowed (a type list may only grow, a
 * schema without `type` may not gain one), no enum narrowed, `additionalProperties` not closed,
 * and the same rules on every nested property and array `items`. Answers the breaches found.
 */
export function compatibilityBreaches(oldSchema: unknown, newSchema: unknown, at = '$'): string[] {
  if (!isObject(oldSchema) || !isObject(newSchema)) return [];
  const out: string[] = [];
  const oldTypes = typesOf(oldSchema);
  const newTypes = typesOf(newSchema);
  if (newTypes && !oldTypes) out.push(`${at}: a type was added (${[...newTypes].join(', ')})`);
  if (oldTypes && newTypes) {
    const lost = [...oldTypes].filter((t) => !newTypes.has(t));
    if (lost.length > 0) out.push(`${at}: type narrowed (no longer ${lost.join(', ')})`);
  }
  if (Array.isArray(newSchema.enum)) {
    const next = new Set((newSchema.enum as unknown[]).map((v) => JSON.stringify(v)));
    if (!Array.isArray(oldSchema.enum)) out.push(`${at}: an enum was added`);
    else {
      const lost = (oldSchema.enum as unknown[]).filter((v) => !next.has(JSON.stringify(v)));
      if (lost.length > 0)
        out.push(`${at}: enum narrowed (no longer ${lost.map((v) => JSON.stringify(v)).join(', ')})`);
    }
  }
  const oldRequired = new Set(Array.isArray(oldSchema.required) ? (oldSchema.required as string[]) : []);
  for (const r of Array.isArray(newSchema.required) ? (newSchema.required as string[]) : []) {
    if (!oldRequired.has(r)) out.push(`${at}.${r}: newly required`);
  }
  const oldProps = isObject(oldSchema.properties) ? oldSchema.properties : {};
  const newProps = isObject(newSchema.properties) ? newSchema.properties : {};
  for (const [name, sub] of Object.entries(oldProps)) {
    if (!(name in newProps)) out.push(`${at}.${name}: property removed`);
    else out.push(...compatibilityBreaches(sub, newProps[name], `${at}.${name}`));
  }
  if (oldSchema.additionalProperties !== false && newSchema.additionalProperties === false) {
    out.push(`${at}: additionalProperties closed`);
  }
  if (isObject(oldSchema.items) && isObject(newSchema.items)) {
    out.push(...compatibilityBreaches(oldSchema.items, newSchema.items, `${at}[]`));
  }
  return out;
}

/**
 * What a producer writes its records with, in its own transaction (`tx`: the store's `Sql`). The
 * embedded MetadataService is one; a producer given none records nothing.
 */
export interface MetadataRecorder {
  record(tx: unknown, tenantId: string, records: NewMetadataRecord[]): Promise<unknown>;
}
