import { statement } from '../../store/database.js';
import { BM25, bm25Sql, idfSql, labelWeightSql } from './ranking.js';

/*
 * Every static statement of the Postgres search adapter, with named parameters (`:tenantId`),
 * each carrying its tenant. No apostrophe in an SQL comment: named parameters are found outside
 * quotes, and a comment's apostrophe would read as one. The statements assembled per query (filters, ranking, facets, browsing)
 * are built in `translator.ts`. test/unit/search-statements.test.ts runs EXPLAIN on all of them
 * against the migrated schema, so a statement that stops parsing or names a missing column fails.
 */

/** The field weights A to D as parameters, cast to real. */
const WEIGHTS = { A: ':weightA::real', B: ':weightB::real', C: ':weightC::real', D: ':weightD::real' };

/** The values of `WEIGHTS`' parameters, for the given field weights (BM25's by default). */
export const weightParams = (w: Record<keyof typeof BM25.weights, number> = BM25.weights) => ({
  weightA: w.A,
  weightB: w.B,
  weightC: w.C,
  weightD: w.D,
});
export const WEIGHT_PARAMS = weightParams();

/** The BM25 parameters of the scoring statements. */
export const BM25_PARAMS = { k1: BM25.k1, b: BM25.b };

/**
 * The documents of :documents (JSON rows from `documentRow`), with their weighted tsvector and
 * field-weighted length.
 */
const INSERT_DOCUMENTS = `INSERT INTO search_documents (tenant_id, asset_id, version, type, source_system, status, title, description,
         transcript, tags, speakers, topics, keywords, created_at, duration_seconds, width, height, popularity, technical,
         people, brands, exact_keys, document, doc_length, projected_at, learned_popularity, trending, popularity_at)
       SELECT :tenantId, x.asset_id, x.version, x.type, x.source_system, x.status, x.title, x.description, x.transcript,
         a.tags, a.speakers, a.topics, a.keywords, x.created_at, x.duration_seconds, x.width, x.height, x.popularity,
         x.technical, a.people, a.brands,
         ARRAY[lower(btrim(x.title))] || ARRAY(SELECT lower(btrim(s)) FROM unnest(a.speakers) s),
         v.document, len.l, now(), coalesce(x.learned_popularity, 0), coalesce(x.trending, 0), x.popularity_at
       FROM jsonb_to_recordset(:documents::jsonb) AS x(asset_id uuid, version int, type text, source_system text,
         status text, title text, description text, transcript text, tags jsonb, speakers jsonb, topics jsonb,
         keywords jsonb, people jsonb, brands jsonb, created_at timestamptz, duration_seconds real, width int,
         height int, popularity real, technical jsonb, learned_popularity float8, trending float8,
         popularity_at timestamptz)
       CROSS JOIN LATERAL (
         SELECT ARRAY(SELECT jsonb_array_elements_text(x.tags)) AS tags,
                ARRAY(SELECT jsonb_array_elements_text(x.speakers)) AS speakers,
                ARRAY(SELECT jsonb_array_elements_text(x.topics)) AS topics,
                ARRAY(SELECT jsonb_array_elements_text(x.keywords)) AS keywords,
                ARRAY(SELECT jsonb_array_elements_text(x.people)) AS people,
                ARRAY(SELECT jsonb_array_elements_text(x.brands)) AS brands
       ) a
       CROSS JOIN LATERAL (
         SELECT setweight(to_tsvector('english', x.title), 'A')
                || setweight(to_tsvector('english', array_to_string(a.speakers, ' ')), 'A')
                || setweight(to_tsvector('english', array_to_string(a.tags || a.topics, ' ')), 'B')
                || setweight(to_tsvector('english', x.description), 'C')
                || setweight(to_tsvector('english', array_to_string(a.people, ' ')), 'C')
                || setweight(to_tsvector('english', array_to_string(a.keywords, ' ')), 'C')
                || setweight(to_tsvector('english', x.transcript), 'D') AS document
         OFFSET 0 -- computed once, not inlined into each use
       ) v
       -- The field-weighted length (BM25F): the sum of the field weights of every position.
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(${labelWeightSql('w', WEIGHTS)}), 0)::real AS l
         FROM unnest(v.document) AS u, unnest(u.weights) AS w
       ) len
       ORDER BY x.asset_id`;

