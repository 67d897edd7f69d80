/**
 * The canonical write through HTTP, alone: `POST /v1/assets/batch` (no wait) into fresh tenants of a
 * bench database, against an API that runs no workers (RUN_WORKERS=false), so nothing else shares its
 * event loop; beside `COPY` of the same rows. Reports assets/s and CPU per asset of the API process
 * and of the server's backends for the database (from /proc, so a busy machine inflates the wall
 * clock but not these), and, with `--cpu-prof DIR`, writes the API's V8 profile there.
 *   npx tsx bench/scratch/canonical-http.ts --database bench_10k [--assets 2000] [--rounds 3]
 *     [--batch 100] [--cpu-prof DIR]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { log, spread } from '../lib.js';
import { deleteQueueKeys, startService } from '../processes.js';
import { serverTarget } from '../target.js';
import {
  copyBaseline,
  dropIngestTenants,
  ingestInputs,
  prepareIngest,
  tenantName,
} from '../suites/ingest.js';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'bench_10k' },
    assets: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '100' },
    posters: { type: 'string', default: '2' },
    'cpu-prof': { type: 'string' },
  },
});

const ticksOf = (pid: number): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
};

const target = serverTarget(values.database);
const db = await target.open();
await dropIngestTenants(db);
const rounds = Number(values.rounds);
const plan = await prepareIngest(db, rounds);
const inputs = ingestInputs(Number(values.assets));
const batch = Number(values.batch);
const serverTicks = async (): Promise<number> => {
  const rows = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  return rows.reduce((sum, { pid }) => sum + ticksOf(pid), 0);
};
// COPY's server CPU per row, over all its rounds (a round is too short for the 10 ms clock ticks).
const copyTicks = await serverTicks();
const copy = await copyBaseline(db, inputs, rounds);
const copyMs = (((await serverTicks()) - copyTicks) * 10) / (inputs.length * rounds);

// The queue is Redis (an API without workers needs it); no worker runs, so nothing is enriched.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const queuePrefix = `canonical-http-${process.pid}`;
const api = await startService(
  'api/server.ts',
  {
    ...target.apiEnv(),
    RUN_WORKERS: 'false',
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'warn',
  },
  '/health',
  {
    unset: ['BOOTSTRAP_API_KEY'],
    ...(values['cpu-prof'] ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] } : {}),
  },
);
const backends = new Map<number, number>();
const sampleBackends = async () => {
  const rows = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  for (const { pid } of rows) {
    const t = ticksOf(pid);
    if (t > 0) backends.set(pid, t);
  }
};
const rates: number[] = [];
const apiMs: number[] = [];
const serverMs: number[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    const key = plan.keys[tenantName(plan.runId, 'w', r)]!;
    const batches: (typeof inputs)[] = [];
    for (let i = 0; i < inputs.length; i += batch) batches.push(inputs.slice(i, i + batch));
    await sampleBackends();
    const before = new Map(backends);
    const apiBefore = ticksOf(api.pid);
    const sampler = setInterval(() => void sampleBackends(), 200);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Number(values.posters) }, async () => {
        for (let i = next++; i < batches.length; i = next++) {
          const res = await fetch(`${api.url}/v1/assets/batch`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ assets: batches[i] }),
          });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`POST answered ${res.status}`);
        }
      }),
    );
    rates.push((inputs.length * 1000) / (performance.now() - t0));
    clearInterval(sampler);
    await sampleBackends();
    apiMs.push(((ticksOf(api.pid) - apiBefore) * 10) / inputs.length);
    let server = 0;
    for (const [pid, t] of backends) server += t - (before.get(pid) ?? 0);
    serverMs.push((server * 10) / inputs.length);
    log(
      `round ${r + 1}: ${rates.at(-1)!.toFixed(0)} assets/s, CPU ms/asset API ${apiMs.at(-1)!.toFixed(2)}, server ${serverMs.at(-1)!.toFixed(2)}`,
    );
  }
} finally {
  await api.stop();
  await deleteQueueKeys(redisUrl, queuePrefix);
  await dropIngestTenants(db);
  await db.close();
}
const fmt = (s: { median: number; min: number; max: number }, d = 0) =>
  `${s.median.toFixed(d)} [${s.min.toFixed(d)}–${s.max.toFixed(d)}]`;
const w = spread(rates);
console.log(
  `${inputs.length} assets, batches of ${batch}, ${values.posters} posters: canonical write ${fmt(w)} assets/s, ` +
    `COPY ${fmt(copy)} rows/s (${(copy.median / w.median).toFixed(1)}×); CPU ms/asset: API ${fmt(spread(apiMs), 2)}, ` +
    `server ${fmt(spread(serverMs), 2)}; COPY's server CPU ${copyMs.toFixed(3)} ms/row (with the table's own ` +
    `scratch work: truncate, file read)`,
);
