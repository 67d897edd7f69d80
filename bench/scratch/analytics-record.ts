/**
 * How fast an analytics store's `record` takes events: the consumer's half of the events pipeline,
 * alone (no HTTP, no stream). Records `--events` synthetic events in batches of `--batch`, one writer
 * or `--writers` in parallel (each its own share of users, as stream partitions are), into a fresh
 * database, and prints events/s and the time per batch.
 *
 *   npx tsx bench/scratch/analytics-record.ts [--store postgres|pglite|clickhouse] [--events 40000]
 *     [--batch 1000] [--writers 1] [--mix live|dataset] [--url postgres://…/postgres]
 *     [--clickhouse http://127.0.0.1:8123]
 *
 * `live`: the ingest load's events (bench/event-batches.ts wireEvent: no asset, times in the last
 * minute, 5,000 users). `dataset`: the metrics dataset's (assets with dimensions, 30 days). The server
 * database `--database` (default `bench_record`; or the ClickHouse database of that name) is dropped
 * and made again.
 * For a CPU profile: `node --cpu-prof --cpu-prof-dir bench/profiles --import tsx bench/scratch/…`.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ClickHouseAnalyticsStore } from '../../analytics/clickhouse-analytics-store.js';
import { PostgresAnalyticsStore } from '../../analytics/postgres-analytics-store.js';
import type { AnalyticsStore } from '../../analytics/analytics-store.js';
import type { StoredEvent } from '../../domain/interaction-events.js';
import { seededRandom } from '../../scripts/lib/synthetic-library.js';
import { openDatabase, type Database, type Sql } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { asStored, datasetEvent, eventId, wireEvent, type DatasetAsset } from '../event-batches.js';
import { partitionOf } from '../../stream/partitions.js';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'postgres' },
    events: { type: 'string', default: '40000' },
    batch: { type: 'string', default: '1000' },
    writers: { type: 'string', default: '1' },
    mix: { type: 'string', default: 'live' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    /** The scratch database (dropped and made again; ClickHouse too). */
    database: { type: 'string', default: 'bench_record' },
    clickhouse: { type: 'string', default: 'http://127.0.0.1:8123' },
    /** Postgres: the time spent in each statement, summed, by its first words. */
    statements: { type: 'boolean', default: false },
  },
});
const N = Number(args.events);
if (!/^[a-z_][a-z0-9_]*$/.test(args.database))
  throw new Error('--database: lower-case letters, digits and _');
const DATABASE = args.database;
const BATCH = Number(args.batch);
const WRITERS = Number(args.writers);
const TENANT = 'bench-record';

function events(): StoredEvent[] {
  const now = new Date();
  if (args.mix === 'dataset') {
    const random = seededRandom(3);
    const assets: DatasetAsset[] = Array.from({ length: 2_000 }, (_, i) => ({
      tenantId: TENANT,
      id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      type: random() < 0.7 ? 'video' : 'audio',
      sourceSystem: `source-${Math.floor(random() * 5)}`,
      tags: [`tag-${Math.floor(random() * 200)}`, `tag-${Math.floor(random() * 200)}`],
      speakers: [`speaker-${Math.floor(random() * 300)}`],
    }));
    return Array.from({ length: N }, (_, i) => datasetEvent(11, i, assets, 50_000, now));
  }
  const random = seededRandom(5);
  return Array.from({ length: N }, (_, i) =>
    asStored(TENANT, wireEvent(random, eventId(1, 0, i), now, 5_000), now),
  );
}

/** CPU seconds of the server backends serving `database` (Linux /proc; the server on this machine). */
async function serverCpu(admin: pg.Client | null): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!admin) return out;
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    DATABASE,
  ]);
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime, fields 14 and 15 of stat (11 and 12 after the command name).
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // Another machine's server, or a backend gone: not counted.
    }
  }
  return out;
}
const CLOCK_TICKS = 100;
const cpuOf = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((sum, [pid, s]) => sum + s - (before.get(pid) ?? 0), 0);

