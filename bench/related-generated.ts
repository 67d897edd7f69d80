/*
 * Related content (`GET /v1/assets/{id}/related`'s service call) at a million assets, with the rows
 * related content reads made in Postgres rather than through the pipeline (issue 22; the `related`
 * suite of `npm run bench -- --scale 1m` loads its library through ingest and projection, 35 minutes
 * on a quiet machine and hours on a shared one):
 *
 *   nice -n 10 npx tsx bench/related-generated.ts [--assets 1000000] [--seeds 300] [--kept 50000]
 *     [--url postgres://postgres@127.0.0.1:5432/postgres] [--database bench_related_gen] [--only load|time|drop]
 *
 * 1. Load (once per database): one tenant of --assets assets (canonical rows: a title, a short
 *    description, a transcript on one in ten, an enrichment of a few hundred bytes; created over
 *    three years), and what the request reads of them:
 *    - the graph projection (`graph_nodes`, `asset_graph_nodes`, `graph_asset_projections`,
 *      `graph_tenant_stats`): per asset 0–2 speakers of 50,000, 2–7 given tags and 0–3 suggested ones
 *      (a quarter of their confidence, as indexers/asset-graph.ts weighs them) of 20,000, 0–2
 *      contributors of 10,000, 5 keywords of 200,000 plus one keyword on 70 % of the assets (the
 *      supernode), 1–3 topics of 500, a brand of 2,000 on three in ten; every vocabulary drawn by
 *      Zipf's law, moments on half the speaker and keyword links; entity counts exact;
 *    - `CO_VIEWED` relationships (`graph_relationships`, as the co-view pass writes them): the
 *      100,000 most played assets (by a Zipf rank) keep 20 partners, the next 200,000 from 19 down
 *      to 3, partners drawn by the same popularity, scores and sessions falling with the partner's
 *      place; and editors' `related_to` links on one asset in 200;
 *    - the text signal kept per asset version (`related_text_neighbours`, 100 neighbours each) for
 *      the seeds and --kept other assets (all million would be about 5 GB here).
 *    Indexes and foreign keys of the big tables are dropped for the load and made again after it.
 * 2. Times `DiscoveryService.related` (limit 10, in the tenant's scope as the API runs it, the text
 *    signal served from what is kept) for --seeds random assets: cold (each seed's first request
 *    since the load: its rows not read by anything before, most of them outside the buffer cache)
 *    and warm (the same seeds again); and the seeds of the supernode; beside the graph alone
 *    (`GraphStore.related`) and a plain shared-entity count (the `related` suite's baseline) for the
 *    same seeds in the same run. Writes bench/results/<date>-related-generated.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { CliError, choiceFlag, cliOptions, numberFlag, parseCli, plainNameFlag } from '../scripts/lib/cli.js';
import { PostgresGraphStore } from '../graph/postgres-graph-store.js';
import { PostgresSearchIndex } from '../search/postgres-search-index.js';
import { DiscoveryService } from '../services/discovery-service.js';
import { RelatedTextService } from '../services/related-text-service.js';
import { assetsRepository } from '../store/assets-repository.js';
import { openDatabase, type Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { projectionAccess } from '../store/projection-rebuilds-repository.js';
import { relatedTextRepository } from '../store/related-text-repository.js';
import { inTenantScope } from '../store/tenant-isolation.js';
import { tenantsRepository } from '../store/tenants-repository.js';
import { percentile, sqlUniform as u, sqlZipf as zipf } from './lib.js';

const USAGE =
  'npx tsx bench/related-generated.ts [--assets 1000000] [--seeds 300] [--kept 50000] [--url postgres://…] [--database bench_related_gen] [--only load|time|drop] [--from STEP]';
const ONLY = ['load', 'time', 'drop'] as const;

const args = cliOptions(() => {
  const { values } = parseCli(USAGE, {
    assets: { type: 'string', default: '1000000' },
    seeds: { type: 'string', default: '300' },
    kept: { type: 'string', default: '50000' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    database: { type: 'string', default: 'bench_related_gen' },
    only: { type: 'string' },
    /** Resume a load that stopped: skip the steps before the one of this name. */
    from: { type: 'string' },
  });
  return {
    assets: numberFlag('assets', values.assets, { min: 1 }),
    seeds: numberFlag('seeds', values.seeds, { min: 1 }),
    kept: numberFlag('kept', values.kept, { min: 1 }),
    url: values.url,
    database: plainNameFlag('database', values.database),
    only: choiceFlag('only', values.only, ONLY),
    from: values.from,
  };
});
const N = args.assets;
const SEEDS = args.seeds;
const KEPT = args.kept;
const dbName = args.database;
const TENANT = 'bench-related';
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const load1 = () => os.loadavg()[0]!.toFixed(1);

