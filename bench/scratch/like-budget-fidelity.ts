/*
 * What a more-like-this lookup's budget of postings (LIKE_POSTINGS in search/postgres/ranking.ts)
 * costs in fidelity and saves in time on a loaded bench database: for random assets, the lookup's
 * top 10 read within each budget beside the one read to BM25.postingsPerTerm per term, as the
 * overlap of the two top 10s, with both lookups of a related request (the asset alone, then with its
 * 10 best matches from the full read as feedback) timed side by side, alternating. For tuning, not
 * a benchmark:
 *
 *   npx tsx bench/scratch/like-budget-fidelity.ts --database bench_100k [--assets 40] [--budgets 2000,4000,8000] [--rescore 100]
 */
import { parseArgs } from 'node:util';
import { likePostingCaps, likeSnapshot } from '../../search/postgres/query-terms.js';
import { rankLike } from '../../search/postgres/retrieval.js';
import { openDatabase } from '../../store/db.js';
import type { Sql } from '../../store/database.js';
import { inTenantScope } from '../../store/tenant-isolation.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    database: { type: 'string' },
    tenant: { type: 'string', default: 'tenant-1' },
    assets: { type: 'string', default: '40' },
    budgets: { type: 'string', default: '2000,4000,8000' },
    /** Candidates scored again from their own postings (LIKE_POSTINGS.rescore). */
    rescore: { type: 'string', default: '100' },
  },
});
if (!args.database) throw new Error('--database: a loaded bench database (npm run bench -- --load-only)');
const url = new URL(args.url);
url.pathname = `/${args.database}`;
const db = await openDatabase({ url: url.toString() });
const tenantId = args.tenant;

/** The lookup's best ids (the asset itself left out), read within `budget` (null: the full read). */
async function lookup(tx: Sql, assetId: string, budget: number | null, alsoLike: string[] = [], limit = 10) {
  return (await scored(tx, assetId, budget, alsoLike, limit)).map((h) => h.assetId);
}

async function scored(tx: Sql, assetId: string, budget: number | null, alsoLike: string[], limit: number) {
  const snapshot = await likeSnapshot(tx, tenantId, assetId, alsoLike);
  if (!snapshot || snapshot.t.length === 0) return [];
  const page = await rankLike(tx, {
    tenantId,
    snapshot,
    limit: limit + 1,
    explain: false,
    budget:
      budget === null
        ? undefined
        : {
            perTerm: likePostingCaps(
              snapshot.t.map((_, i) => ({ weight: snapshot.w[i]!, df: snapshot.df[i]! })),
              snapshot.n,
              budget,
            ),
            rescore: Number(args.rescore),
          },
  });
  return page.hits.filter((h) => h.assetId !== assetId).slice(0, limit);
}

/**
 * What the approximate top 10 is worth against the exact one: the sum of their exact scores over the
 * exact top 10's (a hit past the exact top 500 counted at the 500th's score, an upper bound).
 */
const worth = (approx: string[], exact: { assetId: string; score: number }[]) => {
  const score = new Map(exact.map((h) => [h.assetId, h.score]));
  const floor = exact.at(-1)?.score ?? 0;
  const best = exact.slice(0, 10).reduce((a, h) => a + h.score, 0);
  return best === 0 ? 1 : approx.reduce((a, id) => a + (score.get(id) ?? floor), 0) / best;
};

const overlap = (a: string[], b: string[]) =>
  b.length === 0 ? 1 : a.filter((x) => b.includes(x)).length / b.length;

try {
  const ids = (
    await db.query<{ asset_id: string }>(
      'SELECT asset_id FROM search_documents WHERE tenant_id = $1 ORDER BY md5(asset_id::text) LIMIT $2',
      [tenantId, Number(args.assets)],
    )
  ).map((r) => r.asset_id);
  const budgets: (number | null)[] = [null, ...args.budgets.split(',').map(Number)];
  const times = new Map<number | null, number[]>(budgets.map((b) => [b, []]));
  const fidelity = new Map<
    number | null,
    { first: number[]; second: number[]; worthFirst: number[]; worthSecond: number[] }
  >(budgets.map((b) => [b, { first: [], second: [], worthFirst: [], worthSecond: [] }]));
  for (const [i, id] of ids.entries()) {
    await inTenantScope(tenantId, () =>
      db.transaction(async (tx) => {
        const exactFirst = await lookup(tx, id, null);
        const exactSecond = await lookup(tx, id, null, exactFirst);
        const deepFirst = await scored(tx, id, null, [], 500);
        const deepSecond = await scored(tx, id, null, exactFirst, 500);
        // Alternating: each asset starts with another budget.
        const order = budgets.map((_, k) => budgets[(k + i) % budgets.length]!);
        for (const b of order) {
          const t0 = performance.now();
          const first = await lookup(tx, id, b);
          const second = await lookup(tx, id, b, first);
          times.get(b)!.push(performance.now() - t0);
          fidelity.get(b)!.first.push(overlap(first, exactFirst));
          fidelity.get(b)!.second.push(overlap(second, exactSecond));
          fidelity.get(b)!.worthFirst.push(worth(first, deepFirst));
          fidelity.get(b)!.worthSecond.push(worth(second, deepSecond));
        }
      }),
    );
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const pct = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  console.log(
    `${ids.length} assets of ${args.database}; both lookups per asset (no explain); rescore ${args.rescore}`,
  );
  console.log(
    '| budget | p50 ms | p95 ms | top-10 overlap, first | with feedback | exact score kept, first | with feedback |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const b of budgets) {
    const t = times.get(b)!;
    const f = fidelity.get(b)!;
    console.log(
      `| ${b ?? 'full (5,000 per term)'} | ${pct(t, 0.5).toFixed(1)} | ${pct(t, 0.95).toFixed(1)} | ${mean(f.first).toFixed(3)} | ${mean(f.second).toFixed(3)} | ${mean(f.worthFirst).toFixed(3)} | ${mean(f.worthSecond).toFixed(3)} |`,
    );
  }
} finally {
  await db.close();
}
