import type { EntityType } from '../../domain/entities.js';
import { run, type Sql } from '../../store/database.js';
import {
  isRelationSignal,
  type RelatedAsset,
  type RelatedOptions,
  type RelatedReason,
} from '../graph-store.js';
import { CO_VIEW } from '../../domain/co-views.js';
import { TYPE_WEIGHTS, candidatesFor, rankRelated } from '../related-ranking.js';
import { SQL } from './statements.js';

interface CandidateRow {
  asset_id: string;
  score: number;
  created_at: Date | null;
  reasons: RelatedReason[];
}
/** The seed's own row has a null asset id; a CO_VIEWED partner's has its sessions. */
interface ManualLinkRow {
  asset_id: string | null;
  note: string | null;
  created_at: Date | null;
  sessions: number | null;
  score: number | null;
}

/**
 * Scores each candidate by the entities it shares with the asset: link weights on both sides,
 * times the entity type's weight, times its rarity ln(1 + N / assets with the entity). Sums over
 * the index alone (the strongest FAN_OUT_CAP links per entity), then reads the reasons' moments
 * for the best candidates only. Editors' links, CO_VIEWED relationships and creation times join in
 * rankRelated.
 */
export async function related(
  db: Sql,
  tenantId: string,
  assetId: string,
  options: RelatedOptions,
): Promise<RelatedAsset[]> {
  const entityTypes = options.via?.filter((v): v is EntityType => !isRelationSignal(v));
  const byEntity =
    entityTypes && entityTypes.length === 0
      ? Promise.resolve([])
      : run<CandidateRow>(db, SQL.related, {
          tenantId,
          assetId,
          limit: candidatesFor(options.limit),
          typeWeights: JSON.stringify(TYPE_WEIGHTS),
          entityTypes: entityTypes ?? null,
        });
  // The seed's creation time, the assets an editor linked to or from it, and its CO_VIEWED partners.
  const linked = run<ManualLinkRow>(db, SQL.manualLinks, {
    tenantId,
    assetId,
    coViewLimit: !options.via || options.via.includes('CO_VIEWED') ? CO_VIEW.partnersPerAsset : 0,
  });
  const [entityRows, relationRows] = await Promise.all([byEntity, linked]);
  const linkRows = relationRows.filter((r) => r.sessions === null);
  const seed = linkRows.find((r) => r.asset_id === null);
  if (!seed) return [];
  const time = (d: Date | null) => (d ? new Date(d).getTime() : null);
  return rankRelated(
    time(seed.created_at),
    entityRows.map((r) => ({
      assetId: r.asset_id,
      score: r.score,
      createdAt: time(r.created_at),
      reasons: r.reasons.map((x) => ({ ...x, contribution: Number(x.contribution) })),
    })),
    linkRows.flatMap((r) =>
      r.asset_id === null ? [] : [{ assetId: r.asset_id, note: r.note, createdAt: time(r.created_at) }],
    ),
    options,
    relationRows.flatMap((r) =>
      r.asset_id === null || r.sessions === null
        ? []
        : [
            {
              assetId: r.asset_id,
              sessions: Number(r.sessions),
              score: Number(r.score),
              createdAt: time(r.created_at),
            },
          ],
    ),
  );
}