/** Entity vocabularies: ids are offset + Zipf rank (rank 0 the most linked). */
const VOCAB = {
  SPEAKER: { offset: 1_000_000_000, size: 50_000, prefix: 'Speaker' },
  TAG: { offset: 2_000_000_000, size: 20_000, prefix: 'tag' },
  CONTRIBUTOR: { offset: 3_000_000_000, size: 10_000, prefix: 'Studio' },
  KEYWORD: { offset: 4_000_000_000, size: 200_000, prefix: 'keyword' },
  TOPIC: { offset: 5_000_000_000, size: 500, prefix: 'Topic' },
  BRAND: { offset: 6_000_000_000, size: 2_000, prefix: 'Brand' },
} as const;
const assetId = (n: string) => `md5('${TENANT}/' || ${n})::uuid`;
const WORDS = `(ARRAY['ocean','climate','music','history','science','city','film','data','art','war','health',
  'energy','design','school','water','space','brain','money','food','language'])`;

/** Links of one entity type into the staging table: `count` per asset (an SQL expression of i). */
function linksSql(type: keyof typeof VOCAB, count: string, weight: string, moments: boolean, salt: number) {
  const v = VOCAB[type];
  const at = u('i * 64 + k', salt + 2);
  return `
    INSERT INTO bench_links (i, node_id, weight, moments)
    SELECT i, ${v.offset} + ${zipf('i * 64 + k', salt, v.size)}, (${weight})::real,
      CASE WHEN ${moments} AND ${u('i * 64 + k', salt + 1)} < 0.5
        THEN jsonb_build_array(jsonb_build_object('start', floor(${at} * 1800), 'end', floor(${at} * 1800) + 30)) END
    FROM generate_series(1, ${N}) AS i CROSS JOIN LATERAL generate_series(1, ${count}) AS k`;
}