/** An upsert's document carries a learned popularity computed no earlier than the one held (or none is held). */
const NEWER_POPULARITY = `(EXCLUDED.popularity_at IS NOT NULL
  AND (search_documents.popularity_at IS NULL OR search_documents.popularity_at <= EXCLUDED.popularity_at))`;

/** The tenant's average document length, 0 before its first document. */
const AVERAGE_LENGTH = `coalesce((SELECT total_length / GREATEST(doc_count, 1) FROM search_corpus_stats WHERE tenant_id = :tenantId), 0)`;

export const SQL = {
  /**
   * Time-coded feedback (migration 0068) into the documents held, whatever their version, over an
   * older revision only; `feedback_terms` holds the words of every moment, for the GIN lookup.
   */
  setFeedback: statement(`UPDATE search_documents d SET feedback = x.moments,
         feedback_terms = to_tsvector('english', coalesce(
           (SELECT string_agg(m.value ->> 'text', ' ') FROM jsonb_array_elements(x.moments) AS m), '')),
         open_issues = x.open_issues, feedback_revision = x.revision
       FROM jsonb_to_recordset(:rows::jsonb) AS x(asset_id uuid, revision bigint, open_issues int, moments jsonb)
       WHERE d.tenant_id = :tenantId AND d.asset_id = x.asset_id AND d.feedback_revision <= x.revision`),

  /**
   * The assets whose feedback holds every word, each with its best moment (ts_rank, then the
   * earliest), best first then by asset id; with :openOnly only moments of open issues.
   */
  feedbackMoments: statement(`WITH q AS (SELECT plainto_tsquery('english', :text) AS q),
       best AS (
         SELECT d.asset_id, m.comment_id, m.start_ms, m.text, m.score
         FROM search_documents d CROSS JOIN q
         CROSS JOIN LATERAL (
           SELECT x.comment_id, x.start_ms, x.text, ts_rank(to_tsvector('english', x.text), q.q) AS score
           FROM jsonb_to_recordset(d.feedback) AS x(comment_id text, start_ms int, text text, open boolean)
           WHERE to_tsvector('english', x.text) @@ q.q AND (NOT :openOnly::boolean OR x.open)
           ORDER BY score DESC, x.start_ms, x.comment_id LIMIT 1
         ) m
         WHERE d.tenant_id = :tenantId AND d.feedback_terms @@ q.q
           AND (NOT :openOnly::boolean OR d.open_issues > 0)
       )
       SELECT b.asset_id, b.comment_id, b.start_ms,
         ts_headline('english', b.text, q.q, 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>') AS fragment
       FROM best b CROSS JOIN q
       ORDER BY b.score DESC, b.asset_id LIMIT :limit::int`),

  /** An initial load's documents: one already there fails the batch. */
  insertDocuments: statement(INSERT_DOCUMENTS),

  /** Inserts or replaces the documents (never with an older version); says which were new. */
  upsertDocuments: statement(`${INSERT_DOCUMENTS}
       ON CONFLICT (tenant_id, asset_id) DO UPDATE SET
         version = EXCLUDED.version, type = EXCLUDED.type, source_system = EXCLUDED.source_system,
         status = EXCLUDED.status, title = EXCLUDED.title, description = EXCLUDED.description,
         transcript = EXCLUDED.transcript, tags = EXCLUDED.tags, speakers = EXCLUDED.speakers,
         topics = EXCLUDED.topics, keywords = EXCLUDED.keywords, created_at = EXCLUDED.created_at,
         duration_seconds = EXCLUDED.duration_seconds, width = EXCLUDED.width, height = EXCLUDED.height,
         popularity = EXCLUDED.popularity, technical = EXCLUDED.technical, people = EXCLUDED.people, brands = EXCLUDED.brands,
         exact_keys = EXCLUDED.exact_keys, document = EXCLUDED.document, doc_length = EXCLUDED.doc_length,
         projected_at = now(),
         -- The learned popularity the document carries, only over an older computation (or none).
         learned_popularity = CASE WHEN ${NEWER_POPULARITY} THEN EXCLUDED.learned_popularity ELSE search_documents.learned_popularity END,
         trending = CASE WHEN ${NEWER_POPULARITY} THEN EXCLUDED.trending ELSE search_documents.trending END,
         popularity_at = CASE WHEN ${NEWER_POPULARITY} THEN EXCLUDED.popularity_at ELSE search_documents.popularity_at END
       WHERE search_documents.version < EXCLUDED.version
       RETURNING asset_id, (xmax = 0) AS inserted`),

  /** The documents held, locked in id order: concurrent batches over the same assets queue instead of deadlocking. */
  lockDocuments:
    statement(`SELECT asset_id, version, title, tags, speakers, topics, status FROM search_documents
       WHERE tenant_id = :tenantId AND asset_id = ANY(:assetIds::uuid[]) ORDER BY asset_id FOR UPDATE`),

  /** New documents' terms, each gained once per document. */
  termsOfNewDocuments:
    statement(`SELECT u.lexeme AS term, count(*)::int AS delta FROM search_documents d, unnest(d.document) AS u
       WHERE d.tenant_id = :tenantId AND d.asset_id = ANY(:assetIds::uuid[]) GROUP BY 1`),

  /** How each term's document frequency moves when the :previous documents' postings are replaced. */
  termDeltas: statement(`WITH fresh AS (
         SELECT d.asset_id, u.lexeme AS term FROM search_documents d, unnest(d.document) AS u
         WHERE d.tenant_id = :tenantId AND d.asset_id = ANY(:assetIds::uuid[])
       ),
       old AS (SELECT asset_id, term FROM search_postings WHERE tenant_id = :tenantId AND asset_id = ANY(:previous::uuid[]))
       SELECT coalesce(f.term, o.term) AS term,
              sum(CASE WHEN o.term IS NULL THEN 1 WHEN f.term IS NULL THEN -1 ELSE 0 END)::int AS delta
       FROM fresh f FULL JOIN old o ON o.asset_id = f.asset_id AND o.term = f.term
       GROUP BY 1 HAVING sum(CASE WHEN o.term IS NULL THEN 1 WHEN f.term IS NULL THEN -1 ELSE 0 END) <> 0`),

  /** Deletes the documents' postings; the sum of their lengths. */
  deletePostings: statement(`WITH gone AS (
         DELETE FROM search_postings WHERE tenant_id = :tenantId AND asset_id = ANY(:assetIds::uuid[]) RETURNING asset_id, doc_length
       )
       SELECT coalesce(sum(l), 0)::float8 AS length FROM (SELECT DISTINCT asset_id, doc_length AS l FROM gone) x`),

  /**
   * Writes the postings of (already written) documents, and returns the sum of their lengths. A
   * term's field-weighted frequency is the sum of its positions' field weights (BM25F); its impact is
   * its BM25 weight at index time, against the tenant's average length as of before these documents.
   * The documents are looked up by key, one per id: as a join, a plan made while the statistics did
   * not know the tenant yet read all of its documents into a hash table, for every batch. tf is
   * computed once per posting (lateral), not once per use.
   */
  insertPostings: statement(`WITH lex AS (
         SELECT d.asset_id, d.doc_length, u.lexeme AS term, f.tf
         FROM unnest(:assetIds::uuid[]) AS ids(asset_id)
         CROSS JOIN LATERAL (
           SELECT d.asset_id, d.doc_length, d.document FROM search_documents d
           WHERE d.tenant_id = :tenantId AND d.asset_id = ids.asset_id
           LIMIT 1 -- one key lookup per id, never flattened into a join the planner could turn around
         ) d
         CROSS JOIN LATERAL unnest(d.document) AS u
         CROSS JOIN LATERAL (
           SELECT sum(${labelWeightSql('w', WEIGHTS)})::real AS tf
           FROM unnest(u.weights) AS w
         ) f
       ),
       cs AS (SELECT ${AVERAGE_LENGTH} AS avgdl),
       postings AS (
         INSERT INTO search_postings (tenant_id, term, asset_id, tf, doc_length, impact)
         SELECT :tenantId, lex.term, lex.asset_id, lex.tf, lex.doc_length,
                ${bm25Sql({ tf: 'lex.tf', docLength: 'lex.doc_length', avgdl: 'GREATEST(cs.avgdl, lex.doc_length, 1)', k1: ':k1::real', b: ':b::real' })}
         FROM lex CROSS JOIN cs
       )
       -- A data-modifying CTE runs whether or not it is read.
       SELECT coalesce(sum(d.doc_length), 0)::float8 AS length
       FROM unnest(:assetIds::uuid[]) AS ids(asset_id)
       CROSS JOIN LATERAL (
         SELECT d.doc_length FROM search_documents d WHERE d.tenant_id = :tenantId AND d.asset_id = ids.asset_id LIMIT 1
       ) d`),

  /**
   * Field weights changed (an evaluation's `reweighPostings`): each document's field-weighted length
   * again from its tsvector, and the tenant's total length with it; then its postings are written anew.
   */
  reweighDocuments: statement(`UPDATE search_documents d SET doc_length = (
         SELECT coalesce(sum(${labelWeightSql('w', WEIGHTS)}), 0)::real FROM unnest(d.document) AS u, unnest(u.weights) AS w
       ) WHERE d.tenant_id = :tenantId`),
  resetTotalLength: statement(`UPDATE search_corpus_stats SET total_length =
         (SELECT coalesce(sum(doc_length), 0)::float8 FROM search_documents WHERE tenant_id = :tenantId)
       WHERE tenant_id = :tenantId`),
  deleteTenantPostings: statement(`DELETE FROM search_postings WHERE tenant_id = :tenantId`),
  tenantAssetIds: statement(
    `SELECT asset_id FROM search_documents WHERE tenant_id = :tenantId ORDER BY asset_id`,
  ),

  /**
   * Before counting document frequencies after a load: statistics from before it make every posting
   * look absent, and the planner then counted them through the impact index, one heap fetch each.
   */
  analyzePostings: statement('ANALYZE search_postings'),
  clearTermStats: statement('DELETE FROM search_term_stats WHERE tenant_id = :tenantId'),
  /** Every term's document frequency, counted from the tenant's postings. */
  countTermStats: statement(`INSERT INTO search_term_stats (tenant_id, term, df)
       SELECT :tenantId, term, count(*)::int FROM search_postings WHERE tenant_id = :tenantId GROUP BY term ORDER BY term`),

  /** Raises document frequencies (:terms sorted, so concurrent projections lock them in one order). */
  addTermFrequencies: statement(`INSERT INTO search_term_stats (tenant_id, term, df)
       SELECT :tenantId, t, d FROM unnest(:terms::text[], :deltas::int[]) AS x(t, d) ORDER BY t
       ON CONFLICT (tenant_id, term) DO UPDATE SET df = search_term_stats.df + EXCLUDED.df`),
  lowerTermFrequencies: statement(`UPDATE search_term_stats s SET df = GREATEST(s.df + x.d, 0)
       FROM unnest(:terms::text[], :deltas::int[]) AS x(t, d) WHERE s.tenant_id = :tenantId AND s.term = x.t`),
  moveCorpusStats: statement(`INSERT INTO search_corpus_stats (tenant_id, doc_count, total_length)
       VALUES (:tenantId, GREATEST(:docDelta::int, 0), GREATEST(:lengthDelta::float8, 0))
       ON CONFLICT (tenant_id) DO UPDATE SET doc_count = GREATEST(search_corpus_stats.doc_count + :docDelta::int, 0),
         total_length = GREATEST(search_corpus_stats.total_length + :lengthDelta::float8, 0)`),

  /** :suggestions: JSON rows of kind, normalized, value and a positive delta. */
  addSuggestions: statement(`INSERT INTO search_suggestions (tenant_id, kind, normalized, value, assets)
       SELECT :tenantId, x.kind, x.normalized, x.value, x.delta
       FROM jsonb_to_recordset(:suggestions::jsonb) AS x(kind text, normalized text, value text, delta int)
       ON CONFLICT (tenant_id, kind, normalized) DO UPDATE SET assets = search_suggestions.assets + EXCLUDED.assets`),
  /** :words: JSON rows of kind, tail and normalized: the later words of names (search_suggestion_words). */
  addSuggestionWords: statement(`INSERT INTO search_suggestion_words (tenant_id, tail, kind, normalized)
       SELECT :tenantId, x.tail, x.kind, x.normalized
       FROM jsonb_to_recordset(:words::jsonb) AS x(kind text, tail text, normalized text)
       ON CONFLICT DO NOTHING`),
  lowerSuggestions: statement(`UPDATE search_suggestions s SET assets = GREATEST(s.assets + x.delta, 0)
       FROM jsonb_to_recordset(:suggestions::jsonb) AS x(kind text, normalized text, delta int)
       WHERE s.tenant_id = :tenantId AND s.kind = x.kind AND s.normalized = x.normalized`),
  respellSuggestions: statement(`UPDATE search_suggestions s SET value = x.value
       FROM jsonb_to_recordset(:names::jsonb) AS x(kind text, value text, normalized text)
       WHERE s.tenant_id = :tenantId AND s.kind = x.kind AND s.normalized = x.normalized AND s.value <> x.value`),

  /** A person's erasure: the uncarried suggestions holding a word of the name, judged by the caller. */
  forgettableSuggestions: statement(`SELECT kind, normalized FROM search_suggestions
       WHERE tenant_id = :tenantId AND assets = 0 AND normalized LIKE :like`),
  forgetSuggestions: statement(`DELETE FROM search_suggestions s
       USING jsonb_to_recordset(:rows::jsonb) AS x(kind text, normalized text)
       WHERE s.tenant_id = :tenantId AND s.kind = x.kind AND s.normalized = x.normalized AND s.assets = 0
       RETURNING s.kind, s.normalized`),
  forgetSuggestionWords: statement(`DELETE FROM search_suggestion_words w
       USING jsonb_to_recordset(:rows::jsonb) AS x(kind text, normalized text)
       WHERE w.tenant_id = :tenantId AND w.kind = x.kind AND w.normalized = x.normalized`),

  removeDocument: statement(
    'DELETE FROM search_documents WHERE tenant_id = :tenantId AND asset_id = :assetId RETURNING title, tags, speakers, topics, status',
  ),
  removePostings: statement(
    'DELETE FROM search_postings WHERE tenant_id = :tenantId AND asset_id = :assetId RETURNING term, doc_length',
  ),

  projectedVersions: statement(
    'SELECT asset_id, version FROM search_documents WHERE tenant_id = :tenantId AND asset_id = ANY(:assetIds::uuid[])',
  ),
  projectedIdsAfter: statement(`SELECT asset_id, version FROM search_documents
       WHERE tenant_id = :tenantId AND (:afterId::uuid IS NULL OR asset_id > :afterId::uuid)
       ORDER BY asset_id LIMIT :limit`),

  /**
   * Tags, speakers and topics with a word starting with :pattern (a LIKE pattern; the first word
   * from search_suggestions, later ones from search_suggestion_words), most carried first. A range
   * on the text as well as LIKE: under row-level security LIKE is not leakproof, so only the range
   * (leakproof comparisons) may be answered from the index.
   */
  suggestEntities: statement(`SELECT kind, value, normalized, assets FROM (
         SELECT kind, value, normalized, assets FROM search_suggestions
         WHERE tenant_id = :tenantId AND kind = ANY('{tag,speaker,topic}'::text[]) AND normalized COLLATE "C" LIKE :pattern
           AND normalized COLLATE "C" >= :lower AND (:upper::text IS NULL OR normalized COLLATE "C" < :upper) AND assets > 0
         UNION
         SELECT s.kind, s.value, s.normalized, s.assets FROM search_suggestion_words w
         JOIN search_suggestions s ON s.tenant_id = w.tenant_id AND s.kind = w.kind AND s.normalized = w.normalized
         WHERE w.tenant_id = :tenantId AND w.tail LIKE :pattern
           AND w.tail >= :lower AND (:upper::text IS NULL OR w.tail < :upper) AND s.assets > 0
       ) x
       ORDER BY assets DESC, length(normalized), normalized
       LIMIT :limit`),
  /**
   * Titles starting with :pattern, in index order, which keeps a short prefix cheap; with the asset
   * when exactly one carries the title (from search_exact_keys, checked against the document).
   */
  suggestTitles: statement(`SELECT s.kind, s.value, s.normalized, s.assets,
         (SELECT CASE WHEN count(*) = 1 THEN min(one.asset_id::text) END FROM (
            SELECT k.asset_id FROM search_exact_keys k
            JOIN search_documents d ON d.tenant_id = k.tenant_id AND d.asset_id = k.asset_id
            WHERE k.tenant_id = :tenantId AND k.key = lower(s.value) AND lower(btrim(d.title)) = k.key
              AND d.status <> 'ARCHIVED'
            LIMIT 2) one) AS asset_id
       FROM search_suggestions s
       WHERE s.tenant_id = :tenantId AND s.kind = 'title' AND s.normalized COLLATE "C" LIKE :pattern
         AND s.normalized COLLATE "C" >= :lower AND (:upper::text IS NULL OR s.normalized COLLATE "C" < :upper) AND s.assets > 0
       ORDER BY s.normalized COLLATE "C"
       LIMIT :limit`),

  /** How many assets hold one of an entity filter's values, counted up to :bound only. */
  filterAssetCount: statement(`SELECT count(*)::int AS n FROM (
         SELECT 1 FROM search_filter_values
         WHERE tenant_id = :tenantId AND dim = :dim AND value = ANY(:values::text[]) LIMIT :bound) x`),
  /** About how many postings a document has, from the planner's row counts (no tenant: table sizes only). */
  postingsPerDocument:
    statement(`SELECT (SELECT reltuples FROM pg_class WHERE oid = 'search_postings'::regclass)
              / nullif((SELECT reltuples FROM pg_class WHERE oid = 'search_documents'::regclass), 0) AS per`),
  documentCount: statement(
    'SELECT coalesce(max(doc_count), 0)::float8 AS n FROM search_corpus_stats WHERE tenant_id = :tenantId',
  ),

  /** The statistics to score :terms with, as of now. */
  termStatistics: statement(`SELECT coalesce(cs.doc_count, 0)::float8 AS n,
              GREATEST(coalesce(cs.total_length / GREATEST(cs.doc_count, 1), 1), 1)::float8 AS avgdl,
              ARRAY(SELECT coalesce((SELECT s.df FROM search_term_stats s WHERE s.tenant_id = :tenantId AND s.term = x.term), 0)::float8
                    FROM unnest(:terms::text[]) WITH ORDINALITY AS x(term, i) ORDER BY x.i) AS df
       FROM (SELECT 1) one LEFT JOIN search_corpus_stats cs ON cs.tenant_id = :tenantId`),
  /**
   * The stemmed lexemes of :text, how often each occurs in it, and its document frequency, in the
   * order they first occur.
   */
  queryLexemes: statement(`SELECT u.lexeme AS term, coalesce(array_length(u.positions, 1), 1)::float8 AS qtf,
              coalesce((SELECT s.df FROM search_term_stats s WHERE s.tenant_id = :tenantId AND s.term = u.lexeme), 0) AS df
       FROM unnest(to_tsvector('english', :text)) AS u
       ORDER BY u.positions[1], u.lexeme`),
  /**
   * The indexed terms of an asset and of `:alsoLike`, each with its field-weighted frequency summed over
   * them, its document frequency, and whether the asset itself has it: what a more-like-this lookup
   * picks its terms from (by the (tenant, asset) index). Each term's frequency is looked up by key
   * once the postings are summed: joined before, the planner read all of the tenant's term statistics.
   */
  assetTerms: statement(`SELECT a.term, a.tf, coalesce((SELECT s.df FROM search_term_stats s
              WHERE s.tenant_id = :tenantId AND s.term = a.term), 0)::float8 AS df, a.own
       FROM (
         SELECT p.term, sum(p.tf)::float8 AS tf, bool_or(p.asset_id = :assetId::uuid) AS own
         FROM search_postings p
         WHERE p.tenant_id = :tenantId AND (p.asset_id = :assetId::uuid OR p.asset_id = ANY(:alsoLike::uuid[]))
         GROUP BY p.term
       ) a`),
  /**
   * Pseudo-relevance feedback (search/ranking-features.ts): the indexed terms of the first pass's
   * best assets, per asset, with its length and each term's document frequency (by the (tenant,
   * asset) index; frequencies looked up by key, as \`assetTerms\` does).
   */
  feedbackTerms: statement(`SELECT p.asset_id, p.term, p.tf::float8 AS tf, p.doc_length::float8 AS length,
              coalesce((SELECT s.df FROM search_term_stats s WHERE s.tenant_id = :tenantId AND s.term = p.term), 0)::float8 AS df
       FROM search_postings p
       WHERE p.tenant_id = :tenantId AND p.asset_id = ANY(:assetIds::uuid[])`),
  /** A limit on each statement of the transaction, in milliseconds (0: none). */
  statementTimeout: statement(`SELECT set_config('statement_timeout', :milliseconds, true)`),
  /** The trigram index answers `%` at the session's threshold: set for the transaction only. */
  similarityThreshold: statement(`SELECT set_config('pg_trgm.similarity_threshold', :threshold, true)`),
  /**
   * The closest indexed spellings of each suspected typo: any for a term in no document, and only a
   * much closer and far more common one for a rare term.
   */
  typoCorrections: statement(`SELECT u.typo, c.term, c.similarity, c.df
       FROM unnest(:typos::text[], :dfs::int[]) AS u(typo, df)
       CROSS JOIN LATERAL (
         SELECT s.term, similarity(s.term, u.typo)::float8 AS similarity, s.df FROM search_term_stats s
         WHERE s.tenant_id = :tenantId AND s.term % u.typo AND s.term <> u.typo AND s.df > 0
           AND (u.df = 0 OR (similarity(s.term, u.typo) >= :knownMinSimilarity AND s.df >= u.df * :knownFrequencyRatio))
         ORDER BY similarity(s.term, u.typo) DESC, s.df DESC, s.term
         LIMIT :expansions
       ) c`),

  /**
   * Each hit's matched terms with the ranking's formula applied to today's statistics: labels (the
   * fields it matched in), idf, field-weighted tf and contribution, for :terms weighted by :weights.
   */
  explain: statement(`WITH labels AS MATERIALIZED (
         -- Each document's tsvector read once, not once per matched term (a long one is toasted).
         SELECT d.asset_id, u.lexeme AS term, array_agg(DISTINCT w::text) AS labels
         FROM search_documents d, unnest(d.document) u, unnest(u.weights) w
         WHERE d.tenant_id = :tenantId AND d.asset_id = ANY(:assetIds::uuid[]) AND u.lexeme = ANY(:terms::text[])
         GROUP BY 1, 2
       ), own AS MATERIALIZED (
         -- The postings of the hits by the (tenant, asset) index: read by term, the thousands of a
         -- frequent term were read to find the few of the page (the planner expected one row a term).
         SELECT p.asset_id, p.term, p.tf, p.doc_length FROM search_postings p
         WHERE p.tenant_id = :tenantId AND p.asset_id = ANY(:assetIds::uuid[])
       )
       SELECT p.asset_id, p.term, p.tf, x.weight, i.idf, ${bm25Sql({
         weight: 'i.idf * x.weight',
         tf: 'p.tf',
         docLength: 'p.doc_length',
         avgdl: 'GREATEST(cs.total_length / GREATEST(cs.doc_count, 1), 1)::float8',
         k1: ':k1::float8',
         b: ':b::float8',
       })} AS contribution, l.labels
       FROM own p
       LEFT JOIN labels l ON l.asset_id = p.asset_id AND l.term = p.term
       JOIN unnest(:terms::text[], :weights::float8[]) AS x(term, weight) ON x.term = p.term
       JOIN search_term_stats ts ON ts.tenant_id = :tenantId AND ts.term = p.term
       JOIN search_corpus_stats cs ON cs.tenant_id = :tenantId
       CROSS JOIN LATERAL (SELECT ${idfSql('cs.doc_count::float8', 'ts.df::float8')} AS idf) i`),

  /** Highlights of the given documents, any of :terms marking (any of them may have matched). */
  highlights: statement(`SELECT d.asset_id,
         ts_headline('english', d.title, q.q, 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>') AS title,
         ts_headline('english', d.description, q.q, 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=10, MaxFragments=2') AS description,
         ts_headline('english', left(d.transcript, :transcriptChars), q.q,
                     'StartSel=<mark>, StopSel=</mark>, MaxWords=25, MinWords=8, MaxFragments=1') AS transcript,
         left(d.transcript, :transcriptChars) AS excerpt
       FROM search_documents d,
         (SELECT coalesce(to_tsquery('simple', string_agg(quote_literal(t), ' | ')), ''::tsquery) AS q
          FROM unnest(:terms::text[]) AS t) q
       WHERE d.tenant_id = :tenantId AND d.asset_id = ANY(:assetIds::uuid[])`),
};
