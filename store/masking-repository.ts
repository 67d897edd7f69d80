import type { Sql } from './db.js';

export interface SealedToken {
  token: string;
  sealedValue: string;
  keyId: string;
}

export interface StoredToken extends SealedToken {
  createdAt: Date;
}

/** Tokens of masked values and their sealed values, per tenant. */
export const maskingRepository = {
  /** Stores the tokens the tenant does not have yet; a known token keeps its first sealed value. */
  async insertMany(sql: Sql, tenantId: string, tokens: SealedToken[]): Promise<void> {
    if (tokens.length === 0) return;
    await sql.query(
      `INSERT INTO masking_tokens (tenant_id, token, sealed_value, key_id)
       SELECT $1, x.token, x.sealed_value, x.key_id
       FROM jsonb_to_recordset($2::jsonb) AS x(token text, sealed_value text, key_id text)
       ORDER BY x.token
       ON CONFLICT (tenant_id, token) DO NOTHING`,
      [
        tenantId,
        JSON.stringify(tokens.map((t) => ({ token: t.token, sealed_value: t.sealedValue, key_id: t.keyId }))),
      ],
    );
  },

  /** Which of these tokens the tenant has. */
  async known(sql: Sql, tenantId: string, tokens: string[]): Promise<Set<string>> {
    if (tokens.length === 0) return new Set();
    const rows = await sql.query<{ token: string }>(
      'SELECT token FROM masking_tokens WHERE tenant_id = $1 AND token = ANY($2::text[])',
      [tenantId, tokens],
    );
    return new Set(rows.map((r) => r.token));
  },

  async find(sql: Sql, tenantId: string, token: string): Promise<StoredToken | null> {
    const rows = await sql.query<{ token: string; sealed_value: string; key_id: string; created_at: Date }>(
      'SELECT token, sealed_value, key_id, created_at FROM masking_tokens WHERE tenant_id = $1 AND token = $2',
      [tenantId, token],
    );
    const r = rows[0];
    return r
      ? { token: r.token, sealedValue: r.sealed_value, keyId: r.key_id, createdAt: new Date(r.created_at) }
      : null;
  },
};

export type MaskingRepository = typeof maskingRepository;