async function load(db: Database): Promise<void> {
  let reached = args.from === undefined;
  const step = async (name: string, ...statements: string[]) => {
    reached ||= name === args.from;
    if (!reached) return;
    const t = performance.now();
    for (const sql of statements) await db.query(sql);
    log(`${name}: ${((performance.now() - t) / 1000).toFixed(0)} s, load ${load1()}`);
  };
  await step(
    'assets',
    `INSERT INTO assets (tenant_id, id, type, title, description, transcript, file_hash, source_system, source_id,
       given_tags, given_speakers, enriched_metadata, status, version, version_id, enriched_from_version,
       created_at, updated_at)
     SELECT '${TENANT}', ${assetId('i')}, CASE WHEN i % 5 = 0 THEN 'AUDIO' ELSE 'VIDEO' END,
       initcap(w[1 + i % 20]) || ' and ' || w[1 + (i / 20) % 20] || ', part ' || i,
       repeat(w[1 + (i / 7) % 20] || ' ' || w[1 + (i / 3) % 20] || ' of the ' || w[1 + i % 20] || '. ', 8),
       CASE WHEN i % 10 = 0 THEN repeat('and then we saw the ' || w[1 + (i / 11) % 20] || ' again ', 60) ELSE '' END,
       encode(sha256(('${TENANT}/' || i)::bytea), 'hex'), 'archive', 'src-' || i,
       jsonb_build_array('tag' || (i % 97), 'tag' || (i % 13)), jsonb_build_array('Speaker ' || (i % 500)),
       jsonb_build_object('summary', repeat(w[1 + i % 20] || ' ', 20), 'keywords',
         jsonb_build_array(w[1 + i % 20], w[1 + (i / 2) % 20], w[1 + (i / 5) % 20]), 'topics',
         jsonb_build_array(jsonb_build_object('label', 'Topic ' || (i % 50), 'confidence', 0.8))),
       'PROCESSED', 1, md5('v/' || i)::uuid, 1,
       now() - (floor(${u('i', 1)} * 3 * 365 * 86400) || ' seconds')::interval, now()
     FROM generate_series(1, ${N}) AS i, (SELECT ${WORDS} AS w) words`,
  );
  await step(
    'graph nodes',
    `INSERT INTO graph_nodes (tenant_id, id, type, name, normalized_name, asset_count) OVERRIDING SYSTEM VALUE
     ${Object.entries(VOCAB)
       .map(
         ([type, v]) =>
           `SELECT '${TENANT}', ${v.offset} + r, '${type}', '${v.prefix} ' || r, lower('${v.prefix} ' || r), 0
            FROM generate_series(0, ${v.size - 1}) AS r`,
       )
       .join(' UNION ALL ')}`,
  );
  await step('identity', `SELECT setval(pg_get_serial_sequence('graph_nodes', 'id'), 7000000000)`);
  // The links: staged (an asset may draw an entity twice: one link, the strongest), then written
  // without the table's indexes and foreign key, made again after.
  await step(
    'links table',
    `CREATE UNLOGGED TABLE bench_links (i integer, node_id bigint, weight real, moments jsonb)`,
  );
  await step(
    'links: speakers',
    linksSql(
      'SPEAKER',
      `CASE WHEN ${u('i', 10)} < 0.15 THEN 0 WHEN ${u('i', 10)} < 0.85 THEN 1 ELSE 2 END`,
      `0.6 + 0.4 * ${u('i * 64 + k', 11)}`,
      true,
      12,
    ),
  );
  await step('links: given tags', linksSql('TAG', `2 + floor(6 * ${u('i', 20)})::int`, '1', false, 21));
  // Suggested tags: a quarter of their confidence (DERIVED_TAG_WEIGHT); k from 9 keeps them apart from given ones.
  await step(
    'links: suggested tags',
    linksSql(
      'TAG',
      `floor(4 * ${u('i', 30)})::int`,
      `0.25 * (0.3 + 0.7 * ${u('i * 64 + k', 31)})`,
      false,
      32,
    ),
  );
  await step(
    'links: contributors',
    linksSql(
      'CONTRIBUTOR',
      `CASE WHEN ${u('i', 40)} < 0.5 THEN 0 WHEN ${u('i', 40)} < 0.85 THEN 1 ELSE 2 END`,
      '1',
      false,
      42,
    ),
  );
  await step('links: keywords', linksSql('KEYWORD', '5', `0.2 + 0.8 * ${u('i * 64 + k', 51)}`, true, 52));
  await step(
    'links: the supernode keyword',
    `INSERT INTO bench_links (i, node_id, weight)
     SELECT i, ${VOCAB.KEYWORD.offset} + 200000, (0.2 + 0.8 * ${u('i', 61)})::real
     FROM generate_series(1, ${N}) AS i WHERE ${u('i', 60)} < 0.7`,
  );
  await step(
    'the supernode',
    `INSERT INTO graph_nodes (tenant_id, id, type, name, normalized_name) OVERRIDING SYSTEM VALUE
     VALUES ('${TENANT}', ${VOCAB.KEYWORD.offset} + 200000, 'KEYWORD', 'technology', 'technology')`,
  );
  await step(
    'links: topics',
    linksSql('TOPIC', `1 + floor(3 * ${u('i', 70)})::int`, `0.4 + 0.6 * ${u('i * 64 + k', 71)}`, false, 72),
  );
  await step(
    'links: brands',
    linksSql('BRAND', `(${u('i', 80)} < 0.3)::int`, `0.5 + 0.5 * ${u('i * 64 + k', 81)}`, false, 82),
  );
  await step(
    'links: written, then the primary key, entity index and foreign key',
    `ALTER TABLE asset_graph_nodes DROP CONSTRAINT asset_graph_nodes_pkey,
       DROP CONSTRAINT asset_graph_nodes_tenant_id_node_id_fkey`,
    `DROP INDEX asset_graph_nodes_node_idx`,
    `INSERT INTO asset_graph_nodes (tenant_id, asset_id, node_id, weight, moments)
     SELECT '${TENANT}', ${assetId('i')}, node_id, max(weight), (array_agg(moments) FILTER (WHERE moments IS NOT NULL))[1]
     FROM bench_links GROUP BY i, node_id`,
    `DROP TABLE bench_links`,
    `ALTER TABLE asset_graph_nodes ADD CONSTRAINT asset_graph_nodes_pkey PRIMARY KEY (tenant_id, asset_id, node_id)`,
    `CREATE INDEX asset_graph_nodes_node_idx ON asset_graph_nodes (tenant_id, node_id, weight DESC, asset_id)`,
    `ALTER TABLE asset_graph_nodes ADD CONSTRAINT asset_graph_nodes_tenant_id_node_id_fkey
       FOREIGN KEY (tenant_id, node_id) REFERENCES graph_nodes (tenant_id, id)`,
  );
  await step(
    'entity counts',
    `UPDATE graph_nodes n SET asset_count = c.n
     FROM (SELECT node_id, count(*) AS n FROM asset_graph_nodes WHERE tenant_id = '${TENANT}' GROUP BY node_id) c
     WHERE n.tenant_id = '${TENANT}' AND n.id = c.node_id`,
  );
  await step(
    'graph projections',
    `INSERT INTO graph_asset_projections (tenant_id, asset_id, version, projected_at, created_at, popularity, trending, popularity_at)
     SELECT a.tenant_id, a.id, 1, now(), a.created_at, 0, 0, NULL FROM assets a WHERE a.tenant_id = '${TENANT}'`,
  );
  await step(
    'tenant count',
    `INSERT INTO graph_tenant_stats (tenant_id, asset_count) VALUES ('${TENANT}', ${N})
     ON CONFLICT (tenant_id) DO UPDATE SET asset_count = excluded.asset_count`,
  );
  // Co-views: the popularity rank of asset i is a fixed permutation, so the most played assets hold the most partners.
  const byRank = (r: string) => `(((${r})::bigint * 7919) % ${N} + 1)`;
  await step(
    'co-viewed relationships',
    `ALTER TABLE graph_relationships
       DROP CONSTRAINT IF EXISTS graph_relationships_tenant_id_source_asset_id_target_asset__key`,
    `DROP INDEX IF EXISTS graph_relationships_target_idx`,
    `INSERT INTO graph_relationships (tenant_id, source_asset_id, target_asset_id, type, weight, reason, created_by)
     SELECT DISTINCT ON (src, dst) '${TENANT}', ${assetId('src')}, ${assetId('dst')}, 'co_viewed',
       greatest(0.02, 0.8 * power(${u('r * 32 + k', 91)}, 0.5) / sqrt(k))::real,
       jsonb_build_object('sessions', 3 + floor(400 / (1 + r / 2000.0) / k)::int), 'system'
     FROM (
       SELECT r, k, ${byRank('r')} AS src, ${byRank(zipf('r * 32 + k', 90, N))} AS dst
       FROM generate_series(0, 299999) AS r
       CROSS JOIN LATERAL generate_series(1, CASE WHEN r < 100000 THEN 20 ELSE 3 + (16 * (300000 - r) / 200000) END) AS k
       WHERE r < ${N}
     ) x WHERE src <> dst
     ORDER BY src, dst, k`,
  );
  await step(
    "editors' links",
    `INSERT INTO graph_relationships (tenant_id, source_asset_id, target_asset_id, type, weight, reason, created_by)
     SELECT DISTINCT ON (src, dst) '${TENANT}', ${assetId('src')}, ${assetId('dst')}, 'related_to', 1,
       jsonb_build_object('note', 'see also'), 'editor'
     FROM (SELECT i AS src, 1 + floor(${u('i * 4 + k', 96)} * ${N})::bigint AS dst
           FROM generate_series(1, ${N}, 200) AS i CROSS JOIN generate_series(1, 3) AS k) x
     WHERE src <> dst ORDER BY src, dst`,
  );
  await step(
    'relationship indexes',
    `ALTER TABLE graph_relationships ADD CONSTRAINT graph_relationships_tenant_id_source_asset_id_target_asset__key
       UNIQUE (tenant_id, source_asset_id, target_asset_id, type)`,
    `CREATE INDEX graph_relationships_target_idx ON graph_relationships (tenant_id, target_asset_id)
       WHERE type = 'related_to'`,
  );
  await step(
    'kept text neighbours',
    `INSERT INTO related_text_neighbours (tenant_id, asset_id, version, neighbours, computed_at)
     SELECT '${TENANT}', ${assetId('i')}, 1, (
         SELECT jsonb_agg(jsonb_build_object('assetId', ${assetId(`1 + floor(${u('i * 128 + k', 101)} * ${N})::bigint`)},
           'contribution', round((2.0 / k)::numeric, 4),
           'terms', jsonb_build_array(w[1 + (i + k) % 20], w[1 + (i * k) % 20])) ORDER BY k)
         FROM generate_series(1, 100) AS k, (SELECT ${WORDS} AS w) words),
       now()
     FROM (SELECT i FROM generate_series(1, ${N}) AS i ORDER BY ${u('i', 100)} LIMIT ${KEPT + 2 * SEEDS + 40}) s`,
  );
  if (!reached) throw new CliError(`--from names no step of the load: "${args.from}"`);
  const t = performance.now();
  await db.query('VACUUM ANALYZE');
  log(`VACUUM ANALYZE: ${((performance.now() - t) / 1000).toFixed(0)} s, load ${load1()}`);
}

