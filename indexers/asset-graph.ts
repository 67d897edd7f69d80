import type { Asset, Moment } from '../domain/asset.js';
import { tagDetailsOf } from '../domain/asset-tags.js';
import { normalizeEntityName } from '../domain/entities.js';
import type { AssetEntity, AssetGraph } from '../graph/graph-store.js';

/** Only a handful of the strongest keywords become graph links; the rest would only add noise. */
const MAX_KEYWORD_LINKS = 10;
const MIN_KEYWORD_SCORE = 0.2;

/**
 * A tag enrichment suggested (the tag model, topics or keyphrases of the asset's own text) is
 * derived: its link weighs this much times its confidence, while a given or an editor's tag
 * weighs 1. Two assets sharing a suggested tag mostly share wording, which the text signal of
 * related content already counts; a human tag is separate evidence. Chosen on CISI (where every tag
 * is suggested) and checked on TED's related lists (docs/graph.md).
 */
export const DERIVED_TAG_WEIGHT = 0.25;

/**
 * Asset → the entities it links to in the graph. Pure. An archived asset is projected at its version
 * with no entity and no editor's link (docs/lifecycle.md): no entity page lists or counts it, no
 * path or neighbourhood walks through it, and nothing is related to it through a shared name, on
 * either graph backend, while drift and rebuilds see it projected as usual. A restore projects its
 * links again at the next version.
 */
export function toAssetGraph(asset: Asset): AssetGraph {
  if (asset.status === 'ARCHIVED') {
    return {
      assetId: asset.id,
      version: asset.version,
      entities: [],
      createdAt: asset.createdAt.toISOString(),
      links: [],
    };
  }
  const e = asset.enrichment;
  const entities: AssetEntity[] = [];
  // The effective tags: the set search and the API's `tags` show.
  const tags = tagDetailsOf(asset).map((t): AssetEntity => ({
    type: 'TAG',
    name: t.name,
    weight: t.source === 'suggested' ? t.confidence * DERIVED_TAG_WEIGHT : t.confidence,
  }));
  if (e) {
    const moments = e.moments ?? [];
    const where = (match: (m: Moment) => boolean) =>
      moments.filter(match).map((m) => ({ start: m.start, end: m.end }));
    for (const s of e.speakers) {
      const key = normalizeEntityName(s.name);
      const at = where((m) => m.speaker !== null && sameSpeaker(normalizeEntityName(m.speaker), key));
      entities.push({
        type: 'SPEAKER',
        name: s.name,
        weight: s.confidence ?? 1,
        ...(at.length ? { moments: at } : {}),
      });
    }
    entities.push(...tags);
    for (const t of e.topics) entities.push({ type: 'TOPIC', name: t.name, weight: t.confidence });
    for (const b of e.brands) entities.push({ type: 'BRAND', name: b.name, weight: b.score });
    for (const k of e.keywords.filter((k) => k.score >= MIN_KEYWORD_SCORE).slice(0, MAX_KEYWORD_LINKS)) {
      const term = k.term.toLowerCase();
      const at = where((m) => m.keywords.some((w) => w.toLowerCase() === term));
      entities.push({
        type: 'KEYWORD',
        name: k.term,
        weight: k.score,
        ...(at.length ? { moments: at } : {}),
      });
    }
  } else {
    for (const name of asset.speakers) entities.push({ type: 'SPEAKER', name, weight: 1 });
    entities.push(...tags);
  }
  // Enrichment finds no contributors: they are only ever given, so both branches link the same ones.
  for (const name of asset.contributors) entities.push({ type: 'CONTRIBUTOR', name, weight: 1 });
  return {
    assetId: asset.id,
    version: asset.version,
    entities,
    createdAt: asset.createdAt.toISOString(),
    links: asset.links.map((l) => ({ targetId: l.targetId, note: l.note })),
  };
}

/** "KEN ROBINSON" labels a moment of "Ken Robinson", and so does "SIR KEN ROBINSON": the words of one contain the other's. */
function sameSpeaker(label: string, name: string): boolean {
  if (label === name) return true;
  const a = new Set(label.split(' '));
  const b = name.split(' ');
  return b.length > 1 && b.every((w) => a.has(w));
}
