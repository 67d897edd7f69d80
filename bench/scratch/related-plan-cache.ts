/*
 * The related request's statements, planned on every call (unnamed, as main sent them) against kept
 * prepared on the connection (named: generic plans once plan_cache_mode `auto` settles on them), on a
 * database bench/related-generated.ts loaded. As the API runs them: on one connection of the tenant
 * role, bound to the tenant (row-level security on). For profiling, not a benchmark:
 *
 *   npx tsx bench/scratch/related-plan-cache.ts [--database bench_related_gen] [--seeds 60] [--explain]
 *
 * 1. The whole request (DiscoveryService.related, limit 10) for a few seeds, every statement it sends
 *    recorded: each one's text, and the time of each.
 * 2. `--explain`: EXPLAIN (ANALYZE, BUFFERS) of each statement of one seed's request, and of the graph
 *    lookup once planned for its parameters (custom) and once generically (force_generic_plan), for a
 *    random seed and a seed on the largest entity (the supernode): planning and execution time, buffers.
 * 3. For --seeds random seeds and as many on the supernode, in turns: the graph lookup and the
 *    CO_VIEWED/editors' statement sent unnamed and sent named, p50/p95 of the client's wall clock;
 *    and, on one connection, each mode's planning and execution time from EXPLAIN ANALYZE EXECUTE.
 */
import os from 'node:os';
import pg from 'pg';
import { PostgresGraphStore } from '../../graph/postgres-graph-store.js';
import { SQL } from '../../graph/postgres/statements.js';
import { CO_VIEW } from '../../domain/co-views.js';
import { TYPE_WEIGHTS, candidatesFor } from '../../graph/related-ranking.js';
import { cliOptions, numberFlag, parseCli, plainNameFlag } from '../../scripts/lib/cli.js';
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import { DiscoveryService } from '../../services/discovery-service.js';
import { RelatedTextService } from '../../services/related-text-service.js';
import { assetsRepository } from '../../store/assets-repository.js';
import { bind, type Database, type NamedStatement, type Sql } from '../../store/database.js';
import { openDatabase } from '../../store/db.js';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';
import { relatedTextRepository } from '../../store/related-text-repository.js';
import { inTenantScope, TENANT_ROLE } from '../../store/tenant-isolation.js';
import { percentile } from '../lib.js';

const USAGE =
  'npx tsx bench/scratch/related-plan-cache.ts [--url postgres://…] [--database bench_related_gen] [--seeds 60] [--explain]';
const args = cliOptions(() => {
  const { values } = parseCli(USAGE, {
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    database: { type: 'string', default: 'bench_related_gen' },
    seeds: { type: 'string', default: '60' },
    explain: { type: 'boolean', default: false },
  });
  return {
    url: values.url,
    database: plainNameFlag('database', values.database),
    seeds: numberFlag('seeds', values.seeds, { min: 1 }),
    explain: values.explain,
  };
});
const TENANT = 'bench-related';
const url = new URL(args.url);
url.pathname = `/${args.database}`;
const load1 = () => os.loadavg()[0]!.toFixed(1);
const label = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 70);

const client = new pg.Client({ connectionString: url.toString(), options: '-c jit=off' });
await client.connect();
const db = await openDatabase({ url: url.toString() });

/** The statements' parameters are strings, numbers, null and arrays of strings. */
const literalText = (v: unknown): string => {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new Error(`no literal for ${typeof v}`);
};

/** A parameter as an SQL literal, for EXECUTE. */
const literal = (v: unknown): string => {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return client.escapeLiteral(`{${v.map((x) => `"${literalText(x)}"`).join(',')}}`);
  return client.escapeLiteral(literalText(v));
};

