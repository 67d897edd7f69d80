/**
 * Writes TED talks as a test collection in the SMART format that `eval:relevance --collection` reads:
 * each talk a document of its title (.T), speakers (.A) and description (.W); each tag that 10 to
 * 150 talks carry a query, every third in name order; its talks the relevant ones. Tags are left out
 * of the documents, so a tag is found from the words of the talks alone.
 *   npm run ted:collection -- [--file ../shared/datasets/ted/ted_main.csv] [--out /tmp/ted/TED]
 *   npm run eval:relevance -- --collection /tmp/ted/TED --syntax plain
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError, existingFile, parseCli, runCli } from './lib/cli.js';
import { readTedCsv, type TedAsset } from './lib/ted.js';

const USAGE = 'npm run ted:collection -- [--file ted_main.csv] [--out /tmp/ted/TED]';
/** Tags rarer than this judge too few talks; commoner ones are near-stopwords ("technology"). */
const TALKS_PER_TAG = { min: 10, max: 150 };

runCli(async () => {
  const { values } = parseCli(USAGE, {
    file: { type: 'string', default: '../shared/datasets/ted/ted_main.csv' },
    out: { type: 'string', default: '/tmp/ted/TED' },
  });
  const file = existingFile(values.file, 'file', 'a file in the ted_main.csv format');
  const talks: TedAsset[] = [];
  for await (const talk of readTedCsv(file)) talks.push(talk);
  if (talks.length === 0) throw new CliError(`${file} holds no talks: is it in the ted_main.csv format?`);

  const byTag = new Map<string, number[]>();
  talks.forEach((talk, i) => {
    for (const tag of new Set(talk.tags.map((t) => t.toLowerCase())))
      byTag.set(tag, [...(byTag.get(tag) ?? []), i + 1]);
  });
  const queries = [...byTag]
    .filter(([, ids]) => ids.length >= TALKS_PER_TAG.min && ids.length <= TALKS_PER_TAG.max)
    .sort(([a], [b]) => a.localeCompare(b))
    .filter((_, i) => i % 3 === 0);

  mkdirSync(dirname(values.out), { recursive: true });
  const field = (name: string, lines: string[]) => `.${name}\n${lines.join('\n')}\n`;
  writeFileSync(
    `${values.out}.ALL`,
    talks
      .map(
        (t, i) =>
          `.I ${i + 1}\n${field('T', [t.title])}${field('A', t.speakers)}${field('W', [t.description])}`,
      )
      .join(''),
  );
  writeFileSync(`${values.out}.QRY`, queries.map(([tag], i) => `.I ${i + 1}\n${field('W', [tag])}`).join(''));
  writeFileSync(
    `${values.out}.REL`,
    queries.flatMap(([, ids], i) => ids.map((doc) => `${i + 1} ${doc} 0 0`)).join('\n') + '\n',
  );
  console.log(`${values.out}.{ALL,QRY,REL}: ${talks.length} talks, ${queries.length} tag queries`);
});
