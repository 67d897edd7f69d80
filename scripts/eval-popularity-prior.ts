/**
 * Does a popularity prior help relevance? On TED talks loaded through the API, with the tag and
 * speaker queries of eval:blend (a tag's talks are its relevant ones, a speaker's talks theirs):
 *   npx tsx scripts/eval-popularity-prior.ts [-- --sample 1000] [--days 28] [--plays-per-day 2]
 *
 * Popularity is simulated from the talks' real TED views, never from the judgments: each talk's
 * plays per day are Poisson with a mean proportional to its views (the median talk gets
 * --plays-per-day), over --days days, and domain/popularity.ts turns them into a decayed
 * popularity. Each query's first 100 hits (blend=none and blend=auto) are re-ranked with
 * `popularityPrior` for each weight; nDCG@10 and recall@10 are compared with the weight 0 (today's
 * ranking). The weight is chosen on the odd queries and reported on the even ones as well, so that
 * a gain is not one tuned on the queries it is measured on.
 */
import { computePopularity, popularityPrior, type DayActivity } from '../domain/popularity.js';
import { readTedCsv, type TedAsset } from './lib/ted.js';
import { existingFile, numberFlag, parseCli, runCli } from './lib/cli.js';
import { ingestSettled, startEvalApp } from './lib/eval-app.js';
import { seededRandom } from './lib/synthetic-library.js';
import { ndcgAt, recallAt } from './lib/trec-collection.js';

const USAGE =
  'npx tsx scripts/eval-popularity-prior.ts -- [--csv ted_main.csv] [--sample 1000] [--days 28] [--plays-per-day 2] [--seed 7] [--server]';

const WEIGHTS = [0, 0.05, 0.1, 0.2, 0.3, 0.5];
const DAY_MS = 86_400_000;

const options = () =>
  parseCli(USAGE, {
    csv: { type: 'string', default: '../shared/datasets/ted/ted_main.csv' },
    sample: { type: 'string', default: '1000' },
    days: { type: 'string', default: '28' },
    'plays-per-day': { type: 'string', default: '2' },
    seed: { type: 'string', default: '7' },
    server: { type: 'boolean', default: false },
  }).values;

