/*
 * The related-content scoring, the same for every graph store: the constants each store's candidate
 * statement is given (entity type weights, fan-out caps) and the final ranking, which adds editors'
 * links and creation times to the candidates a store found through shared entities.
 */
import type { EntityType } from '../domain/entities.js';
import { coViewReasonName } from '../domain/co-views.js';
import type { RelatedAsset, RelatedOptions, RelatedReason } from './graph-store.js';

/** How much sharing one entity of a type says about two assets, before rarity is counted. */
export const TYPE_WEIGHTS: Record<EntityType, number> = {
  SPEAKER: 2,
  CONTRIBUTOR: 1.5,
  TOPIC: 1.2,
  TAG: 1.2,
  BRAND: 1,
  KEYWORD: 1,
};

/**
 * Entities of one type that a candidate shares with the asset mostly say the same thing (tags such
 * as "children", "parenting", "teaching" and "education" describe one subject), while entities of
 * different types are separate evidence (the same speaker on the same subject). So per type, the
 * k-th strongest shared entity counts 1/k of its weight, as term frequency saturates in BM25: five
 * shared tags add about 2.3 times what the strongest adds, not five times, and a shared speaker
 * plus a shared subject outranks many overlapping tags. Both stores' candidate statements apply it
 * (as a division by the rank: statements take no functions); ties of weight go by normalized name.
 */
export const sameTypeShare = (rank: number): number => 1 / rank;

/**
 * Related-content walks visit at most this many assets per shared entity (the strongest links first),
 * so a keyword on a third of the library costs no more than a rare one.
 */
export const FAN_OUT_CAP = 200;

/**
 * An entity on more than `share` of a tenant's assets is frequent: sharing it weighs little
 * (rarity ln(1 + 1 / share) ≈ 4.6 at most), so related content reads only its `fanOut` strongest
 * links. At a million assets this halves the related-content latency (docs/graph.md).
 */
export const FREQUENT_ENTITY = { share: 0.01, fanOut: 50 } as const;

/** A manual link is an editor's judgement: it outweighs sharing a rare speaker. */
export const MANUAL_LINK_WEIGHT = 5;

/**
 * Assets created within `windowSeconds` of each other get up to `weight` more, fading with the
 * gap. It only strengthens a relation found another way: on its own, a bulk import would relate
 * everything it loaded.
 */
export const TEMPORAL = { weight: 0.5, windowSeconds: 24 * 3600 } as const;

/**
 * A CO_VIEWED partner adds `CO_VIEWED_WEIGHT` × its score in (0, 1] (cosine with shrinkage,
 * domain/co-views.ts). At full strength (every session of either played both, with ample support)
 * it counts as much as an editor's link; a typical strong pair (score 0.3–0.5) about as much as
 * the text-similarity signal's best match or sharing a moderately rare tag. Without events there
 * are no CO_VIEWED relationships and the ranking is exactly the one without this signal.
 */
export const CO_VIEWED_WEIGHT = MANUAL_LINK_WEIGHT;

/** An asset played in the same sessions as the seed. */
export interface CoViewedCandidate {
  assetId: string;
  sessions: number;
  score: number;
  createdAt: number | null;
}

/** A candidate found through shared entities, with when it was created (ms since epoch). */
export interface EntityCandidate extends RelatedAsset {
  createdAt: number | null;
}

/** An asset linked to the seed by an editor, in either direction. */
export interface LinkedCandidate {
  assetId: string;
  note: string | null;
  createdAt: number | null;
}

/**
 * How many entity candidates a store should hand over for `limit` results: the temporal signal can
 * lift a candidate from just below the cut.
 */
export const candidatesFor = (limit: number) => limit * 2;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function gap(seconds: number): string {
  if (seconds < 3600) return `created ${Math.max(1, Math.round(seconds / 60))} min apart`;
  return `created ${Math.round(seconds / 3600)} h apart`;
}

/**
 * The final related-content ranking, the same for every graph store: entity candidates plus
 * editors' links, each candidate lifted by how close in time it was created to the seed.
 */
export function rankRelated(
  seedCreatedAt: number | null,
  byEntity: EntityCandidate[],
  linked: LinkedCandidate[],
  options: RelatedOptions,
  coViewed: CoViewedCandidate[] = [],
): RelatedAsset[] {
  const allows = (signal: 'RELATED_TO' | 'TEMPORAL') => !options.via || options.via.includes(signal);
  const items = new Map<string, { score: number; reasons: RelatedReason[]; createdAt: number | null }>();
  for (const c of byEntity)
    items.set(c.assetId, { score: c.score, reasons: [...c.reasons], createdAt: c.createdAt });
  if (allows('RELATED_TO')) {
    for (const l of linked) {
      const item = items.get(l.assetId) ?? { score: 0, reasons: [], createdAt: l.createdAt };
      if (item.reasons.some((r) => r.type === 'RELATED_TO')) continue;
      item.score += MANUAL_LINK_WEIGHT;
      item.reasons.push({ type: 'RELATED_TO', name: l.note ?? '', contribution: MANUAL_LINK_WEIGHT });
      items.set(l.assetId, item);
    }
  }
  if (!options.via || options.via.includes('CO_VIEWED')) {
    for (const c of coViewed) {
      const contribution = round(CO_VIEWED_WEIGHT * c.score);
      if (!(contribution > 0)) continue;
      const item = items.get(c.assetId) ?? { score: 0, reasons: [], createdAt: c.createdAt };
      if (item.reasons.some((r) => r.type === 'CO_VIEWED')) continue;
      item.score += contribution;
      item.reasons.push({
        type: 'CO_VIEWED',
        name: coViewReasonName(c.sessions),
        contribution,
        count: c.sessions,
      });
      items.set(c.assetId, item);
    }
  }
  if (allows('TEMPORAL') && seedCreatedAt !== null) {
    for (const item of items.values()) {
      if (item.createdAt === null) continue;
      const seconds = Math.abs(item.createdAt - seedCreatedAt) / 1000;
      if (seconds >= TEMPORAL.windowSeconds) continue;
      const contribution = round(TEMPORAL.weight * (1 - seconds / TEMPORAL.windowSeconds));
      if (contribution <= 0) continue;
      item.score += contribution;
      item.reasons.push({ type: 'TEMPORAL', name: gap(seconds), contribution });
    }
  }
  return [...items]
    .map(([assetId, i]) => ({
      assetId,
      score: round(i.score),
      reasons: i.reasons.sort((x, y) => y.contribution - x.contribution),
    }))
    .sort((x, y) => y.score - x.score || (x.assetId < y.assetId ? -1 : 1))
    .slice(0, options.limit);
}
