/**
 * The extractors' CPU per asset on TED talks, per capability (issue 23, "Extraction cost"): the
 * talks' tags train the tenant's topic and tag models as the label training does, then every talk is
 * extracted with all capabilities, a few rounds, one core. `--dump out.json` writes every talk's
 * enrichment, so two builds can be compared for identical output. ted_main.csv has no transcripts:
 * `--transcripts` gives each talk a stand-in, the descriptions of the talks after it (6,000
 * characters, past the 5,000 that names are looked for in).
 * `--alone` then runs each capability alone over all talks, timed by the process's CPU time.
 *   npx tsx bench/scratch/extraction-cost.ts [--talks 600] [--rounds 3] [--transcripts] [--alone] [--dump out.json]
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Asset } from '../../domain/asset.js';
import { gazetteerFor } from '../../enrichment/brands.js';
import { CAPABILITIES, classifierText, extractAll } from '../../enrichment/extract.js';
import { countTerms, documentTerms } from '../../enrichment/keywords.js';
import { LabelModel } from '../../enrichment/label-model.js';
import { DEFAULT_TAXONOMY, topicsForTags } from '../../enrichment/topics.js';
import { readTedCsv } from '../../scripts/lib/ted.js';
import { Renames } from '../../domain/tag-renames.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: '../shared/datasets/ted/ted_main.csv' },
    talks: { type: 'string', default: '600' },
    rounds: { type: 'string', default: '3' },
    dump: { type: 'string' },
    transcripts: { type: 'boolean', default: false },
    alone: { type: 'boolean', default: false },
  },
});

const assets: Asset[] = [];
for await (const t of readTedCsv(values.file)) {
  if (assets.length >= Number(values.talks)) break;
  assets.push({
    id: randomUUID(),
    tenantId: 'bench',
    type: t.type,
    title: t.title,
    description: t.description,
    transcript: '',
    fileHash: t.fileHash,
    sourceSystem: t.sourceSystem,
    sourceId: t.sourceId,
    tags: t.tags,
    speakers: [],
    contributors: [],
    operationalTags: [],
    technicalMetadata: t.technicalMetadata,
    links: [],
    status: 'PROCESSING',
    statusDetail: null,
    version: 1,
    versionId: randomUUID(),
    enrichment: null,
    enrichedFromVersion: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
}

if (values.transcripts)
  for (const [i, a] of assets.entries()) {
    let transcript = '';
    for (let j = i + 1; transcript.length < 6000 && j < i + assets.length; j++)
      transcript += `${assets[j % assets.length]!.description}\n`;
    a.transcript = transcript.slice(0, 6000);
  }

const examples = assets.map((a) => ({ text: classifierText(a), tags: a.tags }));
const topicModel = LabelModel.train(
  examples.map((e) => ({ text: e.text, labels: topicsForTags(DEFAULT_TAXONOMY, e.tags) })),
);
const tagModel = LabelModel.train(examples.map((e) => ({ text: e.text, labels: e.tags })));
const df = new Map<string, number>();
for (const a of assets) for (const t of documentTerms(countTerms(a))) df.set(t, (df.get(t) ?? 0) + 1);
const corpus = { documentCount: assets.length, df };
const base = {
  corpus,
  taxonomy: DEFAULT_TAXONOMY,
  topicModel,
  tagModel,
  gazetteer: gazetteerFor([]),
  renames: new Renames([]),
};

const perCapability = new Map<string, number[]>();
const totals: number[] = [];
const cpuTotals: number[] = [];
let outputs: unknown[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  const sums = new Map<string, number>();
  outputs = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const a of assets) {
    const result = extractAll(a, { ...base, counts: countTerms(a) }, CAPABILITIES);
    for (const [c, ms] of Object.entries(result.timings)) sums.set(c, (sums.get(c) ?? 0) + ms);
    outputs.push(result.enrichment);
  }
  totals.push((performance.now() - t0) / assets.length);
  const cpu = process.cpuUsage(cpu0);
  cpuTotals.push((cpu.user + cpu.system) / 1000 / assets.length);
  for (const [c, ms] of sums) perCapability.set(c, [...(perCapability.get(c) ?? []), ms / assets.length]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) =>
  `${median(xs).toFixed(3)} ms [${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}]`;
console.log(
  `${assets.length} TED talks, ${values.rounds} rounds, ms per asset (median [min–max] over rounds)`,
);
for (const [c, xs] of perCapability) console.log(`  ${c.padEnd(9)} ${fmt(xs)}`);
console.log(`  all       ${fmt(totals)} (with counting terms)`);
// The capabilities' times are wall-clock; on a machine shared with other work, the process's own
// CPU time for the same rounds says more.
console.log(`  all, CPU  ${fmt(cpuTotals)} (user + system time of this process)`);
if (values.dump) writeFileSync(values.dump, JSON.stringify(outputs, null, 1));

if (values.alone) {
  // Topics and tags alone each stem the text that they share when run together.
  console.log('each capability alone, CPU ms per asset (median [min–max] over rounds)');
  const contexts = assets.map((a) => ({ ...base, counts: countTerms(a) }));
  for (const c of CAPABILITIES) {
    const xs: number[] = [];
    for (let round = 0; round < Number(values.rounds); round++) {
      const cpu0 = process.cpuUsage();
      assets.forEach((a, i) => extractAll(a, contexts[i]!, [c]));
      const cpu = process.cpuUsage(cpu0);
      xs.push((cpu.user + cpu.system) / 1000 / assets.length);
    }
    console.log(`  ${c.padEnd(9)} ${fmt(xs)}`);
  }
}
