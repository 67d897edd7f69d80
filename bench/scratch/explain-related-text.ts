/*
 * Where the text signal of related content spends its time on Postgres: runs the two more-like-this
 * lookups the discovery service makes per related request (the asset's own terms, then with its
 * 10 best matches' terms added) for random assets of a loaded bench database, times every statement
 * they send, and prints EXPLAIN (ANALYZE, BUFFERS) of one asset's statements. For profiling, not a
 * benchmark:
 *
 *   npx tsx bench/scratch/explain-related-text.ts --database bench_100k [--assets 20] [--explain]
 */
import { parseArgs } from 'node:util';
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import type { Database, Sql } from '../../store/database.js';
import { openDatabase } from '../../store/db.js';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';
import { inTenantScope } from '../../store/tenant-isolation.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    database: { type: 'string' },
    tenant: { type: 'string', default: 'tenant-1' },
    assets: { type: 'string', default: '20' },
    explain: { type: 'boolean', default: false },
  },
});
if (!args.database) throw new Error('--database: a loaded bench database (npm run bench -- --load-only)');
const url = new URL(args.url);
url.pathname = `/${args.database}`;
const db = await openDatabase({ url: url.toString() });

interface Sent {
  text: string;
  params: readonly unknown[];
  ms: number;
}
let sent: Sent[] = [];
const recording = (sql: Sql): Sql => ({
  query: async (text, params) => {
    const t0 = performance.now();
    const rows = await sql.query(text, params);
    sent.push({ text, params: params ?? [], ms: performance.now() - t0 });
    return rows as never;
  },
});
const recorded: Database = {
  kind: db.kind,
  query: (text, params) => recording(db).query(text, params),
  transaction: (fn) => db.transaction((tx) => fn(recording(tx))),
  exec: (script) => db.exec(script),
  close: () => db.close(),
};
const index = new PostgresSearchIndex(projectionAccess(recorded, 'search'));
const label = (text: string) => text.replace(/\s+/g, ' ').slice(0, 70);

try {
  const ids = (
    await db.query<{ asset_id: string }>(
      'SELECT asset_id FROM search_documents WHERE tenant_id = $1 ORDER BY md5(asset_id::text) LIMIT $2',
      [args.tenant, Number(args.assets) + 1],
    )
  ).map((r) => r.asset_id);
  const byStatement = new Map<string, number[]>();
  const totals: number[] = [];
  const lookups = async (id: string) => {
    const first = await index.moreLikeThis(args.tenant, id, { limit: 10, explain: true });
    await index.moreLikeThis(args.tenant, id, {
      limit: 10,
      explain: true,
      alsoLike: first.slice(0, 10).map((h) => h.assetId),
    });
  };
  // The first asset warms the caches and is not counted.
  for (const [i, id] of ids.entries()) {
    sent = [];
    const t0 = performance.now();
    await inTenantScope(args.tenant, () => lookups(id));
    if (i === 0) continue;
    totals.push(performance.now() - t0);
    for (const s of sent) {
      const k = label(s.text);
      byStatement.set(k, [...(byStatement.get(k) ?? []), s.ms]);
    }
  }
  const sorted = [...totals].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  console.log(`both lookups, ${totals.length} assets: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`);
  for (const [k, ms] of [...byStatement].sort(
    (a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y),
  )) {
    const mean = ms.reduce((a, b) => a + b, 0) / totals.length;
    console.log(`${mean.toFixed(1).padStart(7)} ms/asset  ${String(ms.length).padStart(4)}×  ${k}`);
  }
  if (args.explain) {
    sent = [];
    await inTenantScope(args.tenant, () => lookups(ids[1]!));
    for (const s of sent.filter((x) => !/set_config/.test(x.text))) {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.params);
      console.log(`\n---- ${label(s.text)} (${s.ms.toFixed(1)} ms)`);
      console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
    }
  }
} finally {
  await db.close();
}
