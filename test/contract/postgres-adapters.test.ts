import { randomUUID } from 'node:crypto';
import { QueryTimeoutError } from '../../domain/errors.js';
import { QUERY_LIMITS } from '../../domain/query-limits.js';
import { PostgresGraphStore } from '../../graph/postgres-graph-store.js';
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import { BM25 } from '../../search/postgres/ranking.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { backendName, createTestDatabase } from '../support/database.js';
import { graphStoreContract } from './graph-store.contract.js';
import { aDoc, searchIndexContract } from './search-index.contract.js';
import { describe, expect, it } from 'vitest';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';
import { parseQuery } from '../../search/query-parser.js';

async function fixture() {
  const db = await createTestDatabase();
  return {
    db,
    async newTenant() {
      const id = `t${randomUUID().slice(0, 8)}`;
      await tenantsRepository.ensure(db, id);
      return id;
    },
    close: () => db.close(),
  };
}

searchIndexContract(`postgres (${backendName()})`, async () => {
  const fx = await fixture();
  return { ...fx, index: new PostgresSearchIndex(projectionAccess(fx.db, 'search')) };
});

graphStoreContract(`postgres (${backendName()})`, async () => {
  const fx = await fixture();
  return { ...fx, store: new PostgresGraphStore(projectionAccess(fx.db, 'graph')) };
});

describe(`PostgresSearchIndex facets over large result sets (${backendName()})`, () => {
  it('counts exactly up to the sample size, and past it estimates from a uniform sample, saying so', async () => {
    const fx = await fixture();
    try {
      const t = await fx.newTenant();
      // 300 red and 100 blue documents, all matching "common".
      const docs = Array.from({ length: 400 }, (_, i) =>
        aDoc({
          title: `common item ${i}`,
          tags: [i % 4 === 0 ? 'blue' : 'red'],
          type: i % 2 ? 'AUDIO' : 'VIDEO',
        }),
      );
      const exact = new PostgresSearchIndex(projectionAccess(fx.db, 'search'), { facetSampleSize: 1000 });
      await exact.upsertMany(t, docs);
      const full = await exact.search(t, { query: parseQuery('common'), limit: 1, facets: true });
      expect(full.facetsEstimated).toBeUndefined();
      expect(full.facets!.tags).toEqual([
        { value: 'red', count: 300 },
        { value: 'blue', count: 100 },
      ]);

      const sampled = new PostgresSearchIndex(projectionAccess(fx.db, 'search'), { facetSampleSize: 100 });
      for (const text of ['common', '']) {
        const page = await sampled.search(t, { query: parseQuery(text), limit: 1, facets: true });
        expect(page.facetsEstimated, text).toBe(true);
        const count = (v: string) => page.facets!.tags.find((f) => f.value === v)?.count ?? 0;
        // About 100 of the 400 are counted, each standing for 4: wide bounds, about 4 standard deviations.
        expect(count('red'), text).toBeGreaterThan(200);
        expect(count('red'), text).toBeLessThan(400);
        expect(count('blue'), text).toBeGreaterThan(30);
        expect(count('blue'), text).toBeLessThan(180);
        // The other filters apply to the same sample: every blue document is a video, half the red ones are.
        const videos = await sampled.search(t, {
          query: parseQuery(text),
          limit: 1,
          facets: true,
          filters: { type: ['VIDEO'] },
        });
        const videoCount = (v: string) => videos.facets!.tags.find((f) => f.value === v)?.count ?? 0;
        expect(videoCount('blue'), text).toBe(count('blue'));
        expect(videoCount('red'), text).toBeLessThan(count('red'));
      }
      // A filter that leaves too little of the sample (10 images among 400) grows it: all counted.
      const rare = Array.from({ length: 10 }, (_, i) =>
        aDoc({ title: `common rare ${i}`, tags: ['rare'], type: 'IMAGE' }),
      );
      await sampled.upsertMany(t, rare);
      for (const text of ['common', '']) {
        const page = await sampled.search(t, {
          query: parseQuery(text),
          limit: 1,
          facets: true,
          filters: { type: ['IMAGE'] },
        });
        expect(page.facetsEstimated, text).toBeUndefined();
        expect(page.facets!.tags, text).toEqual([{ value: 'rare', count: 10 }]);
        expect(
          page.facets!.type.find((f) => f.value === 'AUDIO'),
          text,
        ).toEqual({ value: 'AUDIO', count: 200 });
      }
      // A rare tag's assets are read directly: every other dimension counts them exactly; the tag's
      // own dimension (which leaves the tag filter out) still counts all 410 matches from the sample.
      for (const text of ['common', '']) {
        const page = await sampled.search(t, {
          query: parseQuery(text),
          limit: 1,
          facets: true,
          filters: { tags: ['RARE'] },
        });
        expect(page.facets!.type, text).toEqual([{ value: 'IMAGE', count: 10 }]);
        expect(page.facetsEstimated, text).toBe(true);
        const red = page.facets!.tags.find((f) => f.value === 'red')?.count ?? 0;
        expect(red, text).toBeGreaterThan(200);
        expect(red, text).toBeLessThan(400);
      }
      // A rare term's results are few: counted exactly even with the small sample size.
      await sampled.upsert(t, aDoc({ title: 'unusual', tags: ['green'] }));
      const unusual = await sampled.search(t, { query: parseQuery('unusual'), limit: 1, facets: true });
      expect(unusual.facetsEstimated).toBeUndefined();
      expect(unusual.facets!.tags).toEqual([{ value: 'green', count: 1 }]);
    } finally {
      await fx.close();
    }
  });
});

