/**
 * Loads one scale's synthetic library into a bench database, in stages that each skip the work
 * already done, so an interrupted load resumes where it stopped:
 *   1. canonical: the assets through IngestService, in chunks, remembering how far the generator got;
 *   2. search and graph projections, side by side, keyset-paged on (tenant, asset id): each
 *      resumes after the last asset its projection table holds (every batch is one transaction).
 * The projections are made from the canonical rows by the indexers' own functions, with a cheap
 * stand-in for enrichment (topics from tags, the first words as keywords): enriching a million
 * assets would take hours, and the ingest suite measures real enrichment end to end.
 */
import type { Asset } from '../domain/asset.js';
import type { AssetGraph } from '../graph/graph-store.js';
import { PostgresGraphStore } from '../graph/postgres-graph-store.js';
import { toAssetGraph } from '../indexers/asset-graph.js';
import { toSearchDocument } from '../indexers/search-document.js';
import { PostgresSearchIndex } from '../search/postgres-search-index.js';
import type { SearchDocument } from '../search/search-index.js';
import { ingestService } from '../runtime/container.js';
import type { IngestService } from '../services/ingest-service.js';
import { assetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';
import { projectionAccess, projectionTables } from '../store/projection-rebuilds-repository.js';
import { tenantsRepository } from '../store/tenants-repository.js';
import { inTenantScope } from '../store/tenant-isolation.js';
import {
  TOPICS,
  syntheticLibrary,
  syntheticTenantOf,
  type SyntheticOptions,
} from '../scripts/lib/synthetic-library.js';
import { tedVocabulary } from '../scripts/lib/ted-vocabulary.js';
import { log } from './lib.js';

export const LIBRARY_SEED = 7;
export const TENANTS = 3;
/** The tenant the read suites query: it holds about 70% of the library. */
export const MAIN_TENANT = 'tenant-1';
const CHUNK = 1_000;
const SEARCH_BATCH = 500;
const BULK_BATCH = 2_000;
const GRAPH_BATCH = 500;
/** Loads of at least this many assets drop the search projection's secondary indexes and build them after. */
const BULK_LOAD_FROM = 50_000;
/** Without autovacuum, the load vacuums this often (assets per projection). */
const VACUUM_EVERY = 50_000;
const KEYWORDS_PER_ASSET = 8;

/** As created by the migrations (0002, 0004, 0006, 0008); a new asset's projection reads none of them. */
const SECONDARY_INDEXES: Record<string, string> = {
  search_postings_impact_idx:
    'ON search_postings (tenant_id, term, impact DESC, asset_id) INCLUDE (tf, doc_length)',
  search_postings_asset_idx: 'ON search_postings (tenant_id, asset_id)',
  search_documents_fts_idx: 'ON search_documents USING gin (document)',
  search_documents_created_idx: 'ON search_documents (tenant_id, created_at DESC, asset_id DESC)',
  search_documents_popularity_idx: 'ON search_documents (tenant_id, popularity DESC, asset_id DESC)',
};

/** The synthetic library every scale loads (the same seed, so a smaller scale is a prefix of a larger). */
export function benchLibrary(assets: number) {
  const vocabulary = tedVocabulary();
  const options: SyntheticOptions = { assets, seed: LIBRARY_SEED, ...(vocabulary ? { vocabulary } : {}) };
  return { library: syntheticLibrary(options), vocabulary: vocabulary ? 'ted' : 'builtin' };
}

export interface LoadState {
  scale: number;
  /** Generated assets handled by the canonical stage. */
  generated: number;
  canonicalDone: boolean;
  searchDone: boolean;
  graphDone: boolean;
  vocabulary: string;
  seconds: Record<string, number>;
}

async function readState(db: Database, scale: number): Promise<LoadState> {
  await db.query('CREATE TABLE IF NOT EXISTS bench_state (key text PRIMARY KEY, value jsonb NOT NULL)');
  const [row] = await db.query<{ value: LoadState }>("SELECT value FROM bench_state WHERE key = 'load'");
  if (row && row.value.scale !== scale)
    throw new Error(`this bench database holds scale ${row.value.scale}, not ${scale}`);
  return (
    row?.value ?? {
      scale,
      generated: 0,
      canonicalDone: false,
      searchDone: false,
      graphDone: false,
      vocabulary: '',
      seconds: {},
    }
  );
}

async function writeState(db: Database, state: LoadState): Promise<void> {
  await db.query(
    `INSERT INTO bench_state (key, value) VALUES ('load', $1)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [JSON.stringify(state)],
  );
}

/** Loads what is missing of `scale` assets; returns at once when a previous run finished the load. */
export async function loadScale(db: Database, scale: number): Promise<LoadState> {
  const state = await readState(db, scale);
  if (state.canonicalDone && state.searchDone && state.graphDone) {
    log(`load: ${scale} assets already loaded (bench_state)`);
    return state;
  }
  for (let t = 1; t <= TENANTS; t++) await tenantsRepository.ensure(db, `tenant-${t}`);
  if (!state.canonicalDone) await loadCanonical(db, state);
  const [search, graph] = await Promise.all([
    state.searchDone ? 0 : projectSearch(db, scale),
    state.graphDone ? 0 : projectGraph(db),
  ]);
  if (!state.searchDone) state.seconds.search = search;
  if (!state.graphDone) state.seconds.graph = graph;
  state.searchDone = state.graphDone = true;
  await writeState(db, state);
  return state;
}

async function loadCanonical(db: Database, state: LoadState): Promise<void> {
  const started = Date.now();
  const { library, vocabulary } = benchLibrary(state.scale);
  state.vocabulary = vocabulary;
  // The library is deterministic: skip what an earlier run already ingested (repeats are duplicates anyway).
  for (let i = 0; i < state.generated; i++) library.next();
  const ingest = ingestService(db);
  let reported = Date.now();
  for (;;) {
    const byTenant = new Map<string, Parameters<IngestService['ingest']>[1]>();
    let taken = 0;
    for (let next = library.next(); !next.done; next = library.next()) {
      const tenant = syntheticTenantOf(state.generated + taken, TENANTS);
      const a = next.value;
      const list = byTenant.get(tenant) ?? [];
      list.push({ ...a, description: a.description, contributors: [], operationalTags: [] });
      byTenant.set(tenant, list);
      if (++taken >= CHUNK) break;
    }
    if (taken === 0) break;
    for (const [tenantId, inputs] of byTenant) {
      // As a request would: the tenant's scope binds every statement (row-level security).
      await inTenantScope(tenantId, () => ingest.ingest({ tenantId, actor: 'bench' }, inputs));
    }
    state.generated += taken;
    await writeState(db, state);
    if (Date.now() - reported > 30_000) {
      reported = Date.now();
      log(`canonical: ${state.generated}/${state.scale} generated assets`);
    }
  }
  // The bench's assets count as processed; their events must not reach an API's relay later.
  await db.query(
    "UPDATE outbox SET dispatched_at = now() WHERE dispatched_at IS NULL AND tenant_id LIKE 'tenant-%'",
  );
  await db.query(
    "UPDATE assets SET status = 'PROCESSED' WHERE status = 'QUEUED' AND tenant_id LIKE 'tenant-%'",
  );
  for (const table of ['assets', 'asset_versions', 'outbox', 'action_records'])
    await db.query(`VACUUM ANALYZE ${table}`).catch(() => undefined);
  state.canonicalDone = true;
  state.seconds.canonical = (state.seconds.canonical ?? 0) + (Date.now() - started) / 1000;
  await writeState(db, state);
  log(`canonical: done, ${state.generated} generated assets`);
}

/** Canonical assets after the last one `table` holds, in (tenant, id) order. */
async function* assetsAfter(db: Database, table: string, batch: number): AsyncGenerator<[string, Asset[]]> {
  const [last] = await db.query<{ tenant_id: string; asset_id: string }>(
    `SELECT tenant_id, asset_id FROM ${table} WHERE tenant_id LIKE 'tenant-%'
     ORDER BY tenant_id DESC, asset_id DESC LIMIT 1`,
  );
  let after = last ? [last.tenant_id, last.asset_id] : ['', '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    const rows = await db.query<{ tenant_id: string; id: string }>(
      `SELECT tenant_id, id FROM assets WHERE tenant_id LIKE 'tenant-%' AND (tenant_id, id) > ($1, $2::uuid)
       ORDER BY tenant_id, id LIMIT $3`,
      [after[0], after[1], batch],
    );
    if (rows.length === 0) return;
    after = [rows.at(-1)!.tenant_id, rows.at(-1)!.id];
    const groups = new Map<string, string[]>();
    for (const r of rows) groups.set(r.tenant_id, [...(groups.get(r.tenant_id) ?? []), r.id]);
    for (const [tenantId, ids] of groups) {
      const assets = await assetsRepository.findByIds(db, tenantId, ids);
      yield [tenantId, assets.sort((a, b) => (a.id < b.id ? -1 : 1))];
    }
  }
}

/** The cheap stand-in for enrichment: topics are the topic words among the tags, keywords the first words. */
function standInKeywords(asset: Asset): string[] {
  const words = [...new Set(`${asset.title} ${asset.description}`.toLowerCase().match(/[a-z]+/g) ?? [])];
  return words.slice(0, KEYWORDS_PER_ASSET);
}
const standInTopics = (asset: Asset) => asset.tags.filter((t) => TOPICS.includes(t));

export function benchSearchDocument(asset: Asset): SearchDocument {
  return { ...toSearchDocument(asset), topics: standInTopics(asset), keywords: standInKeywords(asset) };
}

export function benchAssetGraph(asset: Asset): AssetGraph {
  const g = toAssetGraph(asset);
  g.entities.push(
    ...standInTopics(asset).map((name) => ({ type: 'TOPIC' as const, name, weight: 0.8 })),
    ...standInKeywords(asset).map((name, i) => ({
      type: 'KEYWORD' as const,
      name,
      weight: 1 - i / (2 * KEYWORDS_PER_ASSET),
    })),
  );
  return g;
}

async function projectSearch(db: Database, scale: number): Promise<number> {
  const started = Date.now();
  const index = new PostgresSearchIndex(projectionAccess(db, 'search'));
  const bulk = scale >= BULK_LOAD_FROM && db.kind === 'postgres';
  if (bulk) {
    // Per-row maintenance of these indexes dominates a large load: build them once at the end,
    // as an initial load or offline rebuild would (docs/search-speed.md).
    for (const name of Object.keys(SECONDARY_INDEXES)) await db.query(`DROP INDEX IF EXISTS ${name}`);
  }
  let done = 0;
  let reported = Date.now();
  for await (const [tenantId, assets] of assetsAfter(
    db,
    'search_documents',
    bulk ? BULK_BATCH : SEARCH_BATCH,
  )) {
    const docs = assets.map(benchSearchDocument);
    if (bulk) await index.bulkInsert(tenantId, docs);
    else await index.upsertMany(tenantId, docs);
    done += docs.length;
    if (Date.now() - reported > 30_000) {
      reported = Date.now();
      log(`search: ${done} documents this run`);
    }
  }
  if (bulk) {
    for (const [name, definition] of Object.entries(SECONDARY_INDEXES)) {
      const [exists] = await db.query('SELECT 1 FROM pg_indexes WHERE indexname = $1', [name]);
      if (exists) continue;
      await db.transaction(async (tx) => {
        await tx.query(`SET LOCAL maintenance_work_mem = '1GB'`);
        await tx.query(`CREATE INDEX ${name} ${definition}`);
      });
      log(`search: built ${name}`);
    }
  }
  // Index-only scans of the postings need the visibility map set, and the planner statistics of every
  // search table (the trigger-kept ones too); autovacuum may be off.
  for (const table of await projectionTables(db, 'search')) await db.query(`VACUUM ANALYZE ${table}`);
  if (bulk) for (let t = 1; t <= TENANTS; t++) await index.finishBulkLoad(`tenant-${t}`);
  await db.query('VACUUM ANALYZE search_term_stats');
  log(`search: done, ${done} documents this run`);
  return (Date.now() - started) / 1000;
}

async function projectGraph(db: Database): Promise<number> {
  const started = Date.now();
  const store = new PostgresGraphStore(projectionAccess(db, 'graph'));
  let done = 0;
  let sinceVacuum = 0;
  let reported = Date.now();
  for await (const [tenantId, assets] of assetsAfter(db, 'graph_asset_projections', GRAPH_BATCH)) {
    await store.projectMany(tenantId, assets.map(benchAssetGraph));
    done += assets.length;
    // Without autovacuum the entity rows bloat and plans come from an empty tenant's statistics.
    if ((sinceVacuum += assets.length) >= VACUUM_EVERY) {
      sinceVacuum = 0;
      await db.query('VACUUM (ANALYZE) graph_nodes, graph_asset_projections, graph_tenant_stats');
      await db.query('ANALYZE asset_graph_nodes');
    }
    if (Date.now() - reported > 30_000) {
      reported = Date.now();
      log(`graph: ${done} assets this run`);
    }
  }
  await db.query('VACUUM ANALYZE asset_graph_nodes');
  await db.query('VACUUM ANALYZE graph_nodes');
  log(`graph: done, ${done} assets this run`);
  return (Date.now() - started) / 1000;
}
