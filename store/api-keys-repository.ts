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
}

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
});

export const apiKeysRepository = {
  async insert(sql: Sql, key: Omit<ApiKeyRecord, 'status' | 'lastUsedAt'>): Promise<void> {
    await sql.query(
      `INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash, role, permissions)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[])`,
      [key.tenantId, key.id, key.name, key.prefix, key.keyHash, key.role, key.permissions],
    );
  },

  /** Looks a key up by its hash: the only lookup that works across tenants, since the key names its tenant. */
  async findActiveByHash(sql: Sql, keyHash: string): Promise<ApiKeyRecord | null> {
    const rows = await sql.query<ApiKeyRow>(
      `SELECT id, tenant_id, name, prefix, key_hash, role, permissions, status, last_used_at
       FROM api_keys WHERE key_hash = $1 AND status = 'ACTIVE'`,
      [keyHash],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  async touch(sql: Sql, tenantId: string, id: string): Promise<void> {
    await sql.query('UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
  },
};
