import type { Asset } from '../domain/asset.js';
import type { AssetEntity, AssetGraph } from '../graph/graph-store.js';

/** Only a handful of the strongest keywords become graph links; the rest would only add noise. */
const MAX_KEYWORD_LINKS = 10;
const MIN_KEYWORD_SCORE = 0.2;

/** Asset → the entities it links to in the graph. Pure. */
export function toAssetGraph(asset: Asset): AssetGraph {
  const e = asset.enrichment;
  const entities: AssetEntity[] = [];
  if (e) {
    for (const s of e.speakers) entities.push({ type: 'SPEAKER', name: s.name, weight: s.confidence ?? 1 });
    for (const t of e.tags) entities.push({ type: 'TAG', name: t.name, weight: t.confidence });
    for (const t of e.topics) entities.push({ type: 'TOPIC', name: t.name, weight: t.confidence });
    for (const b of e.brands) entities.push({ type: 'BRAND', name: b.name, weight: b.score });
    for (const k of e.keywords.filter((k) => k.score >= MIN_KEYWORD_SCORE).slice(0, MAX_KEYWORD_LINKS)) {
      entities.push({ type: 'KEYWORD', name: k.term, weight: k.score });
    }
  } else {
    for (const name of asset.speakers) entities.push({ type: 'SPEAKER', name, weight: 1 });
    for (const name of asset.tags) entities.push({ type: 'TAG', name, weight: 1 });
  }
  return { assetId: asset.id, version: asset.version, entities };
}