/** Knuth's Poisson sampler (means here are small); a normal approximation past 30. */
function poisson(mean: number, random: () => number): number {
  if (mean > 30) {
    const u = Math.max(random(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

async function main(values: ReturnType<typeof options>): Promise<void> {
  const file = existingFile(values.csv, 'csv', 'a file in the ted_main.csv format');
  const sample = numberFlag('sample', values.sample, { min: 1 });
  const days = numberFlag('days', values.days, { min: 1 });
  const playsPerDay = Number(values['plays-per-day']);
  const random = seededRandom(numberFlag('seed', values.seed));
  const talks: TedAsset[] = [];
  for await (const talk of readTedCsv(file)) {
    talks.push(talk);
    if (talks.length === sample) break;
  }

  // Simulated popularity from the real views (no judgment involved).
  const views = talks.map((t) => t.technicalMetadata.viewCount ?? 0);
  const median = [...views].sort((a, b) => a - b)[Math.floor(views.length / 2)] || 1;
  const at = new Date(Date.UTC(2026, 11, 6, 12));
  const popularity = new Map<string, number>();
  for (const [i, talk] of talks.entries()) {
    const mean = (playsPerDay * views[i]!) / median;
    const activity: DayActivity[] = Array.from({ length: days }, (_, d) => ({
      day: new Date(Date.UTC(2026, 11, 6) - d * DAY_MS),
      views: poisson(mean, random),
      watchSeconds: 0,
    }));
    popularity.set(talk.sourceId, computePopularity(talk.sourceId, activity, at).popularity);
  }
  const maxPopularity = Math.max(...popularity.values());

  const { app, headers, close } = await startEvalApp({ server: values.server, tenantPrefix: 'prior' });
  const idOf = new Map<string, string>();
  for (let i = 0; i < talks.length; i += 250) {
    for (const item of await ingestSettled(app, headers, talks.slice(i, i + 250)))
      idOf.set(item.asset.id, item.asset.sourceId);
    process.stderr.write(`\rloaded ${Math.min(i + 250, talks.length)}/${talks.length}`);
  }
  process.stderr.write('\n');

  const group = (key: (t: TedAsset) => string[]) => {
    const out = new Map<string, Set<string>>();
    for (const t of talks) for (const k of key(t)) out.set(k, (out.get(k) ?? new Set()).add(t.sourceId));
    return out;
  };
  const kinds = {
    tag: [...group((t) => t.tags)].filter(([, ids]) => ids.size >= 3 && ids.size <= 60),
    speaker: [...group((t) => t.speakers)].filter(([, ids]) => ids.size >= 2),
  };

  console.log(
    `Popularity prior on ${talks.length} TED talks; simulated plays from TED views over ${days} days ` +
      `(median talk ${playsPerDay}/day). nDCG@10 / recall@10 by weight; "odd"/"even": query halves.`,
  );
  for (const blend of ['none', 'auto'] as const) {
    for (const [kind, queries] of Object.entries(kinds)) {
      // Per weight: sums over odd and even queries.
      const sums = WEIGHTS.map(() => ({ odd: { n: 0, r: 0 }, even: { n: 0, r: 0 } }));
      for (const [qi, [q, relevant]] of queries.entries()) {
        const res = await app.inject({
          url: `/v1/search?limit=100&blend=${blend}&q=${encodeURIComponent(q)}`,
          headers,
        });
        if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${res.body}`);
        const hits = res
          .json<{ hits: { asset: { id: string }; score: number }[] }>()
          .hits.map((h, rank) => ({ id: idOf.get(h.asset.id)!, score: h.score, rank }));
        for (const [wi, w] of WEIGHTS.entries()) {
          const ranked = hits
            .map((h) => ({
              ...h,
              prior: popularityPrior(h.score, popularity.get(h.id) ?? 0, maxPopularity, w),
            }))
            // Ties keep the engine's order.
            .sort((a, b) => b.prior - a.prior || a.rank - b.rank)
            .map((h) => h.id);
          const half = qi % 2 === 0 ? sums[wi]!.even : sums[wi]!.odd;
          half.n += ndcgAt(10, ranked, relevant);
          half.r += recallAt(10, ranked, relevant);
        }
      }
      const nOdd = Math.floor(queries.length / 2);
      const nEven = queries.length - nOdd;
      const fmt = (x: number, n: number) => (n === 0 ? '-' : (x / n).toFixed(3));
      console.log(`\nblend=${blend} ${kind} queries (${nOdd} odd, ${nEven} even)`);
      console.log('weight | odd nDCG / R@10 | even nDCG / R@10 | all nDCG / R@10');
      for (const [wi, w] of WEIGHTS.entries()) {
        const s = sums[wi]!;
        console.log(
          `${w.toFixed(2).padEnd(6)} | ${fmt(s.odd.n, nOdd)} / ${fmt(s.odd.r, nOdd)}   | ${fmt(s.even.n, nEven)} / ${fmt(s.even.r, nEven)}    | ${fmt(s.odd.n + s.even.n, queries.length)} / ${fmt(s.odd.r + s.even.r, queries.length)}`,
        );
      }
      const best = WEIGHTS.map((w, wi) => ({ w, odd: sums[wi]!.odd.n })).sort((a, b) => b.odd - a.odd)[0]!;
      const held = sums[WEIGHTS.indexOf(best.w)]!.even.n - sums[0]!.even.n;
      console.log(
        `best weight on the odd queries: ${best.w}; on the even ones it moves nDCG@10 by ${(held / Math.max(nEven, 1)).toFixed(3)}`,
      );
    }
  }
  await close();
}

runCli(() => main(options()));