try {
  await client.query(
    `SET ROLE ${TENANT_ROLE}; SELECT set_config('app.tenant_id', ${client.escapeLiteral(TENANT)}, false)`,
  );
  const [supernode] = (
    await client.query<{ id: string; name: string; asset_count: number }>(
      'SELECT id, name, asset_count FROM graph_nodes WHERE tenant_id = $1 ORDER BY asset_count DESC LIMIT 1',
      [TENANT],
    )
  ).rows;
  const kept = (
    await client.query<{ asset_id: string }>(
      `SELECT asset_id FROM related_text_neighbours WHERE tenant_id = $1 ORDER BY md5(asset_id::text || 'plan') LIMIT $2`,
      [TENANT, 4 * args.seeds],
    )
  ).rows.map((r) => r.asset_id);
  const onSupernode = new Set(
    (
      await client.query<{ asset_id: string }>(
        `SELECT asset_id FROM asset_graph_nodes WHERE tenant_id = $1 AND node_id = $2 AND asset_id = ANY($3::uuid[])`,
        [TENANT, supernode!.id, kept],
      )
    ).rows.map((r) => r.asset_id),
  );
  const random = kept.filter((id) => !onSupernode.has(id)).slice(0, args.seeds);
  const skewed = kept.filter((id) => onSupernode.has(id)).slice(0, args.seeds);
  console.log(
    `${args.database}: supernode "${supernode!.name}" on ${supernode!.asset_count} assets; ${random.length} seeds off it, ${skewed.length} on it; load ${load1()}`,
  );

  const relatedParams = (assetId: string) => ({
    tenantId: TENANT,
    assetId,
    limit: candidatesFor(10),
    typeWeights: JSON.stringify(TYPE_WEIGHTS),
    entityTypes: null,
  });
  const linksParams = (assetId: string) => ({
    tenantId: TENANT,
    assetId,
    coViewLimit: CO_VIEW.partnersPerAsset,
  });

  // 1. The whole request, every statement recorded.
  const sent: { text: string; params: readonly unknown[]; ms: number; prepared: boolean }[] = [];
  const recording = (sql: Sql): Sql => ({
    query: async (text, params, options) => {
      const t0 = performance.now();
      const rows = await sql.query(text, params, options);
      sent.push({
        text,
        params: params ?? [],
        ms: performance.now() - t0,
        prepared: Boolean(options?.prepare),
      });
      return rows as never;
    },
  });
  const recorded: Database = {
    kind: db.kind,
    query: (text, params, options) => recording(db).query(text, params, options),
    transaction: (fn) => db.transaction((tx) => fn(recording(tx))),
    exec: (script) => db.exec(script),
    close: () => db.close(),
  };
  const search = new PostgresSearchIndex(projectionAccess(recorded, 'search'));
  const discovery = new DiscoveryService({
    db: recorded,
    assets: assetsRepository,
    search,
    graph: new PostgresGraphStore(projectionAccess(recorded, 'graph')),
    relatedText: new RelatedTextService({
      db: recorded,
      search,
      assets: assetsRepository,
      store: relatedTextRepository,
    }),
  });
  const byStatement = new Map<string, number[]>();
  const whole: number[] = [];
  for (const [i, id] of random.slice(0, 30).entries()) {
    sent.length = 0;
    const t0 = performance.now();
    await inTenantScope(TENANT, () => discovery.related(TENANT, id, { limit: 10 }));
    if (i < 5) continue; // the pool's connections and their prepared statements warm up
    whole.push(performance.now() - t0);
    for (const s of sent) {
      const k = `${s.prepared ? 'named  ' : 'unnamed'} ${label(s.text)}`;
      byStatement.set(k, [...(byStatement.get(k) ?? []), s.ms]);
    }
  }
  console.log(
    `\nwhole request (${whole.length} seeds, warm): p50 ${percentile(whole, 50).toFixed(1)} / p95 ${percentile(whole, 95).toFixed(1)} ms, load ${load1()}`,
  );
  for (const [k, ms] of byStatement)
    console.log(
      `  ${percentile(ms, 50).toFixed(2).padStart(7)} / ${percentile(ms, 95).toFixed(2).padStart(7)} ms  ${k}`,
    );
  const oneRequest = [...sent];

  // 2. Plans.
  const explain = async (sql: string, params: readonly unknown[] = []) => {
    const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
      params as unknown[],
    );
    const [plan] = rows[0]!['QUERY PLAN'] as {
      'Planning Time': number;
      'Execution Time': number;
      Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number };
    }[];
    return plan!;
  };
  const execute = (name: string, st: NamedStatement, params: Record<string, unknown>) =>
    `EXECUTE ${name}(${bind(st, params).map(literal).join(', ')})`;
  await client.query(`PREPARE plan_related AS ${SQL.related.text}`);
  await client.query(`PREPARE plan_links AS ${SQL.manualLinks.text}`);
  if (args.explain) {
    console.log('\nEXPLAIN (ANALYZE, BUFFERS) of the statements of one request:');
    for (const s of oneRequest) {
      const p = await explain(s.text, s.params);
      console.log(
        `  planning ${p['Planning Time'].toFixed(2)} ms, execution ${p['Execution Time'].toFixed(2)} ms, ` +
          `buffers hit ${p.Plan['Shared Hit Blocks']} read ${p.Plan['Shared Read Blocks']}  ${label(s.text)}`,
      );
    }
    for (const [what, id] of [
      ['random seed', random[0]!],
      ['seed on the supernode', skewed[0]!],
    ] as const) {
      for (const mode of ['force_custom_plan', 'force_generic_plan']) {
        await client.query(`SET plan_cache_mode = ${mode}`);
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${execute('plan_related', SQL.related, relatedParams(id))}`,
        );
        console.log(`\n---- graph lookup, ${what}, ${mode}:`);
        console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
    }
  }

  // 3. Unnamed against named, in turns; then each plan mode's planning and execution.
  const timings = new Map<string, number[]>();
  const add = (k: string, ms: number) => timings.set(k, [...(timings.get(k) ?? []), ms]);
  const lookups: [string, NamedStatement, (id: string) => Record<string, unknown>][] = [
    ['graph lookup', SQL.related, relatedParams],
    ['co-views and links', SQL.manualLinks, linksParams],
  ];
  await client.query('RESET plan_cache_mode');
  const loadBefore = load1();
  for (const [seeds, which] of [
    [random, 'random'],
    [skewed, 'supernode'],
  ] as const) {
    for (const [i, id] of seeds.entries()) {
      for (const [name, st, params] of lookups) {
        const values = bind(st, params(id));
        const modes = i % 2 === 0 ? ['unnamed', 'named'] : ['named', 'unnamed'];
        for (const mode of modes) {
          const t0 = performance.now();
          if (mode === 'named')
            await client.query({ name: `bench_${name.replace(/\W/g, '_')}`, text: st.text, values });
          else await client.query(st.text, values);
          if (i >= 5) add(`${name}, ${which} seeds, ${mode}`, performance.now() - t0);
        }
      }
    }
  }
  console.log(`\nsent unnamed against named (auto plan cache), in turns, load ${loadBefore} → ${load1()}:`);
  for (const [k, ms] of timings)
    console.log(
      `  ${percentile(ms, 50).toFixed(2).padStart(7)} / ${percentile(ms, 95).toFixed(2).padStart(7)} ms (n ${ms.length})  ${k}`,
    );
  const plans = await client.query<{ name: string; generic_plans: number; custom_plans: number }>(
    `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'bench_%'`,
  );
  for (const r of plans.rows)
    console.log(`  ${r.name}: ${r.generic_plans} generic plans, ${r.custom_plans} custom plans (auto)`);

  const split = new Map<string, { plan: number[]; exec: number[] }>();
  for (const [seeds, which] of [
    [random, 'random'],
    [skewed, 'supernode'],
  ] as const) {
    for (const id of seeds.slice(0, 30)) {
      for (const mode of ['force_custom_plan', 'force_generic_plan']) {
        await client.query(`SET plan_cache_mode = ${mode}`);
        const p = await explain(execute('plan_related', SQL.related, relatedParams(id)));
        const k = `graph lookup, ${which} seeds, ${mode}`;
        const s = split.get(k) ?? { plan: [], exec: [] };
        s.plan.push(p['Planning Time']);
        s.exec.push(p['Execution Time']);
        split.set(k, s);
      }
    }
  }
  console.log(`\nEXPLAIN ANALYZE EXECUTE, planning / execution p50 and p95 (ms), load ${load1()}:`);
  for (const [k, s] of split)
    console.log(
      `  planning ${percentile(s.plan, 50).toFixed(2)} / ${percentile(s.plan, 95).toFixed(2)}, execution ${percentile(s.exec, 50).toFixed(2)} / ${percentile(s.exec, 95).toFixed(2)}  ${k}`,
    );

  // 4. The assets most viewed with others: the targets of the most CO_VIEWED relationships.
  await client.query('RESET plan_cache_mode');
  const popular = (
    await client.query<{ id: string; n: number }>(
      `SELECT target_asset_id AS id, count(*)::int AS n FROM graph_relationships
       WHERE tenant_id = $1 AND type = 'co_viewed' GROUP BY target_asset_id ORDER BY n DESC LIMIT 20`,
      [TENANT],
    )
  ).rows;
  const popularMs: number[] = [];
  for (const { id } of popular) {
    const t0 = performance.now();
    await client.query({
      name: 'bench_co_views_and_links',
      text: SQL.manualLinks.text,
      values: bind(SQL.manualLinks, linksParams(id)),
    });
    popularMs.push(performance.now() - t0);
  }
  console.log(
    `\nco-views and links for the 20 assets most CO_VIEWED relationships point at (${popular[0]!.n} to ${popular.at(-1)!.n} each): ` +
      `p50 ${percentile(popularMs, 50).toFixed(1)} / max ${Math.max(...popularMs).toFixed(1)} ms, load ${load1()}`,
  );
  const top = await explain(execute('plan_links', SQL.manualLinks, linksParams(popular[0]!.id)));
  console.log(
    `  the first, EXPLAIN ANALYZE: planning ${top['Planning Time'].toFixed(2)} ms, execution ${top['Execution Time'].toFixed(2)} ms, ` +
      `buffers hit ${top.Plan['Shared Hit Blocks']} read ${top.Plan['Shared Read Blocks']}`,
  );
} finally {
  await client.end();
  await db.close();
}
