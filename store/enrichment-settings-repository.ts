import type { Sql } from './db.js';

export type LabelModelKind = 'topics' | 'tags';

export interface StoredLabelModel {
  model: unknown;
  trainedAt: Date;
}

const renamesLock = (tenantId: string) => `renames:${tenantId}`;

/**
 * A tenant's enrichment settings: its taxonomy and brand list (kept in controller_configs, one row
 * per controller), and its learned label models.
 */
export const enrichmentSettingsRepository = {
  /**
   * Holds the tenant's renames lock shared until the transaction ends: writers of names onto assets
   * take it so, a change of the rules takes it exclusively (lockRenamesExclusive) and so waits for them.
   */
  async lockRenamesShared(tx: Sql, tenantId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [renamesLock(tenantId)]);
  },

  /** Holds the tenant's renames lock exclusively until the transaction ends (see lockRenamesShared). */
  async lockRenamesExclusive(tx: Sql, tenantId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [renamesLock(tenantId)]);
  },

  async getConfig<T>(sql: Sql, tenantId: string, controller: string): Promise<T | null> {
    const rows = await sql.query<{ config: T }>(
      'SELECT config FROM controller_configs WHERE tenant_id = $1 AND controller = $2 AND enabled',
      [tenantId, controller],
    );
    return rows[0]?.config ?? null;
  },

  async setConfig(sql: Sql, tenantId: string, controller: string, config: unknown): Promise<void> {
    await sql.query(
      `INSERT INTO controller_configs (tenant_id, controller, config) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (tenant_id, controller) DO UPDATE SET config = EXCLUDED.config, enabled = true, updated_at = now()`,
      [tenantId, controller, JSON.stringify(config)],
    );
  },

  async getLabelModels(
    sql: Sql,
    tenantId: string,
  ): Promise<Partial<Record<LabelModelKind, StoredLabelModel>>> {
    const rows = await sql.query<{ kind: LabelModelKind; model: unknown; trained_at: Date }>(
      'SELECT kind, model, trained_at FROM label_models WHERE tenant_id = $1',
      [tenantId],
    );
    return Object.fromEntries(
      rows.map((r) => [r.kind, { model: r.model, trainedAt: new Date(r.trained_at) }]),
    );
  },

  async labelModelsTrainedAt(sql: Sql, tenantId: string): Promise<Date | null> {
    const rows = await sql.query<{ t: Date | null }>(
      'SELECT min(trained_at) AS t FROM label_models WHERE tenant_id = $1',
      [tenantId],
    );
    return rows[0]?.t ? new Date(rows[0].t) : null;
  },

  async saveLabelModel(
    sql: Sql,
    tenantId: string,
    kind: LabelModelKind,
    model: { json: unknown; labels: number; examples: number },
  ): Promise<void> {
    await sql.query(
      `INSERT INTO label_models (tenant_id, kind, model, labels, examples) VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (tenant_id, kind) DO UPDATE SET model = EXCLUDED.model, labels = EXCLUDED.labels,
         examples = EXCLUDED.examples, trained_at = now()`,
      [tenantId, kind, JSON.stringify(model.json), model.labels, model.examples],
    );
  },

  async deleteLabelModel(sql: Sql, tenantId: string, kind: LabelModelKind): Promise<void> {
    await sql.query('DELETE FROM label_models WHERE tenant_id = $1 AND kind = $2', [tenantId, kind]);
  },

  /** The most recent labelled assets: given tags, and topics an editor set by hand. */
  async trainingExamples(
    sql: Sql,
    tenantId: string,
    limit: number,
  ): Promise<
    { title: string; description: string; transcript: string; tags: string[]; manualTopics: string[] }[]
  > {
    const rows = await sql.query<{
      title: string;
      description: string;
      transcript: string;
      tags: string[];
      manual_topics: string[] | null;
    }>(
      `SELECT title, description, left(transcript, 5000) AS transcript, given_tags AS tags,
         (SELECT coalesce(jsonb_agg(t->>'name'), '[]'::jsonb) FROM jsonb_array_elements(enriched_metadata->'topics') t
          WHERE t->>'source' = 'manual') AS manual_topics
       FROM assets
       WHERE tenant_id = $1 AND deleted_at IS NULL AND (given_tags <> '[]'::jsonb OR enriched_metadata->'topics' @> '[{"source":"manual"}]')
       ORDER BY created_at DESC LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map((r) => ({ ...r, manualTopics: r.manual_topics ?? [] }));
  },
};

export type EnrichmentSettingsRepository = typeof enrichmentSettingsRepository;
