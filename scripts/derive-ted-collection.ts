/**
 * A test collection in CISI's format (.ALL/.QRY/.REL) derived from TED talks, for
 * `npm run eval:relevance -- --collection <out>/TED`: a second collection of another kind (media
 * metadata, short queries) to check that what gains on CISI does not lose elsewhere.
 *   npx tsx scripts/derive-ted-collection.ts [--csv ted_main.csv] [--sample 2550] [--out /tmp/ted-collection]
 * Documents are the talks (title, speaker as author, description as text; tags left out, as they are
 * what is searched for). Queries are the tags on `--tag-min` to `--tag-max` talks of the sample; a
 * talk is relevant to a tag TED gave it. Judgments are editorial tags, not read relevance: a talk about
 * the subject without the tag counts as not relevant, so absolute figures are low; compare rows.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCli, runCli } from './lib/cli.js';
import { tedTagSample } from './lib/ted.js';

const USAGE =
  'npx tsx scripts/derive-ted-collection.ts -- [--csv ted_main.csv] [--sample 2550] [--tag-min 5] [--tag-max 100] [--out dir]';

const options = () =>
  parseCli(USAGE, {
    csv: { type: 'string', default: '../shared/datasets/ted/ted_main.csv' },
    sample: { type: 'string', default: '2550' },
    'tag-min': { type: 'string', default: '5' },
    'tag-max': { type: 'string', default: '100' },
    out: { type: 'string', default: '/tmp/ted-collection' },
  }).values;

async function main(values: ReturnType<typeof options>): Promise<void> {
  const { talks, tagMin, tagMax } = await tedTagSample(values);
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  const all = talks
    .map(
      (t, i) =>
        `.I ${i + 1}\n.T\n${flat(t.title)}\n.A\n${t.speakers.map(flat).join('\n')}\n.W\n${flat(t.description)}\n`,
    )
    .join('');
  const byTag = new Map<string, number[]>();
  talks.forEach((t, i) => {
    for (const tag of new Set(t.tags.map((x) => x.toLowerCase())))
      byTag.set(tag, [...(byTag.get(tag) ?? []), i + 1]);
  });
  const queries = [...byTag]
    .filter(([, ids]) => ids.length >= tagMin && ids.length <= tagMax)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const qry = queries.map(([tag], i) => `.I ${i + 1}\n.W\n${flat(tag)}\n`).join('');
  const rel = queries.flatMap(([, ids], i) => ids.map((d) => `${i + 1} ${d} 0 0.0`)).join('\n') + '\n';
  await mkdir(values.out, { recursive: true });
  await Promise.all([
    writeFile(join(values.out, 'TED.ALL'), all),
    writeFile(join(values.out, 'TED.QRY'), qry),
    writeFile(join(values.out, 'TED.REL'), rel),
  ]);
  console.log(`${talks.length} talks, ${queries.length} tag queries: ${join(values.out, 'TED')}`);
}

runCli(() => main(options()));
