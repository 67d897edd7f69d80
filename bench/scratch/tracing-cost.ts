/**
 * What tracing costs `GET /v1/search` under load: requests/s and CPU per request, tracing absent
 * (no OTEL_EXPORTER_OTLP_ENDPOINT: the default) against tracing on with every span kept by an
 * in-memory exporter (so no network or collector is measured, only the spans' making). Each round
 * runs each mode in a fresh process of its own (the SDK and the app's hooks are set at start), the
 * modes taking turns and in reverse order every other round; in each, one process holds a small
 * library on PGlite in memory and `--concurrency` clients call the API through `app.inject` for
 * `--seconds`, after a warm-up. Prints a table (median, min and max over the rounds) and one JSON line.
 * The machine's load average is printed before and after: on a shared machine the figures move
 * with it, the CPU per request least.
 *   npx tsx bench/scratch/tracing-cost.ts [--rounds 5] [--seconds 10] [--concurrency 8]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    // Internal: one mode's measurement, in a child process.
    child: { type: 'string' },
  },
});

type Mode = 'absent' | 'memory';
interface Figures {
  mode: Mode;
  requests: number;
  perSecond: number;
  cpuMsPerRequest: number;
  spans: number;
}

const WORDS = ['creativity', 'schools', 'forest', 'ocean', 'music', 'design', 'climate', 'science'];
const text = (i: number) =>
  Array.from({ length: 60 }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length]).join(' ') + '.';

async function measure(mode: Mode): Promise<Figures> {
  const { loadConfig } = await import('../../runtime/config.js');
  const env: Record<string, string> = {
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    EXTRACTION_THREADS: '0',
    DRIFT_CHECK_ON_START: 'false',
    DRIFT_CHECK_INTERVAL_MINUTES: '0',
    RATE_LIMIT_PER_MINUTE: '100000000',
    OUTBOX_POLL_MS: '50',
  };
  let spans = () => 0;
  let shutdown: () => Promise<unknown> = () => Promise.resolve();
  if (mode === 'memory') {
    // Before the container and the app, as the server starts it.
    const { InMemorySpanExporter } = await import('@opentelemetry/sdk-trace');
    const { startTracing } = await import('../../runtime/tracing.js');
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing(loadConfig(env), { exporter });
    spans = () => exporter.getFinishedSpans().length;
    shutdown = () => tracing.shutdown();
  }
  const { createContainer } = await import('../../runtime/container.js');
  const { buildApp } = await import('../../api/app.js');
  const { anAssetInput } = await import('../../test/support/factories.js');
  const container = await createContainer(loadConfig(env));
  const app = await buildApp(container);
  await container.startWorkers();
  const { secret } = await container.apiKeys.create({ tenantId: 'default', name: 'bench', role: 'EDITOR' });
  const headers = { authorization: `Bearer ${secret}` };
  for (let i = 0; i < 60; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/assets?wait=true',
      headers,
      payload: anAssetInput({ title: `Talk ${i} ${WORDS[i % WORDS.length]}`, transcript: text(i) }),
    });
    if (res.statusCode !== 201) throw new Error(`ingest answered ${res.statusCode}: ${res.body}`);
  }
  let n = 0;
  const search = async () => {
    const res = await app.inject({ url: `/v1/search?q=${WORDS[n++ % WORDS.length]}`, headers });
    if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${res.body}`);
  };
  const load = async (ms: number) => {
    const until = performance.now() + ms;
    let done = 0;
    await Promise.all(
      Array.from({ length: Number(values.concurrency) }, async () => {
        while (performance.now() < until) {
          await search();
          done++;
        }
      }),
    );
    return done;
  };
  await load(3_000); // warm: JIT, caches, the span processor's first spans
  const spansBefore = spans();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const requests = await load(Number(values.seconds) * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const { user, system } = process.cpuUsage(cpu0);
  const made = spans() - spansBefore;
  await app.close();
  await container.close();
  await shutdown();
  return {
    mode,
    requests,
    perSecond: +(requests / elapsed).toFixed(1),
    cpuMsPerRequest: +((user + system) / 1000 / requests).toFixed(3),
    spans: +(made / requests).toFixed(1),
  };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
};

function main(): void {
  const rounds = Number(values.rounds);
  const script = fileURLToPath(import.meta.url);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const loadBefore = load();
  const runs: Figures[] = [];
  for (let r = 0; r < rounds; r++) {
    const order: Mode[] = r % 2 === 0 ? ['absent', 'memory'] : ['memory', 'absent'];
    for (const mode of order) {
      const out = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          script,
          '--child',
          mode,
          '--seconds',
          values.seconds,
          '--concurrency',
          values.concurrency,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      runs.push(JSON.parse(out.trim().split('\n').at(-1)!) as Figures);
      console.error(`round ${r + 1}/${rounds} ${mode}: ${JSON.stringify(runs.at(-1))}`);
    }
  }
  const loadAfter = load();
  const of = (mode: Mode) => runs.filter((f) => f.mode === mode);
  const absent = of('absent');
  const memory = of('memory');
  const row = (name: string, f: Figures[]) => {
    const rps = stats(f.map((x) => x.perSecond));
    const cpu = stats(f.map((x) => x.cpuMsPerRequest));
    return `| ${name} | ${rps.median} (${rps.min}–${rps.max}) | ${cpu.median} (${cpu.min}–${cpu.max}) | ${stats(f.map((x) => x.spans)).median} |`;
  };
  console.log(
    `npx tsx bench/scratch/tracing-cost.ts --rounds ${rounds} --seconds ${values.seconds} --concurrency ${values.concurrency}`,
  );
  console.log(`load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAfter}`);
  console.log('| tracing | requests/s, median (min–max) | CPU ms per request | spans per request |');
  console.log('| --- | --- | --- | --- |');
  console.log(row('absent', absent));
  console.log(row('on, in-memory exporter', memory));
  const ratio = (a: number, b: number) => +(a / b).toFixed(3);
  console.log(
    JSON.stringify({
      rounds,
      seconds: Number(values.seconds),
      concurrency: Number(values.concurrency),
      loadBefore,
      loadAfter,
      runs,
      cpuRatio: ratio(
        stats(memory.map((x) => x.cpuMsPerRequest)).median,
        stats(absent.map((x) => x.cpuMsPerRequest)).median,
      ),
      throughputRatio: ratio(
        stats(memory.map((x) => x.perSecond)).median,
        stats(absent.map((x) => x.perSecond)).median,
      ),
    }),
  );
}

if (values.child) {
  measure(values.child as Mode).then(
    (f) => console.log(JSON.stringify(f)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else main();