async function open(): Promise<{ store: AnalyticsStore; close: () => Promise<void> }> {
  if (args.store === 'clickhouse') {
    const store = new ClickHouseAnalyticsStore({ url: args.clickhouse, database: DATABASE });
    await store.ensureSchema();
    await store.close();
    // Fresh tables: drop the database the first open made, then make it again.
    const { createClient } = await import('@clickhouse/client');
    const admin = createClient({ url: args.clickhouse });
    await admin.command({ query: `DROP DATABASE IF EXISTS ${DATABASE}` });
    await admin.close();
    const fresh = new ClickHouseAnalyticsStore({ url: args.clickhouse, database: DATABASE });
    await fresh.ensureSchema();
    return { store: fresh, close: () => fresh.close() };
  }
  let url: string | undefined;
  if (args.store === 'postgres') {
    const admin = new pg.Client({ connectionString: args.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    const u = new URL(args.url);
    u.pathname = `/${DATABASE}`;
    url = u.toString();
  }
  const db = await openDatabase({ url, poolSize: WRITERS + 2 });
  await migrate(db);
  if (args.statements) timeStatements(db);
  const store = new PostgresAnalyticsStore(db);
  await store.ensureSchema();
  return { store, close: () => db.close() };
}

/** Statement name (its first words) → milliseconds and calls. */
const spent = new Map<string, { ms: number; calls: number }>();
function timeStatements(db: Database): void {
  const timed =
    (sql: Sql): Sql['query'] =>
    async (text, params) => {
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 60);
      const t = performance.now();
      try {
        return await sql.query(text, params);
      } finally {
        const s = spent.get(key) ?? { ms: 0, calls: 0 };
        s.ms += performance.now() - t;
        s.calls++;
        spent.set(key, s);
      }
    };
  const transaction = db.transaction.bind(db);
  db.transaction = (fn) => transaction((tx) => fn({ query: timed(tx) }));
  const query = db.query.bind(db);
  db.query = timed({ query });
}

const all = events();
const { store, close } = await open();
// Warm up (partitions, statement plans) on events of their own.
await store.record(all.slice(0, Math.min(BATCH, 500)).map((e) => ({ ...e, id: eventId(9, 9, e.id.length) })));
// Each writer gets the events of its own users, as a stream partition holds them.
const shares = Array.from({ length: WRITERS }, (_, w) => all.filter((e) => partitionOf(e, WRITERS) === w));
const perBatch: number[] = [];
let recorded = 0;
const monitor = args.store === 'postgres' ? new pg.Client({ connectionString: args.url }) : null;
await monitor?.connect();
const serverBefore = await serverCpu(monitor);
const nodeBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(
  shares.map(async (share) => {
    for (let i = 0; i < share.length; i += BATCH) {
      const t = performance.now();
      const result = await store.record(share.slice(i, i + BATCH));
      perBatch.push(performance.now() - t);
      recorded += result.recorded.length;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const nodeCpu = process.cpuUsage(nodeBefore);
const serverSeconds = cpuOf(serverBefore, await serverCpu(monitor));
await monitor?.end();
if (args.statements) {
  for (const [key, { ms, calls }] of [...spent].sort((a, b) => b[1].ms - a[1].ms))
    console.log(`${(ms / 1000).toFixed(2).padStart(7)} s ${String(calls).padStart(5)}× ${key}`);
  spent.clear();
}
perBatch.sort((a, b) => a - b);
const q = (p: number) => perBatch[Math.min(perBatch.length - 1, Math.floor(p * perBatch.length))]!.toFixed(0);
console.log(
  JSON.stringify({
    store: args.store,
    mix: args.mix,
    events: N,
    batch: BATCH,
    writers: WRITERS,
    recorded,
    eventsPerSecond: Math.round(recorded / seconds),
    batchMs: { p50: q(0.5), p95: q(0.95) },
    // CPU per recorded event: this process (for PGlite the database too) and the server's backends.
    cpuUsPerEvent: {
      node: Math.round((nodeCpu.user + nodeCpu.system) / recorded),
      server: Math.round((serverSeconds * 1e6) / recorded),
    },
    loadAverage: loadavg()[0]!.toFixed(1),
  }),
);
// A second pass records nothing new: the cost of de-duplication alone.
const again = performance.now();
for (let i = 0; i < all.length; i += BATCH) await store.record(all.slice(i, i + BATCH));
console.log(JSON.stringify({ duplicatesPerSecond: Math.round(N / ((performance.now() - again) / 1000)) }));
await close();
