/**
 * In-memory stand-ins for the database, the repositories and the ports, for unit tests that build a
 * service with them (`sut`). Each holds its state in plain arrays and maps that a test reads back.
 */
import { randomUUID } from 'node:crypto';
import type {
  AnalyticsStore,
  CoViewQuery,
  MetricGroupBy,
  MetricQuery,
  MetricSeries,
  RecordResult,
  TrendingAsset,
  TrendingQuery,
  SearchInteractionPage,
  SearchInteractionQuery,
} from '../../analytics/analytics-store.js';
import type { SearchInteraction } from '../../domain/click-model.js';
import type { Asset } from '../../domain/asset.js';
import { countCoViews } from '../../domain/co-views.js';
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
  | 'insertNew'
  | 'findByFileHashes'
  | 'findById'
  | 'findByIds'
  | 'statesOf'
  | 'saveLinks'
  | 'restore'
  | 'linkedFrom'
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
    statesOf: (_sql, tenantId, ids) =>
      Promise.resolve(
        ids.flatMap((id) => {
          const a = of(tenantId, id);
          return a ? [{ id: a.id, status: a.status, version: a.version }] : [];
        }),
      ),
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

/** A version as the fake holds it: an ingest's refers to its asset row (snapshot null), as in Postgres. */
type FakeVersionRow = Omit<NewVersion, 'snapshot'> & {
  tenantId: string;
  snapshot: Record<string, unknown> | null;
};

type FakeVersions = Pick<
  VersionsRepository,
  'insertMany' | 'insertIngested' | 'find' | 'list' | 'digests'
> & {
  rows: FakeVersionRow[];
};

