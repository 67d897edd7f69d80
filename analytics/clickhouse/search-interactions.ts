import type { SearchInteraction } from '../../domain/click-model.js';
import {
  SEARCH_INTERACTIONS_PAGE_MAX,
  type SearchInteractionPage,
  type SearchInteractionQuery,
} from '../analytics-store.js';
import { checkDatabaseName } from './statements.js';
import { windowParams, type Params } from './params.js';

/**
 * A page of a window's searches and clicks for the click learning, from the raw events table
 * (ordered by tenant, time, id: the range reads one stretch of it), in (occurred_ms, id) order.
 * Only consented events with a user or session token (`consent` is 1 only with a user token, so
 * the tokens are what is tested: they are kept only with consent).
 */
export function searchInteractionsStatement(database: string): string {
  const db = checkDatabaseName(database);
  return `
    SELECT id, event_type, occurred_ms, user_token, session_token, search_text, result_ids, total_hits,
      clicked_rank, asset_id
    FROM ${db}.events
    WHERE tenant_id = {tenantId:String}
      AND occurred_at >= toDateTime({fromS:UInt32}, 'UTC') AND occurred_at <= toDateTime({toS:UInt32}, 'UTC')
      AND occurred_ms >= {fromMs:UInt64} AND occurred_ms < {toMs:UInt64}
      AND (occurred_ms > {afterMs:UInt64} OR (occurred_ms = {afterMs:UInt64} AND id > {afterId:String}))
      AND event_type IN ('search', 'click') AND (user_token != '' OR session_token != '')
      AND (event_type = 'search' OR (clicked_rank > 0 AND asset_id != ''))
    ORDER BY occurred_ms, id
    LIMIT {limit:UInt32}`;
}

export interface InteractionRow {
  id: string;
  event_type: string;
  occurred_ms: unknown;
  user_token: string;
  session_token: string;
  search_text: string;
  result_ids: string[];
  total_hits: unknown;
  clicked_rank: unknown;
  asset_id: string;
}

export function interactionParams(q: SearchInteractionQuery): Params {
  return {
    tenantId: q.tenantId,
    ...windowParams(q.from, q.to),
    afterMs: q.after ? q.after.occurredAt.getTime() : Math.max(0, q.from.getTime() - 1),
    afterId: q.after?.id ?? '',
    limit: interactionLimit(q),
  };
}

export const interactionLimit = (q: SearchInteractionQuery) =>
  Math.max(1, Math.min(q.limit, SEARCH_INTERACTIONS_PAGE_MAX));

export function interactionPage(rows: InteractionRow[], limit: number): SearchInteractionPage {
  const interactions: SearchInteraction[] = rows.map((r) => ({
    id: r.id,
    type: r.event_type === 'click' ? 'click' : 'search',
    occurredAt: new Date(Number(r.occurred_ms)),
    userToken: r.user_token || null,
    sessionToken: r.session_token || null,
    query: r.search_text,
    resultIds: r.result_ids,
    totalHits: r.total_hits === null || r.total_hits === undefined ? null : Number(r.total_hits),
    clickedRank: Number(r.clicked_rank) > 0 ? Number(r.clicked_rank) : null,
    assetId: r.asset_id || null,
  }));
  const last = interactions[interactions.length - 1];
  return {
    interactions,
    next: rows.length === limit && last ? { occurredAt: last.occurredAt, id: last.id } : null,
  };
}
