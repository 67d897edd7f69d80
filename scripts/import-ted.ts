/**
 * Imports talks in the TED ted_main.csv format through the batch API, into the key's tenant.
 *   npm run import:ted -- --key KEY [--file ../shared/datasets/ted/ted_main.csv] [--limit 500]
 *                         [--url http://localhost:3000] [--batch 500] [--wait] [--state FILE]
 *                         [--restart] [--verbose]
 * The key defaults to API_KEY or BOOTSTRAP_API_KEY, the URL to API_URL or http://localhost:$PORT.
 * An interrupted import resumes when run again (lib/batch-load.ts); --restart posts everything.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterLoading, DEFAULT_API_KEY, DEFAULT_API_URL, sourceCounts } from './lib/api-client.js';
import { batchLoad, defaultStatePath, loadIdentity, refusedError } from './lib/batch-load.js';
import { CliError, existingFile, numberFlag, parseCli, runCli } from './lib/cli.js';
import { readTedCsv, type TedAsset } from './lib/ted.js';
import { SYNTHETIC_SOURCE_SYSTEMS } from './lib/synthetic-library.js';

const USAGE =
  'npm run import:ted -- --key KEY [--file ted_main.csv] [--url http://localhost:3000] [--limit N] [--batch 500] [--wait] [--state FILE] [--restart]';

runCli(async () => {
  const { values } = parseCli(USAGE, {
    file: { type: 'string', default: '../shared/datasets/ted/ted_main.csv' },
    url: { type: 'string', default: DEFAULT_API_URL },
    key: { type: 'string' },
    limit: { type: 'string' },
    batch: { type: 'string', default: '500' },
    wait: { type: 'boolean', default: false },
    state: { type: 'string' },
    restart: { type: 'boolean', default: false },
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
  // The same file, unchanged, and the same --limit: a file edited since is another load.
  const { size, mtimeMs } = statSync(file);
  const identity = loadIdentity(
    'import-ted',
    { file: resolve(file), size, mtimeMs, limit: talks.length },
    values.url,
    key,
  );
  const statePath = values.state ?? defaultStatePath('import-ted', identity);
  const summary = await batchLoad(talks, {
    url: values.url,
    key,
    batchSize,
    wait: values.wait,
    total: talks.length,
    unit: 'talks',
    statePath,
    identity,
    restart: values.restart,
  });
  const { failures: _failures, ...result } = summary;
  console.log(JSON.stringify(result));
  if (summary.created > 0) process.stderr.write(`${afterLoading(values.url, summary, 'talks')}\n`);
  const refused = refusedError(summary, 'talks', statePath);
  if (refused) throw refused;
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
