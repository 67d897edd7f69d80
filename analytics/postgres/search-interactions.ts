import type { SearchInteraction } from '../../domain/click-model.js';
import { run, statement, type Database } from '../../store/database.js';
import {
  SEARCH_INTERACTIONS_PAGE_MAX,
  type SearchInteractionPage,
  type SearchInteractionQuery,
} from '../analytics-store.js';

/**
 * A page of a window's searches and clicks for the click learning, from the raw events (their
 * (tenant, occurred_at) index), in (occurred_at, id) order. Only events that can be capped per
 * person: consented, with a user or session token.
 */
const PAGE = statement(`
  SELECT e.id::text AS id, e.type, e.occurred_at, e.user_token, e.session_token, e.search->>'query' AS query,
    coalesce(ARRAY(SELECT jsonb_array_elements_text(e.search->'resultIds')), '{}') AS result_ids,
    e.total_hits, e.clicked_rank, e.asset_id::text AS asset_id
  FROM analytics_events e
  WHERE e.tenant_id = :tenantId AND e.occurred_at >= :from AND e.occurred_at < :to
    AND (e.occurred_at, e.id) > (:afterAt::timestamptz, :afterId::uuid)
    AND e.type IN ('search', 'click') AND e.consent AND e.search IS NOT NULL
    AND (e.user_token IS NOT NULL OR e.session_token IS NOT NULL)
    AND (e.type = 'search' OR (e.clicked_rank IS NOT NULL AND e.asset_id IS NOT NULL))
  ORDER BY e.occurred_at, e.id
  LIMIT :limit`);

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export async function searchInteractions(
  db: Database,
  q: SearchInteractionQuery,
): Promise<SearchInteractionPage> {
  const limit = Math.max(1, Math.min(q.limit, SEARCH_INTERACTIONS_PAGE_MAX));
  const rows = await run<{
    id: string;
    type: 'search' | 'click';
    occurred_at: Date;
    user_token: string | null;
    session_token: string | null;
    query: string | null;
    result_ids: string[];
    total_hits: number | null;
    clicked_rank: number | null;
    asset_id: string | null;
  }>(db, PAGE, {
    tenantId: q.tenantId,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    // Before every event of the window: the first page.
    afterAt: (q.after?.occurredAt ?? new Date(q.from.getTime() - 1)).toISOString(),
    afterId: q.after?.id ?? NIL_UUID,
    limit,
  });
  const interactions: SearchInteraction[] = rows.map((r) => ({
    id: r.id,
    type: r.type,
    occurredAt: new Date(r.occurred_at),
    userToken: r.user_token,
    sessionToken: r.session_token,
    query: r.query ?? '',
    resultIds: r.result_ids,
    totalHits: r.total_hits,
    clickedRank: r.clicked_rank,
    assetId: r.asset_id,
  }));
  const last = interactions[interactions.length - 1];
  return {
    interactions,
    next: rows.length === limit && last ? { occurredAt: last.occurredAt, id: last.id } : null,
  };
}
