import { createRequire } from 'node:module';
import { Client, type errors as esErrors } from '@elastic/elasticsearch';
import type { MockPattern } from '@elastic/elasticsearch-mock';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../domain/cursor.js';
import { QUERY_LIMITS } from '../../domain/query-limits.js';
import { ElasticsearchSearchIndex } from '../../search/elasticsearch-search-index.js';
import { ProjectionService } from '../../services/projection-service.js';
import type { Database } from '../../store/database.js';
import { anAsset, fakeAssets } from '../support/fakes.js';
import { parseQuery } from '../../search/query-parser.js';
import { ES_PROXIMITY, FEEDBACK, type RankingOptions } from '../../search/ranking-features.js';
import { MORE_LIKE_THIS, TOTAL_EXACT_UP_TO } from '../../search/search-index.js';
import { INDEX_VERSION } from '../../search/elasticsearch/versioned-index.js';

const require = createRequire(import.meta.url);
/** The part of the mock's API used here (its CommonJS default export does not type as a class under NodeNext). */
interface MockApi {
  add(pattern: MockPattern, resolver: (params: MockPattern) => unknown): unknown;
  getConnection(): ConstructorParameters<typeof Client>[0]['Connection'];
}
const Mock = require('@elastic/elasticsearch-mock') as new () => MockApi;
/** The client's errors as the mock (CommonJS) knows them: it answers with the error's status and body. */
const { errors } = require('@elastic/elasticsearch') as { errors: typeof esErrors };

interface Sent {
  method: string;
  path: string;
  body: Record<string, unknown>;
  query: Record<string, unknown>;
}
const record = (sent: Sent[], params: MockPattern) =>
  sent.push({
    method: String(params.method),
    path: String(params.path),
    body: (params.body ?? {}) as Record<string, unknown>,
    query: params.querystring ?? {},
  });

// No Elasticsearch server runs here: these tests pin the requests the adapter sends and how it reads
// answers, at the HTTP layer. The shared contract suite checks behaviour where a server exists.
/**
 * `pitRoutes`: answer opening and closing points in time without recording them. `quietFuzzy`:
 * answer the request that picks the words to fuzz (none) without recording it.
 */
function setup({
  pitRoutes = true,
  quietFuzzy = true,
  ranking = { feedback: 'off', proximity: false },
}: { pitRoutes?: boolean; quietFuzzy?: boolean; ranking?: RankingOptions } = {}) {
  const mock = new Mock();
  const client = new Client({ node: 'http://localhost:9200', Connection: mock.getConnection()! });
  const sent: Sent[] = [];
  // Searches of the alias, and in a point in time (/_search), share one answer.
  const SEARCH_PATHS = ['/media-assets/_search', '/_search'];
  let searchAnswer: (params: MockPattern) => unknown = () => ({ hits: { hits: [] } });
  for (const path of SEARCH_PATHS)
    mock.add({ method: 'POST', path }, (params: MockPattern) => {
      const suggest = (params.body as { suggest?: Record<string, object> } | null)?.suggest;
      if (quietFuzzy && suggest && Object.values(suggest).some((x) => 'term' in x))
        return { hits: { hits: [] }, suggest: {} };
      record(sent, params);
      return searchAnswer(params);
    });
  /** Answers a route, recording each request it gets. */
  const on = (method: string, path: string, answer: (params: MockPattern) => unknown) => {
    if (method === 'POST' && SEARCH_PATHS.includes(path)) searchAnswer = answer;
    else
      mock.add({ method, path }, (params: MockPattern) => {
        record(sent, params);
        return answer(params);
      });
  };
  if (pitRoutes) {
    mock.add({ method: 'POST', path: '/media-assets/_pit' }, () => ({ id: 'pit' }));
    mock.add({ method: 'DELETE', path: '/_pit' }, () => ({ succeeded: true, num_freed: 1 }));
  }
  return { mock, client, sent, on, sut: new ElasticsearchSearchIndex(client, 'media', { ranking }) };
}

const doc = {
  assetId: '00000000-0000-4000-8000-000000000001',
  version: 3,
  type: 'VIDEO' as const,
  sourceSystem: 'cms',
  status: 'PROCESSED' as const,
  title: 'Ocean',
  description: '',
  transcript: '',
  tags: ['oceans'],
  speakers: [],
  people: [],
  topics: [],
  keywords: [],
  brands: [],
  technical: { durationSeconds: 60 },
  createdAt: new Date('2024-01-01T00:00:00Z'),
};

