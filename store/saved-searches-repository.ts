import type { Sql } from './db.js';

/** A named search of a tenant: the search page's query string and the key that saved it. */
export interface SavedSearch {
  id: string;
  tenantId: string;
  name: string;
  query: string;
  createdBy: string;
  createdAt: Date;
}

interface SavedSearchRow {
  tenant_id: string;
  id: string;
  name: string;
  query: string;
  created_by: string;
  created_at: Date;
}

const COLUMNS = 'tenant_id, id, name, query, created_by, created_at';

const toSavedSearch = (r: SavedSearchRow): SavedSearch => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  query: r.query,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
});

export const savedSearchesRepository = {
  /** Serializes a tenant's saves, so the count checked before an insert still holds at its commit. */
  async lockTenant(sql: Sql, tenantId: string): Promise<void> {
    await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`saved_searches:${tenantId}`]);
  },

  async insert(
    sql: Sql,
    s: { tenantId: string; id: string; name: string; query: string; createdBy: string },
  ): Promise<SavedSearch> {
    const rows = await sql.query<SavedSearchRow>(
      `INSERT INTO saved_searches (tenant_id, id, name, query, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [s.tenantId, s.id, s.name, s.query, s.createdBy],
    );
    return toSavedSearch(rows[0]!);
  },

  async count(sql: Sql, tenantId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM saved_searches WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.n ?? 0;
  },

  /** Newest first. */
  async list(sql: Sql, tenantId: string, limit: number): Promise<SavedSearch[]> {
    const rows = await sql.query<SavedSearchRow>(
      `SELECT ${COLUMNS} FROM saved_searches WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map(toSavedSearch);
  },

  async get(
    sql: Sql,
    tenantId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<SavedSearch | null> {
    const rows = await sql.query<SavedSearchRow>(
      `SELECT ${COLUMNS} FROM saved_searches WHERE tenant_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toSavedSearch(rows[0]) : null;
  },

  async remove(sql: Sql, tenantId: string, id: string): Promise<boolean> {
    const rows = await sql.query('DELETE FROM saved_searches WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tenantId,
      id,
    ]);
    return rows.length > 0;
  },
};

export type SavedSearchesRepository = typeof savedSearchesRepository;
