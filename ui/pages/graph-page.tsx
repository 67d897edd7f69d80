import type { ApiClient } from '../api';
import { useApp } from '../app-context';
import { ErrorMessage } from '../components/error-message';
import { GraphView, type GraphViewEdge, type GraphViewNode } from '../components/graph-view';
import { PageHeading } from '../components/page-heading';
import {
  entitiesOf,
  entityId,
  typeWord,
  type EntityAssets,
  type EntityKey,
  type GraphCentre,
  type Subgraph,
} from '../entity-routes';
import { href } from '../router';
import { useLoad } from '../use-load';

/** At most this many nodes are drawn: more would be unreadable, and slow to lay out. */
export const GRAPH_MAX_NODES = 60;
/** Around an entity: its strongest assets, and the entities those share. */
const ENTITY_GRAPH_ASSETS = 15;

interface Drawn {
  nodes: GraphViewNode[];
  edges: GraphViewEdge[];
  centreId: string;
  title: string;
  pageHref: string;
  /** Why the drawing may be partial, when it is. */
  note: string | null;
}

const assetNode = (id: string, label: string): GraphViewNode => ({
  id,
  kind: 'ASSET',
  label,
  href: href.graph({ kind: 'asset', id }),
  pageHref: href.asset(id),
});
const entityNode = (id: string, e: EntityKey): GraphViewNode => ({
  id,
  kind: e.type,
  label: e.name,
  href: href.graph({ kind: 'entity', entity: e }),
  pageHref: href.entity(e),
});

/** The API's neighbourhood of an asset: its entities, and the assets that share them. */
async function assetGraph(api: ApiClient, id: string, signal: AbortSignal): Promise<Drawn> {
  const g = await api.get<Subgraph>(`/v1/graph/neighborhood/${id}`, {
    query: { depth: 2, limit: GRAPH_MAX_NODES },
    signal,
  });
  const title = g.nodes.find((n) => n.id === id)?.label ?? 'this asset';
  return {
    nodes: g.nodes.map((n) =>
      n.kind === 'ASSET' ? assetNode(n.id, n.label) : entityNode(n.id, { type: n.kind, name: n.label }),
    ),
    edges: g.edges,
    centreId: id,
    title,
    pageHref: href.asset(id),
    note: g.nodes.length >= GRAPH_MAX_NODES ? `Only the ${GRAPH_MAX_NODES} nearest nodes are shown.` : null,
  };
}

/**
 * Around an entity: the assets it is strongest in, and the other entities of those assets, the
 * ones most of them share first. Built from the entity's asset page, so it stays within one request.
 */
async function entityGraph(api: ApiClient, e: EntityKey, signal: AbortSignal): Promise<Drawn> {
  const page = await api.get<EntityAssets>(`/v1/entities/${e.type}/${encodeURIComponent(e.name)}/assets`, {
    query: { limit: ENTITY_GRAPH_ASSETS },
    signal,
  });
  const centre = { type: page.entity.type, name: page.entity.name };
  const centreId = entityId(centre);
  const shared = new Map<string, { entity: EntityKey; assets: string[] }>();
  for (const { asset } of page.items) {
    for (const other of entitiesOf(asset)) {
      const id = entityId(other);
      if (id === centreId) continue;
      const seen = shared.get(id) ?? { entity: other, assets: [] };
      if (!seen.assets.includes(asset.id)) seen.assets.push(asset.id);
      shared.set(id, seen);
    }
  }
  const room = GRAPH_MAX_NODES - 1 - page.items.length;
  const ranked = [...shared].sort(([, a], [, b]) => b.assets.length - a.assets.length);
  const kept = ranked.slice(0, Math.max(room, 0));
  const nodes = [
    entityNode(centreId, centre),
    ...page.items.map(({ asset }) => assetNode(asset.id, asset.title)),
    ...kept.map(([id, s]) => entityNode(id, s.entity)),
  ];
  const edges = [
    ...page.items.map(({ asset }) => ({ source: asset.id, target: centreId })),
    ...kept.flatMap(([id, s]) => s.assets.map((assetId) => ({ source: assetId, target: id }))),
  ];
  const partial = page.nextOffset !== null || kept.length < ranked.length;
  return {
    nodes,
    edges,
    centreId,
    title: `${typeWord(centre.type)} ${centre.name}`,
    pageHref: href.entity(centre),
    note: partial
      ? `Shown: the ${page.items.length} assets this ${typeWord(centre.type)} is strongest in of ${page.entity.assetCount}, and the ${kept.length} names they share most.`
      : null,
  };
}

/** `#/graph/assets/<id>`, `#/graph/entities/<type>/<name>`: the graph around one node. */
export function GraphPage({ centre }: { centre: GraphCentre }) {
  const { api } = useApp();
  const key = centre.kind === 'asset' ? centre.id : entityId(centre.entity);
  const graph = useLoad(
    (signal) =>
      centre.kind === 'asset' ? assetGraph(api, centre.id, signal) : entityGraph(api, centre.entity, signal),
    [key],
  );
  const g = graph.data;
  return (
    <>
      <PageHeading>{g ? `Graph around ${g.title}` : 'Graph'}</PageHeading>
      <ErrorMessage error={graph.error} />
      {g && (
        <section aria-busy={graph.loading}>
          <p>
            <a href={g.pageHref}>
              Open the {centre.kind === 'asset' ? 'asset' : typeWord(centre.entity.type)} page
            </a>
            . Select a node in the drawing, or a “graph” link in the list, to see the graph around it.
          </p>
          {g.note && <p class="hint">{g.note}</p>}
          <GraphView nodes={g.nodes} edges={g.edges} centreId={g.centreId} />
        </section>
      )}
    </>
  );
}
