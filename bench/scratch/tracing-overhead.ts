/**
 * What tracing costs a request, in one process on PGlite in memory with the in-process queue:
 * `GET /v1/search` and `POST /v1/assets?wait=true` (ingest through enrichment and both projections)
 * through `app.inject`, one at a time. `--mode off`: this build without OTEL_EXPORTER_OTLP_ENDPOINT;
 * `--mode on`: with it, exporting over OTLP/HTTP to a sink in this process that reads and drops the
 * batches; `--mode base`: the same script run in a checkout from before tracing (it then imports
 * nothing of it). Prints one JSON line; `bench/RESULTS.md` has the runs, modes taking turns.
 *   npx tsx bench/scratch/tracing-overhead.ts --mode off [--searches 1500] [--ingests 40]
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { buildApp } from '../../api/app.js';
import { loadConfig } from '../../runtime/config.js';
import { createContainer } from '../../runtime/container.js';
import { anAssetInput } from '../../test/support/factories.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'off' },
    searches: { type: 'string', default: '1500' },
    ingests: { type: 'string', default: '40' },
  },
});
const mode = values.mode as 'base' | 'off' | 'on';

const WORDS = ['creativity', 'schools', 'forest', 'ocean', 'music', 'design', 'climate', 'science'];
const text = (i: number) =>
  Array.from({ length: 60 }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length]).join(' ') + '.';

async function main(): Promise<void> {
  let spans = 0;
  let shutdown: () => Promise<unknown> = () => Promise.resolve();
  const env: Record<string, string> = {
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    EXTRACTION_THREADS: '0',
    DRIFT_CHECK_ON_START: 'false',
    DRIFT_CHECK_INTERVAL_MINUTES: '0',
    RATE_LIMIT_PER_MINUTE: '100000000',
    OUTBOX_POLL_MS: '50',
  };
  if (mode === 'on') {
    // A collector stand-in: reads each export and answers 200.
    const sink = createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        spans++;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const address = sink.address();
    env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const { startTracing } = await import('../../runtime/tracing.js');
    const tracing = startTracing(loadConfig(env));
    shutdown = async () => {
      await tracing.shutdown();
      sink.close();
    };
  }
  const container = await createContainer(loadConfig(env));
  const app = await buildApp(container);
  await container.startWorkers();
  const { secret } = await container.apiKeys.create({ tenantId: 'default', name: 'bench', role: 'EDITOR' });
  const headers = { authorization: `Bearer ${secret}` };

  const ingestOne = async (i: number) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/assets?wait=true',
      headers,
      payload: anAssetInput({ title: `Talk ${i} ${WORDS[i % WORDS.length]}`, transcript: text(i) }),
    });
    if (res.statusCode !== 201) throw new Error(`ingest answered ${res.statusCode}: ${res.body}`);
  };
  const searchOne = async (i: number) => {
    const res = await app.inject({ url: `/v1/search?q=${WORDS[i % WORDS.length]}`, headers });
    if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${res.body}`);
  };
  // Wall time per request, and this process's CPU time per request (user + system: what a busy
  // machine's other processes disturb least).
  const timed = async (n: number, fn: (i: number) => Promise<void>) => {
    const ms: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await fn(i);
      ms.push(performance.now() - t0);
    }
    const { user, system } = process.cpuUsage(cpu0);
    ms.sort((a, b) => a - b);
    const at = (q: number) => +ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(3);
    return {
      n,
      cpuMs: +((user + system) / 1000 / n).toFixed(3),
      mean: +(ms.reduce((a, b) => a + b, 0) / n).toFixed(3),
      p50: at(0.5),
      p95: at(0.95),
    };
  };

  // A library to search, and a warm process (JIT, caches) before the clock.
  for (let i = 0; i < 60; i++) await ingestOne(1000 + i);
  for (let i = 0; i < 300; i++) await searchOne(i);
  const search = await timed(Number(values.searches), searchOne);
  const ingest = await timed(Number(values.ingests), (i) => ingestOne(2000 + i));
  await app.close();
  await container.close();
  await shutdown();
  console.log(JSON.stringify({ mode, search, ingest, ...(mode === 'on' ? { exports: spans } : {}) }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
