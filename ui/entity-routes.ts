/**
 * Entity and graph routes, and the /v1 shapes their pages read (a hand-kept subset of
 * openapi/openapi.json, like types.ts). An entity is named in a URL by its type in lower case and
 * its name: `#/entities/speaker/Jane%20Goodall`.
 */
import type { AssetSummary } from './types';

/** Every entity type the graph holds (the API's ENTITY_TYPES). */
export const GRAPH_ENTITY_TYPES = ['SPEAKER', 'TOPIC', 'TAG', 'BRAND', 'KEYWORD', 'CONTRIBUTOR'] as const;
export type GraphEntityType = (typeof GRAPH_ENTITY_TYPES)[number];

export interface EntityKey {
  type: GraphEntityType;
  name: string;
}

export type GraphCentre = { kind: 'asset'; id: string } | { kind: 'entity'; entity: EntityKey };

/** GET /v1/entities: an entity and how many assets link to it. */
export interface Entity extends EntityKey {
  assetCount: number;
}

export interface EntityList {
  items: Entity[];
  nextOffset: number | null;
}

/** GET /v1/entities/{type}/{name}/assets */
export interface EntityAssets {
  entity: Entity;
  items: { asset: AssetSummary; weight: number; moments?: { start: number; timestamp: string }[] }[];
  nextOffset: number | null;
}

/** GET /v1/entities/{type}/{name}/related: the entities on the same assets, most shared first. */
export interface Cooccurring {
  entity: Entity;
  items: (Entity & { sharedAssets: number })[];
}

/** GET /v1/graph/neighborhood/{assetId}: node ids are asset ids or TYPE:normalized name. */
export interface Subgraph {
  nodes: { id: string; kind: 'ASSET' | GraphEntityType; label: string }[];
  edges: { source: string; target: string; weight: number }[];
}

const SLUG = /^\/entities\/([a-z]+)\/(.+)$/;
const GRAPH_ASSET = /^\/graph\/assets\/([0-9a-f-]{36})$/i;

function typeOf(slug: string): GraphEntityType | null {
  const type = slug.toUpperCase();
  return (GRAPH_ENTITY_TYPES as readonly string[]).includes(type) ? (type as GraphEntityType) : null;
}

function decode(part: string): string | null {
  try {
    const name = decodeURIComponent(part);
    return name.trim() ? name : null;
  } catch {
    // A hand-typed URL with a stray % names nothing.
    return null;
  }
}

export const entityPath = (e: EntityKey): string =>
  `/entities/${e.type.toLowerCase()}/${encodeURIComponent(e.name)}`;

export function parseEntityPath(path: string): EntityKey | null {
  const m = SLUG.exec(path);
  const type = m?.[1] ? typeOf(m[1]) : null;
  const name = m?.[2] ? decode(m[2]) : null;
  return type && name ? { type, name } : null;
}

export const graphPath = (c: GraphCentre): string =>
  c.kind === 'asset' ? `/graph/assets/${c.id}` : `/graph${entityPath(c.entity)}`;

export function parseGraphPath(path: string): GraphCentre | null {
  const asset = GRAPH_ASSET.exec(path);
  if (asset?.[1]) return { kind: 'asset', id: asset[1] };
  if (!path.startsWith('/graph/')) return null;
  const entity = parseEntityPath(path.slice('/graph'.length));
  return entity ? { kind: 'entity', entity } : null;
}

/** "SPEAKER" → "speaker", for running text. */
export const typeWord = (type: GraphEntityType): string => type.toLowerCase();

/**
 * The entities an asset links to in the graph, as the API's indexer derives them (asset-graph.ts),
 * less keywords: there are many per asset and they would crowd out the names people look for.
 */
export function entitiesOf(asset: AssetSummary): EntityKey[] {
  const e = asset.enrichment;
  const out: EntityKey[] = [];
  if (e) {
    for (const s of e.speakers) out.push({ type: 'SPEAKER', name: s.name });
    for (const t of e.topics) out.push({ type: 'TOPIC', name: t.name });
    for (const t of e.tags) out.push({ type: 'TAG', name: t.name });
    for (const b of e.brands) out.push({ type: 'BRAND', name: b.name });
  } else {
    for (const name of asset.speakers) out.push({ type: 'SPEAKER', name });
    for (const name of asset.tags) out.push({ type: 'TAG', name });
  }
  for (const name of asset.contributors) out.push({ type: 'CONTRIBUTOR', name });
  return out;
}

/** The API's entity identity: type and name ignoring case, accents and punctuation. */
export function entityId(e: EntityKey): string {
  const name = e.name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return `${e.type}:${name}`;
}
