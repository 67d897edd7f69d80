/**
 * Related content: GraphStore.related in the tenant's scope for random assets and for assets on the
 * largest supernode, beside a plain baseline on the same link table: the assets sharing the most
 * entities, counted by a self-join (no rarity, no caps). The text signal of related content on its
 * own (SearchIndex.moreLikeThis, which the discovery service runs beside GraphStore.related), beside
 * the search it replaced (the asset's title and 5 first keywords as a query). The whole related
 * request with the text signal (DiscoveryService.related: graph, both more-like-this lookups,
 * hydration) beside the same request without it (the graph's signals only); the same request with
 * the text signal kept per asset version (RelatedTextService): each asset's first request, which
 * computes and keeps it, then the same assets served from what was kept. Also paths between
 * random pairs, on their own.
 */
import { PostgresGraphStore } from '../../graph/postgres-graph-store.js';
import { parseQuery } from '../../search/query-parser.js';
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import type { Database } from '../../store/db.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { seededRandom } from '../../scripts/lib/synthetic-library.js';
import { measure, type Compared } from '../lib.js';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';
import { DiscoveryService, RELATED_VIA } from '../../services/discovery-service.js';
import { assetsRepository } from '../../store/assets-repository.js';
import { RelatedTextService } from '../../services/related-text-service.js';
import { relatedTextRepository } from '../../store/related-text-repository.js';

const BASELINE = `
  SELECT o.asset_id, count(*) AS shared
  FROM asset_graph_nodes s
  JOIN asset_graph_nodes o ON o.tenant_id = s.tenant_id AND o.node_id = s.node_id AND o.asset_id <> s.asset_id
  WHERE s.tenant_id = $1 AND s.asset_id = $2
  GROUP BY o.asset_id ORDER BY shared DESC LIMIT 10`;

export interface RelatedOptions {
  tenantId: string;
  rounds: number;
  runs: number;
  baselineRuns: number;
  concurrency: number;
}

export interface RelatedResult {
  supernode: { type: string; name: string; assets: number; share: number } | null;
  kinds: Record<string, Compared>;
}