describe('Elasticsearch adapter requests', () => {
  it('expunges deleted documents with one forced merge for calls that come together', async () => {
    const { sent, on, client } = setup();
    on('POST', '/media-assets/_forcemerge', () => ({ _shards: { total: 1, successful: 1, failed: 0 } }));
    const sut = new ElasticsearchSearchIndex(client, 'media', { expunge: { minIntervalMs: 0 } });
    await Promise.all([sut.expungeDeleted(), sut.expungeDeleted(), sut.expungeDeleted()]);
    const merges = sent.filter((r) => r.path === '/media-assets/_forcemerge');
    // The first, and one more for the calls that came while it ran: never one per call.
    expect(merges).toHaveLength(2);
    expect(merges[0]!.query).toMatchObject({ only_expunge_deletes: 'true' });
  });

  it('expunges after a projection job removes deleted or purged assets: once per job, at most once per interval', async () => {
    const { sent, on, client } = setup();
    on('DELETE', '/media-assets/_doc/:id', () => ({ result: 'deleted' }));
    on('POST', '/media-assets/_forcemerge', () => ({ _shards: { total: 1, successful: 1, failed: 0 } }));
    on('POST', '/_bulk', (params) => {
      const lines = params.body as unknown as { index?: { _id: string } }[];
      const ids = lines.flatMap((l) => (l.index ? [l.index._id] : []));
      return { errors: false, items: ids.map((id) => ({ index: { _id: id, status: 201 } })) };
    });
    const index = new ElasticsearchSearchIndex(client, 'media', { expunge: { minIntervalMs: 60_000 } });
    // The merges the service asked for, to await the one that runs at once.
    const asked: Promise<void>[] = [];
    const assets = fakeAssets();
    const sut = new ProjectionService({
      db: {} as Database,
      assets,
      graph: {
        projectAsset: () => Promise.resolve('applied'),
        projectMany: (_t, gs) => Promise.resolve(gs.map(() => 'applied' as const)),
        removeAsset: () => Promise.resolve(),
      },
      search: {
        upsert: (t, d) => index.upsert(t, d),
        upsertMany: (t, ds) => index.upsertMany(t, ds),
        remove: (t, id) => index.remove(t, id),
        expungeDeleted: () => {
          const merge = index.expungeDeleted();
          asked.push(merge);
          return merge;
        },
      },
    });
    const gone = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        assetId: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
        version: 2,
      }));
    const merges = () => sent.filter((r) => r.path === '/media-assets/_forcemerge');

    // Three assets deleted (or purged) in one job: three deletes, one forced merge.
    await sut.projectAssets({ tenantId: 'acme', assets: gone(3) });
    expect(sent.filter((r) => r.method === 'DELETE')).toHaveLength(3);
    expect(asked).toHaveLength(1);
    await asked[0];
    expect(merges()).toHaveLength(1);
    expect(merges()[0]!.query).toMatchObject({ only_expunge_deletes: 'true' });

    // Another within the interval: asked again, but no second merge until the interval ends.
    await sut.project('acme', gone(1)[0]!.assetId);
    expect(asked).toHaveLength(2);
    await new Promise((r) => setImmediate(r));
    expect(merges()).toHaveLength(1);

    // A job that only writes documents removes none: nothing to expunge.
    const asset = anAsset();
    assets.rows.set(asset.id, asset);
    await sut.projectAssets({ tenantId: 'acme', assets: [{ assetId: asset.id, version: asset.version }] });
    expect(sent.some((r) => r.path === '/_bulk')).toBe(true);
    expect(asked).toHaveLength(2);
  });

  it('indexes in bulk with external versions per tenant id, sending items refused with 429 again', async () => {
    const { sent, on, sut } = setup();
    const other = { ...doc, assetId: '00000000-0000-4000-8000-000000000002', version: 1 };
    on('POST', '/_bulk', (params) => {
      const lines = params.body as unknown as { index?: { _id: string } }[];
      const ids = lines.flatMap((l) => (l.index ? [l.index._id] : []));
      // The first request: the second item is refused (queue full); the retry succeeds.
      return {
        errors: sent.length === 1,
        items: ids.map((id, i) => ({
          index: { _id: id, status: sent.length === 1 && i === 1 ? 429 : 201 },
        })),
      };
    });
    expect(await sut.upsertMany('acme', [doc, other])).toEqual(['applied', 'applied']);
    expect(sent).toHaveLength(2);
    const first = sent[0]!.body as unknown as Record<string, unknown>[];
    expect(first[0]).toEqual({
      index: {
        _index: 'media-assets',
        _id: 'acme:00000000-0000-4000-8000-000000000001',
        version: 3,
        version_type: 'external',
      },
    });
    expect(first[1]).toMatchObject({ tenant_id: 'acme', version: 3, duration_seconds: 60, tags: ['oceans'] });
    // Completion inputs per kind under the tenant's context; a kind without values is left out.
    expect(first[1]!.suggest).toEqual({
      title: { input: ['Ocean'], contexts: { tenant: ['acme'] } },
      tag: { input: ['oceans'], contexts: { tenant: ['acme'] } },
    });
    const retried = sent[1]!.body as unknown as Record<string, { _id: string }>[];
    expect(retried).toHaveLength(2);
    expect(retried[0]!.index!._id).toBe('acme:00000000-0000-4000-8000-000000000002');
  });

  it('writes an archived document without completion inputs, so it suggests nothing until restored', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/_bulk', (params) => {
      const lines = params.body as unknown as { index?: { _id: string } }[];
      return {
        errors: false,
        items: lines.flatMap((l) => (l.index ? [{ index: { _id: l.index._id, status: 200 } }] : [])),
      };
    });
    await sut.upsertMany('acme', [{ ...doc, status: 'ARCHIVED' }]);
    await sut.upsertMany('acme', [{ ...doc, version: 4 }]);
    const [archived, restored] = sent.map((s) => (s.body as unknown as Record<string, unknown>[])[1]!);
    expect(archived).toMatchObject({ status: 'ARCHIVED', tags: ['oceans'], suggest: {} });
    expect(restored!.suggest).toEqual({
      title: { input: ['Ocean'], contexts: { tenant: ['acme'] } },
      tag: { input: ['oceans'], contexts: { tenant: ['acme'] } },
    });
  });

  it('carries a document’s learned popularity in the source it replaces, so a re-projection keeps it', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/_bulk', (params) => ({
      errors: false,
      items: (params.body as unknown as { index?: { _id: string } }[]).flatMap((l) =>
        l.index ? [{ index: { _id: l.index._id, status: 200 } }] : [],
      ),
    }));
    const computedAt = new Date('2026-01-03T00:00:00Z');
    const learned = { ...doc, learned: { popularity: 12.5, trending: 0.7, computedAt } };
    expect(await sut.upsertMany('acme', [learned])).toEqual(['applied']);
    expect(await sut.upsert('acme', { ...doc, version: 4 })).toBe('applied');
    const [withLearned, without] = sent.map((s) => (s.body as unknown as Record<string, unknown>[])[1]!);
    expect(withLearned).toMatchObject({
      learned_popularity: 12.5,
      trending: 0.7,
      popularity_at: '2026-01-03T00:00:00.000Z',
    });
    // None computed: the fields are left out (absent until the first popularity update), as before.
    expect(without).not.toHaveProperty('learned_popularity');
    expect(without).not.toHaveProperty('popularity_at');
  });

  it('writes only the newest version of an asset a batch holds twice, reporting the older one stale', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/_bulk', (params) => {
      // Under external versioning both items would succeed, the older one first.
      const lines = params.body as unknown as { index?: { _id: string } }[];
      return {
        errors: false,
        items: lines.flatMap((l) => (l.index ? [{ index: { _id: l.index._id, status: 201 } }] : [])),
      };
    });
    const newer = { ...doc, version: 4, title: 'Ocean floor' };
    const other = { ...doc, assetId: '00000000-0000-4000-8000-000000000002', version: 1 };
    expect(await sut.upsertMany('acme', [doc, newer, other])).toEqual(['stale', 'applied', 'applied']);
    const actions = (sent[0]!.body as unknown as { index?: { _id: string; version: number } }[]).flatMap(
      (l) => (l.index ? [[l.index._id, l.index.version]] : []),
    );
    expect(actions).toEqual([
      [`acme:${doc.assetId}`, 4],
      [`acme:${other.assetId}`, 1],
    ]);
  });

  it('reports an older or equal version as stale or unchanged', async () => {
    const { mock, sut } = setup();
    mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: true,
      items: [{ index: { _id: 'x', status: 409, error: { type: 'version_conflict_engine_exception' } } }],
    }));
    mock.add({ method: 'POST', path: '/media-assets/_mget' }, () => ({
      docs: [{ _id: 'x', found: true, _source: { asset_id: doc.assetId, version: 3 } }],
    }));
    expect(await sut.upsert('acme', doc)).toBe('unchanged');
    expect(await sut.upsert('acme', { ...doc, version: 2 })).toBe('stale');
  });

  it('re-indexes a document drift repair removed while the index held it ahead of the truth', async () => {
    const { mock, sent, on, sut } = setup();
    // The delete left a version tombstone (index.gc_deletes): the older external version conflicts.
    mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: true,
      items: [{ index: { _id: `acme:${doc.assetId}`, status: 409 } }],
    }));
    mock.add({ method: 'POST', path: '/media-assets/_mget' }, () => ({
      docs: [{ _id: `acme:${doc.assetId}`, found: false }],
    }));
    on('PUT', '/media-assets/_create/:id', () => ({ result: 'created', _version: 7 }));
    expect(await sut.upsert('acme', doc)).toBe('applied');
    expect(sent.map((x) => x.path)).toEqual([`/media-assets/_create/acme:${doc.assetId}`]);
    expect(sent[0]!.body).toMatchObject({ asset_id: doc.assetId, version: 3 });
  });

  it('takes a newer projection of a document whose internal version a repair pushed ahead, guarded by its sequence number', async () => {
    const { mock, sent, on, sut } = setup();
    mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: true,
      items: [{ index: { _id: `acme:${doc.assetId}`, status: 409 } }],
    }));
    // Repaired to version 2 with an internal write: _version 6, the projection's version 2.
    mock.add({ method: 'POST', path: '/media-assets/_mget' }, () => ({
      docs: [
        {
          _id: `acme:${doc.assetId}`,
          found: true,
          _version: 6,
          _seq_no: 41,
          _primary_term: 2,
          _source: { asset_id: doc.assetId, version: 2 },
        },
      ],
    }));
    on('PUT', '/media-assets/_doc/:id', () => ({ result: 'updated', _version: 7 }));
    expect(await sut.upsert('acme', doc)).toBe('applied');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.query).toMatchObject({ if_seq_no: '41', if_primary_term: '2' });
    expect(sent[0]!.body).toMatchObject({ version: 3 });
  });

  it('lists the indexed assets of a tenant after an id, in id order, for drift checks', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/media-assets/_search', () => {
      return { hits: { hits: [{ _id: 'acme:b', _source: { asset_id: 'b', version: 4 } }] } };
    });
    expect(await sut.projectedIdsAfter('acme', 'a', 2)).toEqual([{ assetId: 'b', version: 4 }]);
    expect(await sut.projectedIdsAfter('acme', null, 2)).toEqual([{ assetId: 'b', version: 4 }]);
    expect(sent[0]!.body).toMatchObject({
      size: 2,
      query: { bool: { filter: [{ term: { tenant_id: 'acme' } }, { range: { asset_id: { gt: 'a' } } }] } },
      sort: [{ asset_id: { order: 'asc' } }],
      _source: ['asset_id', 'version'],
    });
    expect(sent[1]!.body).toMatchObject({ query: { bool: { filter: [{ term: { tenant_id: 'acme' } }] } } });
  });

  it('rebuilds into a new versioned index, then moves the alias in one request and drops the old index', async () => {
    const { mock, sent, on, sut } = setup();
    for (const [method, path] of [
      ['PUT', '/:index'],
      ['GET', '/:index/_refresh'],
      ['POST', '/_aliases'],
      ['DELETE', '/:index'],
    ] as const) {
      on(method, path, () => ({ acknowledged: true }));
    }
    mock.add({ method: 'HEAD', path: '/_alias/media-assets' }, () => '');
    mock.add({ method: 'GET', path: '/_alias/media-assets' }, () => ({
      'media-assets-v1-1': { aliases: { 'media-assets': {} } },
    }));
    on('POST', '/_bulk', () => {
      return { errors: false, items: [{ index: { _id: 'x', status: 201 } }] };
    });
    const index = await sut.rebuild(async (write) => write('acme', [doc]));
    expect(index).toMatch(new RegExp(`^media-assets-v${INDEX_VERSION}-\\d+$`));
    expect(sent.map((x) => x.path)).toEqual([
      `/${index}`,
      '/_bulk',
      `/${index}/_refresh`,
      '/_aliases',
      '/media-assets-v1-1',
    ]);
    expect((sent[1]!.body as unknown as { index?: { _index: string } }[])[0]!.index!._index).toBe(index);
    expect(sent[3]!.body).toEqual({
      actions: [
        { remove: { index: 'media-assets-v1-1', alias: 'media-assets' } },
        { add: { index, alias: 'media-assets' } },
      ],
    });
  });

  describe('ranking features', () => {
    type Clause = { multi_match?: { query: string; type?: string; slop?: number; boost?: number } };
    const shouldOf = (body: Record<string, unknown>) =>
      (body as { query: { bool: { must: { bool: { should: Clause[] } }[] } } }).query.bool.must[0]!.bool
        .should;

    it('proximity: adds a match_phrase of the query words at the slop and weight, for two words or more', async () => {
      const { sent, sut } = setup({ ranking: { feedback: 'off', proximity: true } });
      await sut.search('acme', { query: parseQuery('solar panels'), limit: 5 });
      await sut.search('acme', { query: parseQuery('solar'), limit: 5 });
      await sut.search('acme', {
        query: parseQuery('solar panels'),
        limit: 5,
        ranking: { proximity: false },
      });
      const phrases = sent.map((r) => shouldOf(r.body).filter((c) => c.multi_match?.type === 'phrase'));
      expect(phrases[0]).toEqual([
        {
          multi_match: expect.objectContaining({
            query: 'solar panels',
            type: 'phrase',
            slop: ES_PROXIMITY.slop,
            boost: ES_PROXIMITY.weight,
          }),
        },
      ]);
      expect(phrases[1]).toEqual([]);
      expect(phrases[2]).toEqual([]);
    });

    /**
     * The answers of a feedback search: a tenant of 100 documents, a first pass of d1 and d2, their
     * term vectors (the shard's frequencies, over every tenant: all low) and the tenant's document
     * frequencies from the aggregation (\`panel\` in 80 of the tenant's 100).
     */
    const feedbackAnswers = (on: ReturnType<typeof setup>['on']) => {
      on('POST', '/media-assets/_count', () => ({ count: 100 }));
      on('POST', '/media-assets/_mtermvectors', () => ({
        docs: ['d1', 'd2'].map((id) => ({
          _id: id,
          found: true,
          term_vectors: {
            description: {
              terms: {
                solar: { term_freq: 2, doc_freq: 5 },
                photovolta: { term_freq: 1, doc_freq: 4 },
                panel: { term_freq: 3, doc_freq: 3 },
                [id]: { term_freq: 1, doc_freq: 1 },
              },
            },
          },
        })),
      }));
      on('POST', '/media-assets/_search', (params) =>
        (params.body as { aggs?: { df?: unknown } }).aggs?.df
          ? {
              hits: { hits: [] },
              aggregations: {
                df: {
                  buckets: {
                    solar: { doc_count: 6 },
                    photovolta: { doc_count: 4 },
                    panel: { doc_count: 80 },
                  },
                },
              },
            }
          : (params.body as { _source?: unknown })._source === false
            ? {
                hits: {
                  hits: [
                    { _id: 'acme:d1', _score: 3 },
                    { _id: 'acme:d2', _score: 1 },
                  ],
                },
              }
            : {
                hits: {
                  hits: [1, 2, 3].map((i) => ({
                    _id: `x${i}`,
                    _score: 4 - i,
                    _source: { asset_id: `a${i}` },
                    sort: [4 - i, `a${i}`],
                  })),
                },
              },
      );
    };

    it('feedback: a first pass, its term vectors, the tenant-scoped frequencies, then the query with RM3 terms; later pages reuse them', async () => {
      const { sent, on, sut } = setup({ ranking: { feedback: 'on', proximity: false } });
      feedbackAnswers(on);
      const page = await sut.search('acme', { query: parseQuery('solar energy'), limit: 2 });
      const paths = sent.map((r) => r.path);
      expect(paths).toEqual([
        '/media-assets/_count',
        '/media-assets/_search',
        '/media-assets/_mtermvectors',
        '/media-assets/_search',
        '/_search',
      ]);
      // The frequencies are counted within the tenant, for the terms in both documents only.
      const dfRequest = sent[3]!.body as {
        size: number;
        query: unknown;
        aggs: { df: { filters: { filters: Record<string, unknown> } } };
      };
      expect(dfRequest.size).toBe(0);
      expect(dfRequest.query).toEqual({ term: { tenant_id: 'acme' } });
      expect(Object.keys(dfRequest.aggs.df.filters.filters).sort()).toEqual(['panel', 'photovolta', 'solar']);
      sent.splice(3, 1);
      const first = sent[1]!.body as { size: number; _source: boolean };
      expect(first).toMatchObject({ size: FEEDBACK.docs, _source: false });
      expect((sent[2]!.body as { docs: { _id: string }[] }).docs.map((d) => d._id)).toEqual([
        'acme:d1',
        'acme:d2',
      ]);
      const should = shouldOf(sent[3]!.body);
      // The query at FEEDBACK.originalWeight; the term both documents share joins it (a term in one
      // document of the two does not, nor one in more than half of the tenant's documents though the
      // shard's frequency is low, nor a word of the query itself).
      expect(should[0]!.multi_match).toMatchObject({ query: 'solar energy', boost: FEEDBACK.originalWeight });
      const added = should.filter(
        (c) =>
          c.multi_match && c.multi_match.query !== 'solar energy' && c.multi_match.type === 'most_fields',
      );
      expect(added.map((c) => c.multi_match!.query).sort()).toEqual(['photovolta']);
      expect(added.every((c) => (c.multi_match!.boost ?? 0) > 0)).toBe(true);
      // Page two: the same terms from the cursor, no first pass.
      sent.length = 0;
      await sut.search('acme', { query: parseQuery('solar energy'), limit: 2, cursor: page.nextCursor! });
      expect(sent.map((r) => r.path)).toEqual(['/_search']);
      expect(shouldOf(sent[0]!.body)).toEqual(should);
    });

    it("feedback on a filtered search: its first pass keeps the request's and the query's filters; auto leaves it alone", async () => {
      const { sent, on, sut } = setup({ ranking: { feedback: 'on', proximity: false } });
      feedbackAnswers(on);
      await sut.search('acme', {
        query: parseQuery('solar energy type:video'),
        filters: { tags: ['Energy'] },
        limit: 2,
      });
      const first = sent.find((r) => r.path === '/media-assets/_search' && r.body._source === false)!;
      expect(first.body.post_filter).toEqual({
        bool: { filter: [{ terms: { type: ['VIDEO'] } }, { terms: { tags: ['energy'] } }] },
      });
      // Unfiltered, the first pass has no post_filter.
      sent.length = 0;
      await sut.search('acme', { query: parseQuery('solar energy'), limit: 2 });
      expect(sent.find((r) => r.body._source === false)!.body.post_filter).toBeUndefined();
      // auto: a filtered search gets no first pass (nor the count it would need).
      sent.length = 0;
      await sut.search('acme', {
        query: parseQuery('solar energy'),
        filters: { tags: ['Energy'] },
        limit: 2,
        ranking: { feedback: 'auto' },
      });
      expect(sent.map((r) => r.path)).toEqual(['/_search']);
    });
  });

  it('searches within the tenant, filters after aggregating, and pages with search_after', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/media-assets/_search', () => {
      return {
        hits: {
          hits: [
            {
              _id: 'a',
              _score: 2,
              _source: { asset_id: 'a1' },
              sort: [2, 'a1'],
              highlight: { title: ['<mark>Ocean</mark>'] },
            },
            { _id: 'b', _score: 1, _source: { asset_id: 'b1' }, sort: [1, 'b1'] },
          ],
        },
        aggregations: {
          tags: { doc_count: 2, values: { buckets: [{ key: 'oceans', doc_count: 2 }] } },
          topics: { doc_count: 2, values: { buckets: [] } },
          speakers: { doc_count: 2, values: { buckets: [] } },
          type: { doc_count: 2, values: { buckets: [{ key: 'VIDEO', doc_count: 2 }] } },
          sourceSystem: { doc_count: 2, values: { buckets: [] } },
        },
      };
    });
    const page = await sut.search('acme', {
      query: parseQuery('ocean tag:oceans -fishing'),
      limit: 1,
      facets: true,
      filters: { type: ['VIDEO'] },
      cursor: encodeCursor({ after: [5, 'z1'] }),
    });
    const body = sent[0]!.body as {
      query: { bool: { filter: unknown[]; must_not: unknown[] } };
      post_filter: { bool: { filter: unknown[] } };
      search_after: unknown[];
      aggs: { tags: { filter: { bool: { filter: unknown[] } } } };
    };
    expect(body.query.bool.filter).toEqual([{ term: { tenant_id: 'acme' } }]);
    expect(body.post_filter.bool.filter).toEqual(
      expect.arrayContaining([{ terms: { type: ['VIDEO'] } }, { terms: { tags: ['oceans'] } }]),
    );
    expect(body.query.bool.must_not).toHaveLength(1);
    expect(body.search_after).toEqual([5, 'z1']);
    // The tags facet counts without the tag filter, but with the type filter.
    expect(body.aggs.tags.filter.bool.filter).toEqual([{ terms: { type: ['VIDEO'] } }]);
    expect(page.hits).toEqual([{ assetId: 'a1', score: 2, highlights: { title: '<mark>Ocean</mark>' } }]);
    expect(page.nextCursor).not.toBeNull();
    expect(page.facets!.tags).toEqual([{ value: 'oceans', count: 2 }]);
  });

  it('pages a relevance search in a point in time carried by the cursor, and closes it after the last page', async () => {
    const { sent, on, sut } = setup({ pitRoutes: false });
    on('POST', '/media-assets/_pit', () => ({ id: 'pit-1' }));
    const hit = (id: string, score: number) => ({
      _id: `acme:${id}`,
      _score: score,
      _source: { asset_id: id },
      sort: [score, id, 7],
    });
    let page = 0;
    on('POST', '/_search', () => {
      page++;
      // The point in time's id may change between requests: the latest is carried on.
      return page === 1
        ? { pit_id: 'pit-2', hits: { hits: [hit('a', 3), hit('b', 2)] } }
        : { pit_id: 'pit-3', hits: { hits: [hit('c', 1)] } };
    });
    on('DELETE', '/_pit', () => ({ succeeded: true, num_freed: 1 }));
    const first = await sut.search('acme', { query: parseQuery('ocean'), limit: 1, highlight: false });
    expect(first.nextCursor).not.toBeNull();
    const second = await sut.search('acme', {
      query: parseQuery('ocean'),
      limit: 1,
      highlight: false,
      cursor: first.nextCursor!,
    });
    expect(second.nextCursor).toBeNull();
    expect(sent.map((x) => `${x.method} ${x.path}`)).toEqual([
      'POST /media-assets/_pit',
      'POST /_search',
      'POST /_search',
      'DELETE /_pit',
    ]);
    expect(sent[0]!.query).toMatchObject({ keep_alive: '5m' });
    expect(sent[1]!.body).toMatchObject({ pit: { id: 'pit-1', keep_alive: '5m' } });
    expect(sent[1]!.body).not.toHaveProperty('search_after');
    expect(sent[2]!.body).toMatchObject({
      pit: { id: 'pit-2', keep_alive: '5m' },
      search_after: [3, 'a', 7],
    });
    expect(sent[3]!.body).toEqual({ id: 'pit-3' });
  });

  it('fuzzes only the words a term suggester finds far more frequent spellings for', async () => {
    const { sent, on, sut } = setup({ quietFuzzy: false });
    on('POST', '/media-assets/_search', (params) => {
      const body = params.body as { suggest?: Record<string, unknown> };
      if (body.suggest)
        // Per field, per analyzed word: 'creativity' (its stem frequent) gets no option, 'clmate' one.
        return {
          hits: { hits: [] },
          suggest: Object.fromEntries(
            Object.keys(body.suggest).map((name) => [
              name,
              [
                { text: 'creativ', offset: 0, length: 10, options: [] },
                {
                  text: 'clmate',
                  offset: 11,
                  length: 6,
                  options: name === 'title' ? [{ text: 'climat', score: 0.8, freq: 5 }] : [],
                },
              ],
            ]),
          ),
        };
      return { hits: { hits: [] } };
    });
    await sut.search('acme', { query: parseQuery('creativity clmate'), limit: 5, highlight: false });
    const suggest = sent[0]!.body.suggest as Record<string, { text: string; term: Record<string, unknown> }>;
    expect(suggest.title).toEqual({
      text: 'creativity clmate',
      term: { field: 'title', suggest_mode: 'popular', prefix_length: 1, size: 1 },
    });
    const should = (
      sent[1]!.body.query as {
        bool: { must: { bool: { should: Record<string, { query?: string; fuzziness?: string }>[] } }[] };
      }
    ).bool.must[0]!.bool.should;
    const fuzzy = should.filter((c) => c.multi_match?.fuzziness);
    expect(fuzzy.map((c) => c.multi_match!.query)).toEqual(['clmate']);
    // A query whose words all stand as written sends no fuzzy clause.
    await sut.search('acme', { query: parseQuery('creativity'), limit: 5, highlight: false });
    expect(JSON.stringify(sent[3]!.body)).not.toContain('fuzziness');
  });

  it('caps the words a long query ranks by and the terms each fuzzy word expands to, under the clause limit of a small heap', async () => {
    const { sent, on, sut } = setup({ quietFuzzy: false });
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
    on('POST', '/media-assets/_search', (params) => {
      const body = params.body as { suggest?: Record<string, unknown> };
      if (!body.suggest) return { hits: { hits: [] } };
      // Every word has a more frequent spelling somewhere.
      let offset = 0;
      const entries = words.map((w) => {
        const entry = { text: w, offset, length: w.length, options: [{ text: 'x', score: 1, freq: 9 }] };
        offset += w.length + 1;
        return entry;
      });
      return { hits: { hits: [] }, suggest: { title: entries } };
    });
    await sut.search('acme', { query: parseQuery(words.join(' '), 'plain'), limit: 5, highlight: false });
    const should = (
      sent[1]!.body.query as {
        bool: {
          must: {
            bool: {
              should: Record<
                string,
                { query?: string; fields?: string[]; fuzziness?: string; max_expansions?: number }
              >[];
            };
          }[];
        };
      }
    ).bool.must[0]!.bool.should;
    const [ranked, fuzzy] = should.filter((c) => c.multi_match).map((c) => c.multi_match!);
    expect(ranked!.query!.split(' ')).toHaveLength(QUERY_LIMITS.maxRankedWords);
    expect(fuzzy!.query!.split(' ')).toHaveLength(QUERY_LIMITS.maxTypoTerms);
    expect(fuzzy!.max_expansions).toBe(QUERY_LIMITS.typoExpansionsPerTerm);
    expect((sent[0]!.body.suggest as Record<string, { text: string }>).title!.text.split(' ')).toHaveLength(
      QUERY_LIMITS.maxRankedWords,
    );
    // Leaf clauses: a word per searched field, a fuzzy word up to max_expansions per field.
    const leaves =
      ranked!.query!.split(' ').length + fuzzy!.query!.split(' ').length * fuzzy!.max_expansions!;
    expect(leaves * ranked!.fields!.length).toBeLessThan(1_024);
  });

  it('ranks a hyphenated word with its joined form beside it, and highlights both, as Postgres does', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/media-assets/_search', () => ({ hits: { hits: [] } }));
    const query = parseQuery('time-sharing "real-time systems" -batch');
    await sut.search('acme', { query, limit: 5, highlight: false });
    const body = sent[0]!.body as {
      query: {
        bool: {
          must: ({ bool?: { should: { multi_match?: { query: string } }[] } } & {
            multi_match?: { query: string; type?: string };
          })[];
          must_not: { multi_match: { query: string } }[];
        };
      };
    };
    const [ranked, phrase] = body.query.bool.must;
    // Split by the analyzer ("time", "sharing"), joined here: documents writing either form match.
    expect(ranked!.bool!.should[0]!.multi_match!.query).toBe(
      'time-sharing timesharing real-time realtime systems',
    );
    // A phrase and an exclusion stay as written.
    expect(phrase!.multi_match).toMatchObject({ query: 'real-time systems', type: 'phrase' });
    expect(body.query.bool.must_not[0]!.multi_match.query).toBe('batch');

    sent.length = 0;
    on('POST', '/media-assets/_search', () => ({ hits: { hits: [] } }));
    await sut.highlight('acme', query, ['00000000-0000-4000-8000-000000000001']);
    expect(JSON.stringify(sent[0]!.body)).toContain('time-sharing timesharing');
  });

  it('gives a transcript hit the moment of its first marked word, read from the transcript as Postgres reads it', async () => {
    const { sent, on, sut } = setup();
    const transcript =
      '[00:00:05] Host: welcome everyone.\n[00:12:31] Guest: the glaciers are melting fast.\n[00:13:00] Host: thanks.';
    on('POST', '/media-assets/_search', () => {
      return {
        hits: {
          hits: [
            {
              _id: 'acme:a1',
              _score: 1,
              _source: { asset_id: 'a1' },
              sort: [1, 'a1'],
              highlight: { transcript: ['Guest: the <mark>glaciers</mark> are melting fast.'] },
            },
            {
              _id: 'acme:b1',
              _score: 0.5,
              _source: { asset_id: 'b1' },
              sort: [0.5, 'b1'],
              highlight: { title: ['<mark>Glaciers</mark>'] },
            },
          ],
        },
      };
    });
    on('POST', '/media-assets/_mget', () => {
      return { docs: [{ _id: 'acme:a1', found: true, _source: { asset_id: 'a1', transcript } }] };
    });
    const page = await sut.search('acme', { query: parseQuery('glaciers'), limit: 5 });
    expect(page.hits.map((h) => [h.assetId, h.moment])).toEqual([
      ['a1', { start: 12 * 60 + 31 }],
      ['b1', undefined],
    ]);
    // Only the hit with a transcript highlight has its transcript read.
    expect(sent[1]!.body).toEqual({ ids: ['acme:a1'] });
    expect(sent[1]!.query).toMatchObject({ _source_includes: 'asset_id,transcript' });
  });

  it("maps each hit's _explanation to matched terms, their field groups, and score parts that add up", async () => {
    const { sent, on, sut } = setup();
    const leaf = (field: string, term: string, boost: number, idf: number, tf: number) => ({
      value: boost * idf * tf,
      description: `weight(${field}:${term} in 0) [PerFieldSimilarity], result of:`,
      details: [
        {
          value: boost * idf * tf,
          description: 'score(freq=1.0), computed as boost * idf * tf from:',
          details: [
            { value: boost, description: 'boost', details: [] },
            {
              value: idf,
              description: 'idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:',
              details: [],
            },
            {
              value: tf,
              description: 'tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:',
              details: [],
            },
          ],
        },
      ],
    });
    interface Node {
      value: number;
      description: string;
      details: Node[];
    }
    const sum = (...details: Node[]): Node => ({
      value: details.reduce((s, d) => s + d.value, 0),
      description: 'sum of:',
      details,
    });
    const max = (...details: Node[]): Node => ({
      value: Math.max(...details.map((d) => d.value)),
      description: 'max of:',
      details,
    });
    const exact = { value: 1000, description: 'ConstantScore(title.raw:solar energy)^1000.0', details: [] };
    const matched = sum(
      sum(
        leaf('title', 'solar', 2, 0.8, 0.5),
        leaf('description', 'solar', 1, 0.8, 0.4),
        leaf('title', 'energi', 2, 0.6, 0.5),
        leaf('transcript', 'energi', 0.5, 0.6, 0.5),
      ),
      // A clause that takes the best field only: its other fields add nothing.
      max(leaf('title', 'solar', 0.6, 0.8, 0.5), leaf('description', 'solar', 0.3, 0.8, 0.4)),
      max(exact),
      {
        value: 0,
        description: 'match on required clause, product of:',
        details: [{ value: 0, description: '# clause', details: [] }],
      },
    );
    on('POST', '/media-assets/_search', () => {
      return {
        hits: {
          hits: [
            {
              _id: 'acme:a1',
              _score: matched.value,
              _source: { asset_id: 'a1' },
              sort: [matched.value, 'a1'],
              matched_queries: ['exact'],
              _explanation: matched,
            },
          ],
        },
      };
    });
    const [hit] = (
      await sut.search('acme', {
        query: parseQuery('solar energy'),
        limit: 1,
        explain: true,
        highlight: false,
      })
    ).hits;
    expect(sent[0]!.body.explain).toBe(true);
    const e = hit!.explanation!;
    expect(e.terms.map((t) => t.term).sort()).toEqual(['energi', 'solar']);
    expect(e.terms.find((t) => t.term === 'solar')!.fields).toEqual([
      'title/speakers',
      'description/keywords/people',
    ]);
    expect(e.terms.find((t) => t.term === 'energi')!.fields).toEqual(['title/speakers', 'transcript']);
    expect(e.exactMatch).toBe(1000);
    expect(e.terms.reduce((s, t) => s + t.contribution, 0) + e.exactMatch).toBeCloseTo(hit!.score, 3);
  });

  it('creates the index with one completion field per kind, the tenant as its only context', async () => {
    const { sent, on, sut } = setup();
    // No alias and no index yet: the mock answers HEAD requests it has no route for with 404.
    for (const path of ['/:index', '/:index/_alias/:name']) {
      on('PUT', path, () => ({ acknowledged: true }));
    }
    await sut.ensureIndex();
    // One request: the index and its alias together.
    expect(sent.map((x) => x.path)).toEqual([`/media-assets-v${INDEX_VERSION}`]);
    expect(sent[0]!.body.aliases).toEqual({ 'media-assets': {} });
    const body = sent[0]!.body as {
      settings: { analysis: { analyzer: Record<string, unknown> } };
      mappings: { properties: { suggest: { properties: Record<string, unknown> } } };
    };
    const completion = {
      type: 'completion',
      analyzer: 'suggest_folded',
      max_input_length: 200,
      contexts: [{ name: 'tenant', type: 'category' }],
    };
    expect(body.mappings.properties.suggest.properties).toEqual({
      tag: completion,
      speaker: completion,
      topic: completion,
      title: completion,
      tag_words: completion,
      speaker_words: completion,
      topic_words: completion,
    });
    expect(body.settings.analysis.analyzer.suggest_folded).toEqual({
      type: 'custom',
      tokenizer: 'keyword',
      char_filter: ['collapse_whitespace'],
      filter: ['lowercase', 'asciifolding', 'trim'],
    });
  });

  it('keeps keyword values past 8191 characters out of the keyword index instead of failing the document', async () => {
    const { sent, on, sut } = setup();
    on('PUT', '/:index', () => {
      return { acknowledged: true };
    });
    await sut.ensureIndex();
    // Lucene refuses a term over 32,766 bytes; ignore_above counts characters, of up to 4 bytes each.
    const keywords: [string, unknown][] = [];
    const walk = (properties: Record<string, Record<string, unknown>>, path: string) => {
      for (const [name, field] of Object.entries(properties)) {
        if (field.type === 'keyword') keywords.push([`${path}${name}`, field.ignore_above]);
        if (field.fields) walk(field.fields as never, `${path}${name}.`);
        if (field.properties) walk(field.properties as never, `${path}${name}.`);
      }
    };
    walk((sent[0]!.body.mappings as { properties: never }).properties, '');
    // Ids and enumerations the service bounds itself stay exact.
    const bounded = ['tenant_id', 'asset_id', 'type', 'status'];
    expect(keywords.filter(([name]) => !bounded.includes(name))).toEqual(
      expect.arrayContaining([
        ['tags', 8191],
        ['tags.raw', 8191],
        ['title.raw', 8191],
        ['brands', 8191],
      ]),
    );
    for (const [name, limit] of keywords) if (!bounded.includes(name)) expect(limit, name).toBe(8191);
  });

  it('counts facets on the folded fields, one value whatever its case, shown as most often written', async () => {
    const { sent, on, sut } = setup();
    on('PUT', '/:index', () => {
      return { acknowledged: true };
    });
    const bucket = (key: string, count: number, spellings: [string, number][]) => ({
      key,
      doc_count: count,
      spellings: { buckets: spellings.map(([k, n]) => ({ key: k, doc_count: n })) },
    });
    on('POST', '/media-assets/_search', () => {
      return {
        hits: { hits: [] },
        aggregations: {
          tags: {
            doc_count: 2000,
            values: {
              buckets: [
                // A bucket's documents hold other tags too: the spelling is the first of its own.
                bucket('education', 1684, [
                  ['TEDx', 1500],
                  ['education', 1330],
                  ['Education', 354],
                ]),
                bucket('creativite', 3, [
                  ['Créativité', 2],
                  ['creativite', 1],
                ]),
              ],
            },
          },
          type: { doc_count: 2000, values: { buckets: [{ key: 'VIDEO', doc_count: 2000 }] } },
        },
      };
    });
    await sut.ensureIndex();
    const page = await sut.search('acme', { query: parseQuery('whales'), limit: 10, facets: true });
    const properties = (
      sent[0]!.body.mappings as { properties: Record<string, { fields?: Record<string, unknown> }> }
    ).properties;
    for (const field of ['tags', 'topics', 'speakers', 'source_system'])
      expect(properties[field]!.fields!.raw, field).toEqual({ type: 'keyword', ignore_above: 8191 });
    const aggs = sent[1]!.body.aggs as Record<
      string,
      { aggs: { values: { terms: unknown; aggs?: unknown } } }
    >;
    const order = [{ _count: 'desc' }, { _key: 'asc' }];
    const spellings = (field: string) => ({ spellings: { terms: { field, size: 10 } } });
    expect(Object.fromEntries(Object.entries(aggs).map(([dim, a]) => [dim, a.aggs.values]))).toEqual({
      tags: { terms: { field: 'tags', size: 20, order }, aggs: spellings('tags.raw') },
      topics: { terms: { field: 'topics', size: 20, order }, aggs: spellings('topics.raw') },
      speakers: { terms: { field: 'speakers', size: 20, order }, aggs: spellings('speakers.raw') },
      type: { terms: { field: 'type', size: 20, order } },
      sourceSystem: {
        terms: { field: 'source_system', size: 20, order },
        aggs: spellings('source_system.raw'),
      },
    });
    expect(page.facets!.tags).toEqual([
      { value: 'education', count: 1684 },
      { value: 'Créativité', count: 3 },
    ]);
    expect(page.facets!.type).toEqual([{ value: 'VIDEO', count: 2000 }]);
  });

  it('counts the hits up to a bound when asked, and says when it stopped counting', async () => {
    const { sent, on, sut } = setup();
    let total: unknown = { value: 42, relation: 'eq' };
    on('POST', '/media-assets/_search', () => ({ hits: { total, hits: [] } }));
    const browse = { query: parseQuery(''), limit: 10, total: true };
    expect((await sut.search('acme', browse)).total).toEqual({ value: 42, exact: true });
    const request = sent.at(-1)!.body;
    expect(request.track_total_hits).toBe(TOTAL_EXACT_UP_TO);
    total = { value: TOTAL_EXACT_UP_TO, relation: 'gte' };
    expect((await sut.search('acme', browse)).total).toEqual({ value: TOTAL_EXACT_UP_TO, exact: false });
    // Not asked: not counted.
    await sut.search('acme', { query: parseQuery(''), limit: 10 });
    expect(sent.at(-1)!.body.track_total_hits).toBe(false);
  });

  it('restricts to given assets, none when the list is empty', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/media-assets/_search', () => ({ hits: { hits: [] } }));
    await sut.search('acme', { query: parseQuery(''), limit: 10, filters: { assetIds: ['a1', 'a2'] } });
    await sut.search('acme', { query: parseQuery(''), limit: 10, filters: { assetIds: [] } });
    const filtersOf = (i: number) =>
      (sent[i]!.body.post_filter as { bool: { filter: unknown[] } }).bool.filter;
    expect(filtersOf(0)).toEqual([{ terms: { asset_id: ['a1', 'a2'] } }]);
    expect(filtersOf(1)).toEqual([{ terms: { asset_id: [] } }]);
  });

  it('relates an asset with more_like_this on its stored document, within the tenant, terms chosen as on Postgres', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/media-assets/_search', () => ({
      hits: {
        hits: [
          { _id: 'acme:b', _score: 4, _source: { asset_id: 'b' } },
          { _id: 'acme:c', _score: 1.5, _source: { asset_id: 'c' } },
        ],
      },
    }));
    const hits = await sut.moreLikeThis('acme', doc.assetId, { limit: 2 });
    expect(hits).toEqual([
      { assetId: 'b', score: 4, highlights: {} },
      { assetId: 'c', score: 1.5, highlights: {} },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({
      size: 2,
      track_total_hits: false,
      _source: ['asset_id'],
      query: {
        bool: {
          must: [
            {
              more_like_this: {
                fields: [
                  'title',
                  'speakers.text',
                  'tags.text',
                  'topics.text',
                  'description',
                  'keywords',
                  'people',
                  'transcript',
                ],
                like: [{ _index: 'media-assets', _id: `acme:${doc.assetId}` }],
                max_query_terms: MORE_LIKE_THIS.maxQueryTerms,
                min_term_freq: MORE_LIKE_THIS.minTermFreq,
                min_doc_freq: MORE_LIKE_THIS.minDocFreq,
                min_word_length: MORE_LIKE_THIS.minWordLength,
                boost_terms: 1,
                include: true,
              },
            },
          ],
          must_not: [{ ids: { values: [`acme:${doc.assetId}`] } }],
          filter: [{ term: { tenant_id: 'acme' } }],
        },
      },
    });
  });

  it('likes the asset and its alsoLike documents together, leaving out the asset only', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/media-assets/_search', () => ({ hits: { hits: [] } }));
    await sut.moreLikeThis('acme', doc.assetId, { limit: 5, alsoLike: ['b', doc.assetId, 'c'] });
    const bool = (sent[0]!.body as { query: { bool: Record<string, unknown[]> } }).query.bool;
    const mlt = (bool.must![0] as { more_like_this: { like: unknown; include: boolean } }).more_like_this;
    expect(mlt.like).toEqual([
      { _index: 'media-assets', _id: `acme:${doc.assetId}` },
      { _index: 'media-assets', _id: 'acme:b' },
      { _index: 'media-assets', _id: 'acme:c' },
    ]);
    // The liked documents are the asset's best matches: they stay among the hits.
    expect(mlt.include).toBe(true);
    expect(bool.must_not).toEqual([{ ids: { values: [`acme:${doc.assetId}`] } }]);
  });

  it('explains a more-like-this hit as a search hit when asked', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/media-assets/_search', () => ({
      hits: {
        hits: [
          {
            _id: 'acme:b',
            _score: 2,
            _source: { asset_id: 'b' },
            _explanation: {
              value: 2,
              description: 'sum of:',
              details: [
                {
                  value: 2,
                  description: 'weight(description:kelp in 3) [PerFieldSimilarity], result of:',
                  details: [],
                },
              ],
            },
          },
        ],
      },
    }));
    const [hit] = await sut.moreLikeThis('acme', doc.assetId, { limit: 5, explain: true });
    expect(sent[0]!.body.explain).toBe(true);
    expect(hit!.explanation!.terms.map((t) => [t.term, t.contribution])).toEqual([['kelp', 2]]);
  });

  it("multiplies boosted assets' scores by (1 + boost) with a function_score, bounded, for relevance only", async () => {
    const { sent, on, sut } = setup();
    on('POST', '/media-assets/_search', () => ({ hits: { hits: [] } }));
    const clickBoosts = [
      { assetId: 'a1', boost: 0.5 },
      { assetId: 'a2', boost: -3 },
      { assetId: 'a3', boost: 0 },
      { assetId: 'a1', boost: 0.9 },
    ];
    await sut.search('acme', { query: parseQuery('ocean'), limit: 10, clickBoosts });
    await sut.search('acme', { query: parseQuery('ocean'), limit: 10 });
    await sut.search('acme', { query: parseQuery('ocean'), limit: 10, sort: 'createdAt', clickBoosts });
    const boosted = sent[0]!.body.query as {
      function_score: {
        query: { bool: { filter: unknown[] } };
        functions: unknown[];
        score_mode: string;
        boost_mode: string;
      };
    };
    // Each asset once (the first boost given), clamped to [-0.5, 1], zero boosts left out; the tenant's ids.
    expect(boosted.function_score.functions).toEqual([
      { filter: { ids: { values: ['acme:a1'] } }, weight: 1.5 },
      { filter: { ids: { values: ['acme:a2'] } }, weight: 0.5 },
    ]);
    expect(boosted.function_score.score_mode).toBe('first');
    expect(boosted.function_score.boost_mode).toBe('multiply');
    expect(boosted.function_score.query.bool.filter).toEqual([{ term: { tenant_id: 'acme' } }]);
    // Without boosts, and for another order, the query is the plain one.
    expect(sent[1]!.body.query).toEqual(boosted.function_score.query);
    expect(sent[2]!.body.query).toHaveProperty('bool');
  });

  it('counts an index another process created at the same moment as created, and makes sure of its alias', async () => {
    const { sent, on, sut } = setup();
    // The API and the worker both saw no alias; the other one's create came first.
    on('PUT', '/:index', () => {
      return new errors.ResponseError({
        statusCode: 400,
        body: {
          error: { type: 'resource_already_exists_exception', reason: 'index already exists' },
          status: 400,
        },
        headers: {},
        warnings: null,
        meta: {} as never,
      });
    });
    on('PUT', '/:index/_alias/:name', () => {
      return { acknowledged: true };
    });
    await sut.ensureIndex();
    expect(sent.map((x) => x.path)).toEqual([
      `/media-assets-v${INDEX_VERSION}`,
      `/media-assets-v${INDEX_VERSION}/_alias/media-assets`,
    ]);
  });

  it('fails start-up on any other refusal to create the index', async () => {
    const { mock, sut } = setup();
    mock.add(
      { method: 'PUT', path: '/:index' },
      () =>
        new errors.ResponseError({
          statusCode: 400,
          body: { error: { type: 'illegal_argument_exception', reason: 'bad mapping' }, status: 400 },
          headers: {},
          warnings: null,
          meta: {} as never,
        }),
    );
    await expect(sut.ensureIndex()).rejects.toThrow(/illegal_argument_exception/);
  });

  it('deletes its indices by name, as action.destructive_requires_name (the default since 8.0) demands', async () => {
    const { sent, on, sut } = setup();
    on('GET', '/_resolve/index/:name', () => {
      return {
        indices: [
          { name: 'media-assets-v2', aliases: ['media-assets'], attributes: ['open'] },
          { name: 'media-assets-v2-1700000000000', attributes: ['open'] },
        ],
        aliases: [],
        data_streams: [],
      };
    });
    on('DELETE', '/:index', (params) => {
      if (String(params.path).includes('*'))
        return new errors.ResponseError({
          statusCode: 400,
          body: {
            error: {
              type: 'illegal_argument_exception',
              reason: 'Wildcard expressions or all indices are not allowed',
            },
            status: 400,
          },
          headers: {},
          warnings: null,
          meta: {} as never,
        });
      return { acknowledged: true };
    });
    await sut.deleteIndices();
    expect(sent.map((x) => x.path)).toEqual([
      '/_resolve/index/media-assets-v*',
      '/media-assets-v2,media-assets-v2-1700000000000',
    ]);
  });

  it('refuses to start on an alias that points at an index of an older mapping version', async () => {
    for (const [live, fails] of [
      ['media-assets-v1', true],
      [`media-assets-v${INDEX_VERSION}-1700000000000`, false],
    ] as const) {
      const { mock, sent, on, sut } = setup();
      mock.add({ method: 'HEAD', path: '/_alias/media-assets' }, () => '');
      mock.add({ method: 'GET', path: '/_alias/media-assets' }, () => ({
        [live]: { aliases: { 'media-assets': {} } },
      }));
      on('PUT', '/:index', () => {
        return { acknowledged: true };
      });
      if (fails)
        await expect(sut.ensureIndex()).rejects.toThrow(`media-assets-v1, not at mapping v${INDEX_VERSION}`);
      else await sut.ensureIndex();
      expect(sent).toEqual([]);
    }
  });

  it('lets the rebuild path start on an outdated mapping, naming the outdated index, and rebuild it', async () => {
    const { mock, sent, on, sut } = setup();
    mock.add({ method: 'HEAD', path: '/_alias/media-assets' }, () => '');
    mock.add({ method: 'GET', path: '/_alias/media-assets' }, () => ({
      'media-assets-v1': { aliases: { 'media-assets': {} } },
    }));
    for (const [method, path] of [
      ['PUT', '/:index'],
      ['GET', '/:index/_refresh'],
      ['POST', '/_aliases'],
      ['DELETE', '/:index'],
    ] as const)
      on(method, path, () => ({ acknowledged: true }));
    await expect(sut.ensureIndex()).rejects.toThrow(/rebuild the index/);
    expect(await sut.ensureIndex({ outdated: 'warn' })).toEqual({ outdated: ['media-assets-v1'] });
    // Nothing was created or changed by starting.
    expect(sent).toEqual([]);
    const index = await sut.rebuild(() => Promise.resolve());
    expect(sent.map((x) => x.path)).toEqual([
      `/${index}`,
      `/${index}/_refresh`,
      '/_aliases',
      '/media-assets-v1',
    ]);
  });

  it('suggests with the completion suggester in the tenant context, then counts and orders the candidates', async () => {
    const { sent, on, sut } = setup();
    const option = (text: string) => ({ text, _index: 'media-assets-v2', _id: 'x', _score: 1 });
    const entry = (...texts: string[]) => [
      { text: 'crea', offset: 0, length: 4, options: texts.map(option) },
    ];
    on('POST', '/media-assets/_search', (params) => {
      if ('suggest' in (params.body as object))
        return {
          hits: { hits: [] },
          suggest: {
            // Case variants of one tag come from different assets; they are one suggestion.
            tag: entry('creative industries', 'Creative Industries', 'crewing'),
            speaker: entry('Crea Tor'),
            topic: entry('Creativity'),
            title: entry('Creativity at work', ' Crea '),
          },
        };
      // Counts in the order of the filters: 'crewing' is carried by no asset any longer.
      return {
        hits: { hits: [] },
        aggregations: { assets: { buckets: [3, 0, 1, 4, 1, 1].map((n) => ({ doc_count: n })) } },
      };
    });
    const got = await sut.suggest('acme', '  CRÉA ', 4);

    expect(sent).toHaveLength(2);
    const completion = (field: string) => ({
      prefix: 'crea',
      completion: { field, size: 8, skip_duplicates: true, contexts: { tenant: ['acme'] } },
    });
    expect(sent[0]!.body).toEqual({
      size: 0,
      track_total_hits: false,
      _source: ['tags', 'speakers', 'topics'],
      suggest: {
        tag: completion('suggest.tag'),
        speaker: completion('suggest.speaker'),
        topic: completion('suggest.topic'),
        title: completion('suggest.title'),
        tag_words: completion('suggest.tag_words'),
        speaker_words: completion('suggest.speaker_words'),
        topic_words: completion('suggest.topic_words'),
      },
    });
    expect(sent[1]!.body).toEqual({
      size: 0,
      track_total_hits: false,
      // Archived documents are not counted: they suggest nothing (docs/lifecycle.md).
      query: {
        bool: { filter: [{ term: { tenant_id: 'acme' } }], must_not: [{ term: { status: 'ARCHIVED' } }] },
      },
      aggs: {
        assets: {
          filters: {
            filters: [
              { term: { tags: 'creative industries' } },
              { term: { tags: 'crewing' } },
              { term: { speakers: 'Crea Tor' } },
              { term: { topics: 'Creativity' } },
              { term: { 'title.raw': 'Creativity at work' } },
              // Counted as stored, shown trimmed.
              { term: { 'title.raw': ' Crea ' } },
            ],
          },
        },
      },
    });
    // Entities by count, then shorter first; titles alphabetically after them; cut to the limit.
    expect(got).toEqual([
      { kind: 'topic', value: 'Creativity', normalized: 'creativity', assets: 4 },
      { kind: 'tag', value: 'creative industries', normalized: 'creative industries', assets: 3 },
      { kind: 'speaker', value: 'Crea Tor', normalized: 'crea tor', assets: 1 },
      { kind: 'title', value: 'Crea', normalized: 'crea', assets: 1 },
    ]);
  });

  it('finds names by any word, also typed with an honorific, lists a person once, and gives a title its asset', async () => {
    const { sent, on, sut } = setup();
    const asset = '00000000-0000-4000-8000-00000000000a';
    on('POST', '/media-assets/_search', (params) => {
      const body = params.body as { suggest?: Record<string, { prefix: string }> };
      if (body.suggest) {
        const options = (name: string) => {
          // "sir ken" finds nothing; "ken" (without the honorific) finds the name through a later word.
          if (body.suggest![name]!.prefix !== 'ken') return [];
          if (name === 'speaker_words~1')
            return [
              { text: 'Ken', _id: `acme:${asset}`, _source: { speakers: ['Sir Ken', 'Ada Lovelace'] } },
            ];
          if (name === 'speaker~1') return [{ text: 'Ken Robinson', _id: `acme:${asset}` }];
          if (name === 'tag~1') return [{ text: 'ken robinson', _id: `acme:${asset}` }];
          if (name === 'title~1') return [{ text: 'Ken talks', _id: `acme:${asset}` }];
          return [];
        };
        return {
          hits: { hits: [] },
          suggest: Object.fromEntries(
            Object.keys(body.suggest).map((name) => [
              name,
              [{ text: body.suggest![name]!.prefix, offset: 0, length: 3, options: options(name) }],
            ]),
          ),
        };
      }
      // Counts, in the order of the candidates: the tag ken robinson, the speaker Ken Robinson, the
      // title, the speaker Sir Ken (through a later word).
      return {
        hits: { hits: [] },
        aggregations: { assets: { buckets: [2, 4, 1, 1].map((n) => ({ doc_count: n })) } },
      };
    });
    const got = await sut.suggest('acme', 'Sir Ken', 10);
    // The prefix as typed, and without the honorific.
    expect(
      Object.values(sent[0]!.body.suggest as Record<string, { prefix: string }>).map((x) => x.prefix),
    ).toEqual([...Array<string>(7).fill('sir ken'), ...Array<string>(7).fill('ken')]);
    // The tag ken robinson is the speaker's name: listed once, as the speaker.
    expect(got).toEqual([
      { kind: 'speaker', value: 'Ken Robinson', normalized: 'ken robinson', assets: 4 },
      { kind: 'speaker', value: 'Sir Ken', normalized: 'sir ken', assets: 1 },
      { kind: 'title', value: 'Ken talks', normalized: 'ken talks', assets: 1, assetId: asset },
    ]);
  });

  it('sends no request for a prefix that normalizes to nothing', async () => {
    const { sut } = setup();
    expect(await sut.suggest('acme', '   ', 5)).toEqual([]);
  });

  it('sets learned popularity with scripted partial updates that never take an older computation, leaving out missing documents', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/_bulk', (params) => {
      const lines = params.body as unknown as { update?: { _id: string } }[];
      const ids = lines.flatMap((l) => (l.update ? [l.update._id] : []));
      // The second document is not in the index: 404, which is no failure.
      return {
        errors: true,
        items: ids.map((id, i) => ({
          update:
            i === 1
              ? { _id: id, status: 404, error: { type: 'document_missing_exception' } }
              : { _id: id, status: 200 },
        })),
      };
    });
    const at = new Date('2026-12-01T10:00:00.000Z');
    await sut.applyPopularity('acme', [
      { assetId: doc.assetId, popularity: 12.5, trending: 0.75, computedAt: at },
      { assetId: '00000000-0000-4000-8000-000000000002', popularity: 1, trending: 0, computedAt: at },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe('/_bulk');
    const lines = sent[0]!.body as unknown as Record<string, Record<string, unknown>>[];
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({
      update: { _index: 'media-assets', _id: `acme:${doc.assetId}`, retry_on_conflict: 3 },
    });
    const script = lines[1]!.script as { source: string; lang: string; params: Record<string, unknown> };
    expect(script.lang).toBe('painless');
    expect(script.params).toEqual({
      learned_popularity: 12.5,
      trending: 0.75,
      popularity_at: at.toISOString(),
    });
    // Only over an older (or no) computation; otherwise a no-op: no version of the document moves.
    expect(script.source).toContain('ctx._source.popularity_at.compareTo(params.popularity_at) <= 0');
    expect(script.source).toContain("ctx.op = 'noop'");
    // Values travel as parameters, never in the script's text.
    expect(script.source).not.toContain('12.5');
  });

  it('writes feedback with a document it indexes, and into a held one by a scripted update that creates none', async () => {
    const { sent, on, sut } = setup();
    const feedback = {
      revision: 7,
      openIssues: 1,
      moments: [{ commentId: 'c1', startMs: 72_000, text: 'old logo', type: 'issue', status: 'open' }],
    };
    const bulks: Record<string, unknown>[][] = [];
    on('POST', '/_bulk', (params) => {
      const lines = params.body as unknown as Record<string, { _id: string }>[];
      bulks.push(lines);
      // An index of the version held: 409 (then 'unchanged' on the source version); an update of a
      // document the index does not hold: 404, left out.
      return {
        errors: true,
        items: lines.flatMap((l): object[] =>
          l.index
            ? [{ index: { _id: l.index._id, status: 409 } }]
            : l.update
              ? [
                  {
                    update: { _id: l.update._id, status: 404, error: { type: 'document_missing_exception' } },
                  },
                ]
              : [],
        ),
      };
    });
    on('POST', '/media-assets/_mget', () => ({
      docs: [{ _id: `acme:${doc.assetId}`, found: true, _source: { version: 3 } }],
    }));
    expect(await sut.upsert('acme', { ...doc, feedback })).toBe('unchanged');
    const [indexed, updated] = bulks;
    expect(indexed![1]).toMatchObject({
      feedback: [{ comment_id: 'c1', start_ms: 72_000, text: 'old logo', open: true }],
      open_issues: 1,
      feedback_revision: 7,
    });
    // The partial update: no upsert (a missing document stays missing), only over an older revision.
    expect(updated![0]).toEqual({
      update: { _index: 'media-assets', _id: `acme:${doc.assetId}`, retry_on_conflict: 3 },
    });
    const body = updated![1] as { upsert?: unknown; script: { source: string; params: object } };
    expect(body.upsert).toBeUndefined();
    expect(body.script.params).toMatchObject({ open_issues: 1, feedback_revision: 7 });
    expect(body.script.source).toContain('held <= params.feedback_revision');
    expect(sent.filter((r) => r.path === '/_bulk')).toHaveLength(2);
  });

  it('finds feedback moments with a nested query within the tenant, the best moment of each asset marked', async () => {
    const { on, sut } = setup();
    let request: Record<string, unknown> = {};
    on('POST', '/media-assets/_search', (params) => {
      request = params.body as Record<string, unknown>;
      return {
        hits: {
          total: { value: 1, relation: 'eq' },
          hits: [
            {
              _id: `acme:${doc.assetId}`,
              _score: 2,
              _source: { asset_id: doc.assetId },
              inner_hits: {
                best: {
                  hits: {
                    hits: [
                      {
                        _source: { comment_id: 'c1', start_ms: 72_000 },
                        highlight: { 'feedback.text': ['the old <mark>logo</mark>'] },
                      },
                    ],
                  },
                },
              },
            },
          ],
        },
      };
    });
    expect(await sut.feedbackMoments('acme', parseQuery('logo'), { limit: 500, openOnly: true })).toEqual([
      { assetId: doc.assetId, commentId: 'c1', start: 72, fragment: 'the old <mark>logo</mark>' },
    ]);
    const text = JSON.stringify(request);
    expect(text).toContain('{"term":{"tenant_id":"acme"}}');
    expect(text).toContain('"operator":"and"');
    expect(text).toContain('{"term":{"feedback.open":true}}');
    // Bounded whatever the caller asks.
    expect(request.size).toBe(50);
    expect(await sut.feedbackMoments('acme', parseQuery(''), { limit: 10 })).toEqual([]);
  });

  it('fails a popularity update Elasticsearch refuses for another reason than a missing document', async () => {
    const { on, sut } = setup();
    on('POST', '/_bulk', () => ({
      errors: true,
      items: [
        {
          update: { _id: 'acme:x', status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad' } },
        },
      ],
    }));
    await expect(
      sut.applyPopularity('acme', [
        { assetId: doc.assetId, popularity: 1, trending: 0, computedAt: new Date() },
      ]),
    ).rejects.toThrow(/popularity update of acme:x failed with 400/);
  });

  it('sorts by learned popularity, then the source views, and trending before both, each with search_after', async () => {
    const { sent, on, sut } = setup();
    on('POST', '/media-assets/_search', () => ({
      hits: {
        hits: [
          { _id: 'a', _score: null, _source: { asset_id: 'a1' }, sort: [0.4, 3.5, 100, 'a1'] },
          { _id: 'b', _score: null, _source: { asset_id: 'b1' }, sort: [0.1, 2, 50, 'b1'] },
        ],
      },
    }));
    const page = await sut.search('acme', { query: parseQuery(''), limit: 1, sort: 'trending' });
    expect(sent[0]!.body.sort).toEqual([
      { trending: { order: 'desc', missing: 0 } },
      { learned_popularity: { order: 'desc', missing: 0 } },
      { popularity: { order: 'desc' } },
      { asset_id: { order: 'desc' } },
    ]);
    await sut.search('acme', { query: parseQuery(''), limit: 1, sort: 'trending', cursor: page.nextCursor! });
    expect(sent[1]!.body.search_after).toEqual([0.4, 3.5, 100, 'a1']);
    await sut.search('acme', { query: parseQuery(''), limit: 1, sort: 'popularity' });
    expect(sent[2]!.body.sort).toEqual([
      { learned_popularity: { order: 'desc', missing: 0 } },
      { popularity: { order: 'desc' } },
      { asset_id: { order: 'desc' } },
    ]);
  });
});
