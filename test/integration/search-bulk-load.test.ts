import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import type { SearchDocument } from '../../search/search-index.js';
import type { Database } from '../../store/db.js';
import { syntheticLibrary } from '../../scripts/lib/synthetic-library.js';
import { createTestDatabase } from '../support/database.js';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';
import { parseQuery } from '../../search/query-parser.js';

const BATCH = 100;

/** A few hundred synthetic documents, plus values that differ only in case or accents. */
function library(): SearchDocument[] {
  const docs: SearchDocument[] = [];
  for (const a of syntheticLibrary({ assets: 300, seed: 11, duplicateRate: 0 })) {
    docs.push({
      assetId: randomUUID(),
      version: 1,
      type: a.type,
      sourceSystem: a.sourceSystem,
      status: 'PROCESSED',
      title: a.title,
      description: a.description,
      transcript: a.transcript,
      tags: a.tags,
      speakers: a.speakers,
      people: [],
      topics: docs.length % 7 === 0 ? ['Climate Policy'] : [],
      keywords: docs.length % 5 === 0 ? ['solar'] : [],
      brands: [],
      technical: docs.length % 3 === 0 ? { durationSeconds: 61, width: 1920, height: 1080 } : {},
      createdAt: new Date(a.createdAt),
    });
  }
  const variants = ['Café Society', 'Cafe society', '  café SOCIETY '];
  variants.forEach((title, i) => {
    docs[i * 90] = { ...docs[i * 90]!, title, tags: [...docs[i * 90]!.tags, i % 2 ? 'Climate' : 'climate'] };
  });
  return docs;
}

describe('PostgresSearchIndex.bulkInsert', () => {
  let db: Database;
  let index: PostgresSearchIndex;
  const docs = library();

  beforeAll(async () => {
    db = await createTestDatabase(['bulk', 'normal']);
    index = new PostgresSearchIndex(projectionAccess(db, 'search'));
    for (let i = 0; i < docs.length; i += BATCH) {
      await index.bulkInsert('bulk', docs.slice(i, i + BATCH));
      await index.upsertMany('normal', docs.slice(i, i + BATCH));
    }
    await index.finishBulkLoad('bulk');
  });
  afterAll(() => db.close());

  /** The tenant's rows of a table, without the tenant and the projection time. */
  const rows = (table: string, order: string, columns = '*') =>
    Promise.all(
      ['bulk', 'normal'].map(async (tenant) =>
        (
          await db.query<Record<string, unknown>>(
            `SELECT ${columns} FROM ${table} WHERE tenant_id = $1 ORDER BY ${order}`,
            [tenant],
          )
        ).map(({ tenant_id: _t, projected_at: _p, ...rest }) => rest),
      ),
    );

  it('writes the same documents as upsertMany', async () => {
    const [bulk, normal] = await rows('search_documents', 'asset_id', '*, document::text AS document');
    expect(bulk).toHaveLength(docs.length);
    expect(bulk).toEqual(normal);
  });

  it('writes the same postings, impacts included', async () => {
    const [bulk, normal] = await rows('search_postings', 'term, asset_id');
    expect(bulk!.length).toBeGreaterThan(docs.length * 20);
    expect(bulk).toEqual(normal);
  });

  it('leaves the same document frequencies and corpus statistics', async () => {
    const [bulkTerms, normalTerms] = await rows('search_term_stats', 'term');
    expect(bulkTerms!.length).toBeGreaterThan(100);
    expect(bulkTerms).toEqual(normalTerms);
    const [bulkCorpus, normalCorpus] = await rows('search_corpus_stats', 'tenant_id');
    expect(bulkCorpus).toEqual([expect.objectContaining({ doc_count: docs.length })]);
    expect(bulkCorpus).toEqual(normalCorpus);
  });

  it('leaves the same suggestions', async () => {
    const [bulk, normal] = await rows('search_suggestions', 'kind, normalized');
    expect(bulk).toContainEqual(expect.objectContaining({ normalized: 'cafe society', assets: 3 }));
    expect(bulk).toEqual(normal);
  });

  it('ranks the same way', async () => {
    for (const text of ['climate technology', '"future energy"', 'cafe society']) {
      const [bulk, normal] = await Promise.all(
        ['bulk', 'normal'].map((t) => index.search(t, { query: parseQuery(text), limit: 10 })),
      );
      expect(bulk!.hits.length).toBeGreaterThan(0);
      expect(bulk!.hits).toEqual(normal!.hits);
    }
  });
});
