import type { Sql } from './db.js';

/** An asset's terms before and after, with the corpus statistics the new terms are scored against. */
export interface AssetTermsChange {
  assetId: string;
  previous: string[] | null;
  next: string[];
  /** The tenant's document count, counting the asset itself. */
  documentCount: number;
  /** The document frequency of each new term, counting the asset itself. */
  df: Map<string, number>;
}

/** Per-tenant document frequencies for TF-IDF, updated by the difference of an asset's term set. */
export const termStatsRepository = {
  /**
   * Reads what `write` needs and the statistics to score the asset's new terms with, taking no lock
   * but the asset's own row: the shared counters are updated by `write`, last in the transaction,
   * so concurrent enrichments wait on each other only for their commits. (Updated first, the hot
   * counter rows were held through the whole extraction, and enrichments of a tenant ran one at a time.)
   */
  async read(tx: Sql, tenantId: string, assetId: string, terms: string[]): Promise<AssetTermsChange> {
    const next = [...new Set(terms)].sort();
    const [previous] = await tx.query<{ terms: string[] }>(
      'SELECT terms FROM asset_terms WHERE tenant_id = $1 AND asset_id = $2 FOR UPDATE',
      [tenantId, assetId],
    );
    const [counts] = await tx.query<{ document_count: number }>(
      'SELECT document_count FROM tenant_corpus_stats WHERE tenant_id = $1',
      [tenantId],
    );
    const dfRows = await tx.query<{ term: string; df: number }>(
      'SELECT term, df FROM term_document_frequencies WHERE tenant_id = $1 AND term = ANY($2::text[])',
      [tenantId, next],
    );
    const before = new Set(previous?.terms ?? []);
    const stored = new Map(dfRows.map((r) => [r.term, r.df]));
    return {
      assetId,
      previous: previous ? previous.terms : null,
      next,
      documentCount: (counts?.document_count ?? 0) + (previous ? 0 : 1),
      df: new Map(next.map((t) => [t, (stored.get(t) ?? 0) + (before.has(t) ? 0 : 1)])),
    };
  },

  /** Stores the asset's new term set and moves the tenant's counters by the difference. */
  async write(tx: Sql, tenantId: string, change: AssetTermsChange): Promise<void> {
    const before = new Set(change.previous ?? []);
    const after = new Set(change.next);
    const added = change.next.filter((t) => !before.has(t));
    const removed = [...before].filter((t) => !after.has(t)).sort();
    await tx.query(
      `INSERT INTO asset_terms (tenant_id, asset_id, terms) VALUES ($1, $2, $3::text[])
       ON CONFLICT (tenant_id, asset_id) DO UPDATE SET terms = EXCLUDED.terms`,
      [tenantId, change.assetId, change.next],
    );
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
    // Only a new document touches the tenant's counter row, the hottest of all.
    if (change.previous === null) {
      await tx.query(
        'UPDATE tenant_corpus_stats SET document_count = document_count + 1 WHERE tenant_id = $1',
        [tenantId],
      );
    }
  },
};

export type TermStatsRepository = typeof termStatsRepository;