describe(`PostgresSearchIndex hit count past its bound (${backendName()})`, () => {
  it('counts exactly up to the bound, estimates past it from a uniform sample, and says so', async () => {
    const fx = await fixture();
    try {
      const t = await fx.newTenant();
      const docs = Array.from({ length: 400 }, (_, i) =>
        aDoc({ title: `common item ${i}`, type: i % 2 ? 'AUDIO' : 'VIDEO', tags: i < 10 ? ['rare'] : [] }),
      );
      const exact = new PostgresSearchIndex(projectionAccess(fx.db, 'search'), { totalExactUpTo: 1000 });
      await exact.upsertMany(t, docs);
      const small = new PostgresSearchIndex(projectionAccess(fx.db, 'search'), { totalExactUpTo: 100 });
      const count = (index: PostgresSearchIndex, q: string, filters = {}) =>
        index.search(t, { query: parseQuery(q), limit: 1, total: true, filters }).then((p) => p.total!);
      for (const q of ['common item', '']) {
        expect(await count(exact, q, { type: ['VIDEO'] }), q).toEqual({ value: 200, exact: true });
        const estimate = await count(small, q, { type: ['VIDEO'] });
        expect(estimate.exact, q).toBe(false);
        // About 100 candidates counted, each standing for 4 (or 8): wide bounds, about 4 standard deviations.
        expect(estimate.value, q).toBeGreaterThan(100);
        expect(estimate.value, q).toBeLessThan(300);
        // A rare tag's assets are counted directly, and exactly.
        expect(await count(small, q, { tags: ['rare'] }), q).toEqual({ value: 10, exact: true });
      }
      // Without restrictions, one term's document frequency and a browse's document count are exact.
      expect(await count(small, 'common')).toEqual({ value: 400, exact: true });
      expect(await count(small, '')).toEqual({ value: 400, exact: true });
    } finally {
      await fx.close();
    }
  });
});

describe(`PostgresSearchIndex filters past the best postings (${backendName()})`, () => {
  it('finds every match of a rare tag, however many stronger matches the query term has', async () => {
    const fx = await fixture();
    try {
      const t = await fx.newTenant();
      const index = new PostgresSearchIndex(projectionAccess(fx.db, 'search'));
      // More strong matches than the ranking reads of a term's best postings.
      const strong = Array.from({ length: BM25.postingsPerTerm + 100 }, (_, i) =>
        aDoc({ title: `Volcano volcano ${i}`, description: 'volcano', tags: ['geology'] }),
      );
      for (let i = 0; i < strong.length; i += 1_000) await index.upsertMany(t, strong.slice(i, i + 1_000));
      const weak = [
        aDoc({ title: 'Field notes', transcript: 'a volcano, seen from afar', tags: ['Rare'] }),
        aDoc({ title: 'More field notes', transcript: 'the volcano again, and the volcano', tags: ['rare'] }),
      ];
      await index.upsertMany(t, weak);
      const rare = await index.search(t, {
        query: parseQuery('volcano'),
        limit: 5,
        filters: { tags: ['RARE'] },
      });
      // Both, ranked by BM25: the one saying it twice first.
      expect(rare.hits.map((h) => h.assetId)).toEqual([weak[1]!.assetId, weak[0]!.assetId]);
      // A rare term within the rare tag (read by term, not by asset: its postings are fewer).
      const afar = await index.search(t, {
        query: parseQuery('afar'),
        limit: 5,
        filters: { tags: ['rare'] },
      });
      expect(afar.hits.map((h) => h.assetId)).toEqual([weak[0]!.assetId]);
      // A frequent tag ranks through the best postings, as an unfiltered query does.
      const frequent = await index.search(t, {
        query: parseQuery('volcano'),
        limit: 5,
        filters: { tags: ['geology'] },
      });
      expect(frequent.hits).toHaveLength(5);
      // The filter follows updates and removals.
      await index.upsert(t, { ...weak[0]!, version: 2, tags: ['other'] });
      await index.remove(t, weak[1]!.assetId);
      expect(
        (await index.search(t, { query: parseQuery('volcano'), limit: 5, filters: { tags: ['rare'] } })).hits,
      ).toEqual([]);
      expect(
        (await index.search(t, { query: parseQuery(''), limit: 5, filters: { tags: ['other'] } })).hits,
      ).toEqual([expect.objectContaining({ assetId: weak[0]!.assetId })]);
    } finally {
      await fx.close();
    }
  });
});

