/**
 * Writes a deterministic synthetic library as NDJSON, or loads it through the batch API.
 *   npm run gen -- --assets 1000 --seed 42 [--out library.ndjson] [--tenants 3] [--vocabulary builtin]
 *   npm run gen -- --assets 1000 --seed 42 --key KEY [--url http://localhost:3000]
 * The words come from the TED talks (../shared/datasets/ted) when present, else from built-in
 * syllables; speakers, tags (`syn-…`) and source systems (`synthetic-…`) are made up. With --tenants,
 * each NDJSON line names its tenant (`tenant-1` holds about 70%). Loading refuses a tenant that holds
 * real assets (the TED talks): its classifiers would learn the made-up tags; --mixed loads anyway.
 * A --key (or --url) loads through the API, at --url, else API_URL, else http://localhost:$PORT, as
 * import:ted does; neither writes NDJSON. An interrupted load resumes when run again
 * (lib/batch-load.ts: the same seed gives the same assets in the same order); --restart posts all.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { afterLoading, DEFAULT_API_KEY, DEFAULT_API_URL, sourceCounts } from './lib/api-client.js';
import { batchLoad, defaultStatePath, loadIdentity, refusedError } from './lib/batch-load.js';
import { CliError, numberFlag, parseCli, runCli } from './lib/cli.js';
import { SYNTHETIC_SOURCE_SYSTEMS, syntheticLibrary, syntheticTenantOf } from './lib/synthetic-library.js';
import { tedVocabulary } from './lib/ted-vocabulary.js';

const USAGE =
  'npm run gen -- --assets N --seed N [--out FILE | --tenants N] | [--key KEY [--url http://localhost:3000] [--mixed] [--state FILE] [--restart]] [--vocabulary ted|builtin]';

// A closed pipe (`| head`) ends the output; it is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

runCli(async () => {
  const { values } = parseCli(USAGE, {
    assets: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
    batch: { type: 'string', default: '1000' },
    tenants: { type: 'string' },
    /** `ted` (the default, when the TED file is present) or `builtin`. */
    vocabulary: { type: 'string', default: 'ted' },
    mixed: { type: 'boolean', default: false },
    state: { type: 'string' },
    restart: { type: 'boolean', default: false },
  });
  if (values.vocabulary !== 'ted' && values.vocabulary !== 'builtin')
    throw new CliError(`--vocabulary is ted or builtin, not "${values.vocabulary}"`);
  const assets = numberFlag('assets', values.assets, { min: 1 });
  const seed = numberFlag('seed', values.seed);
  const batchSize = numberFlag('batch', values.batch, { min: 1, max: 1_000 });
  const tenants =
    values.tenants === undefined ? undefined : numberFlag('tenants', values.tenants, { min: 1 });
  const vocabulary = values.vocabulary === 'builtin' ? null : tedVocabulary();
  if (values.vocabulary === 'ted' && !vocabulary)
    process.stderr.write('no TED talks found: using the built-in vocabulary\n');
  const library = syntheticLibrary({ assets, seed, ...(vocabulary ? { vocabulary } : {}) });
  // A key means loading through the API, as import:ted does: the README's commands name no --url.
  if (values.url !== undefined || values.key !== undefined) {
    if (values.out !== undefined)
      throw new CliError('--out writes NDJSON, --key and --url load through the API: pass one or the other');
    if (tenants)
      throw new CliError(
        '--tenants writes NDJSON only: an API key loads one tenant; drop --key and --url, or --tenants',
      );
    const url = values.url ?? DEFAULT_API_URL;
    const key = values.key ?? DEFAULT_API_KEY;
    if (!key)
      throw new CliError(
        '--url needs an API key: pass --key with a key of the tenant to load (npm run keys -- create --tenant sample --role EDITOR)',
      );
    if (!values.mixed) await refuseRealTenant(url, key);
    // The same flags give the same assets in the same order: what a resumed run skips.
    const identity = loadIdentity(
      'gen',
      { assets, seed, vocabulary: vocabulary ? 'ted' : 'builtin' },
      url,
      key,
    );
    const statePath = values.state ?? defaultStatePath('gen', identity);
    const summary = await batchLoad(library, {
      url,
      key,
      batchSize,
      wait: false,
      total: assets,
      unit: 'assets',
      statePath,
      identity,
      restart: values.restart,
    });
    const { failures: _failures, ...result } = summary;
    console.log(JSON.stringify(result));
    if (summary.created > 0) process.stderr.write(`${afterLoading(url, summary, 'assets')}\n`);
    const refused = refusedError(summary, 'assets', statePath);
    if (refused) throw refused;
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
});

/**
 * The tenant's classifiers learn from every asset it holds: made-up tags and speakers beside real
 * talks would be suggested on them. A tenant with any real source (one source facet) is refused.
 */
async function refuseRealTenant(url: string, key: string): Promise<void> {
  const real = (await sourceCounts(url, key)).filter((f) => !SYNTHETIC_SOURCE_SYSTEMS.includes(f.value));
  if (real.length > 0)
    throw new CliError(
      `the key's tenant holds real assets (${real.map((f) => `${f.count} from ${f.value}`).join(', ')}) that the synthetic library would mix with: use a key of a tenant of its own (npm run keys -- create --tenant sample --role EDITOR), or pass --mixed`,
    );
}