type Figure = { n: number; p50: number; p95: number; p99: number; max: number };
const figure = (xs: number[]): Figure => ({
  n: xs.length,
  p50: percentile(xs, 50),
  p95: percentile(xs, 95),
  p99: percentile(xs, 99),
  max: Math.max(...xs),
});

async function timeEach(ids: string[], fn: (id: string) => Promise<unknown>): Promise<Figure> {
  const ms: number[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    await fn(id);
    ms.push(performance.now() - t0);
  }
  return figure(ms);
}

const BASELINE = `
  SELECT o.asset_id, count(*) AS shared
  FROM asset_graph_nodes s
  JOIN asset_graph_nodes o ON o.tenant_id = s.tenant_id AND o.node_id = s.node_id AND o.asset_id <> s.asset_id
  WHERE s.tenant_id = $1 AND s.asset_id = $2
  GROUP BY o.asset_id ORDER BY shared DESC LIMIT 10`;

async function time(db: Database) {
  const graph = new PostgresGraphStore(projectionAccess(db, 'graph'));
  const search = new PostgresSearchIndex(projectionAccess(db, 'search'));
  const relatedText = new RelatedTextService({
    db,
    search,
    assets: assetsRepository,
    store: relatedTextRepository,
  });
  const discovery = new DiscoveryService({ db, assets: assetsRepository, search, graph, relatedText });
  const related = (id: string) => inTenantScope(TENANT, () => discovery.related(TENANT, id, { limit: 10 }));
  const graphOnly = (id: string) => inTenantScope(TENANT, () => graph.related(TENANT, id, { limit: 10 }));
  // Seeds: assets with kept text rows, in an order of their own; the first 40 warm the process up.
  const kept = (
    await db.query<{ asset_id: string }>(
      `SELECT asset_id FROM related_text_neighbours WHERE tenant_id = $1 ORDER BY md5(asset_id::text || 'seed') LIMIT $2`,
      [TENANT, 2 * SEEDS + 40],
    )
  ).map((r) => r.asset_id);
  const [warmup, random, other] = [kept.slice(0, 40), kept.slice(40, 40 + SEEDS), kept.slice(40 + SEEDS)];
  const [supernode] = await db.query<{ id: string; name: string; asset_count: number }>(
    `SELECT id, name, asset_count FROM graph_nodes WHERE tenant_id = $1 ORDER BY asset_count DESC LIMIT 1`,
    [TENANT],
  );
  const onSupernode = (
    await db.query<{ asset_id: string }>(
      `SELECT k.asset_id FROM related_text_neighbours k
       JOIN asset_graph_nodes l ON l.tenant_id = k.tenant_id AND l.asset_id = k.asset_id AND l.node_id = $2
       WHERE k.tenant_id = $1 AND k.asset_id = ANY($3::uuid[])`,
      [TENANT, supernode!.id, other],
    )
  ).map((r) => r.asset_id);
  const result: Record<string, unknown> = {};
  const record = async (name: string, fn: () => Promise<Figure>) => {
    const before = load1();
    const f = await fn();
    result[name] = { ...f, load: [before, load1()] };
    log(
      `${name}: p50 ${f.p50.toFixed(1)} / p95 ${f.p95.toFixed(1)} / p99 ${f.p99.toFixed(1)} ms (n ${f.n}), load ${before} → ${load1()}`,
    );
  };
  for (const id of warmup) await related(id);
  await record('related, cold (first request of each seed)', () => timeEach(random, related));
  await record('related, warm (the same seeds again)', () => timeEach(random, related));
  await record('related, warm, third pass', () => timeEach(random, related));
  await record('graph alone (GraphStore.related), warm', () => timeEach(random, graphOnly));
  // The plain count reads every link of every entity the seed shares (the supernode's 700,000): 20 seeds.
  await record('baseline: shared-entity count, warm (first 20 seeds)', () =>
    timeEach(random.slice(0, 20), (id) => db.query(BASELINE, [TENANT, id])),
  );
  await record(
    `related on the supernode ("${supernode!.name}", ${supernode!.asset_count} assets), cold`,
    () => timeEach(onSupernode, related),
  );
  await record('related on the supernode, warm', () => timeEach(onSupernode, related));
  return result;
}

