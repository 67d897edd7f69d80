import type { Permission, Role } from '../domain/permissions.js';
import type { Sql } from './db.js';

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  keyHash: string;
  role: Role;
  permissions: Permission[];
  status: 'ACTIVE' | 'REVOKED';
  lastUsedAt: Date | null;
  /** Browser Origins the key is accepted from; empty: any (domain/key-restrictions.ts). */
  allowedOrigins: string[];
  /** Client address ranges (CIDR) the key is accepted from; empty: any. */
  allowedIpRanges: string[];
}

/** A key as its tenant may see it: everything but the hash. */
export type ApiKeyListing = Omit<ApiKeyRecord, 'keyHash'> & { createdAt: Date; revokedAt: Date | null };

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: Role;
  permissions: Permission[];
  status: 'ACTIVE' | 'REVOKED';
  last_used_at: Date | null;
  allowed_origins: string[];
  allowed_ip_ranges: string[];
}

const toRecord = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  prefix: r.prefix,
  keyHash: r.key_hash,
  role: r.role,
  permissions: r.permissions,
  status: r.status,
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
  allowedOrigins: r.allowed_origins,
  allowedIpRanges: r.allowed_ip_ranges,
});

const COLUMNS = `id, tenant_id, name, prefix, key_hash, role, permissions, status, last_used_at,
  allowed_origins, allowed_ip_ranges`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const apiKeysRepository = {
  async insert(
    sql: Sql,
    key: Omit<ApiKeyRecord, 'status' | 'lastUsedAt' | 'allowedOrigins' | 'allowedIpRanges'> &
      Partial<Pick<ApiKeyRecord, 'allowedOrigins' | 'allowedIpRanges'>>,
  ): Promise<void> {
    await sql.query(
      `INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash, role, permissions, allowed_origins,
         allowed_ip_ranges)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8::text[], $9::text[])`,
      [
        key.tenantId,
        key.id,
        key.name,
        key.prefix,
        key.keyHash,
        key.role,
        key.permissions,
        key.allowedOrigins ?? [],
        key.allowedIpRanges ?? [],
      ],
    );
  },

  /** Looks a key up by its hash: the only lookup that works across tenants, since the key names its tenant. */
  async findActiveByHash(sql: Sql, keyHash: string): Promise<ApiKeyRecord | null> {
    const rows = await sql.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 AND status = 'ACTIVE'`,
      [keyHash],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** The tenant's keys, newest first; never their hashes. */
  async list(sql: Sql, tenantId: string, limit: number): Promise<ApiKeyListing[]> {
    const rows = await sql.query<ApiKeyRow & { created_at: Date; revoked_at: Date | null }>(
      `SELECT ${COLUMNS}, created_at, revoked_at
       FROM api_keys WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map((r) => {
      const { keyHash: _hash, ...rest } = toRecord(r);
      return {
        ...rest,
        createdAt: new Date(r.created_at),
        revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
      };
    });
  },

  /**
   * Holds the tenant's key lock until the transaction ends: creations and revocations that check
   * a count (the cap, the last ADMIN key) take it first, so two of them never count the same keys.
   */
  async lockTenant(tx: Sql, tenantId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`api_keys:${tenantId}`]);
  },

  /** The names of the tenant's keys among these ids, revoked ones too (history names who acted). */
  async namesOf(sql: Sql, tenantId: string, ids: string[]): Promise<Map<string, string>> {
    const uuids = ids.filter((id) => UUID.test(id));
    if (uuids.length === 0) return new Map();
    const rows = await sql.query<{ id: string; name: string }>(
      `SELECT id, name FROM api_keys WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [tenantId, uuids],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  },

  async findActive(sql: Sql, tenantId: string, id: string): Promise<ApiKeyRecord | null> {
    const rows = await sql.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE tenant_id = $1 AND id = $2 AND status = 'ACTIVE'`,
      [tenantId, id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** Active keys of a role holding at least these permissions. */
  async countActiveHolding(sql: Sql, tenantId: string, role: Role, permissions: readonly Permission[]) {
    const [row] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_keys
       WHERE tenant_id = $1 AND status = 'ACTIVE' AND role = $2 AND permissions @> $3::text[]`,
      [tenantId, role, permissions],
    );
    return row?.n ?? 0;
  },

  async countActive(sql: Sql, tenantId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = $1 AND status = 'ACTIVE'`,
      [tenantId],
    );
    return row?.n ?? 0;
  },

  /** Revokes an active key; false when the tenant has no such active key. */
  async revoke(sql: Sql, tenantId: string, id: string): Promise<boolean> {
    const rows = await sql.query(
      `UPDATE api_keys SET status = 'REVOKED', revoked_at = now()
       WHERE tenant_id = $1 AND id = $2 AND status = 'ACTIVE' RETURNING id`,
      [tenantId, id],
    );
    return rows.length > 0;
  },

  async touch(sql: Sql, tenantId: string, id: string): Promise<void> {
    await sql.query('UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
  },
};

export type ApiKeysRepository = typeof apiKeysRepository;
