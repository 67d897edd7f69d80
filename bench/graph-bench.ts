/**
 * Related-content and path latency on the Postgres graph adapter, with realistic entity frequency.
 *   DATABASE_URL=postgres://... npm run bench:graph -- --assets 100000 [--runs 200]
 * Loads the graph of a synthetic library (Zipf speakers, tags and keywords; the tag and keyword
 * "technology" on ~30% of assets, a few topics on ~20%) under its own tenant, then times
 * GraphStore.related for random assets and for assets on the largest supernode, and path queries.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { AssetEntity, AssetGraph } from '../graph/graph-store.js';
import { PostgresGraphStore } from '../graph/postgres-graph-store.js';
import { openBenchDatabase, percentile } from './lib.js';
import { seededRandom, syntheticLibrary } from '../scripts/lib/synthetic-library.js';

const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '2' },
  },
});

/** Keywords per asset: the first distinct words of its title and description (Zipf-distributed). */
const KEYWORDS_PER_ASSET = 8;
const TOPICS = new Set(['technology', 'climate', 'education', 'health', 'design', 'science', 'music']);
type SyntheticAsset = ReturnType<typeof syntheticLibrary> extends Generator<infer T> ? T : never;
/** Asset graphs per projection batch. */
const BATCH = 500;
/** Without autovacuum, the load vacuums the graph tables this often (assets). */
const VACUUM_EVERY = 50_000;

/** The graph of a synthetic asset: speakers, tags, topics among the tags, and its first words as keywords. */
function graphOf(a: SyntheticAsset): AssetGraph {
  const words = [...new Set(`${a.title} ${a.description}`.toLowerCase().match(/[a-z]+/g) ?? [])];
  const entities: AssetEntity[] = [
    ...a.speakers.map((name) => ({ type: 'SPEAKER' as const, name, weight: 1 })),
    ...a.tags.map((name) => ({ type: 'TAG' as const, name, weight: 1 })),
    ...a.tags.filter((t) => TOPICS.has(t)).map((name) => ({ type: 'TOPIC' as const, name, weight: 0.8 })),
    ...words.slice(0, KEYWORDS_PER_ASSET).map((name, i) => ({
      type: 'KEYWORD' as const,
      name,
      weight: 1 - i / (2 * KEYWORDS_PER_ASSET),
    })),
  ];
  return { assetId: randomUUID(), version: 1, entities, createdAt: a.createdAt };
}

async function time(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const n = Number(values.assets);
  const tenantId = `graph-bench-${n}`;
  const db = await openBenchDatabase(tenantId);
  const store = new PostgresGraphStore(db);

  const [{ count }] = (await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM graph_asset_projections WHERE tenant_id = $1',
    [tenantId],
  )) as [{ count: number }];
  if (count < n) {
    const started = Date.now();
    const library = syntheticLibrary({ assets: n, seed: 11, duplicateRate: 0 });
    // Resumable: the library is deterministic, so skip what a stopped load already wrote.
    for (let skipped = 0; skipped < count; skipped++) library.next();
    let done = count;
    // A server without autovacuum (as on the machine the figures come from) bloats the entity rows
    // the counts update, and plans from statistics of an empty tenant; the load does its work.
    const [{ autovacuum }] = (await db.query<{ autovacuum: string }>('SHOW autovacuum')) as [
      { autovacuum: string },
    ];
    let sinceVacuum = 0;
    const housekeeping = async () => {
      if (autovacuum === 'on' || (sinceVacuum += BATCH) < VACUUM_EVERY) return;
      sinceVacuum = 0;
      await db.query('VACUUM (ANALYZE) graph_nodes, graph_asset_projections, graph_tenant_stats');
      await db.query('ANALYZE asset_graph_nodes');
    };
    if (autovacuum !== 'on')
      process.stderr.write(`autovacuum is off: vacuuming every ${VACUUM_EVERY} assets\n`);
    const worker = async () => {
      for (;;) {
        const batch: AssetGraph[] = [];
        for (let next = library.next(); !next.done && batch.length < BATCH; next = library.next()) {
          batch.push(graphOf(next.value));
        }
        if (batch.length === 0) return;
        await store.projectMany(tenantId, batch);
        await housekeeping();
        done += batch.length;
        process.stderr.write(`\rloaded ${done}/${n}`);
      }
    };
    await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
    process.stderr.write(`\rloaded ${n} asset graphs in ${Math.round((Date.now() - started) / 1000)} s\n`);
    await db.query('VACUUM ANALYZE asset_graph_nodes');
    await db.query('VACUUM ANALYZE graph_nodes');
  }

  const [largest] = await db.query<{ type: string; name: string; asset_count: number }>(
    'SELECT type, name, asset_count FROM graph_nodes WHERE tenant_id = $1 ORDER BY asset_count DESC LIMIT 1',
    [tenantId],
  );
  const sample = async (sql: string) =>
    (await db.query<{ asset_id: string }>(sql, [tenantId, Number(values.runs)])).map((r) => r.asset_id);
  const random = await sample(
    'SELECT asset_id FROM graph_asset_projections WHERE tenant_id = $1 ORDER BY md5(asset_id::text) LIMIT $2',
  );
  const onSupernode = await sample(
    `SELECT l.asset_id FROM asset_graph_nodes l JOIN graph_nodes n ON n.tenant_id = l.tenant_id AND n.id = l.node_id
     WHERE l.tenant_id = $1 AND n.id = (SELECT id FROM graph_nodes WHERE tenant_id = $1 ORDER BY asset_count DESC LIMIT 1)
     ORDER BY md5(l.asset_id::text) LIMIT $2`,
  );
  const runs = Number(values.runs);
  const pick = seededRandom(3);
  const rows: [string, number[]][] = [
    [
      'related, random asset',
      await time(runs, (i) => store.related(tenantId, random[i % random.length]!, { limit: 10 })),
    ],
    [
      'related, on the supernode',
      await time(runs, (i) => store.related(tenantId, onSupernode[i % onSupernode.length]!, { limit: 10 })),
    ],
    [
      'path, random pair (≤ 4 links)',
      await time(runs, () =>
        store.path(
          tenantId,
          { kind: 'asset', assetId: random[Math.floor(pick() * random.length)]! },
          { kind: 'asset', assetId: random[Math.floor(pick() * random.length)]! },
          4,
        ),
      ),
    ],
  ];
  console.log(
    `Graph latency on ${n} assets (${runs} runs each); largest supernode: ${largest?.type} "${largest?.name}" on ${largest?.asset_count} assets`,
  );
  console.log('query                          | p50 ms | p95 ms | p99 ms');
  for (const [name, xs] of rows) {
    const f = (x: number) => x.toFixed(1).padStart(6);
    console.log(
      `${name.padEnd(30)} | ${f(percentile(xs, 50))} | ${f(percentile(xs, 95))} | ${f(percentile(xs, 99))}`,
    );
  }
  await db.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
