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

/**
 * Moves the sorted `terms`' document frequencies down by their (negative) `delta`, never below zero,
 * locking their rows in term order first: one lock order for every writer.
 */
async function lowerDocumentFrequencies(
  tx: Sql,
  tenantId: string,
  terms: string[],
  delta: Map<string, number>,
): Promise<void> {
  if (terms.length === 0) return;
  await tx.query(
    `WITH locked AS (
       SELECT term FROM term_document_frequencies WHERE tenant_id = $1 AND term = ANY($2::text[])
       ORDER BY term FOR UPDATE
     )
     UPDATE term_document_frequencies f SET df = GREATEST(f.df + t.n, 0)
     FROM unnest($2::text[], $3::int[]) AS t(term, n) JOIN locked l ON l.term = t.term
     WHERE f.tenant_id = $1 AND f.term = t.term`,
    [tenantId, terms, terms.map((t) => delta.get(t)!)],
  );
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

  /**
   * What a batch of assets' terms are scored against, read without any lock: each asset's stored
   * term set, the tenant's document count, and the document frequency of every term given. The
   * batch then counts its own assets in as it goes (services/batch-corpus.ts); `writeMany` moves the
   * counters by the differences under lock, whatever changed since this read.
   */
  async readMany(
    sql: Sql,
    tenantId: string,
    assets: { assetId: string; terms: string[] }[],
  ): Promise<{ previous: Map<string, string[]>; documentCount: number; df: Map<string, number> }> {
    if (assets.length === 0) return { previous: new Map(), documentCount: 0, df: new Map() };
    const terms = [...new Set(assets.flatMap((a) => a.terms))];
    const previous = await sql.query<{ asset_id: string; terms: string[] }>(
      'SELECT asset_id, terms FROM asset_terms WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])',
      [tenantId, assets.map((a) => a.assetId)],
    );
    const [counts] = await sql.query<{ document_count: number }>(
      'SELECT document_count FROM tenant_corpus_stats WHERE tenant_id = $1',
      [tenantId],
    );
    const dfRows = await sql.query<{ term: string; df: number }>(
      'SELECT term, df FROM term_document_frequencies WHERE tenant_id = $1 AND term = ANY($2::text[])',
      [tenantId, terms],
    );
    return {
      previous: new Map(previous.map((r) => [r.asset_id, r.terms])),
      documentCount: counts?.document_count ?? 0,
      df: new Map(dfRows.map((r) => [r.term, r.df])),
    };
  },

  /**
   * Stores the new term set of each asset (each once) and moves the tenant's counters by the
   * differences, in at most five statements whatever the batch's size. Reads the stored term sets under
   * lock, so the differences are right even if another enrichment wrote them since `readMany`.
   */
  async writeMany(tx: Sql, tenantId: string, assets: { assetId: string; next: string[] }[]): Promise<void> {
    if (assets.length === 0) return;
    const sorted = [...assets].sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0));
    const stored = await tx.query<{ asset_id: string; terms: string[] }>(
      `SELECT asset_id, terms FROM asset_terms WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])
       ORDER BY asset_id FOR UPDATE`,
      [tenantId, sorted.map((a) => a.assetId)],
    );
    const before = new Map(stored.map((r) => [r.asset_id, new Set(r.terms)]));
    const delta = new Map<string, number>();
    let newDocuments = 0;
    for (const { assetId, next } of sorted) {
      const had = before.get(assetId);
      if (!had) newDocuments++;
      const after = new Set(next);
      for (const t of after) if (!had?.has(t)) delta.set(t, (delta.get(t) ?? 0) + 1);
      for (const t of had ?? []) if (!after.has(t)) delta.set(t, (delta.get(t) ?? 0) - 1);
    }
    await tx.query(
      `INSERT INTO asset_terms (tenant_id, asset_id, terms)
       SELECT $1, x.asset_id, ARRAY(SELECT jsonb_array_elements_text(x.terms))
       FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, terms jsonb) ORDER BY x.asset_id
       ON CONFLICT (tenant_id, asset_id) DO UPDATE SET terms = EXCLUDED.terms`,
      [
        tenantId,
        JSON.stringify(sorted.map((a) => ({ asset_id: a.assetId, terms: [...new Set(a.next)].sort() }))),
      ],
    );
    // Sorted, single-statement updates take row locks in one order, so concurrent enrichments cannot deadlock.
    const terms = [...delta.keys()].filter((t) => delta.get(t) !== 0).sort();
    const added = terms.filter((t) => delta.get(t)! > 0);
    const removed = terms.filter((t) => delta.get(t)! < 0);
    if (added.length > 0) {
      await tx.query(
        `INSERT INTO term_document_frequencies (tenant_id, term, df)
         SELECT $1, t.term, t.n FROM unnest($2::text[], $3::int[]) AS t(term, n) ORDER BY t.term
         ON CONFLICT (tenant_id, term) DO UPDATE SET df = term_document_frequencies.df + EXCLUDED.df`,
        [tenantId, added, added.map((t) => delta.get(t)!)],
      );
    }
    await lowerDocumentFrequencies(tx, tenantId, removed, delta);
    // Only new documents touch the tenant's counter row, the hottest of all.
    if (newDocuments > 0) {
      await tx.query(
        'UPDATE tenant_corpus_stats SET document_count = document_count + $2 WHERE tenant_id = $1',
        [tenantId, newDocuments],
      );
    }
  },

  /**
   * Takes assets out of the statistics, as a delete or a purge does (docs/lifecycle.md): their term
   * sets are dropped and each term's document frequency, and the tenant's document count, move down
   * by what they counted. An asset whose terms were never counted, or already taken out, moves
   * nothing, so a purge after a delete counts once. Before a purge's row delete, whose cascade would
   * drop the term sets without moving the counters.
   */
  async forget(tx: Sql, tenantId: string, assetIds: string[]): Promise<void> {
    if (assetIds.length === 0) return;
    const gone = await tx.query<{ terms: string[] }>(
      'DELETE FROM asset_terms WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) RETURNING terms',
      [tenantId, assetIds],
    );
    if (gone.length === 0) return;
    const delta = new Map<string, number>();
    for (const { terms } of gone) for (const t of new Set(terms)) delta.set(t, (delta.get(t) ?? 0) - 1);
    // Locked in term order, as `writeMany` locks them: concurrent enrichments cannot deadlock with it.
    await lowerDocumentFrequencies(tx, tenantId, [...delta.keys()].sort(), delta);
    await tx.query(
      'UPDATE tenant_corpus_stats SET document_count = GREATEST(document_count - $2, 0) WHERE tenant_id = $1',
      [tenantId, gone.length],
    );
  },
};

export type TermStatsRepository = typeof termStatsRepository;
