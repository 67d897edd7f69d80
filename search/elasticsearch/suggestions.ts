import type { Client, estypes } from '@elastic/elasticsearch';
import { normalizeSuggestion } from '../adapter-rules.js';
import type { Suggestion } from '../search-index.js';
import { SUGGEST_KINDS, type SuggestKind } from './versioned-index.js';

/** The keyword field each kind counts its assets on; its `folded` normalizer also folds the values counted. */
const SUGGEST_COUNT_FIELDS: Record<SuggestKind, string> = {
  tag: 'tags',
  speaker: 'speakers',
  topic: 'topics',
  title: 'title.raw',
};

/** A value the completion suggester offered; `stored` is the input as indexed, which the count matches. */
type Candidate = Suggestion & { stored: string };

const SUGGEST_CANDIDATE_FACTOR = 2;
const MAX_SUGGEST_CANDIDATES = 100;

/**
 * Candidates from the completion suggester, one per kind, within the tenant's context; then one
 * count request for how many of the tenant's assets carry each. Ordered as in Postgres: tags,
 * speakers and topics by count, then titles alphabetically. Two differences remain: the count
 * order applies to the candidates only (every input weighs the same, so which values become
 * candidates does not follow their counts), and the suggester returns one value per asset and
 * kind, so a second tag of one asset with the same prefix can be missed (elastic/elasticsearch#31738).
 */
export async function suggest(
  client: Client,
  alias: string,
  tenantId: string,
  prefix: string,
  limit: number,
): Promise<Suggestion[]> {
  const normalized = normalizeSuggestion(prefix);
  if (!normalized) return [];
  const res = await client.search(completionRequest(alias, tenantId, normalized, limit));
  const candidates = candidatesOf(res);
  if (candidates.length === 0) return [];
  const counts = await client.search(countRequest(alias, tenantId, candidates));
  return ordered(countsOf(counts, candidates), limit);
}

function completionRequest(
  alias: string,
  tenantId: string,
  normalized: string,
  limit: number,
): estypes.SearchRequest {
  // More candidates than asked for: case variants collapse below, and counts reorder them.
  const size = Math.min(limit * SUGGEST_CANDIDATE_FACTOR, MAX_SUGGEST_CANDIDATES);
  return {
    index: alias,
    size: 0,
    track_total_hits: false,
    _source: false,
    suggest: Object.fromEntries(
      SUGGEST_KINDS.map((kind): [string, estypes.SearchFieldSuggester] => [
        kind,
        {
          prefix: normalized,
          completion: {
            field: `suggest.${kind}`,
            size,
            skip_duplicates: true,
            contexts: { tenant: [tenantId] },
          },
        },
      ]),
    ),
  };
}

/** Keyed by kind and normalized value: case variants from different assets are one suggestion. */
function candidatesOf(res: estypes.SearchResponse): Candidate[] {
  const candidates = new Map<string, Candidate>();
  for (const kind of SUGGEST_KINDS) {
    for (const entry of res.suggest?.[kind] ?? []) {
      const options = entry.options;
      for (const option of Array.isArray(options) ? options : [options]) {
        const folded = normalizeSuggestion(option.text);
        const key = `${kind}\u0000${folded}`;
        if (folded && !candidates.has(key))
          candidates.set(key, { kind, value: option.text.trim(), normalized: folded, stored: option.text });
      }
    }
  }
  return [...candidates.values()];
}

/** How many of the tenant's assets carry each candidate, in one request. */
function countRequest(alias: string, tenantId: string, candidates: Candidate[]): estypes.SearchRequest {
  return {
    index: alias,
    size: 0,
    track_total_hits: false,
    query: { term: { tenant_id: tenantId } },
    aggs: {
      assets: {
        filters: {
          filters: candidates.map((c) => ({ term: { [SUGGEST_COUNT_FIELDS[c.kind]]: c.stored } })),
        },
      },
    },
  };
}

function countsOf(res: estypes.SearchResponse, candidates: Candidate[]): Suggestion[] {
  const agg = res.aggregations?.assets as estypes.AggregationsFiltersAggregate | undefined;
  const buckets = Array.isArray(agg?.buckets) ? agg.buckets : [];
  return candidates.map((c, i) => ({
    kind: c.kind,
    value: c.value,
    normalized: c.normalized,
    assets: buckets[i]?.doc_count ?? 0,
  }));
}

/** Carried values only: entities by count, shorter first, then bytes; titles by bytes after them. */
function ordered(counted: Suggestion[], limit: number): Suggestion[] {
  const carried = counted.filter((s) => (s.assets ?? 0) > 0);
  const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const entities = carried
    .filter((s) => s.kind !== 'title')
    .sort(
      (a, b) =>
        b.assets! - a.assets! ||
        a.normalized.length - b.normalized.length ||
        byBytes(a.normalized, b.normalized),
    );
  const titles = carried
    .filter((s) => s.kind === 'title')
    .sort((a, b) => byBytes(a.normalized, b.normalized));
  return [...entities, ...titles].slice(0, limit);
}
