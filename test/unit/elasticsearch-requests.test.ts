import { createRequire } from 'node:module';
import { Client } from '@elastic/elasticsearch';
import type { MockPattern } from '@elastic/elasticsearch-mock';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../domain/cursor.js';
import { ElasticsearchSearchIndex } from '../../search/elasticsearch-search-index.js';

const require = createRequire(import.meta.url);
/** The part of the mock's API used here (its CommonJS default export does not type as a class under NodeNext). */
interface MockApi {
  add(pattern: MockPattern, resolver: (params: MockPattern) => unknown): unknown;
  getConnection(): ConstructorParameters<typeof Client>[0]['Connection'];
}
const Mock = require('@elastic/elasticsearch-mock') as new () => MockApi;

interface Sent {
  path: string;
  body: Record<string, unknown>;
  query: Record<string, unknown>;
}
const record = (sent: Sent[], params: MockPattern) =>
  sent.push({
    path: String(params.path),
    body: (params.body ?? {}) as Record<string, unknown>,
    query: params.querystring ?? {},
  });

// No Elasticsearch server runs here: these tests pin the requests the adapter sends and how it reads
// answers, at the HTTP layer. The shared contract suite checks behaviour where a server exists.
function setup() {
  const mock = new Mock();
  const client = new Client({ node: 'http://localhost:9200', Connection: mock.getConnection()! });
  const sent: Sent[] = [];
  return { mock, client, sent, sut: new ElasticsearchSearchIndex(client, 'media') };
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
  it('indexes in bulk with external versions per tenant id, sending items refused with 429 again', async () => {
    const { mock, sent, sut } = setup();
    const other = { ...doc, assetId: '00000000-0000-4000-8000-000000000002', version: 1 };
    mock.add({ method: 'POST', path: '/_bulk' }, (params: MockPattern) => {
      record(sent, params);
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
    const retried = sent[1]!.body as unknown as Record<string, { _id: string }>[];
    expect(retried).toHaveLength(2);
    expect(retried[0]!.index!._id).toBe('acme:00000000-0000-4000-8000-000000000002');
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

  it('rebuilds into a new versioned index, then moves the alias in one request and drops the old index', async () => {
    const { mock, sent, sut } = setup();
    for (const [method, path] of [
      ['PUT', '/:index'],
      ['GET', '/:index/_refresh'],
      ['POST', '/_aliases'],
      ['DELETE', '/:index'],
    ] as const) {
      mock.add({ method, path }, (params: MockPattern) => {
        record(sent, params);
        return { acknowledged: true };
      });
    }
    mock.add({ method: 'GET', path: '/_alias/media-assets' }, () => ({
      'media-assets-v1-1': { aliases: { 'media-assets': {} } },
    }));
    mock.add({ method: 'POST', path: '/_bulk' }, (params: MockPattern) => {
      record(sent, params);
      return { errors: false, items: [{ index: { _id: 'x', status: 201 } }] };
    });
    const index = await sut.rebuild(async (write) => write('acme', [doc]));
    expect(index).toMatch(/^media-assets-v1-\d+$/);
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

  it('searches within the tenant, filters after aggregating, and pages with search_after', async () => {
    const { mock, sent, sut } = setup();
    mock.add({ method: 'POST', path: '/media-assets/_search' }, (params: MockPattern) => {
      record(sent, params);
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
      text: 'ocean tag:oceans -fishing',
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
});
