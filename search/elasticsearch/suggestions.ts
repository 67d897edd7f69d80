import type { Client, estypes } from '@elastic/elasticsearch';
import {
  ARCHIVED,
  nameTails,
  normalizeSuggestion,
  oneSuggestionPerName,
  suggestionPrefixes,
} from '../adapter-rules.js';
import type { Suggestion } from '../search-index.js';
import {
  NAME_FIELDS,
  NAME_KINDS,
  SUGGEST_KINDS,
  wordsField,
  type NameKind,
  type SuggestKind,
} from './versioned-index.js';

/** The keyword field each kind counts its assets on; its `folded` normalizer also folds the values counted. */
const SUGGEST_COUNT_FIELDS: Record<SuggestKind, string> = {
  tag: 'tags',
  speaker: 'speakers',
  topic: 'topics',
  title: 'title.raw',
};

/** A value the completion suggester offered; `stored` is the input as indexed, which the count matches. */
type Candidate = Suggestion & { kind: SuggestKind; stored: string };

const SUGGEST_CANDIDATE_FACTOR = 2;
const MAX_SUGGEST_CANDIDATES = 100;

/**
 * Candidates from the completion suggester, per kind and per prefix looked up (the prefix, and
 * without the honorifics before a name), within the tenant's context: a tag, speaker or topic
 * through its first word or (`<kind>_words`, read back from the document's names) a later one;
 * then one count request for how many of the tenant's assets carry each. Ordered as in Postgres:
 * tags, speakers and topics by count, one per name, then titles alphabetically, each with its asset
 * when exactly one carries it. Two differences remain: the count order applies to the candidates
 * only (every input weighs the same, so which values become candidates does not follow their
 * counts), and the suggester returns one value per asset and kind, so a second tag of one asset with
 * the same prefix can be missed (elastic/elasticsearch#31738).
 */
export async function suggest(
  client: Client,
  alias: string,
  tenantId: string,
  prefix: string,
  limit: number,
): Promise<Suggestion[]> {
  const prefixes = suggestionPrefixes(prefix);
  if (prefixes.length === 0) return [];
  const res = await client.search(completionRequest(alias, tenantId, prefixes, limit));
  const candidates = candidatesOf(res, prefixes, tenantId);
  if (candidates.length === 0) return [];
  const counts = await client.search(countRequest(alias, tenantId, candidates));
  return ordered(countsOf(counts, candidates), limit);
}

/** The suggesters of one request: per prefix, each kind's field and each name kind's later words. */
function suggesters(
  prefixes: string[],
): { name: string; field: string; kind: SuggestKind; words: boolean; prefix: string }[] {
  return prefixes.flatMap((prefix, i) => {
    const at = i === 0 ? '' : `~${i}`;
    return [
      ...SUGGEST_KINDS.map((kind) => ({
        name: `${kind}${at}`,
        field: `suggest.${kind}`,
        kind,
        words: false,
        prefix,
      })),
      ...NAME_KINDS.map((kind) => ({
        name: `${wordsField(kind)}${at}`,
        field: `suggest.${wordsField(kind)}`,
        kind,
        words: true,
        prefix,
      })),
    ];
  });
}

function completionRequest(
  alias: string,
  tenantId: string,
  prefixes: string[],
  limit: number,
): estypes.SearchRequest {
  // More candidates than asked for: case variants collapse below, and counts reorder them.
  const size = Math.min(limit * SUGGEST_CANDIDATE_FACTOR, MAX_SUGGEST_CANDIDATES);
  return {
    index: alias,
    size: 0,
    track_total_hits: false,
    // A later word's option is read back to the whole names of its document.
    _source: Object.values(NAME_FIELDS),
    suggest: Object.fromEntries(
      suggesters(prefixes).map((s): [string, estypes.SearchFieldSuggester] => [
        s.name,
        {
          prefix: s.prefix,
          completion: {
            field: s.field,
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
function candidatesOf(res: estypes.SearchResponse, prefixes: string[], tenantId: string): Candidate[] {
  const candidates = new Map<string, Candidate>();
  const add = (kind: SuggestKind, stored: string, assetId?: string) => {
    const folded = normalizeSuggestion(stored);
    const key = `${kind}\u0000${folded}`;
    if (folded && !candidates.has(key))
      candidates.set(key, {
        kind,
        value: stored.trim(),
        normalized: folded,
        stored,
        ...(assetId ? { assetId } : {}),
      });
  };
  for (const s of suggesters(prefixes)) {
    for (const entry of res.suggest?.[s.name] ?? []) {
      const options = entry.options;
      for (const option of Array.isArray(options) ? options : [options]) {
        if (!s.words) {
          // Documents are `<tenant>:<asset id>`.
          const docId = '_id' in option ? option._id : undefined;
          const id = docId?.startsWith(`${tenantId}:`) ? docId.slice(tenantId.length + 1) : undefined;
          add(s.kind, option.text, s.kind === 'title' ? id : undefined);
          continue;
        }
        const source = ('_source' in option ? option._source : undefined) as
          Record<string, unknown> | undefined;
        const names = source?.[NAME_FIELDS[s.kind as NameKind]];
        for (const name of Array.isArray(names) ? names : [])
          if (
            typeof name === 'string' &&
            nameTails(normalizeSuggestion(name)).some((t) => t.startsWith(s.prefix))
          )
            add(s.kind, name);
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
    // Archived documents have no completion inputs, and are not counted either (`suggestsItsNames`).
    query: {
      bool: { filter: [{ term: { tenant_id: tenantId } }], must_not: [{ term: { status: ARCHIVED } }] },
    },
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
  return candidates.map((c, i) => {
    const assets = buckets[i]?.doc_count ?? 0;
    return {
      kind: c.kind,
      value: c.value,
      normalized: c.normalized,
      assets,
      // The suggester names one document of a title: its asset only when no other carries it.
      ...(c.assetId && assets === 1 ? { assetId: c.assetId } : {}),
    };
  });
}

/** Carried values only: entities by count, shorter first, then bytes, one per name; titles by bytes after them. */
function ordered(counted: Suggestion[], limit: number): Suggestion[] {
  const carried = counted.filter((s) => (s.assets ?? 0) > 0);
  const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const entities = oneSuggestionPerName(
    carried
      .filter((s) => s.kind !== 'title')
      .sort(
        (a, b) =>
          b.assets! - a.assets! ||
          a.normalized.length - b.normalized.length ||
          byBytes(a.normalized, b.normalized),
      ),
  );
  const titles = carried
    .filter((s) => s.kind === 'title')
    .sort((a, b) => byBytes(a.normalized, b.normalized));
  return [...entities, ...titles].slice(0, limit);
}
