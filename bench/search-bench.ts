/**
 * Search speed on the Postgres adapter, side by side with plain ts_rank_cd over the same table.
 *   DATABASE_URL=postgres://... npm run bench:search -- --assets 100000 [--runs 200] [--baseline-runs 20]
 * Loads a synthetic library straight into the search projection (no enrichment) under its own
 * tenant, then times each query kind. Prints p50/p95 per engine and the ratio.
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { PostgresSearchIndex } from '../search/postgres-search-index.js';
import type { SearchDocument } from '../search/search-index.js';
import type { Database } from '../store/db.js';
import { openBenchDatabase, percentile } from './lib.js';
import { syntheticLibrary } from '../scripts/lib/synthetic-library.js';

const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '2' },
    tenant: { type: 'string' },
    /** Only the query kinds whose name contains this (e.g. "multi"). */
    only: { type: 'string' },
    /** Skip the ts_rank_cd baseline (seconds per query at large scales). */
    'no-baseline': { type: 'boolean', default: false },
    /** Runs per kind of the baseline, when fewer than --runs (the first ones). */
    'baseline-runs': { type: 'string' },
  },
});

/** Documents per projection batch; a bulk load writes larger ones. */
const BATCH = 500;
const BULK_BATCH = 2_000;

const QUERIES: Record<string, string[]> = {
  'single frequent term': ['technology', 'climate', 'education', 'health'],
  'multi-term OR': [
    'ocean energy future',
    'music design brain',
    'business community water',
    'space art culture',
  ],
  phrase: ['"climate technology"', '"health education"', '"future energy"', '"design music"'],
};

/** Loads of at least this many assets drop the secondary indexes below and build them after. */
const BULK_LOAD_FROM = 50_000;
/** As created by the migrations (0002, 0004, 0006, 0008, 0009); a new asset's projection reads none of them. */
const SECONDARY_INDEXES: Record<string, string> = {
  search_postings_impact_idx:
    'ON search_postings (tenant_id, term, impact DESC, asset_id) INCLUDE (tf, doc_length)',
  search_postings_asset_idx: 'ON search_postings (tenant_id, asset_id)',
  search_documents_fts_idx: 'ON search_documents USING gin (document)',
  search_documents_created_idx: 'ON search_documents (tenant_id, created_at DESC, asset_id DESC)',
  search_documents_popularity_idx: 'ON search_documents (tenant_id, popularity DESC, asset_id DESC)',
  search_documents_exact_idx: 'ON search_documents USING gin (exact_keys)',
};

