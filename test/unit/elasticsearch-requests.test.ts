import { createRequire } from 'node:module';
import type { errors as esmErrors } from '@elastic/elasticsearch';
import { Client } from '@elastic/elasticsearch';
import type { MockPattern } from '@elastic/elasticsearch-mock';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../domain/cursor.js';
import { ElasticsearchSearchIndex } from '../../search/elasticsearch-search-index.js';

// The mock loads the client's CommonJS build: its errors must come from there to be recognized.
const require = createRequire(import.meta.url);
const { errors } = require('@elastic/elasticsearch') as { errors: typeof esmErrors };
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
  it('indexes with the asset version as an external version, per tenant id', async () => {
    const { mock, sent, sut } = setup();
    mock.add({ method: 'PUT', path: '/media-assets/_doc/:id' }, (params: MockPattern) => {
      record(sent, params);
      return { result: 'created' };
    });
    expect(await sut.upsert('acme', doc)).toBe('applied');
    expect(sent[0]!.path).toBe('/media-assets/_doc/acme:00000000-0000-4000-8000-000000000001');
    expect(sent[0]!.query).toMatchObject({ version: '3', version_type: 'external' });
    expect(sent[0]!.body).toMatchObject({
      tenant_id: 'acme',
      version: 3,
      duration_seconds: 60,
      tags: ['oceans'],
    });
  });

  it('reports an older or equal version as stale or unchanged', async () => {
    const { mock, sut } = setup();
    mock.add(
      { method: 'PUT', path: '/media-assets/_doc/:id' },
      () =>
        new errors.ResponseError({
          body: { error: { type: 'version_conflict_engine_exception' } },
          statusCode: 409,
          headers: {},
          warnings: null,
          meta: {} as never,
        }),
    );
    mock.add({ method: 'POST', path: '/media-assets/_mget' }, () => ({
      docs: [{ _id: 'x', found: true, _source: { asset_id: doc.assetId, version: 3 } }],
    }));
    expect(await sut.upsert('acme', doc)).toBe('unchanged');
    expect(await sut.upsert('acme', { ...doc, version: 2 })).toBe('stale');
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
