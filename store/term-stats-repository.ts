import type { Sql } from './db.js';

/** Per-tenant document frequencies for TF-IDF, updated by the difference of an asset's term set. */
export const termStatsRepository = {
  /**
   * Replaces the term set an asset contributes and returns the corpus size and the document
   * frequency of each of its terms, counting the asset itself. Call inside a transaction.
   */
  async replaceAssetTerms(
    tx: Sql,
    tenantId: string,
    assetId: string,
    terms: string[],
  ): Promise<{ documentCount: number; df: Map<string, number> }> {
    const next = [...new Set(terms)].sort();
    const previous = await tx.query<{ terms: string[] }>(
      'SELECT terms FROM asset_terms WHERE tenant_id = $1 AND asset_id = $2 FOR UPDATE',
      [tenantId, assetId],
    );
    const before = new Set(previous[0]?.terms ?? []);
    const after = new Set(next);
    const added = next.filter((t) => !before.has(t));
    const removed = [...before].filter((t) => !after.has(t)).sort();

    // Sorted, single-statement updates take row locks in one order, so concurrent enrichments cannot deadlock.
    if (added.length > 0) {
      await tx.query(
        `INSERT INTO term_document_frequencies (tenant_id, term, df)
         SELECT $1, t, 1 FROM unnest($2::text[]) AS t ORDER BY t
         ON CONFLICT (tenant_id, term) DO UPDATE SET df = term_document_frequencies.df + 1`,
        [tenantId, added],
      );
    }
    if (removed.length > 0) {
      await tx.query(
        `UPDATE term_document_frequencies SET df = GREATEST(df - 1, 0)
         WHERE tenant_id = $1 AND term = ANY($2::text[])`,
        [tenantId, removed],
      );
    }
    await tx.query(
      `INSERT INTO asset_terms (tenant_id, asset_id, terms) VALUES ($1, $2, $3::text[])
       ON CONFLICT (tenant_id, asset_id) DO UPDATE SET terms = EXCLUDED.terms`,
      [tenantId, assetId, next],
    );
    const isNewDocument = previous.length === 0;
    // Only a new document touches the tenant's counter row, which every enrichment would otherwise contend on.
    const counts = isNewDocument
      ? await tx.query<{ document_count: number }>(
          `UPDATE tenant_corpus_stats SET document_count = document_count + 1 WHERE tenant_id = $1
           RETURNING document_count`,
          [tenantId],
        )
      : await tx.query<{ document_count: number }>(
          'SELECT document_count FROM tenant_corpus_stats WHERE tenant_id = $1',
          [tenantId],
        );
    const dfRows = await tx.query<{ term: string; df: number }>(
      'SELECT term, df FROM term_document_frequencies WHERE tenant_id = $1 AND term = ANY($2::text[])',
      [tenantId, next],
    );
    return {
      documentCount: counts[0]?.document_count ?? 1,
      df: new Map(dfRows.map((r) => [r.term, r.df])),
    };
  },
};
