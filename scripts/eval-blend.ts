/**
 * Does blending graph proximity into search help? On TED talks loaded through the API: a speaker's
 * name should return that speaker's talks, a tag should return the talks TED tagged with it.
 *   npm run eval:blend [-- --sample 1000] [--modes lexical,semantic,hybrid] [--semantic-weights 0.1,0.5,1] [--blends none,graph,auto]
 * Prints recall@10 (and nDCG@10) per query kind, with blend=none and blend=graph, for each search mode
 * in --modes (lexical, semantic, hybrid), and for hybrid search with each weight of the vector ranking
 * in --semantic-weights (SEMANTIC_WEIGHT; semantic search on: SEMANTIC_SEARCH=true).
 */
import { z } from 'zod';
import { SEARCH_MODES } from '../services/discovery-service.js';
import { tedTagSample, type TedAsset } from './lib/ted.js';
import { numberListFlag, parseCli, runCli } from './lib/cli.js';
import { ingestSettled, startEvalApp } from './lib/eval-app.js';
import { ndcgAt, recallAt } from './lib/trec-collection.js';

const USAGE =
  'npm run eval:blend -- [--csv ted_main.csv] [--sample 1000] [--tag-min 3] [--tag-max 60] [--modes lexical,semantic,hybrid] [--semantic-weights 0.1,0.5,1] [--blends none,graph,auto] [--server]';

const options = () =>
  parseCli(USAGE, {
    csv: { type: 'string', default: '../shared/datasets/ted/ted_main.csv' },
    sample: { type: 'string', default: '1000' },
    server: { type: 'boolean', default: false },
    /** Tags on at least this many and at most this many talks of the sample become queries. */
    'tag-min': { type: 'string', default: '3' },
    'tag-max': { type: 'string', default: '60' },
    modes: { type: 'string', default: 'lexical' },
    'semantic-weights': { type: 'string', default: '' },
    /** The blends scored (each a search per query and run): fewer make a sweep on a busy machine finish. */
    blends: { type: 'string', default: 'none,graph,auto' },
  }).values;

async function main(values: ReturnType<typeof options>): Promise<void> {
  const { talks, tagMin, tagMax } = await tedTagSample(values);
  const weights = numberListFlag('semantic-weights', values['semantic-weights'], { max: 10, integer: false });
  const { app, headers, close, container, tenantId } = await startEvalApp({
    server: values.server,
    tenantPrefix: 'blend',
  });
  const idOf = new Map<string, string>(); // asset id -> TED source id
  for (let i = 0; i < talks.length; i += 250) {
    for (const item of await ingestSettled(app, headers, talks.slice(i, i + 250))) {
      idOf.set(item.asset.id, item.asset.sourceId);
    }
    process.stderr.write(`\rloaded ${Math.min(i + 250, talks.length)}/${talks.length}`);
  }
  process.stderr.write('\n');

  // Ground truth from the data itself: the talks of each speaker, the talks with each tag.
  const group = (key: (t: TedAsset) => string[]) => {
    const out = new Map<string, Set<string>>();
    for (const t of talks) for (const k of key(t)) out.set(k, (out.get(k) ?? new Set()).add(t.sourceId));
    return out;
  };
  const speakers = [...group((t) => t.speakers)].filter(([, ids]) => ids.size >= 2);
  const tags = [...group((t) => t.tags)].filter(([, ids]) => ids.size >= tagMin && ids.size <= tagMax);
  const kinds = { speaker: speakers, tag: tags };

  type Blend = 'none' | 'graph' | 'auto';
  const blends = values.blends.split(',').map((b) => z.enum(['none', 'graph', 'auto']).parse(b.trim()));
  // Each run ranks a query with a blend: through the API per mode, or in process per weight of the
  // vector ranking (not a request parameter).
  const runs: { label: string; rank: (q: string, blend: Blend) => Promise<string[]> }[] = [
    ...values.modes.split(',').map((m) => {
      const mode = z.enum(SEARCH_MODES).parse(m.trim());
      return {
        label: `mode=${mode}`,
        rank: async (q: string, blend: Blend) => {
          const res = await app.inject({
            url: `/v1/search?limit=10&mode=${mode}&blend=${blend}&q=${encodeURIComponent(q)}`,
            headers,
          });
          if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${res.body}`);
          return res.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => idOf.get(h.asset.id)!);
        },
      };
    }),
    ...weights.map((weight) => ({
      label: `mode=hybrid, SEMANTIC_WEIGHT=${weight}`,
      rank: async (q: string, blend: Blend) =>
        (
          await container.discovery.searchAssets(tenantId, {
            q,
            limit: 10,
            blend,
            mode: 'hybrid',
            semanticWeight: weight,
          })
        ).hits.map((h) => idOf.get(h.asset.id)!),
    })),
  ];
  for (const run of runs) {
    console.log(`Blended search on ${talks.length} TED talks, ${run.label} (recall@10 / nDCG@10)`);
    console.log(`queries            | n   | ${blends.map((b) => `blend=${b}`.padEnd(15)).join(' | ')}`);
    for (const [kind, queries] of Object.entries(kinds)) {
      const scores = {
        none: { recall: 0, ndcg: 0 },
        graph: { recall: 0, ndcg: 0 },
        auto: { recall: 0, ndcg: 0 },
      };
      for (const [q, relevant] of queries) {
        for (const blend of blends) {
          const ranked = await run.rank(q, blend);
          scores[blend].recall += recallAt(10, ranked, relevant);
          scores[blend].ndcg += ndcgAt(10, ranked, relevant);
        }
      }
      const f = (s: { recall: number; ndcg: number }) =>
        `${(s.recall / queries.length).toFixed(3)} / ${(s.ndcg / queries.length).toFixed(3)}`;
      console.log(
        `${kind.padEnd(18)} | ${String(queries.length).padEnd(3)} | ${blends.map((b) => f(scores[b])).join(' | ')}`,
      );
    }
  }
  await close();
}

runCli(() => main(options()));
