/**
 * Learning from clicks, measured (docs/clicks.md): simulated people search CISI and click by the
 * event generator's position-based click model (scripts/lib/synthetic-events.ts), each taking the
 * collection's judgments as their own relevance (a relevant document is as attractive as the
 * generator's most attractive result, any other as its least). Their search and click events go
 * into the analytics store, the click learning (services/click-learning-service.ts) recomputes the
 * boosts after every round of 10 sessions per query, and the search port ranks with them.
 *
 *   npm run eval:clicks -- [--collection ../shared/datasets/cisi/CISI] [--sessions 0,10,30,100]
 *                          [--spam 5000] [--seed 1] [--sample] [--server]
 *
 * The judged queries are split by their position in id order: odd positions are trained (their
 * people search and click), even ones held out (nobody searches them). Reported per N (sessions
 * per trained query so far): nDCG@10 on the trained and on the held-out queries. Then a spam
 * client (one user, one session) searches a held-out and a trained query and clicks one
 * non-relevant document of each `--spam` times: the rankings must not move.
 *
 * Documents are written into the search index directly (title, text and authors, as
 * eval:relevance ingests them, without enrichment) and events into the analytics store directly:
 * the pipeline and HTTP are the e2e tests' (test/e2e/click-learning.test.ts); this measures the
 * model and the ranking. `--sample` runs 20 queries with N 0 and 30, for CI.
 */
import { createHash } from 'node:crypto';
import { normalizeQuery } from '../domain/click-model.js';
import type { StoredEvent } from '../domain/interaction-events.js';
import { parseQuery } from '../search/query-parser.js';
import type { SearchDocument } from '../search/search-index.js';
import { CliError, existingFile, parseCli, runCli } from './lib/cli.js';
import { startEvalContainer } from './lib/eval-app.js';
import { ATTRACTIVENESS, pbmClicks, RESULTS_SHOWN } from './lib/synthetic-events.js';
import { seededRandom } from './lib/synthetic-library.js';
import { ndcgAt, readCollection } from './lib/trec-collection.js';

const USAGE =
  'npm run eval:clicks -- [--collection ../shared/datasets/cisi/CISI] [--sessions 0,10,30,100] [--spam 5000] [--seed 1] [--sample] [--server]';

const options = () =>
  parseCli(USAGE, {
    collection: { type: 'string', default: '../shared/datasets/cisi/CISI' },
    sessions: { type: 'string', default: '0,10,30,100' },
    spam: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    sample: { type: 'boolean', default: false },
    server: { type: 'boolean', default: false },
  }).values;

/** Sessions per trained query between two recomputations of the boosts. */
const ROUND = 10;
/** Queries a --sample run evaluates (half trained). */
const SAMPLE_QUERIES = 20;

