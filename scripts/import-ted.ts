/**
 * Imports talks in the TED ted_main.csv format through the batch API, into the key's tenant.
 *   npm run import:ted -- --key KEY [--file ../shared/datasets/ted/ted_main.csv] [--limit 500]
 *                         [--url http://localhost:3000] [--batch 500] [--wait] [--verbose]
 * The key defaults to API_KEY or BOOTSTRAP_API_KEY, the URL to API_URL or http://localhost:$PORT.
 */
import {
  afterLoading,
  DEFAULT_API_KEY,
  DEFAULT_API_URL,
  postBatches,
  sourceCounts,
} from './lib/api-client.js';
import { CliError, existingFile, numberFlag, parseCli, runCli } from './lib/cli.js';
import { readTedCsv, type TedAsset } from './lib/ted.js';
import { SYNTHETIC_SOURCE_SYSTEMS } from './lib/synthetic-library.js';

const USAGE =
  'npm run import:ted -- --key KEY [--file ted_main.csv] [--url http://localhost:3000] [--limit N] [--batch 500] [--wait]';

runCli(async () => {
  const { values } = parseCli(USAGE, {
    file: { type: 'string', default: '../shared/datasets/ted/ted_main.csv' },
    url: { type: 'string', default: DEFAULT_API_URL },
    key: { type: 'string' },
    limit: { type: 'string' },
    batch: { type: 'string', default: '500' },
    wait: { type: 'boolean', default: false },
  });
  const key = values.key ?? DEFAULT_API_KEY;
  if (!key)
    throw new CliError(
      'no API key: pass --key (the BOOTSTRAP_API_KEY the service started with), or set API_KEY',
    );
  const limit = values.limit === undefined ? Infinity : numberFlag('limit', values.limit, { min: 1 });
  const batchSize = numberFlag('batch', values.batch, { min: 1, max: 1_000 });
  const file = existingFile(values.file, 'file', 'a file in the ted_main.csv format');

  const talks: TedAsset[] = [];
  for await (const talk of readTedCsv(file)) {
    if (talks.length >= limit) break;
    talks.push(talk);
  }
  if (talks.length === 0) throw new CliError(`${file} holds no talks: is it in the ted_main.csv format?`);

  await refuseSyntheticTenant(values.url, key);
  const result = await postBatches(values.url, key, talks, {
    batchSize,
    wait: values.wait,
    progress: { unit: 'talks', total: talks.length },
  });
  console.log(JSON.stringify(result));
  if (result.created > 0) process.stderr.write(`${afterLoading(values.url, result, 'talks')}\n`);
});

/**
 * The talks train the tenant's classifiers and fill its vocabulary: a tenant that holds the
 * synthetic library would teach them made-up tags and speakers. One source facet answers it.
 */
async function refuseSyntheticTenant(url: string, key: string): Promise<void> {
  const synthetic = (await sourceCounts(url, key)).filter((f) => SYNTHETIC_SOURCE_SYSTEMS.includes(f.value));
  if (synthetic.length > 0)
    throw new CliError(
      `the key's tenant holds ${synthetic.reduce((n, f) => n + f.count, 0)} synthetic assets (npm run gen), which would mix with the talks: use a key of another tenant (npm run keys -- create --tenant ted --role EDITOR)`,
    );
}
