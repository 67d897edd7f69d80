/**
 * The metadata repository through the API: the same interface as the service's embedded one
 * (`store`, `bulkStore`, `latest`, `history`, `query`), so a producer moves between them unchanged.
 * Dates are Dates here and ISO strings on the wire; a refusal is a ProblemError.
 */
import { ProblemError, unwrap, type MediaClient } from './index.js';
import type { components } from './schema.js';

type WireRecord = components['schemas']['MetadataRecord'];
type Json = Record<string, unknown>;

export interface MetadataRecordInput {
  target: { type: string; id: string; extras?: Json };
  kind: string;
  payload: Json;
  producedAt?: Date;
  producerId: string;
  context?: { jobId?: string; runId?: string; namespace?: string; extras?: Json };
  version?: string;
  quality?: number;
  extras?: Json;
}

export interface RemoteMetadataRecord extends Omit<WireRecord, 'producedAt' | 'recordedAt'> {
  /** The tenant of the API key (`context.tenant`). */
  tenantId: string;
  producedAt: Date;
  recordedAt: Date;
}

export type RemoteBulkItem =
  | { index: number; status: 'stored'; record: RemoteMetadataRecord }
  | { index: number; status: 'rejected'; error: string };

export interface RemoteMetadataPage {
  items: RemoteMetadataRecord[];
  nextCursor: string | null;
}

interface Window {
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

export interface RemotePathFilter {
  root: 'payload' | 'extras';
  path: string[];
  op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';
  value: string | number | boolean;
}

const fromWire = (r: WireRecord): RemoteMetadataRecord => ({
  ...r,
  tenantId: r.context.tenant,
  producedAt: new Date(r.producedAt),
  recordedAt: new Date(r.recordedAt),
});

const toWire = (r: MetadataRecordInput): components['schemas']['NewMetadataRecordInput'] => {
  const { producedAt, ...rest } = r;
  return { ...rest, ...(producedAt ? { producedAt: producedAt.toISOString() } : {}) };
};

const windowParams = (q: Window) => ({
  ...(q.from ? { from: q.from.toISOString() } : {}),
  ...(q.to ? { to: q.to.toISOString() } : {}),
  ...(q.limit !== undefined ? { limit: q.limit } : {}),
  ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
});

export class RemoteMetadataRepository {
  constructor(private readonly client: MediaClient) {}

  async store(record: MetadataRecordInput): Promise<RemoteMetadataRecord> {
    const { data, error, response } = await this.client.POST('/v1/metadata/records', {
      body: toWire(record),
    });
    if (error !== undefined || !response.ok) throw new ProblemError(error, response);
    return fromWire(data as WireRecord);
  }

  async bulkStore(records: MetadataRecordInput[]): Promise<RemoteBulkItem[]> {
    const { data, error, response } = await this.client.POST('/v1/metadata/records', {
      body: { records: records.map(toWire) },
    });
    if (error !== undefined || !response.ok) throw new ProblemError(error, response);
    const result = data as components['schemas']['MetadataBatchResult'];
    return result.items.map((i) =>
      i.status === 'stored' && i.record
        ? { index: i.index, status: 'stored', record: fromWire(i.record) }
        : { index: i.index, status: 'rejected', error: i.error ?? 'rejected' },
    );
  }

  async latest(target: { type: string; id: string }, kind: string): Promise<RemoteMetadataRecord | null> {
    const { data, error, response } = await this.client.GET('/v1/metadata/records/latest', {
      params: { query: { target: `${target.type}:${target.id}`, kind } },
    });
    if (response.status === 404) return null;
    if (error !== undefined || !response.ok) throw new ProblemError(error, response);
    return fromWire(data);
  }

  async history(
    q: Window & { target: { type: string; id: string }; kind: string },
  ): Promise<RemoteMetadataPage> {
    const page = await unwrap(
      this.client.GET('/v1/metadata/records/history', {
        params: { query: { target: `${q.target.type}:${q.target.id}`, kind: q.kind, ...windowParams(q) } },
      }),
    );
    return { items: page.items.map(fromWire), nextCursor: page.nextCursor };
  }

  async query(
    q: Window & { kind?: string; target?: { type: string; id?: string }; filters?: RemotePathFilter[] },
  ): Promise<RemoteMetadataPage> {
    const page = await unwrap(
      this.client.GET('/v1/metadata/records/query', {
        params: {
          query: {
            ...(q.kind !== undefined ? { kind: q.kind } : {}),
            ...(q.target
              ? { target: q.target.id !== undefined ? `${q.target.type}:${q.target.id}` : q.target.type }
              : {}),
            ...(q.filters && q.filters.length > 0
              ? {
                  filter: q.filters.map((f) => `${[f.root, ...f.path].join('.')}:${f.op}:${String(f.value)}`),
                }
              : {}),
            ...windowParams(q),
          },
        },
      }),
    );
    return { items: page.items.map(fromWire), nextCursor: page.nextCursor };
  }
}