/** A stable uuid per document, so that runs and backends agree. */
function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function main(values: ReturnType<typeof options>): Promise<void> {
  const checkpoints = (values.sample ? '0,30' : values.sessions)
    .split(',')
    .map((n) => Number(n.trim()))
    .sort((a, b) => a - b);
  if (checkpoints.some((n) => !Number.isInteger(n) || n < 0 || n > 1_000))
    throw new CliError('--sessions is a comma-separated list of whole numbers from 0 to 1000');
  const spamClicks = Number(values.spam);
  const seed = Number(values.seed);
  if (!Number.isInteger(spamClicks) || spamClicks < 0 || spamClicks > 100_000)
    throw new CliError('--spam is a whole number from 0 to 100000');
  if (!Number.isInteger(seed)) throw new CliError('--seed is a whole number');
  for (const ext of ['ALL', 'QRY', 'REL'])
    existingFile(
      `${values.collection}.${ext}`,
      'collection',
      'a collection prefix such as ../shared/datasets/cisi/CISI',
    );
  const started = Date.now();
  const collection = await readCollection(values.collection);
  const container = await startEvalContainer(values.server);
  const tenantId = `clicks-${Date.now()}`;
  // Makes the tenant (the boosts' tables reference it).
  await container.apiKeys.create({ tenantId, name: 'eval', role: 'ADMIN' });
  const docOf = new Map<string, string>();
  const idOf = new Map<string, string>();
  const now = new Date();
  const docs: SearchDocument[] = collection.documents.map((d) => {
    const assetId = uuidOf(`${values.collection}:${d.id}`);
    docOf.set(assetId, d.id);
    idOf.set(d.id, assetId);
    return {
      assetId,
      version: 1,
      type: 'TEXT',
      sourceSystem: 'collection',
      status: 'PROCESSED',
      title: d.title.slice(0, 1000),
      description: d.text.slice(0, 20_000),
      transcript: '',
      tags: [],
      speakers: d.authors.slice(0, 20).map((a) => a.slice(0, 200)),
      people: [],
      topics: [],
      keywords: [],
      brands: [],
      technical: {},
      createdAt: now,
    };
  });
  for (let i = 0; i < docs.length; i += 200)
    await container.search.upsertMany(tenantId, docs.slice(i, i + 200));

  const judged = collection.queries.filter((q) => (collection.relevant.get(q.id)?.size ?? 0) > 0);
  const evaluated = values.sample ? judged.slice(0, SAMPLE_QUERIES) : judged;
  const queries = evaluated.map((q, i) => ({
    id: q.id,
    text: q.text.slice(0, 4000),
    relevant: collection.relevant.get(q.id)!,
    trained: i % 2 === 1,
  }));
  const trained = queries.filter((q) => q.trained);
  const heldOut = queries.filter((q) => !q.trained);

  /** The ranking as GET /v1/search makes it: the boosts of the query's text, then the search port. */
  const ranked = async (text: string): Promise<string[]> => {
    const clickBoosts = await container.clickLearning.boostsFor(tenantId, text);
    const page = await container.search.search(tenantId, {
      query: parseQuery(text, 'plain'),
      limit: 100,
      highlight: false,
      ...(clickBoosts.length ? { clickBoosts } : {}),
    });
    return page.hits.map((h) => docOf.get(h.assetId)!);
  };
  const ndcg = async (list: typeof queries) => {
    let sum = 0;
    for (const q of list) sum += ndcgAt(10, await ranked(q.text), q.relevant);
    return list.length ? sum / list.length : 0;
  };

  // Events, one millisecond apart, ending now: all inside the learning's window.
  let clock = Date.now() - 3 * 3_600_000;
  const event = (e: Partial<StoredEvent> & Pick<StoredEvent, 'type'>): StoredEvent => {
    const at = new Date(clock++);
    return {
      tenantId,
      id: uuidOf(`event:${seed}:${clock}:${Math.random()}`),
      assetId: null,
      userToken: null,
      sessionToken: null,
      occurredAt: at,
      receivedAt: at,
      position: null,
      search: null,
      context: {},
      consent: true,
      properties: null,
      asset: null,
      ...e,
    };
  };
  const record = async (events: StoredEvent[]) => {
    for (let i = 0; i < events.length; i += 1_000)
      await container.analytics.record(events.slice(i, i + 1_000));
  };
  /** One person's session on a query: a search of the list shown, then clicks by the PBM. */
  const session = (
    query: string,
    shown: string[],
    relevant: Set<string>,
    person: string,
    random: () => number,
  ): StoredEvent[] => {
    const ids = shown.slice(0, RESULTS_SHOWN).map((d) => idOf.get(d)!);
    const token = `tok_${createHash('md5').update(person).digest('hex')}`;
    const base = { userToken: token, sessionToken: `${token}-s` };
    const search = event({
      type: 'search',
      ...base,
      search: { query, resultIds: ids, totalHits: shown.length },
    });
    const attractiveness = shown
      .slice(0, RESULTS_SHOWN)
      .map((d) => (relevant.has(d) ? ATTRACTIVENESS.max : ATTRACTIVENESS.min));
    const clicks = pbmClicks(attractiveness, random).map((i) =>
      event({ type: 'click', ...base, assetId: ids[i]!, search: { query, clickedRank: i + 1 } }),
    );
    return [search, ...clicks];
  };

  const random = seededRandom(seed);
  const curve: { n: number; trained: number; heldOut: number }[] = [];
  let done = 0;
  const baseline = { trained: await ndcg(trained), heldOut: await ndcg(heldOut) };
  for (const n of checkpoints) {
    while (done < n) {
      const round = Math.min(ROUND, n - done);
      const events: StoredEvent[] = [];
      for (const q of trained) {
        const shown = await ranked(q.text);
        const query = normalizeQuery(q.text);
        for (let s = 0; s < round; s++)
          events.push(...session(query, shown, q.relevant, `${seed}:${q.id}:${done + s}`, random));
      }
      await record(events);
      await container.clickLearning.recompute(tenantId);
      done += round;
      process.stderr.write(`\r${done} sessions per trained query`);
    }
    curve.push(
      n === 0 ? { n, ...baseline } : { n, trained: await ndcg(trained), heldOut: await ndcg(heldOut) },
    );
  }
  process.stderr.write('\n');

  // A spam client: one person, one session, clicking one non-relevant document of a held-out and of
  // a trained query thousands of times (each click after a search of the query).
  const spamTargets = [heldOut[0], trained[0]].filter((q) => q !== undefined);
  const before = new Map<string, string[]>();
  for (const q of spamTargets) before.set(q.id, await ranked(q.text));
  if (spamClicks > 0) {
    const token = `tok_${createHash('md5').update(`spam:${seed}`).digest('hex')}`;
    const events: StoredEvent[] = [];
    for (const q of spamTargets) {
      const list = before.get(q.id)!;
      const shown = list.slice(0, RESULTS_SHOWN);
      // The least relevant result shown last: the one a spammer would want up.
      const target = [...shown].reverse().find((d) => !q.relevant.has(d)) ?? shown[shown.length - 1]!;
      const ids = shown.map((d) => idOf.get(d)!);
      const query = normalizeQuery(q.text);
      for (let i = 0; i < spamClicks; i++) {
        events.push(
          event({
            type: 'search',
            userToken: token,
            sessionToken: `${token}-s`,
            search: { query, resultIds: ids, totalHits: list.length },
          }),
          event({
            type: 'click',
            userToken: token,
            sessionToken: `${token}-s`,
            assetId: idOf.get(target)!,
            search: { query, clickedRank: shown.indexOf(target) + 1 },
          }),
        );
      }
    }
    await record(events);
    await container.clickLearning.recompute(tenantId);
  }
  const spam = [];
  for (const q of spamTargets) {
    const after = await ranked(q.text);
    const was = before.get(q.id)!;
    spam.push({
      query: q.id,
      trained: q.trained,
      moved: after.slice(0, 10).filter((d, i) => was[i] !== d).length,
      ndcgBefore: ndcgAt(10, was, q.relevant),
      ndcgAfter: ndcgAt(10, after, q.relevant),
    });
  }
  await container.close();

  const pct = (x: number, base: number) => (base > 0 ? `${(((x - base) / base) * 100).toFixed(1)}%` : 'n/a');
  console.log(
    `Learning from clicks on ${values.collection} (${collection.documents.length} documents; ${trained.length} trained and ${heldOut.length} held-out queries; seed ${seed}${values.sample ? '; sample' : ''})`,
  );
  console.log('  N sessions/query   nDCG@10 trained        nDCG@10 held-out');
  for (const p of curve)
    console.log(
      `  ${String(p.n).padStart(16)}   ${p.trained.toFixed(3)} (${pct(p.trained, baseline.trained).padStart(6)})   ${p.heldOut.toFixed(3)} (${pct(p.heldOut, baseline.heldOut).padStart(6)})`,
    );
  for (const s of spam)
    console.log(
      `  spam (${spamClicks} clicks on one document, ${s.trained ? 'trained' : 'held-out'} query ${s.query}): ${s.moved} of the top 10 moved; nDCG@10 ${s.ndcgBefore.toFixed(3)} → ${s.ndcgAfter.toFixed(3)}`,
    );
  console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const last = curve[curve.length - 1]!;
  const failures = [
    ...(last.n > 0 && last.trained < baseline.trained * 1.1 ? ['trained nDCG@10 rose by less than 10%'] : []),
    ...(curve.some((p) => p.heldOut < baseline.heldOut - 1e-9) ? ['held-out nDCG@10 fell'] : []),
    ...(spam.some((s) => s.moved > 0) ? ['the spam client moved a ranking'] : []),
  ];
  if (failures.length > 0) throw new Error(`eval:clicks failed: ${failures.join('; ')}`);
}

runCli(() => main(options()));
