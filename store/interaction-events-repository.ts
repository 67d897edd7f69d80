import type { Enrichment } from '../domain/asset.js';
import type { Sql } from './db.js';

/** A tenant's registered event type. */
export interface EventTypeRecord {
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What the event ingest reads of an asset to attach its dimensions: a few columns, no text. */
export interface AssetDimsRow {
  id: string;
  type: string;
  sourceSystem: string;
  tags: string[];
  speakers: string[];
  enrichment: Pick<Enrichment, 'tags' | 'speakers' | 'topics' | 'brands'> | null;
  durationSeconds: number | null;
}

interface EventTypeRow {
  name: string;
  description: string;
  created_at: Date;
  updated_at: Date;
}
const toEventType = (r: EventTypeRow): EventTypeRecord => ({
  name: r.name,
  description: r.description,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export const eventTypesRepository = {
  async list(sql: Sql, tenantId: string): Promise<EventTypeRecord[]> {
    const rows = await sql.query<EventTypeRow>(
      'SELECT name, description, created_at, updated_at FROM event_types WHERE tenant_id = $1 ORDER BY name',
      [tenantId],
    );
    return rows.map(toEventType);
  },

  async get(sql: Sql, tenantId: string, name: string): Promise<EventTypeRecord | null> {
    const [row] = await sql.query<EventTypeRow>(
      'SELECT name, description, created_at, updated_at FROM event_types WHERE tenant_id = $1 AND name = $2',
      [tenantId, name],
    );
    return row ? toEventType(row) : null;
  },

  /** Serializes a tenant's registrations, so the count checked before an insert holds at commit. */
  async lockTenant(sql: Sql, tenantId: string): Promise<void> {
    await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`event_types:${tenantId}`]);
  },

  async count(sql: Sql, tenantId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM event_types WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.n ?? 0;
  },

  /** Creates or redescribes a type; `created` tells which. */
  async upsert(
    sql: Sql,
    tenantId: string,
    name: string,
    description: string,
  ): Promise<{ type: EventTypeRecord; created: boolean }> {
    const [row] = await sql.query<EventTypeRow & { created: boolean }>(
      `INSERT INTO event_types AS t (tenant_id, name, description) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, name) DO UPDATE
         SET description = EXCLUDED.description, updated_at = date_trunc('milliseconds', now())
       RETURNING name, description, created_at, updated_at, (xmax = 0) AS created`,
      [tenantId, name, description],
    );
    return { type: toEventType(row!), created: row!.created };
  },

  async remove(sql: Sql, tenantId: string, name: string): Promise<boolean> {
    const rows = await sql.query('DELETE FROM event_types WHERE tenant_id = $1 AND name = $2 RETURNING 1', [
      tenantId,
      name,
    ]);
    return rows.length > 0;
  },

  /** The dimensions of the tenant's assets among `ids`, in one statement; unknown ids are absent. */
  async assetDims(sql: Sql, tenantId: string, ids: string[]): Promise<AssetDimsRow[]> {
    if (ids.length === 0) return [];
    const rows = await sql.query<{
      id: string;
      type: string;
      source_system: string;
      given_tags: string[];
      given_speakers: string[];
      enrichment: AssetDimsRow['enrichment'];
      duration: number | null;
    }>(
      `SELECT id, type, source_system, given_tags, given_speakers,
              CASE WHEN enriched_metadata IS NULL THEN NULL ELSE jsonb_build_object(
                'tags', COALESCE(enriched_metadata -> 'tags', '[]'),
                'speakers', COALESCE(enriched_metadata -> 'speakers', '[]'),
                'topics', COALESCE(enriched_metadata -> 'topics', '[]'),
                'brands', COALESCE(enriched_metadata -> 'brands', '[]')) END AS enrichment,
              CASE WHEN jsonb_typeof(technical_metadata -> 'durationSeconds') = 'number'
                THEN (technical_metadata ->> 'durationSeconds')::float8 END AS duration
       FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`,
      [tenantId, ids],
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      sourceSystem: r.source_system,
      tags: r.given_tags,
      speakers: r.given_speakers,
      enrichment: r.enrichment,
      durationSeconds: r.duration,
    }));
  },
};

export type EventTypesRepository = typeof eventTypesRepository;

export const derivedEventKeysRepository = {
  /** Inserts the keys; returns those that were new (the others announced their event before). */
  async claim(sql: Sql, tenantId: string, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await sql.query<{ key: string }>(
      `INSERT INTO derived_event_keys (tenant_id, key) SELECT $1, k FROM unnest($2::text[]) AS k
       ON CONFLICT DO NOTHING RETURNING key`,
      [tenantId, keys],
    );
    return new Set(rows.map((r) => r.key));
  },

  /** Forgets keys older than the oldest event the API accepts, and then some. */
  async prune(sql: Sql, olderThanDays: number): Promise<number> {
    const rows = await sql.query(
      `DELETE FROM derived_event_keys WHERE created_at < now() - make_interval(days => $1) RETURNING 1`,
      [olderThanDays],
    );
    return rows.length;
  },
};

export type DerivedEventKeysRepository = typeof derivedEventKeysRepository;
