/**
 * Writes a deterministic synthetic library as NDJSON, or loads it through the batch API.
 *   npm run gen -- --assets 1000 --seed 42 [--out library.ndjson]
 *   npm run gen -- --assets 1000 --seed 42 --url http://localhost:3000 --key KEY
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { postBatches } from './lib/api-client.js';
import { syntheticLibrary } from './lib/synthetic-library.js';

const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string', default: process.env.API_KEY ?? process.env.BOOTSTRAP_API_KEY },
    batch: { type: 'string', default: '1000' },
  },
});

// A closed pipe (`| head`) ends the output; it is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

async function main(): Promise<void> {
  const library = syntheticLibrary({ assets: Number(values.assets), seed: Number(values.seed) });
  if (values.url) {
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
  for (const asset of library) {
    if (!out.write(JSON.stringify(asset) + '\n')) await once(out, 'drain');
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
