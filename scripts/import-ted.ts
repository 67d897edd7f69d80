/**
 * Imports talks in the TED ted_main.csv format through the batch API.
 *   npm run import:ted -- --file ../shared/datasets/ted/ted_main.csv [--limit 500] [--url http://localhost:3000] [--key KEY]
 */
import { parseArgs } from 'node:util';
import { postBatches } from './lib/api-client.js';
import { readTedCsv } from './lib/ted.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: '../shared/datasets/ted/ted_main.csv' },
    url: { type: 'string', default: process.env.API_URL ?? 'http://localhost:3000' },
    key: { type: 'string', default: process.env.API_KEY ?? process.env.BOOTSTRAP_API_KEY },
    limit: { type: 'string' },
    batch: { type: 'string', default: '500' },
    wait: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  if (!values.key)
    throw new Error('an API key is needed: --key, or API_KEY / BOOTSTRAP_API_KEY in the environment');
  const limit = values.limit ? Number(values.limit) : Infinity;
  async function* talks() {
    let n = 0;
    for await (const talk of readTedCsv(values.file)) {
      if (n++ >= limit) return;
      yield talk;
    }
  }
  const result = await postBatches(values.url, values.key, talks(), {
    batchSize: Number(values.batch),
    wait: values.wait,
    onBatch: (done) => process.stderr.write(`\rposted ${done} talks`),
  });
  process.stderr.write('\n');
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
