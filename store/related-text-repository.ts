import type { Sql } from './db.js';

/** One asset the text signal relates another to: what it adds, and the words the match rests on. */
export interface TextNeighbour {
  assetId: string;
  contribution: number;
  terms: string[];
}

/** An asset's text neighbours as kept (migration 0043), for the version they were computed from. */
export interface StoredTextNeighbours {
  version: number;
  computedAt: Date;
  neighbours: TextNeighbour[];
}

interface Row {
  version: number;
  computed_at: Date;
  neighbours: TextNeighbour[];
}

/**
 * The text signal of related content per asset version (related_text_neighbours): a projection of
 * the search index that any row of may be deleted from and computed again. A write never replaces a
 * row of a later version, nor a later computation of the same version, so a slow refresh that
 * finishes last cannot put back what a newer one replaced.
 */
export const relatedTextRepository = {
  async find(sql: Sql, tenantId: string, assetId: string): Promise<StoredTextNeighbours | null> {
    const [row] = await sql.query<Row>(
      `SELECT version, computed_at, neighbours FROM related_text_neighbours
       WHERE tenant_id = $1 AND asset_id = $2`,
      [tenantId, assetId],
    );
    return row ? { version: row.version, computedAt: row.computed_at, neighbours: row.neighbours } : null;
  },

  async save(sql: Sql, tenantId: string, assetId: string, kept: StoredTextNeighbours): Promise<void> {
    await sql.query(
      `INSERT INTO related_text_neighbours (tenant_id, asset_id, version, neighbours, computed_at)
       VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (tenant_id, asset_id) DO UPDATE
         SET version = EXCLUDED.version, neighbours = EXCLUDED.neighbours, computed_at = EXCLUDED.computed_at
         WHERE related_text_neighbours.version < EXCLUDED.version
            OR (related_text_neighbours.version = EXCLUDED.version
                AND related_text_neighbours.computed_at <= EXCLUDED.computed_at)`,
      [tenantId, assetId, kept.version, JSON.stringify(kept.neighbours), kept.computedAt],
    );
  },

  /** The assets whose neighbours were computed before `before`, oldest first: what a refresh redoes. */
  async computedBefore(sql: Sql, tenantId: string, before: Date, limit: number): Promise<string[]> {
    const rows = await sql.query<{ asset_id: string }>(
      `SELECT asset_id FROM related_text_neighbours
       WHERE tenant_id = $1 AND computed_at < $2
       ORDER BY computed_at, asset_id LIMIT $3`,
      [tenantId, before, limit],
    );
    return rows.map((r) => r.asset_id);
  },

  /** Forgets the neighbours of these assets (all of the tenant's when `assetIds` is null); how many. */
  async remove(sql: Sql, tenantId: string, assetIds: string[] | null): Promise<number> {
    const rows = await sql.query<{ n: number }>(
      `WITH gone AS (DELETE FROM related_text_neighbours
                     WHERE tenant_id = $1 AND ($2::uuid[] IS NULL OR asset_id = ANY($2::uuid[]))
                     RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [tenantId, assetIds],
    );
    return rows[0]?.n ?? 0;
  },
};

export type RelatedTextRepository = typeof relatedTextRepository;