/** Asset versions with their snapshots. */
export function fakeVersions(initial: FakeVersionRow[] = []): FakeVersions {
  const rows = [...initial];
  // Only Postgres resolves a reference to the asset row; a unit test that reads one seeds a snapshot.
  const snapshotOf = (v: FakeVersionRow) => {
    if (v.snapshot === null) throw new Error(`fake versions: version ${v.version} refers to its asset row`);
    return v.snapshot;
  };
  const stored = (v: FakeVersionRow): StoredVersion => ({
    version: v.version,
    changeKind: v.changeKind,
    changedBy: v.changedBy,
    reason: v.reason ?? null,
    createdAt: new Date(),
    snapshot: snapshotOf(v),
  });
  const ofAsset = (tenantId: string, assetId: string) =>
    rows.filter((v) => v.tenantId === tenantId && v.assetId === assetId);
  return {
    rows,
    insertMany(_sql, tenantId, versions) {
      rows.push(...versions.map((v) => ({ ...v, tenantId })));
      return Promise.resolve();
    },
    insertIngested(_sql, tenantId, versions) {
      rows.push(
        ...versions.map((v) => ({
          tenantId,
          id: v.id,
          assetId: v.assetId,
          version: 1,
          snapshot: null,
          changeKind: 'INGEST' as const,
          changedBy: v.changedBy,
        })),
      );
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
            .map((v) => [v.version, snapshotOf(v)]),
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
 * `similar`: the more-like-this ranking per asset id (none for another asset); `fedBack`: the one
 * when other assets are also liked (`alsoLike`; `similar`'s when absent). `likes` records each
 * lookup's `alsoLike`.
 */
export function fakeSearch(
  rankings: Record<string, Omit<SearchHit, 'highlights'>[]>,
  similar: Record<string, Omit<SearchHit, 'highlights'>[]> = {},
  fedBack: Record<string, Omit<SearchHit, 'highlights'>[]> = {},
): SearchIndexReader & {
  queries: SearchQuery[];
  likes: string[][];
} {
  const queries: SearchQuery[] = [];
  const likes: string[][] = [];
  return {
    kind: 'fake',
    queries,
    likes,
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
    feedbackMoments: () => Promise.resolve([]),
    moreLikeThis: (_tenantId, assetId, query) => {
      const ranking = query.alsoLike?.length ? (fedBack[assetId] ?? similar[assetId]) : similar[assetId];
      likes.push(query.alsoLike ?? []);
      return Promise.resolve((ranking ?? []).slice(0, query.limit).map((h) => ({ ...h, highlights: {} })));
    },
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
    // As a store answers `via`: only the reasons of the signals asked for, and their sum as the score.
    related: (_tenantId, assetId, opts) =>
      Promise.resolve(
        (graph.related?.[assetId] ?? [])
          .flatMap((r) => {
            if (!opts.via) return [r];
            const reasons = r.reasons.filter((x) => opts.via!.includes(x.type));
            const score = reasons.reduce((sum, x) => sum + x.contribution, 0);
            return reasons.length ? [{ ...r, score, reasons }] : [];
          })
          .sort((x, y) => y.score - x.score)
          .slice(0, opts.limit),
      ),
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

/** Whether the metric counts this event (in its numerator or its denominator). */
function countedBy(metric: MetricQuery['metric'], e: StoredEvent): boolean {
  switch (metric) {
    case 'views':
    case 'uniqueViewers':
      return e.type === 'play';
    case 'watchTime':
      return ['progress', 'pause', 'complete'].includes(e.type);
    case 'completionRate':
      return e.type === 'play' || e.type === 'complete';
    case 'errors':
      return e.type === 'error';
    case 'searches':
    case 'zeroResultRate':
      return e.type === 'search';
    case 'zeroResultSearches':
      return e.type === 'search' && e.search?.totalHits === 0;
    case 'clickThroughRate':
      return e.type === 'search' || e.type === 'click';
  }
}

const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** The values of one event under a dimension (an asset's tags are several, a missing value none). */
function groupsOf(e: StoredEvent, by: MetricGroupBy): string[] {
  const one = (v: string | number | null | undefined) => (v === null || v === undefined ? [] : [String(v)]);
  switch (by) {
    case 'asset':
      return one(e.assetId);
    case 'tag':
      return e.asset?.tags ?? [];
    case 'topic':
      return e.asset?.topics ?? [];
    case 'speaker':
      return e.asset?.speakers ?? [];
    case 'sourceSystem':
      return one(e.asset?.sourceSystem);
    case 'type':
      return one(e.asset?.type);
    case 'device':
      return one(e.context.device);
    case 'country':
      return one(e.context.country);
    case 'query':
      return one(e.search?.query);
    case 'rank':
      return one(e.search?.clickedRank);
  }
}

function matches(e: StoredEvent, q: MetricQuery): boolean {
  const f = q.filters;
  const any = (values: string[] | undefined, have: string[]) =>
    !values || values.some((v) => have.includes(v));
  return (
    e.tenantId === q.tenantId &&
    e.occurredAt >= q.from &&
    e.occurredAt < q.to &&
    any(f.assetId, groupsOf(e, 'asset')) &&
    any(f.tag, groupsOf(e, 'tag')) &&
    any(f.topic, groupsOf(e, 'topic')) &&
    any(f.speaker, groupsOf(e, 'speaker')) &&
    any(f.sourceSystem, groupsOf(e, 'sourceSystem')) &&
    any(f.type, groupsOf(e, 'type')) &&
    any(f.device, groupsOf(e, 'device')) &&
    any(f.country, groupsOf(e, 'country'))
  );
}

/**
 * One metric over a set of events (already of one group and one bucket or range): what the adapters
 * compute with SQL, done by hand. The click-through rate divides by the searches of `searches` (all
 * of the bucket's when grouped by rank: a search has no rank).
 */
function measure(metric: MetricQuery['metric'], events: StoredEvent[], searches: StoredEvent[]): number {
  const count = (pred: (e: StoredEvent) => boolean, of = events) => of.filter(pred).length;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const isSearch = (e: StoredEvent) => e.type === 'search';
  const zero = (e: StoredEvent) => isSearch(e) && e.search?.totalHits === 0;
  switch (metric) {
    case 'views':
      return count((e) => e.type === 'play');
    case 'uniqueViewers':
      return new Set(events.filter((e) => e.type === 'play' && e.userToken).map((e) => e.userToken)).size;
    case 'watchTime': {
      // The furthest position each session reached in each asset, in seconds.
      const furthest = new Map<string, number>();
      for (const e of events) {
        if (!['progress', 'pause', 'complete'].includes(e.type) || e.position === null) continue;
        const key = `${e.sessionToken ?? e.id}|${e.assetId ?? ''}`;
        furthest.set(key, Math.max(furthest.get(key) ?? 0, e.position));
      }
      return [...furthest.values()].reduce((a, b) => a + b, 0) / 1000;
    }
    case 'completionRate':
      return ratio(
        count((e) => e.type === 'complete'),
        count((e) => e.type === 'play'),
      );
    case 'errors':
      return count((e) => e.type === 'error');
    case 'searches':
      return count(isSearch);
    case 'zeroResultSearches':
      return count(zero);
    case 'zeroResultRate':
      return ratio(count(zero), count(isSearch));
    case 'clickThroughRate':
      return ratio(
        count((e) => e.type === 'click' && e.search?.clickedRank !== undefined),
        count(isSearch, searches),
      );
  }
}

/**
 * An AnalyticsStore in memory that computes every series from the events it was given, as the
 * port describes (buckets aligned to the interval in UTC, every bucket present, rates over the
 * range, groups by total). Unique viewers are exact here. `events` is what it holds.
 */
export function fakeAnalyticsStore(): AnalyticsStore & { events: StoredEvent[] } {
  const events: StoredEvent[] = [];
  const store = {
    events,
    ensureSchema: () => Promise.resolve(),
    record(batch: StoredEvent[]) {
      const recorded: string[] = [];
      let duplicates = 0;
      for (const e of batch) {
        if (events.some((x) => x.tenantId === e.tenantId && x.id === e.id)) duplicates++;
        else {
          events.push(e);
          recorded.push(e.id);
        }
      }
      return Promise.resolve({ recorded, duplicates });
    },
    series(q: MetricQuery) {
      const step = BUCKET_MS[q.interval];
      const first = Math.floor(q.from.getTime() / step) * step;
      const times: number[] = [];
      for (let t = first; t < q.to.getTime(); t += step) times.push(t);
      const inRange = events.filter((e) => matches(e, q));
      const bucketOf = (e: StoredEvent) => Math.floor(e.occurredAt.getTime() / step) * step;
      const byRank = q.groupBy === 'rank';
      const seriesOf = (group: string | null, of: StoredEvent[]): MetricSeries => ({
        group,
        total: measure(q.metric, of, byRank ? inRange : of),
        points: times.map((t) => {
          const inBucket = of.filter((e) => bucketOf(e) === t);
          return {
            t: new Date(t),
            value: measure(q.metric, inBucket, byRank ? inRange.filter((e) => bucketOf(e) === t) : inBucket),
          };
        }),
      });
      if (!q.groupBy) return Promise.resolve({ series: [seriesOf(null, inRange)] });
      const by = q.groupBy;
      // The groups are those of the events the metric counts (as a WHERE before a GROUP BY).
      const keys = new Set(inRange.filter((e) => countedBy(q.metric, e)).flatMap((e) => groupsOf(e, by)));
      const series = [...keys]
        .map((k) =>
          seriesOf(
            k,
            inRange.filter((e) => groupsOf(e, by).includes(k)),
          ),
        )
        .sort((a, b) => b.total - a.total || String(a.group).localeCompare(String(b.group)))
        .slice(0, q.limit);
      return Promise.resolve({ series });
    },
    trending(q: TrendingQuery) {
      const recentStart = q.at.getTime() - q.recentHours * 3_600_000;
      const baselineStart = recentStart - q.baselineDays * 86_400_000;
      const views = events.filter((e) => e.tenantId === q.tenantId && e.type === 'play' && e.assetId);
      const byAsset = new Map<string, { recent: number; baseline: number }>();
      for (const e of views) {
        const t = e.occurredAt.getTime();
        const c = byAsset.get(e.assetId!) ?? { recent: 0, baseline: 0 };
        if (t >= recentStart && t < q.at.getTime()) c.recent++;
        else if (t >= baselineStart && t < recentStart) c.baseline++;
        byAsset.set(e.assetId!, c);
      }
      const trending: TrendingAsset[] = [...byAsset]
        .filter(([, c]) => c.recent > 0)
        .map(([assetId, c]) => {
          const baselineViewsPerHour = c.baseline / (q.baselineDays * 24);
          return {
            assetId,
            recentViews: c.recent,
            baselineViewsPerHour,
            score: (c.recent / q.recentHours + 1) / (baselineViewsPerHour + 1),
          };
        })
        .sort((a, b) => b.score - a.score || a.assetId.localeCompare(b.assetId))
        .slice(0, q.limit);
      return Promise.resolve(trending);
    },
    searchInteractions(q: SearchInteractionQuery): Promise<SearchInteractionPage> {
      const after = q.after;
      const list = events
        .filter(
          (e) =>
            e.tenantId === q.tenantId &&
            e.occurredAt >= q.from &&
            e.occurredAt < q.to &&
            e.consent &&
            e.search !== null &&
            (e.userToken !== null || e.sessionToken !== null) &&
            (e.type === 'search' ||
              (e.type === 'click' && e.search.clickedRank !== undefined && e.assetId !== null)),
        )
        .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id))
        .filter(
          (e) =>
            !after ||
            e.occurredAt > after.occurredAt ||
            (e.occurredAt.getTime() === after.occurredAt.getTime() && e.id > after.id),
        )
        .slice(0, q.limit);
      const interactions: SearchInteraction[] = list.map((e) => ({
        id: e.id,
        type: e.type === 'click' ? 'click' : 'search',
        occurredAt: e.occurredAt,
        userToken: e.userToken,
        sessionToken: e.sessionToken,
        query: e.search!.query,
        resultIds: e.search!.resultIds ?? [],
        totalHits: e.search!.totalHits ?? null,
        clickedRank: e.search!.clickedRank ?? null,
        assetId: e.assetId,
      }));
      const last = interactions[interactions.length - 1];
      return Promise.resolve({
        interactions,
        next: interactions.length === q.limit && last ? { occurredAt: last.occurredAt, id: last.id } : null,
      });
    },
    eraseUser(tenantId: string, userToken: string) {
      const before = events.length;
      for (let i = events.length - 1; i >= 0; i--)
        if (events[i]!.tenantId === tenantId && events[i]!.userToken === userToken) events.splice(i, 1);
      return Promise.resolve(before - events.length);
    },
    eraseDimensionValues(tenantId: string, matcher: { isPerson(value: string): boolean }) {
      const taken = new Set<string>();
      for (const e of events) {
        if (e.tenantId !== tenantId || !e.asset) continue;
        const a = e.asset;
        for (const dim of ['tags', 'topics', 'speakers'] as const) {
          const kept = a[dim].filter((v) => !matcher.isPerson(v));
          for (const v of a[dim]) if (matcher.isPerson(v)) taken.add(v);
          if (kept.length !== a[dim].length) e.asset = { ...e.asset, [dim]: kept };
        }
      }
      return Promise.resolve({ values: taken.size });
    },
    expireRaw(tenantId: string, before: Date) {
      const n = events.length;
      for (let i = events.length - 1; i >= 0; i--)
        if (events[i]!.tenantId === tenantId && events[i]!.occurredAt < before) events.splice(i, 1);
      return Promise.resolve(n - events.length);
    },
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
    coViewCounts(q: CoViewQuery) {
      const sessions = new Map<string, string[]>();
      for (const e of events) {
        if (e.tenantId !== q.tenantId || !['play', 'complete'].includes(e.type)) continue;
        if (!e.sessionToken || !e.assetId || e.occurredAt < q.from || e.occurredAt >= q.to) continue;
        sessions.set(e.sessionToken, [...(sessions.get(e.sessionToken) ?? []), e.assetId]);
      }
      const counted = countCoViews(sessions.values(), q.maxAssetsPerSession);
      const anchors = [...counted.sessionsPerAsset.keys()]
        .filter((id) => q.afterAssetId === null || id > q.afterAssetId)
        .sort()
        .slice(0, q.assetLimit);
      const pairs = anchors.flatMap((a) =>
        counted.pairs
          .filter((p) => p.assetId === a && p.sessions >= q.minSessions)
          .sort((x, y) => y.sessions - x.sessions || (x.relatedId < y.relatedId ? -1 : 1))
          .slice(0, q.pairsPerAsset),
      );
      const ids = new Set([...anchors, ...pairs.map((p) => p.relatedId)]);
      const sessionsPerAsset = new Map([...counted.sessionsPerAsset].filter(([id]) => ids.has(id)));
      return Promise.resolve({ anchors, pairs, sessionsPerAsset });
    },
    assetActivity: () => Promise.resolve([]),
  };
  return store;
}

/**
 * An analytics store in memory that de-duplicates by (tenant, id), as the port requires: what the
 * event stream's tests count with. `counts` is how often each event was counted (1 each, or a bug);
 * `fail` makes the next `record` calls throw (a store that went away).
 */
export function countingAnalyticsStore(): AnalyticsStore & {
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
    searchInteractions: () => Promise.reject(new Error('the fake analytics store answers no metric')),
    eraseUser: () => Promise.resolve(0),
    eraseDimensionValues: () => Promise.resolve({ values: 0 }),
    expireRaw: () => Promise.resolve(0),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
    coViewCounts: () => Promise.reject(new Error('the fake analytics store answers no co-views')),
    assetActivity: () => Promise.resolve([]),
  };
  return store;
}

/** A stored event of tenant `acme` happening now; override any field. */
export function aStoredEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  const now = new Date();
  return {
    tenantId: 'acme',
    id: randomUUID(),
    type: 'play',
    assetId: null,
    userToken: null,
    sessionToken: null,
    occurredAt: now,
    receivedAt: now,
    position: null,
    search: null,
    context: {},
    consent: true,
    properties: null,
    asset: null,
    ...overrides,
  };
}

/** A streamed interaction event of tenant `acme`, with an asset and a user; override any field. */
export function aStreamedEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return aStoredEvent({
    assetId: randomUUID(),
    userToken: `tok_${randomUUID().replaceAll('-', '')}`,
    occurredAt: new Date('2026-01-01T10:00:00Z'),
    receivedAt: new Date('2026-01-01T10:00:01Z'),
    ...overrides,
  });
}
