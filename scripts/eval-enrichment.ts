/**
 * Measures enrichment on TED talks: trains on most talks, holds out the given tags and speaker of
 * the rest, enriches those through the real pipeline, and scores what comes back.
 *   npm run eval:enrichment [-- --file ../shared/datasets/ted/ted_main.csv --sample 1000 --check]
 * Runs on a throwaway in-memory PGlite; --server uses DATABASE_URL instead (faster, but it leaves the
 * eval tenant's rows there). --check exits 1 below the bars.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AssetInputSchema } from '../domain/asset.js';
import { stem } from '../enrichment/nlp.js';
import { speakerKey } from '../enrichment/speakers.js';
import { existingFile, numberFlag, parseCli, runCli } from './lib/cli.js';
import { startEvalContainer } from './lib/eval-app.js';
import { readTedCsv, type TedAsset } from './lib/ted.js';

const BARS = { tagRecallAt10: 0.35, speakerAccuracyNamed: 0.8 };

const USAGE =
  'npm run eval:enrichment -- [--file ted_main.csv] [--sample N] [--test-share 0.2] [--check] [--server]';

const bucket = (url: string) => createHash('sha256').update(url).digest().readUInt32BE(0) / 2 ** 32;
/** Tags compare by their stemmed words, so "children" predicted matches "children" given, "climate" ≠ "climate change". */
const tagKey = (tag: string) =>
  tag
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(stem)
    .join(' ');
const round = (x: number) => Math.round(x * 1000) / 1000;
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

runCli(async () => {
  const { values } = parseCli(USAGE, {
    file: { type: 'string', default: '../shared/datasets/ted/ted_main.csv' },
    sample: { type: 'string' },
    'test-share': { type: 'string', default: '0.2' },
    check: { type: 'boolean', default: false },
    server: { type: 'boolean', default: false },
  });
  const file = existingFile(values.file, 'file', 'a file in the ted_main.csv format');
  const sample = values.sample === undefined ? undefined : numberFlag('sample', values.sample, { min: 1 });
  const share = numberFlag('test-share', values['test-share'], { min: 0.01, max: 0.99, integer: false });
  let talks: TedAsset[] = [];
  for await (const t of readTedCsv(file)) talks.push(t);
  // A deterministic sample: the talks whose URL hashes lowest.
  if (sample) talks = talks.sort((a, b) => bucket(a.sourceId) - bucket(b.sourceId)).slice(0, sample);
  const isTest = (t: TedAsset) => bucket(`test:${t.sourceId}`) < share;
  const train = talks.filter((t) => !isTest(t));
  const test = talks.filter(isTest);

  const c = await startEvalContainer(values.server);
  const tenantId = `eval-${Date.now()}`;
  await c.apiKeys.create({ tenantId, name: 'eval', role: 'ADMIN' });
  await c.startWorkers();
  const who = { tenantId, actor: 'eval' };
  const started = Date.now();

  const ingest = async (inputs: TedAsset[]) => {
    const ids: string[] = [];
    for (let i = 0; i < inputs.length; i += 500) {
      const results = await c.ingest.ingest(
        who,
        inputs.slice(i, i + 500).map((x) => AssetInputSchema.parse(x)),
      );
      ids.push(...results.map((r) => r.asset.id));
    }
    const { settled } = await c.assets.waitUntilSettled(tenantId, ids, 600_000);
    if (!settled) throw new Error('enrichment did not finish in time');
    return ids;
  };

  await ingest(train);
  await c.enrichmentSettings.train(who);
  for (
    let i = 0;
    (await c.db.query('SELECT 1 FROM label_models WHERE tenant_id = $1', [tenantId])).length < 2;
    i++
  ) {
    if (i > 1200) throw new Error('label models were not trained');
    await sleep(100);
  }
  const heldOut = test.map((t) => ({ ...t, tags: [], speakers: [] }));
  const ids = await ingest(heldOut);
  const assets = new Map(
    (await Promise.all(ids.map((id) => c.assets.get(tenantId, id)))).map((a) => [a.id, a]),
  );

  let p5 = 0;
  let r10 = 0;
  let named = 0;
  let namedHits = 0;
  let allHits = 0;
  test.forEach((talk, i) => {
    const asset = assets.get(ids[i]!)!;
    const gold = new Set(talk.tags.map(tagKey));
    const predicted = [...new Set((asset.enrichment?.tags ?? []).map((t) => tagKey(t.name)))];
    p5 += predicted.slice(0, 5).filter((p) => gold.has(p)).length / 5;
    r10 += gold.size ? predicted.slice(0, 10).filter((p) => gold.has(p)).length / gold.size : 0;
    const speaker = talk.speakers[0];
    if (!speaker) return;
    const hit = (asset.enrichment?.speakers ?? []).some((s) => speakerKey(s.name) === speakerKey(speaker));
    if (hit) allHits++;
    const last = fold(speaker).split(/\s+/).pop() ?? '';
    if (last && fold(talk.description).includes(last)) {
      named++;
      if (hit) namedHits++;
    }
  });
  const n = test.length;
  const withSpeaker = test.filter((t) => t.speakers.length > 0).length;
  const result = {
    talks: talks.length,
    trainedOn: train.length,
    heldOut: n,
    tagPrecisionAt5: round(p5 / n),
    tagRecallAt10: round(r10 / n),
    speakerAccuracyAll: round(allHits / withSpeaker),
    speakerAccuracyNamed: round(namedHits / named),
    talksNamingSpeaker: named,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  await c.close();

  console.log(`Enrichment evaluation on ${file}`);
  console.log(`  trained on ${result.trainedOn} talks with their tags and speakers; held out ${n}`);
  console.log(`  keyword/tag precision@5            ${result.tagPrecisionAt5.toFixed(3)}`);
  console.log(
    `  keyword/tag recall@10              ${result.tagRecallAt10.toFixed(3)}   (bar ${BARS.tagRecallAt10})`,
  );
  console.log(`  speaker accuracy, all talks        ${result.speakerAccuracyAll.toFixed(3)}`);
  console.log(
    `  speaker accuracy, description names them (${named})  ${result.speakerAccuracyNamed.toFixed(3)}   (bar ${BARS.speakerAccuracyNamed})`,
  );
  console.log(JSON.stringify(result));
  if (
    values.check &&
    (result.tagRecallAt10 < BARS.tagRecallAt10 || result.speakerAccuracyNamed < BARS.speakerAccuracyNamed)
  ) {
    console.error('below the bar');
    process.exit(1);
  }
});
