/**
 * In-memory stand-ins for the database, the repositories and the ports, for unit tests that build a
 * service with them (`sut`). Each holds its state in plain arrays and maps that a test reads back.
 */
import { randomUUID } from 'node:crypto';
import type { AnalyticsStore, RecordResult } from '../../analytics/analytics-store.js';
import type { Asset } from '../../domain/asset.js';
import type { StoredEvent } from '../../domain/interaction-events.js';
import type { EntityType } from '../../domain/entities.js';
import type { EntitySummary, GraphReader, RelatedAsset } from '../../graph/graph-store.js';
import type { SearchHit, SearchIndexReader, SearchQuery } from '../../search/search-index.js';
import type { ActionRecord, ActionsRepository } from '../../store/actions-repository.js';
import type { AssetsRepository } from '../../store/assets-repository.js';
import type { Database, Sql } from '../../store/db.js';
import type { NewOutboxEvent, OutboxRepository } from '../../store/outbox-repository.js';
import type { NewVersion, StoredVersion, VersionsRepository } from '../../store/versions-repository.js';

/** No SQL reaches a fake: a service that runs a statement itself (not through a repository) fails. */
const refuseSql = () => Promise.reject(new Error('the fakes run no SQL'));
const noSql: Sql = { query: refuseSql };

/**
 * A database whose `transaction(fn)` runs `fn` on a stand-in `Sql`. Nothing is rolled back: a
 * test of a failing transaction checks that the service wrote nothing before it failed.
 */
export function fakeDatabase(): Database & { transactions: number } {
  const db = {
    kind: 'pglite' as const,
    transactions: 0,
    query: refuseSql,
    transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      db.transactions++;
      return fn(noSql);
    },
    exec: refuseSql,
    close: () => Promise.resolve(),
  };
  return db;
}