export async function relatedSuite(db: Database, o: RelatedOptions): Promise<RelatedResult> {
  const store = new PostgresGraphStore(projectionAccess(db, 'graph'));
  const [largest] = await db.query<{ id: number; type: string; name: string; asset_count: number }>(
    'SELECT id, type, name, asset_count FROM graph_nodes WHERE tenant_id = $1 ORDER BY asset_count DESC LIMIT 1',
    [o.tenantId],
  );
  const [{ total }] = (await db.query<{ total: number }>(
    'SELECT count(*)::int AS total FROM graph_asset_projections WHERE tenant_id = $1',
    [o.tenantId],
  )) as [{ total: number }];
  const sampleSize = o.runs * o.rounds + 10;
  const random = (
    await db.query<{ asset_id: string }>(
      'SELECT asset_id FROM graph_asset_projections WHERE tenant_id = $1 ORDER BY md5(asset_id::text) LIMIT $2',
      [o.tenantId, sampleSize],
    )
  ).map((r) => r.asset_id);
  const onSupernode = largest
    ? (
        await db.query<{ asset_id: string }>(
          `SELECT asset_id FROM asset_graph_nodes WHERE tenant_id = $1 AND node_id = $2
           ORDER BY md5(asset_id::text) LIMIT $3`,
          [o.tenantId, largest.id, sampleSize],
        )
      ).map((r) => r.asset_id)
    : [];
  const kinds: Record<string, Compared> = {};
  for (const [name, ids] of [
    ['random asset', random],
    ['on the supernode', onSupernode],
  ] as const) {
    if (ids.length === 0) continue;
    const id = (i: number) => ids[i % ids.length]!;
    const ours = await measure(
      { rounds: o.rounds, runs: o.runs, concurrency: o.concurrency, warmup: 2 },
      (i) => inTenantScope(o.tenantId, () => store.related(o.tenantId, id(i), { limit: 10 })),
    );
    const baseline =
      o.baselineRuns > 0
        ? await measure(
            { rounds: o.rounds, runs: o.baselineRuns, concurrency: o.concurrency, warmup: 1 },
            (i) => db.query(BASELINE, [o.tenantId, id(i)]),
          )
        : null;
    kinds[name] = { ours, baseline };
  }
  if (random.length > 0) {
    const index = new PostgresSearchIndex(projectionAccess(db, 'search'));
    const former = new Map(
      (
        await db.query<{ asset_id: string; words: string }>(
          `SELECT asset_id, title || ' ' || array_to_string(keywords[1:5], ' ') AS words
           FROM search_documents WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])`,
          [o.tenantId, random],
        )
      ).map((r) => [r.asset_id, parseQuery(r.words.replace(/[^\p{L}\p{N}]+/gu, ' ').slice(0, 500), 'plain')]),
    );
    const id = (i: number) => random[i % random.length]!;
    const run = { rounds: o.rounds, runs: o.runs, concurrency: o.concurrency, warmup: 2 };
    kinds['text signal (more like this), random asset'] = {
      ours: await measure(run, (i) =>
        inTenantScope(o.tenantId, () => index.moreLikeThis(o.tenantId, id(i), { limit: 10, explain: true })),
      ),
      baseline:
        o.baselineRuns > 0
          ? await measure({ ...run, runs: o.baselineRuns }, (i) =>
              inTenantScope(o.tenantId, () =>
                index.search(o.tenantId, {
                  query: former.get(id(i)) ?? parseQuery(''),
                  limit: 11,
                  explain: true,
                }),
              ),
            )
          : null,
    };
  }
  if (random.length > 0) {
    // The whole of GET /v1/assets/{id}/related in process: the graph's reasons and the text signal
    // (both more-like-this lookups, explained), fused and hydrated; beside the graph's reasons alone.
    const index = new PostgresSearchIndex(projectionAccess(db, 'search'));
    const discovery = new DiscoveryService({ db, assets: assetsRepository, search: index, graph: store });
    const id = (i: number) => random[(i + 7) % random.length]!;
    const run = { rounds: o.rounds, runs: o.runs, concurrency: o.concurrency, warmup: 2 };
    kinds['related with the text signal (DiscoveryService.related), random asset'] = {
      ours: await measure(run, (i) =>
        inTenantScope(o.tenantId, () => discovery.related(o.tenantId, id(i), { limit: 10 })),
      ),
      baseline: await measure(run, (i) =>
        inTenantScope(o.tenantId, () =>
          discovery.related(o.tenantId, id(i), {
            limit: 10,
            via: RELATED_VIA.filter((v) => v !== 'TEXT' && v !== 'SIMILAR_MEANING'),
          }),
        ),
      ),
    };
  }
  if (random.length > 0) {
    // The same request with the text signal kept per asset version (RelatedTextService), as the API
    // serves it: first each asset's first request (nothing kept: computed at the kept depth, and
    // kept), then the same assets again (served from what was kept). The warm-up requests go to
    // assets outside the measured ones.
    const index = new PostgresSearchIndex(projectionAccess(db, 'search'));
    const relatedText = new RelatedTextService({
      db,
      search: index,
      assets: assetsRepository,
      store: relatedTextRepository,
    });
    const discovery = new DiscoveryService({
      db,
      assets: assetsRepository,
      search: index,
      graph: store,
      relatedText,
    });
    const measured = o.runs * o.rounds;
    const spare = random.slice(measured);
    const pass = () => {
      let calls = 0;
      return (i: number) => {
        const id = calls++ < 2 && spare.length >= 2 ? spare[calls - 1]! : random[i % random.length]!;
        return inTenantScope(o.tenantId, () => discovery.related(o.tenantId, id, { limit: 10 }));
      };
    };
    await relatedTextRepository.remove(db, o.tenantId, null);
    const run = { rounds: o.rounds, runs: o.runs, concurrency: o.concurrency, warmup: 2 };
    kinds['related, text signal kept per version: first request (computed, kept)'] = {
      ours: await measure(run, pass()),
      baseline: null,
    };
    kinds['related, text signal kept per version: served kept'] = {
      ours: await measure(run, pass()),
      baseline: null,
    };
  }
  if (random.length > 1) {
    // Paths have no plain counterpart worth the name: their own latency, as the graph docs report it.
    const pick = seededRandom(3);
    const any = () => ({ kind: 'asset' as const, assetId: random[Math.floor(pick() * random.length)]! });
    kinds['path, random pair (≤ 4 links)'] = {
      ours: await measure({ rounds: o.rounds, runs: o.runs, concurrency: o.concurrency, warmup: 2 }, () =>
        inTenantScope(o.tenantId, () => store.path(o.tenantId, any(), any(), 4)),
      ),
      baseline: null,
    };
  }
  return {
    supernode: largest
      ? {
          type: largest.type,
          name: largest.name,
          assets: largest.asset_count,
          share: largest.asset_count / total,
        }
      : null,
    kinds,
  };
}
