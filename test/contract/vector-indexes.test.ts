import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, type errors as esErrors } from '@elastic/elasticsearch';
import type { MockPattern } from '@elastic/elasticsearch-mock';
import { describe, expect, it } from 'vitest';
import { cosine } from '../../enrichment/embeddings.js';
import { ElasticsearchVectorIndex } from '../../search/elasticsearch-vector-index.js';
import { UsearchVectorIndex } from '../../search/usearch-vector-index.js';
import { axisVector, vectorIndexContract } from './vector-index.contract.js';

const DIMS = 16;

vectorIndexContract('embedded (usearch HNSW)', () =>
  Promise.resolve({ index: new UsearchVectorIndex(DIMS), dimensions: DIMS, close: () => Promise.resolve() }),
);

describe('embedded vector index on disk', () => {
  it('is loaded from its directory as it was saved, per tenant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vectors-'));
    try {
      const [t, a] = ['tenant-a', randomUUID()];
      const first = new UsearchVectorIndex(DIMS, dir);
      await first.upsert(t, [{ assetId: a, passage: 2, vector: axisVector(DIMS, 4), start: 5, end: 9 }]);
      await first.close();
      const again = new UsearchVectorIndex(DIMS, dir);
      expect(await again.search(t, { vector: axisVector(DIMS, 4), limit: 3 })).toEqual([
        { assetId: a, passage: 2, start: 5, end: 9, score: expect.closeTo(1, 4) as number },
      ]);
      expect(await again.count('tenant-b')).toBe(0);
      // Another model's size is not loaded: the rebuild fills the index from Postgres.
      expect(await new UsearchVectorIndex(DIMS * 2, dir).count(t)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Elasticsearch runs nowhere here: the adapter is held to the contract against a request-level
// mock that answers the few endpoints it calls (index, bulk, delete-by-query, kNN search, count) the
// way Elasticsearch documents them: kNN `filter` applied before ranking, cosine scored (1 + cos) / 2.
const require = createRequire(import.meta.url);
interface MockApi {
  add(pattern: MockPattern, resolver: (params: MockPattern) => unknown): unknown;
  getConnection(): ConstructorParameters<typeof Client>[0]['Connection'];
}
const Mock = require('@elastic/elasticsearch-mock') as new () => MockApi;
const { errors } = require('@elastic/elasticsearch') as { errors: typeof esErrors };

type Clause = { term?: Record<string, unknown>; terms?: Record<string, unknown[]> };
interface Doc {
  tenant_id: string;
  asset_id: string;
  passage: number;
  start: number | null;
  end: number | null;
  vector: number[];
}

/** A kNN-capable stand-in for one Elasticsearch index, with the requests it got. */
function elasticsearchStandIn(index: string) {
  const mock = new Mock();
  const docs = new Map<string, Doc>();
  const sent: { path: string; body: unknown }[] = [];
  let exists = false;
  const matches = (d: Doc, clauses: Clause[]) =>
    clauses.every((c) => {
      const [field, value] = Object.entries(c.term ?? c.terms ?? {})[0]!;
      const v = d[field as keyof Doc];
      return c.term ? v === value : (value as unknown[]).includes(v);
    });
  const filterOf = (q: { bool?: { filter: Clause[] }; term?: Record<string, unknown> }): Clause[] =>
    q.bool ? q.bool.filter : [{ term: q.term! }];
  mock.add({ method: 'HEAD', path: `/${index}` }, () =>
    exists
      ? ''
      : new errors.ResponseError({
          statusCode: 404,
          body: {},
          headers: {},
          warnings: null,
          meta: {} as never,
        }),
  );
  mock.add({ method: 'PUT', path: `/${index}` }, (p) => {
    sent.push({ path: String(p.path), body: p.body });
    exists = true;
    return { acknowledged: true };
  });
  mock.add({ method: 'DELETE', path: `/${index}` }, () => ({ acknowledged: true }));
  mock.add({ method: 'POST', path: '/_bulk' }, (p) => {
    const lines = (
      Array.isArray(p.body)
        ? p.body
        : (p.body as unknown as string)
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as unknown)
    ) as Record<string, unknown>[];
    const items = [];
    for (let i = 0; i < lines.length; i += 2) {
      const meta = lines[i]!.index as { _id: string };
      docs.set(meta._id, lines[i + 1] as unknown as Doc);
      items.push({ index: { _id: meta._id, status: 201 } });
    }
    return { errors: false, items };
  });
  mock.add({ method: 'POST', path: `/${index}/_delete_by_query` }, (p) => {
    const clauses = filterOf((p.body as { query: Parameters<typeof filterOf>[0] }).query);
    let deleted = 0;
    for (const [id, d] of docs) if (matches(d, clauses) && docs.delete(id)) deleted++;
    return { deleted };
  });
  mock.add({ method: 'POST', path: `/${index}/_count` }, (p) => {
    const clauses = filterOf((p.body as { query: Parameters<typeof filterOf>[0] }).query);
    return { count: [...docs.values()].filter((d) => matches(d, clauses)).length };
  });
  mock.add({ method: 'POST', path: `/${index}/_search` }, (p) => {
    sent.push({ path: String(p.path), body: p.body });
    const { knn, size } = p.body as {
      knn: { query_vector: number[]; k: number; filter: Clause[] };
      size: number;
    };
    const q = Float32Array.from(knn.query_vector);
    const hits = [...docs.entries()]
      .filter(([, d]) => matches(d, knn.filter))
      .map(([id, d]) => ({ _id: id, _score: (1 + cosine(q, Float32Array.from(d.vector))) / 2, _source: d }))
      .sort((a, b) => b._score - a._score)
      .slice(0, Math.min(knn.k, size));
    return { hits: { hits } };
  });
  return { client: new Client({ node: 'http://localhost:9200', Connection: mock.getConnection()! }), sent };
}

vectorIndexContract('elasticsearch (request-level mock)', async () => {
  const { client } = elasticsearchStandIn('media-vectors');
  const index = new ElasticsearchVectorIndex(client, 'media', DIMS);
  await index.ensureIndex();
  return { index, dimensions: DIMS, close: () => index.close() };
});

describe('elasticsearch vector requests', () => {
  it('maps a cosine dense_vector and filters kNN by tenant and allow-list before ranking', async () => {
    const { client, sent } = elasticsearchStandIn('media-vectors');
    const index = new ElasticsearchVectorIndex(client, 'media', DIMS);
    await index.ensureIndex();
    const a = randomUUID();
    await index.search('t1', { vector: axisVector(DIMS, 0), limit: 10, assetIds: [a] });
    const [create, search] = sent;
    expect(create!.body).toMatchObject({
      mappings: {
        properties: { vector: { type: 'dense_vector', dims: DIMS, index: true, similarity: 'cosine' } },
      },
    });
    expect(search!.body).toMatchObject({
      knn: {
        field: 'vector',
        k: 30,
        num_candidates: 300,
        filter: [{ term: { tenant_id: 't1' } }, { terms: { asset_id: [a] } }],
      },
    });
  });
});
