/**
 * Writes a deterministic synthetic library as NDJSON, or loads it through the batch API.
 *   npm run gen -- --assets 1000 --seed 42 [--out library.ndjson] [--tenants 3] [--vocabulary builtin]
 *   npm run gen -- --assets 1000 --seed 42 --url http://localhost:3000 --key KEY
 * The words come from the TED talks (../shared/datasets/ted) when present, else from built-in
 * syllables. With --tenants, each NDJSON line names its tenant (`tenant-1` holds about 70%).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { postBatches } from './lib/api-client.js';
import { syntheticLibrary, syntheticTenantOf } from './lib/synthetic-library.js';
import { tedVocabulary } from './lib/ted-vocabulary.js';

const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string', default: process.env.API_KEY ?? process.env.BOOTSTRAP_API_KEY },
    batch: { type: 'string', default: '1000' },
    tenants: { type: 'string' },
    /** `ted` (the default, when the TED file is present) or `builtin`. */
    vocabulary: { type: 'string', default: 'ted' },
  },
});

// A closed pipe (`| head`) ends the output; it is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

async function main(): Promise<void> {
  const vocabulary = values.vocabulary === 'builtin' ? null : tedVocabulary();
  if (values.vocabulary === 'ted' && !vocabulary)
    process.stderr.write('no TED talks found: using the built-in vocabulary\n');
  const library = syntheticLibrary({
    assets: Number(values.assets),
    seed: Number(values.seed),
    ...(vocabulary ? { vocabulary } : {}),
  });
  const tenants = values.tenants ? Number(values.tenants) : undefined;
  if (values.url) {
    if (tenants) throw new Error('--tenants writes NDJSON only: an API key loads one tenant');
    if (!values.key) throw new Error('--url needs an API key: --key, or API_KEY in the environment');
    const result = await postBatches(values.url, values.key, library, {
      batchSize: Number(values.batch),
      wait: false,
      onBatch: (done) => process.stderr.write(`\rposted ${done} assets`),
    });
    process.stderr.write('\n');
    console.log(JSON.stringify(result));
    return;
  }
  const out: Writable = values.out ? createWriteStream(values.out) : process.stdout;
  let i = 0;
  for (const asset of library) {
    const line = tenants ? { tenant: syntheticTenantOf(i, tenants), ...asset } : asset;
    i++;
    if (!out.write(JSON.stringify(line) + '\n')) await once(out, 'drain');
  }
  if (values.out) {
    out.end();
    await once(out, 'finish');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
