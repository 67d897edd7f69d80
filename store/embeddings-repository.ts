import type { Sql } from './db.js';

/** One stored vector of an asset (migration 0063). */
export interface StoredEmbedding {
  assetId: string;
  passage: number;
  version: number;
  model: string;
  extractorVersion: number;
  start: number | null;
  end: number | null;
  vector: Float32Array;
}

interface Row {
  asset_id: string;
  passage: number;
  version: number;
  model: string;
  extractor_version: number;
  start_seconds: number | null;
  end_seconds: number | null;
  vector: number[];
}

const fromRow = (r: Row): StoredEmbedding => ({
  assetId: r.asset_id,
  passage: r.passage,
  version: r.version,
  model: r.model,
  extractorVersion: r.extractor_version,
  start: r.start_seconds,
  end: r.end_seconds,
  vector: Float32Array.from(r.vector),
});

const COLUMNS = 'asset_id, passage, version, model, extractor_version, start_seconds, end_seconds, vector';

/**
 * Asset embeddings, the truth the vector indexes are built from. An asset's passages are replaced
 * together, and never by an older version's.
 */
export const embeddingsRepository = {
  /** Replaces each asset's passages, unless a newer version's are stored. */
  async replace(sql: Sql, tenantId: string, rows: StoredEmbedding[]): Promise<void> {
    const byAsset = new Map<string, StoredEmbedding[]>();
    for (const r of rows) byAsset.set(r.assetId, [...(byAsset.get(r.assetId) ?? []), r]);
    for (const [assetId, passages] of byAsset) {
      const version = passages[0]!.version;
      const [newer] = await sql.query<{ n: number }>(
        `SELECT 1 AS n FROM asset_embeddings
         WHERE tenant_id = $1 AND asset_id = $2 AND passage = 0 AND version > $3`,
        [tenantId, assetId, version],
      );
      if (newer) continue;
      await sql.query('DELETE FROM asset_embeddings WHERE tenant_id = $1 AND asset_id = $2', [
        tenantId,
        assetId,
      ]);
      await sql.query(
        `INSERT INTO asset_embeddings (tenant_id, ${COLUMNS})
         SELECT $1, $2::uuid, p.passage, $3, $4, $5, p.start_seconds, p.end_seconds, p.vector
         FROM jsonb_to_recordset($6::jsonb)
           AS p(passage integer, start_seconds real, end_seconds real, vector real[])`,
        [
          tenantId,
          assetId,
          version,
          passages[0]!.model,
          passages[0]!.extractorVersion,
          JSON.stringify(
            passages.map((p) => ({
              passage: p.passage,
              start_seconds: p.start,
              end_seconds: p.end,
              vector: Array.from(p.vector),
            })),
          ),
        ],
      );
    }
  },

  /** What is stored for these assets: version, model and extractor version of passage 0. */
  async statesOf(
    sql: Sql,
    tenantId: string,
    assetIds: string[],
  ): Promise<Map<string, { version: number; model: string; extractorVersion: number }>> {
    const rows = await sql.query<{
      asset_id: string;
      version: number;
      model: string;
      extractor_version: number;
    }>(
      `SELECT asset_id, version, model, extractor_version FROM asset_embeddings
       WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) AND passage = 0`,
      [tenantId, assetIds],
    );
    return new Map(
      rows.map((r) => [
        r.asset_id,
        { version: r.version, model: r.model, extractorVersion: r.extractor_version },
      ]),
    );
  },

  async forAssets(sql: Sql, tenantId: string, assetIds: string[]): Promise<StoredEmbedding[]> {
    const rows = await sql.query<Row>(
      `SELECT ${COLUMNS} FROM asset_embeddings
       WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) ORDER BY asset_id, passage`,
      [tenantId, assetIds],
    );
    return rows.map(fromRow);
  },

  /** A page of the tenant's embeddings by asset id, after `after`: what a rebuild reads. */
  async page(sql: Sql, tenantId: string, after: string, assets: number): Promise<StoredEmbedding[]> {
    const rows = await sql.query<Row>(
      `SELECT ${COLUMNS} FROM asset_embeddings
       WHERE tenant_id = $1 AND asset_id IN (
         SELECT asset_id FROM asset_embeddings
         WHERE tenant_id = $1 AND passage = 0 AND asset_id > $2::uuid ORDER BY asset_id LIMIT $3)
       ORDER BY asset_id, passage`,
      [tenantId, after, assets],
    );
    return rows.map(fromRow);
  },

  async remove(sql: Sql, tenantId: string, assetIds: string[]): Promise<void> {
    await sql.query('DELETE FROM asset_embeddings WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])', [
      tenantId,
      assetIds,
    ]);
  },
};

export type EmbeddingsRepository = typeof embeddingsRepository;
