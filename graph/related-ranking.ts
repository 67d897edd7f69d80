import {
  MANUAL_LINK_WEIGHT,
  TEMPORAL,
  type RelatedAsset,
  type RelatedOptions,
  type RelatedReason,
} from './graph-store.js';

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