const admin = new pg.Client({ connectionString: args.url });
await admin.connect();
if (args.only === 'drop') {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.end();
  log(`dropped ${dbName}`);
  process.exit(0);
}
const have = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
if (have.rows.length === 0) await admin.query(`CREATE DATABASE ${dbName}`);
await admin.end();
const url = new URL(args.url);
url.pathname = `/${dbName}`;
const db = await openDatabase({ url: url.toString() });
try {
  await migrate(db);
  await tenantsRepository.ensure(db, TENANT);
  const [stats] = await db.query<{ asset_count: string }>(
    'SELECT asset_count FROM graph_tenant_stats WHERE tenant_id = $1',
    [TENANT],
  );
  if ((!stats || args.from !== undefined) && args.only !== 'time') {
    log(`loading ${N} assets into ${dbName}, load ${load1()}`);
    await load(db);
  } else log(`loaded: ${stats?.asset_count ?? 0} assets`);
  if (args.only !== 'load') {
    const [counts] = await db.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM asset_graph_nodes WHERE tenant_id = $1) AS links,
         (SELECT count(*) FROM graph_relationships WHERE tenant_id = $1 AND type = 'co_viewed') AS co_viewed,
         (SELECT count(*) FROM graph_relationships WHERE tenant_id = $1 AND type = 'related_to') AS related_to,
         (SELECT count(*) FROM related_text_neighbours WHERE tenant_id = $1) AS kept,
         (SELECT pg_size_pretty(pg_database_size(current_database()))) AS size`,
      [TENANT],
    );
    log(`rows: ${JSON.stringify(counts)}`);
    const figures = await time(db);
    mkdirSync('bench/results', { recursive: true });
    const file = `bench/results/${new Date().toISOString().slice(0, 16).replace(':', '')}-related-generated.json`;
    writeFileSync(
      file,
      JSON.stringify(
        {
          command: `npx tsx bench/related-generated.ts ${process.argv.slice(2).join(' ')}`,
          assets: N,
          rows: counts,
          cores: os.cpus().length,
          figures,
        },
        null,
        2,
      ),
    );
    log(`wrote ${file}`);
  }
} finally {
  await db.close();
}
