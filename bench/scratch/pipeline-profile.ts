/**
 * The pipeline end to end in one process, statement by statement: `IngestService` through the
 * writes' wait (enrichment, relay, both projections), with every statement the process sends counted
 * and timed by its text, and the transactions counted. For finding what the pipeline spends besides
 * extraction (issue 23).
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx bench/scratch/pipeline-profile.ts [--assets 2000] [--batch 100] [--posters 2] [--top 25]
 * Without DATABASE_URL it runs on PGlite in memory (DATA_DIR=memory://).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../runtime/config.js';
import { createContainer } from '../../runtime/container.js';
import { openDatabase, inForeground } from '../../store/db.js';
import type { Database, Sql } from '../../store/database.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { deleteQueueKeys } from '../processes.js';
import { dropIngestTenants, ingestInputs } from '../suites/ingest.js';

const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '100' },
    posters: { type: 'string', default: '2' },
    top: { type: 'string', default: '25' },
  },
});

interface Tally {
  calls: number;
  ms: number;
  rows: number;
}
const byText = new Map<string, Tally>();
let transactions = 0;
const samplerUrl = (url: string) => {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
};
const key = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 140);
const counted = (sql: Sql): Sql => ({
  async query<R>(text: string, params?: readonly unknown[]) {
    const t0 = performance.now();
    const rows = await sql.query<R>(text, params);
    const k = key(text);
    const t = byText.get(k) ?? { calls: 0, ms: 0, rows: 0 };
    t.calls++;
    t.ms += performance.now() - t0;
    t.rows += rows.length;
    byText.set(k, t);
    return rows;
  },
});
const countingDatabase = (db: Database): Database => {
  const plain = counted(db);
  return {
    kind: db.kind,
    query: (text, params) => plain.query(text, params),
    transaction: (fn) => {
      transactions++;
      return db.transaction((tx) => fn(counted(tx)));
    },
    exec: (s) => db.exec(s),
    close: () => db.close(),
  };
};

const config = loadConfig({
  ...process.env,
  QUEUE_PREFIX: `profile-${randomUUID().slice(0, 8)}`,
  DRIFT_CHECK_ON_START: 'false',
  RATE_LIMIT_PER_MINUTE: '1000000',
});
const raw = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  poolSize: config.DATABASE_POOL_SIZE,
});
const c = await createContainer(config, { db: countingDatabase(raw) });
await dropIngestTenants(raw);
const tenantId = `ingest-profile-${randomUUID().slice(0, 8)}`;
await tenantsRepository.ensure(raw, tenantId);
await c.startWorkers();
byText.clear();
transactions = 0;

// The server's CPU for this database: its backends' utime + stime, sampled (the pool's idle clients
// end, so a backend's last sample stands for it). Linux only; other sessions' databases are not counted.
const backendTicks = new Map<number, number>();
// Sampled from the server's `postgres` database: a sampler in the measured database counted its own
// statements (about 0.6 ms of server CPU per asset at 1,000 assets) as the pipeline's.
const sampler =
  raw.kind === 'postgres' ? new pg.Client({ connectionString: samplerUrl(config.DATABASE_URL!) }) : null;
await sampler?.connect();
const database = raw.kind === 'postgres' ? new URL(config.DATABASE_URL!).pathname.slice(1) : '';
const sampleBackends = async () => {
  if (!sampler) return;
  const { rows: pids } = await sampler.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1',
    [database],
  );
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      backendTicks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // ended between the two reads
    }
  }
};
await sampleBackends();
const ticksBefore = new Map(backendTicks);
const sampling = setInterval(() => void sampleBackends(), 500);
const cpuBefore = process.cpuUsage();

const inputs = ingestInputs(Number(values.assets));
const batch = Number(values.batch);
const batches: (typeof inputs)[] = [];
for (let i = 0; i < inputs.length; i += batch) batches.push(inputs.slice(i, i + batch));
let next = 0;
let notSettled = 0;
const t0 = performance.now();
const poster = async () => {
  for (let i = next++; i < batches.length; i = next++) {
    for (;;) {
      const { settled } = await inForeground(() =>
        inTenantScope(tenantId, () => c.writes.ingest({ tenantId, actor: 'bench' }, batches[i]!, true)),
      );
      if (settled) break;
      notSettled++;
    }
  }
};
await Promise.all(Array.from({ length: Number(values.posters) }, poster));
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampling);
await sampleBackends();
let serverTicks = 0;
for (const [pid, ticks] of backendTicks) serverTicks += ticks - (ticksBefore.get(pid) ?? 0);
const perAsset = (ms: number) => `${(ms / inputs.length).toFixed(2)} ms/asset`;

const all = [...byText.entries()].sort((a, b) => b[1].ms - a[1].ms);
const totalMs = all.reduce((s, [, t]) => s + t.ms, 0);
const totalCalls = all.reduce((s, [, t]) => s + t.calls, 0);
console.log(
  `${inputs.length} assets, batches of ${batch}, ${values.posters} posters, ${raw.kind}: ` +
    `${(inputs.length / seconds).toFixed(1)} assets/s end to end (${seconds.toFixed(1)} s; waits run out ${notSettled}); ` +
    `${totalCalls} statements (${(totalCalls / batches.length).toFixed(0)} per batch), ${transactions} transactions; ` +
    `statement time ${(totalMs / 1000).toFixed(1)} s summed over connections`,
);
console.log(
  `CPU: this process ${perAsset((cpu.user + cpu.system) / 1000)}, the server's backends ${perAsset(serverTicks * 10)}`,
);
for (const [text, t] of all.slice(0, Number(values.top)))
  console.log(
    `${t.ms.toFixed(0).padStart(7)} ms ${String(t.calls).padStart(6)}× ${(t.ms / t.calls).toFixed(2).padStart(7)} ms ${String(t.rows).padStart(7)} rows  ${text}`,
  );
await dropIngestTenants(raw);
await c.close();
await sampler?.end();
if (config.REDIS_URL) await deleteQueueKeys(config.REDIS_URL, config.QUEUE_PREFIX);
