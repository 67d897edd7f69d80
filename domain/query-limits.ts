/**
 * The work one search query may cause, bounded the same way on every search backend. The parser
 * (search/query-parser.ts) refuses a query past a hard limit with a `QueryLimitError` (400, naming the
 * limit and its value); past a soft limit the adapters degrade as described, and the query is answered.
 * docs/security.md lists them with what they cost.
 */
export const QUERY_LIMITS = {
  /** Hard: characters of a query's text, surrounding whitespace aside. */
  maxLength: 4_000,
  /** Hard: clauses of a query: words, phrases, exclusions and field:value filters. */
  maxClauses: 512,
  /**
   * Hard: phrases, exclusions and field:value filters together. Each phrase or exclusion is checked
   * against every candidate document, and a phrase nothing holds makes the ranking check them all.
   */
  maxOperators: 32,
  /**
   * Soft: distinct terms ranked, typo corrections included. Past it the most frequent terms (the
   * least informative, and the most postings to read) are left out of the ranking.
   */
  maxRankedTerms: 128,
  /**
   * Soft: postings the ranking may read over all its terms (a term counts its document frequency,
   * up to the postings read per term). Past it, too, the most frequent terms are left out; the
   * rarest term is always kept.
   */
  maxPostings: 100_000,
  /**
   * Soft, Elasticsearch: words ranked, the first of the query (it has not the document frequencies by
   * which Postgres keeps the rarest terms). With `maxTypoTerms` and `typoExpansionsPerTerm` it keeps a
   * request's leaf clauses (32 words × 8 fields, plus 8 fuzzy words × 8 fields × 2 expansions: 384)
   * under 1,024, the least clause limit Elasticsearch derives from its heap.
   */
  maxRankedWords: 32,
  /**
   * Soft: suspected typos looked up, the first in the query; the others rank as written. On
   * Elasticsearch, the first words its term suggester offers a more frequent spelling for.
   */
  maxTypoTerms: 8,
  /** Indexed spellings one suspected typo expands to at most (Elasticsearch: `max_expansions`). */
  typoExpansionsPerTerm: 2,
  /**
   * Time: a search statement on a Postgres server running past this many milliseconds is cancelled,
   * and the search answers 503 (`QueryTimeoutError`). Embedded PGlite has no timer and ignores it.
   */
  statementTimeoutMs: 3_000,
} as const;

export type QueryLimit = keyof typeof QUERY_LIMITS;