/** A processed asset of tenant `acme` at version 1; override any field. */
export function anAsset(overrides: Partial<Asset> = {}): Asset {
  const at = new Date('2025-01-01T00:00:00Z');
  return {
    id: randomUUID(),
    tenantId: 'acme',
    type: 'VIDEO',
    title: 'An asset',
    description: 'About something.',
    transcript: '',
    fileHash: randomUUID(),
    sourceSystem: 'cms',
    sourceId: null,
    tags: [],
    speakers: [],
    contributors: [],
    operationalTags: [],
    technicalMetadata: {},
    links: [],
    status: 'PROCESSED',
    statusDetail: null,
    version: 1,
    versionId: randomUUID(),
    enrichment: null,
    enrichedFromVersion: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

type FakeAssets = Pick<
  AssetsRepository,
  'insertNew' | 'findByFileHashes' | 'findById' | 'findByIds' | 'saveLinks' | 'restore' | 'linkedFrom'
> & { rows: Map<string, Asset> };

/** The assets table: rows by id, one file hash per tenant, writes only at the expected version. */
export function fakeAssets(initial: Asset[] = []): FakeAssets {
  const rows = new Map(initial.map((a) => [a.id, a]));
  const of = (tenantId: string, id: string) => {
    const a = rows.get(id);
    return a?.tenantId === tenantId ? a : null;
  };
  const update = (
    args: { tenantId: string; id: string; expectedVersion: number; newVersionId: string },
    fields: Partial<Asset>,
  ): Promise<Asset | null> => {
    const current = of(args.tenantId, args.id);
    if (current?.version !== args.expectedVersion) return Promise.resolve(null);
    const next = {
      ...current,
      ...fields,
      version: current.version + 1,
      versionId: args.newVersionId,
      updatedAt: new Date(),
    };
    rows.set(next.id, next);
    return Promise.resolve(next);
  };
  return {
    rows,
    insertNew(_sql, tenantId, news) {
      const out: Asset[] = [];
      for (const r of news) {
        if ([...rows.values()].some((a) => a.tenantId === tenantId && a.fileHash === r.fileHash)) continue;
        const asset = anAsset({
          ...r,
          tenantId,
          sourceId: r.sourceId,
          status: r.status,
          version: 1,
          createdAt: new Date(r.createdAt),
          updatedAt: new Date(r.createdAt),
        });
        rows.set(asset.id, asset);
        out.push(asset);
      }
      return Promise.resolve(out);
    },
    findByFileHashes: (_sql, tenantId, hashes) =>
      Promise.resolve(
        [...rows.values()].filter((a) => a.tenantId === tenantId && hashes.includes(a.fileHash)),
      ),
    findById: (_sql, tenantId, id) => Promise.resolve(of(tenantId, id)),
    findByIds: (_sql, tenantId, ids) => Promise.resolve(ids.flatMap((id) => of(tenantId, id) ?? [])),
    saveLinks: (_sql, args) => update(args, { links: args.links }),
    restore: (_sql, args) => update(args, args.fields),
    linkedFrom: (_sql, tenantId, id, limit) =>
      Promise.resolve(
        [...rows.values()]
          .filter((a) => a.tenantId === tenantId)
          .flatMap((a) => a.links.filter((l) => l.targetId === id).map((link) => ({ sourceId: a.id, link })))
          .slice(0, limit),
      ),
  };
}

type FakeVersions = Pick<VersionsRepository, 'insertMany' | 'find' | 'list' | 'digests'> & {
  rows: (NewVersion & { tenantId: string })[];
};

/** Asset versions with their snapshots. */
export function fakeVersions(initial: (NewVersion & { tenantId: string })[] = []): FakeVersions {
  const rows = [...initial];
  const stored = (v: NewVersion): StoredVersion => ({
    version: v.version,
    changeKind: v.changeKind,
    changedBy: v.changedBy,
    reason: v.reason ?? null,
    createdAt: new Date(),
    snapshot: v.snapshot,
  });
  const ofAsset = (tenantId: string, assetId: string) =>
    rows.filter((v) => v.tenantId === tenantId && v.assetId === assetId);
  return {
    rows,
    insertMany(_sql, tenantId, versions) {
      rows.push(...versions.map((v) => ({ ...v, tenantId })));
      return Promise.resolve();
    },
    find: (_sql, tenantId, assetId, wanted) =>
      Promise.resolve(
        new Map(
          ofAsset(tenantId, assetId)
            .filter((v) => wanted.includes(v.version))
            .map((v) => [v.version, stored(v)]),
        ),
      ),
    // The transcript stays whole here: only the Postgres query needs to spare reading it.
    digests: (_sql, tenantId, assetId, wanted) =>
      Promise.resolve(
        new Map(
          ofAsset(tenantId, assetId)
            .filter((v) => wanted.includes(v.version))
            .map((v) => [v.version, v.snapshot]),
        ),
      ),
    list: (_sql, tenantId, assetId, opts) =>
      Promise.resolve(
        ofAsset(tenantId, assetId)
          .filter((v) => v.version < (opts.before ?? Infinity))
          .sort((a, b) => b.version - a.version)
          .slice(0, opts.limit)
          .map(stored),
      ),
  };
}

/** The outbox: the events written, in order. */
export function fakeOutbox(): Pick<OutboxRepository, 'insertMany'> & {
  events: (NewOutboxEvent & { tenantId: string })[];
} {
  const events: (NewOutboxEvent & { tenantId: string })[] = [];
  return {
    events,
    insertMany(_sql, tenantId, written) {
      events.push(...written.map((e) => ({ ...e, tenantId })));
      return Promise.resolve();
    },
  };
}

/** The audit trail: the rows written, in order. */
export function fakeActions(): Pick<ActionsRepository, 'insertMany'> & {
  rows: (ActionRecord & { tenantId: string })[];
} {
  const rows: (ActionRecord & { tenantId: string })[] = [];
  return {
    rows,
    insertMany(_sql, tenantId, records) {
      rows.push(...records.map((r) => ({ ...r, tenantId })));
      return Promise.resolve();
    },
  };
}

/**
 * A search index answering from a fixed ranking per parsed query text (hits without highlights); an
 * unknown text finds nothing. `highlight` marks every asset it is asked about as highlighted.
 */
export function fakeSearch(rankings: Record<string, Omit<SearchHit, 'highlights'>[]>): SearchIndexReader & {
  queries: SearchQuery[];
} {
  const queries: SearchQuery[] = [];
  return {
    kind: 'fake',
    queries,
    search(_tenantId, query) {
      queries.push(query);
      const hits = (rankings[query.query.text] ?? [])
        .slice(0, query.limit)
        .map((h) => ({ ...h, highlights: {} }));
      return Promise.resolve({ hits, nextCursor: null });
    },
    highlight: (_tenantId, query, ids) =>
      Promise.resolve(
        new Map(ids.map((id) => [id, { highlights: { title: `<mark>${query.text}</mark>` } }])),
      ),
    suggest: () => Promise.resolve([]),
  };
}

/** A graph of named entities with their assets (strongest first), and related assets per asset. */
export function fakeGraph(graph: {
  entities?: { type: EntityType; name: string; assets: string[] }[];
  related?: Record<string, RelatedAsset[]>;
}): GraphReader {
  const entities = graph.entities ?? [];
  const summary = (e: (typeof entities)[number]): EntitySummary => ({
    type: e.type,
    name: e.name,
    assetCount: e.assets.length,
  });
  const find = (type: EntityType, name: string) =>
    entities.find((e) => e.type === type && e.name.toLowerCase() === name.toLowerCase());
  return {
    kind: 'fake',
    related: (_tenantId, assetId, opts) =>
      Promise.resolve((graph.related?.[assetId] ?? []).slice(0, opts.limit)),
    entities: () => Promise.resolve(entities.map(summary)),
    entitiesNamed: (_tenantId, names) =>
      Promise.resolve(
        entities.filter((e) => names.some((n) => n.toLowerCase() === e.name.toLowerCase())).map(summary),
      ),
    entityAssets(_tenantId, entity, page) {
      const e = find(entity.type, entity.name);
      if (!e) return Promise.resolve(null);
      const assets = e.assets
        .slice(page.offset, page.offset + page.limit)
        .map((assetId, i) => ({ assetId, weight: 1 / (i + 1) }));
      return Promise.resolve({ entity: summary(e), assets });
    },
    cooccurring(_tenantId, entity, opts) {
      const e = find(entity.type, entity.name);
      if (!e) return Promise.resolve(null);
      const items = entities
        .filter((o) => o !== e && (!opts.type || o.type === opts.type))
        .map((o) => ({ ...summary(o), sharedAssets: o.assets.filter((a) => e.assets.includes(a)).length }))
        .filter((o) => o.sharedAssets > 0)
        .sort((a, b) => b.sharedAssets - a.sharedAssets)
        .slice(0, opts.limit);
      return Promise.resolve({ entity: summary(e), items });
    },
    path: () => Promise.resolve(null),
    neighbourhood: () => Promise.resolve({ nodes: [], edges: [] }),
  };
}

/**
 * An analytics store in memory that de-duplicates by (tenant, id), as the port requires: what the
 * event stream's tests count with. `counts` is how often each event was counted (1 each, or a bug);
 * `fail` makes the next `record` calls throw (a store that went away).
 */
export function fakeAnalyticsStore(): AnalyticsStore & {
  events: Map<string, StoredEvent>;
  calls: number;
  fail: Error | null;
} {
  const events = new Map<string, StoredEvent>();
  const store = {
    events,
    calls: 0,
    fail: null as Error | null,
    ensureSchema: () => Promise.resolve(),
    record(batch: StoredEvent[]): Promise<RecordResult> {
      store.calls++;
      if (store.fail) return Promise.reject(store.fail);
      const recorded: string[] = [];
      for (const e of batch) {
        const key = `${e.tenantId}\u0000${e.id}`;
        if (events.has(key)) continue;
        events.set(key, e);
        recorded.push(e.id);
      }
      return Promise.resolve({ recorded, duplicates: batch.length - recorded.length });
    },
    series: () => Promise.reject(new Error('the fake analytics store answers no metric')),
    trending: () => Promise.reject(new Error('the fake analytics store answers no metric')),
    eraseUser: () => Promise.resolve(0),
    expireRaw: () => Promise.resolve(0),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return store;
}

/** A stored interaction event of tenant `acme`; override any field. */
export function aStoredEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    tenantId: 'acme',
    id: randomUUID(),
    type: 'play',
    assetId: randomUUID(),
    userToken: `tok_${randomUUID().replaceAll('-', '')}`,
    sessionToken: null,
    occurredAt: new Date('2026-01-01T10:00:00Z'),
    receivedAt: new Date('2026-01-01T10:00:01Z'),
    position: null,
    search: null,
    context: {},
    consent: true,
    properties: null,
    asset: null,
    ...overrides,
  };
}