describe(`PostgresSearchIndex more-like-this within its budget of postings (${backendName()})`, () => {
  it('scores its best candidates on every term, though the budget cut their postings', async () => {
    const fx = await fixture();
    try {
      const t = await fx.newTenant();
      const index = new PostgresSearchIndex(projectionAccess(fx.db, 'search'));
      const word = (k: string, j: number) => `quorble${k}${String.fromCharCode(97 + j)}`;
      const rare = Array.from({ length: 5 }, (_, j) => word('r', j));
      const frequent = Array.from({ length: 25 }, (_, j) => word('f', j));
      // Long documents of words of their own first: the average length they raise makes the short
      // fillers' postings weigh more than the long twin's (impacts are computed at index time).
      const long = Array.from({ length: 40 }, (_, i) =>
        aDoc({
          title: `Long ${i}`,
          transcript: Array.from({ length: 500 }, (_, k) => `filla${i}x${k}`).join(' '),
        }),
      );
      // Each frequent word said three times in each of 300 fillers: their postings weigh more than the
      // twin's, and there are more of them than the lookup reads of the word.
      const fillers = Array.from({ length: 900 }, (_, i) =>
        aDoc({
          title: `Filler ${i}`,
          description: frequent
            .filter((_, j) => (i + j) % 3 === 0)
            .map((w) => `${w} ${w} ${w}`)
            .join(' '),
        }),
      );
      // Short documents of four of the rare words: they lead on the postings read.
      const decoys = Array.from({ length: 5 }, (_, i) =>
        aDoc({ title: `Decoy ${i}`, description: rare.slice(0, 4).join(' ') }),
      );
      const seed = aDoc({ title: 'Seed', description: [...rare, ...frequent].join(' ') });
      const twin = aDoc({ title: 'Twin', description: [...rare, ...frequent].join(' ') });
      for (const batch of [long, fillers.slice(0, 450), fillers.slice(450), [...decoys, seed, twin]]) {
        await index.upsertMany(t, batch);
      }

      const hits = await index.moreLikeThis(t, seed.assetId, { limit: 5, explain: true });
      // The twin holds every term: first, though the decoys hold the rare ones in fewer words.
      expect(hits[0]!.assetId).toBe(twin.assetId);
      // Scored on every term: the score is the sum of what each matched term adds.
      for (const h of hits) {
        const sum = h.explanation!.terms.reduce((a, x) => a + x.contribution, 0);
        expect(h.score).toBeCloseTo(sum, 2);
      }
    } finally {
      await fx.close();
    }
  });
});

describe(`PostgresSearchIndex query limits (${backendName()})`, () => {
  it('ranks at most maxRankedTerms terms, leaving out the most frequent', async () => {
    const fx = await fixture();
    try {
      const t = await fx.newTenant();
      const index = new PostgresSearchIndex(projectionAccess(fx.db, 'search'));
      // Distinct words of letters only, none a stop word or a stem of another.
      const words = Array.from(
        { length: QUERY_LIMITS.maxRankedTerms + 6 },
        (_, i) => `zork${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`,
      );
      const frequent = words.slice(0, 6);
      const all = aDoc({ title: 'Everything', description: words.join(' ') });
      const others = Array.from({ length: 5 }, () => aDoc({ description: frequent.join(' ') }));
      await index.upsertMany(t, [all, ...others]);
      const page = await index.search(t, { query: parseQuery(words.join(' ')), limit: 1, explain: true });
      expect(page.hits[0]?.assetId).toBe(all.assetId);
      const ranked = page.hits[0]!.explanation!.terms.map((term) => term.term);
      expect(ranked).toHaveLength(QUERY_LIMITS.maxRankedTerms);
      expect(ranked.filter((term) => frequent.includes(term))).toEqual([]);
    } finally {
      await fx.close();
    }
  });

  // PGlite runs in this process, with no timer to cancel a statement: there the limits alone hold.
  it.skipIf(backendName() === 'pglite')(
    'cancels a search statement past its time limit, as a QueryTimeoutError naming the limit',
    async () => {
      const fx = await fixture();
      try {
        const t = await fx.newTenant();
        const index = new PostgresSearchIndex(projectionAccess(fx.db, 'search'), { statementTimeoutMs: 200 });
        await index.upsert(t, aDoc({ title: 'Kelp forests' }));
        // Another transaction holds the term statistics: the search waits on it past its limit.
        await fx.db.transaction(async (tx) => {
          await tx.query('LOCK TABLE search_term_stats IN ACCESS EXCLUSIVE MODE');
          const refused = await index
            .search(t, { query: parseQuery('kelp'), limit: 5 })
            .catch((err: unknown) => err);
          expect(refused).toBeInstanceOf(QueryTimeoutError);
          expect((refused as QueryTimeoutError).extensions).toEqual({
            limit: 'statementTimeoutMs',
            maximum: 200,
          });
        });
        expect((await index.search(t, { query: parseQuery('kelp'), limit: 5 })).hits).toHaveLength(1);
      } finally {
        await fx.close();
      }
    },
  );
});
