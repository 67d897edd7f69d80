/*
 * Where the whole related request (DiscoveryService.related: the graph, the text signal, hydration)
 * spends its time on Postgres: runs it for random assets of a loaded bench database in the tenant's
 * scope, times every statement it sends and every port call it makes, and the process's CPU per
 * request; `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of one asset's slowest statements. Run under
 * `node --cpu-prof` for the JS side. For profiling, not a benchmark:
 *
 *   npx tsx bench/scratch/related-request-profile.ts --database related_speed_100k [--assets 40] [--explain] [--limit 10]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PostgresGraphStore } from '../../graph/postgres-graph-store.js';
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import { DiscoveryService } from '../../services/discovery-service.js';
import { assetsRepository } from '../../store/assets-repository.js';
import type { Database, Sql } from '../../store/database.js';
import { openDatabase } from '../../store/db.js';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';
import { relatedTextRepository } from '../../store/related-text-repository.js';
import { RelatedTextService } from '../../services/related-text-service.js';
import { inTenantScope } from '../../store/tenant-isolation.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    database: { type: 'string' },
    tenant: { type: 'string', default: 'tenant-1' },
    assets: { type: 'string', default: '40' },
    limit: { type: 'string', default: '10' },
    explain: { type: 'boolean', default: false },
    /** Serve the text signal from the per-version table (what the API does); off: live lookups only. */
    cached: { type: 'boolean', default: false },
    /** With --cached: forget the kept neighbours of the tenant first. */
    forget: { type: 'boolean', default: false },
  },
});
if (!args.database) throw new Error('--database: a loaded bench database (npm run bench -- --load-only)');
const url = new URL(args.url);
url.pathname = `/${args.database}`;
const db = await openDatabase({ url: url.toString() });

interface Sent {
  text: string;
  params: readonly unknown[];
  ms: number;
}
let sent: Sent[] = [];
let transactions = 0;
const recording = (sql: Sql): Sql => ({
  query: async (text, params) => {
    const t0 = performance.now();
    const rows = await sql.query(text, params);
    sent.push({ text, params: params ?? [], ms: performance.now() - t0 });
    return rows as never;
  },
});
const recorded: Database = {
  kind: db.kind,
  query: (text, params) => recording(db).query(text, params),
  transaction: (fn) => {
    transactions++;
    return db.transaction((tx) => fn(recording(tx)));
  },
  exec: (script) => db.exec(script),
  close: () => db.close(),
};

/** Each method of `target` timed under `name.method`. */
const calls = new Map<string, number[]>();
function timed<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      const v = Reflect.get(t, key, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return async (...a: unknown[]) => {
        const t0 = performance.now();
        try {
          return await (v as (...x: unknown[]) => Promise<unknown>).apply(t, a);
        } finally {
          const k = `${name}.${String(key)}`;
          calls.set(k, [...(calls.get(k) ?? []), performance.now() - t0]);
        }
      };
    },
  });
}

const search = timed('search', new PostgresSearchIndex(projectionAccess(recorded, 'search')));
const graph = timed('graph', new PostgresGraphStore(projectionAccess(recorded, 'graph')));
const assets = timed('assets', assetsRepository);
const discovery = new DiscoveryService({
  db: recorded,
  assets,
  search,
  graph,
  ...(args.cached
    ? {
        relatedText: timed(
          'relatedText',
          new RelatedTextService({ db: recorded, search, assets, store: relatedTextRepository }),
        ),
      }
    : {}),
});
/** CPU ticks (10 ms) of the server's backends for this database, by pid (Linux, local server). */
const backendTicks = async (): Promise<Map<number, number>> => {
  const ticks = new Map<number, number>();
  const pids = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // ended between the two reads
    }
  }
  return ticks;
};
const label = (text: string) => text.replace(/\s+/g, ' ').slice(0, 80);
const limit = Number(args.limit);

try {
  const ids = (
    await db.query<{ asset_id: string }>(
      'SELECT asset_id FROM search_documents WHERE tenant_id = $1 ORDER BY md5(asset_id::text) LIMIT $2',
      [args.tenant, Number(args.assets) + 1],
    )
  ).map((r) => r.asset_id);
  if (args.forget) await relatedTextRepository.remove(db, args.tenant, null);
  // With --cached: the first pass finds nothing kept (each asset's neighbours computed and kept),
  // the second serves what the first kept.
  for (const pass of args.cached ? ['first pass (nothing kept)', 'second pass (kept)'] : ['live']) {
    console.log(`\n=== ${pass}`);
    const byStatement = new Map<string, number[]>();
    const totals: number[] = [];
    const sqlTotals: number[] = [];
    const cpu: number[] = [];
    let statements = 0;
    let serverBefore = new Map<number, number>();
    // The first asset warms the caches and is not counted.
    for (const [i, id] of ids.entries()) {
      sent = [];
      if (i === 1) {
        serverBefore = await backendTicks();
        calls.clear();
        transactions = 0;
      }
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await inTenantScope(args.tenant, () => discovery.related(args.tenant, id, { limit }));
      if (i === 0) continue;
      totals.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      statements += sent.length;
      sqlTotals.push(sent.reduce((s, x) => s + x.ms, 0));
      for (const s of sent) {
        const k = label(s.text);
        byStatement.set(k, [...(byStatement.get(k) ?? []), s.ms]);
      }
    }
    const serverAfter = await backendTicks();
    const serverMs = [...serverAfter].reduce(
      (sum, [pid, t]) => sum + (t - (serverBefore.get(pid) ?? 0)) * 10,
      0,
    );
    const n = totals.length;
    const q = (xs: number[], p: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
    };
    const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / n).toFixed(1);
    console.log(
      `whole request, ${n} assets, limit ${limit}: p50 ${q(totals, 0.5)} ms, p95 ${q(totals, 0.95)} ms`,
    );
    console.log(
      `per request: ${(statements / n).toFixed(1)} statements, ${(transactions / n).toFixed(1)} transactions, ` +
        `statement time ${mean(sqlTotals)} ms (summed; some run side by side), process CPU ${mean(cpu)} ms, ` +
        `server CPU ${(serverMs / n).toFixed(1)} ms (its backends for this database)`,
    );
    console.log('\nport calls (ms per request, summed; calls per request):');
    for (const [k, ms] of [...calls].sort(
      (a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y),
    ))
      console.log(`${mean(ms).padStart(7)} ms  ${(ms.length / n).toFixed(1).padStart(4)}×  ${k}`);
    console.log('\nstatements (ms per request; count over all requests):');
    for (const [k, ms] of [...byStatement].sort(
      (a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y),
    ))
      console.log(`${mean(ms).padStart(7)} ms  ${String(ms.length).padStart(4)}×  ${k}`);
  }
  if (args.explain) {
    sent = [];
    await inTenantScope(args.tenant, () => discovery.related(args.tenant, ids[1]!, { limit }));
    for (const s of sent.filter((x) => !/set_config/.test(x.text) && x.ms > 1)) {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.params);
      console.log(`\n---- ${label(s.text)} (${s.ms.toFixed(1)} ms)`);
      console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
    }
  }
} finally {
  await db.close();
}