async function buildIndexes(db: Database): Promise<void> {
  for (const [name, definition] of Object.entries(SECONDARY_INDEXES)) {
    const [exists] = await db.query('SELECT 1 FROM pg_indexes WHERE indexname = $1', [name]);
    if (exists) continue;
    const started = Date.now();
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL maintenance_work_mem = '1GB'`);
      await tx.query(`CREATE INDEX ${name} ${definition}`);
    });
    process.stderr.write(`built ${name} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
}

const SUGGEST_PREFIXES = ['t', 'cl', 'edu', 'musi', 'sp', 'wat', 'h', 'desi'];

async function main(): Promise<void> {
  const n = Number(values.assets);
  const tenantId = values.tenant ?? `bench-${n}`;
  const db = await openBenchDatabase(tenantId);
  const index = new PostgresSearchIndex(db);

  const [{ count }] = (await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM search_documents WHERE tenant_id = $1',
    [tenantId],
  )) as [{ count: number }];
  let bulkLoaded = false;
  if (count < n) {
    const started = Date.now();
    const bulk = n - count >= BULK_LOAD_FROM;
    if (bulk) {
      // Per-row maintenance of these indexes dominates a large load: build them once at the end,
      // as an initial load or offline rebuild would.
      for (const name of Object.keys(SECONDARY_INDEXES)) await db.query(`DROP INDEX IF EXISTS ${name}`);
    }
    const batchSize = bulk ? BULK_BATCH : BATCH;
    const library = syntheticLibrary({ assets: n, seed: 7, duplicateRate: 0 });
    // Resumable: a stopped load continues after the assets it already wrote (the library is deterministic).
    for (let skipped = 0; skipped < count; skipped++) library.next();
    let done = count;
    let lastReport = { at: started, done };
    const worker = async () => {
      for (;;) {
        const batch: SearchDocument[] = [];
        // Checks the size before taking the next asset: taking it first dropped one asset per batch.
        while (batch.length < batchSize) {
          const next = library.next();
          if (next.done) break;
          const a = next.value;
          batch.push({
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
            topics: [],
            keywords: [],
            brands: [],
            technical: {},
            createdAt: new Date(a.createdAt),
          });
        }
        if (batch.length === 0) return;
        if (bulk) await index.bulkInsert(tenantId, batch);
        else await index.upsertMany(tenantId, batch);
        done += batch.length;
        const now = Date.now();
        if (now - lastReport.at >= 60_000) {
          // The rate over the last minute: shows whether the load slows down as the tables grow.
          const rate = ((done - lastReport.done) * 1000) / (now - lastReport.at);
          process.stderr.write(
            `loaded ${done}/${n} after ${Math.round((now - started) / 1000)} s, ${Math.round(rate)} assets/s\n`,
          );
          lastReport = { at: now, done };
        }
      }
    };
    // The generator is shared: each worker takes the next asset.
    await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(
      `loaded ${n - count} assets in ${Math.round(seconds)} s, ${Math.round((n - count) / seconds)} assets/s${bulk ? ' (bulk)' : ''}\n`,
    );
    bulkLoaded = bulk;
  }
  await buildIndexes(db); // after a bulk load, or a stopped one
  // Index-only scans of the postings need the visibility map set; autovacuum would get there later.
  const vacuumed = Date.now();
  for (const table of ['search_postings', 'search_documents', 'search_suggestions']) {
    await db.query(`VACUUM ANALYZE ${table}`);
  }
  process.stderr.write(`vacuumed and analyzed in ${Math.round((Date.now() - vacuumed) / 1000)} s\n`);
  const [stats] = await db.query('SELECT 1 FROM search_term_stats WHERE tenant_id = $1 LIMIT 1', [tenantId]);
  if (bulkLoaded || !stats) {
    const started = Date.now();
    await index.finishBulkLoad(tenantId);
    process.stderr.write(`counted document frequencies in ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
  await db.query('VACUUM ANALYZE search_term_stats');

  const runs = Number(values.runs);
  const baselineRuns = values['no-baseline'] ? 0 : Math.min(runs, Number(values['baseline-runs'] ?? runs));
  console.log(
    `Search latency on ${n} assets (${runs} runs per kind, ${baselineRuns} of the baseline, tenant ${tenantId})`,
  );
  console.log('kind                   | BM25 p50 / p95 ms | ts_rank_cd p50 / p95 ms | p95 ratio');
  for (const [kind, queries] of Object.entries(QUERIES)) {
    if (values.only && !kind.includes(values.only)) continue;
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      const q = queries[i % queries.length]!;
      let t0 = performance.now();
      await index.search(tenantId, { text: q, limit: 20 });
      ours.push(performance.now() - t0);
      // The first runs, which cycle through the kind's queries like the rest.
      if (i >= baselineRuns) continue;
      t0 = performance.now();
      // The plain baseline: OR of the words (a phrase stays a phrase), ranked by ts_rank_cd over every match.
      await db.query(
        `SELECT asset_id, ts_rank_cd(document, q) AS rank
         FROM search_documents, (SELECT CASE WHEN $2 LIKE '"%' THEN phraseto_tsquery('english', $2)
                                        ELSE replace(plainto_tsquery('english', $2)::text, '&', '|')::tsquery END AS q) x
         WHERE tenant_id = $1 AND document @@ q ORDER BY rank DESC LIMIT 20`,
        [tenantId, q],
      );
      baseline.push(performance.now() - t0);
    }
    const f = (x: number) => x.toFixed(1).padStart(6);
    const base = baseline.length
      ? `${f(percentile(baseline, 50))} / ${f(percentile(baseline, 95))}        | ${(percentile(baseline, 95) / percentile(ours, 95)).toFixed(2)}x`
      : '     - /      -        | -';
    console.log(`${kind.padEnd(22)} | ${f(percentile(ours, 50))} / ${f(percentile(ours, 95))} | ${base}`);
  }
  // Suggestions have no ts_rank_cd counterpart: their own latency, for prefixes of one to four letters.
  const suggestTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const prefix = SUGGEST_PREFIXES[i % SUGGEST_PREFIXES.length]!;
    const t0 = performance.now();
    await index.suggest(tenantId, prefix, 10);
    suggestTimes.push(performance.now() - t0);
  }
  console.log(
    `suggest (prefix)       | ${percentile(suggestTimes, 50).toFixed(1).padStart(6)} / ${percentile(suggestTimes, 95).toFixed(1).padStart(6)} |`,
  );
  await db.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
