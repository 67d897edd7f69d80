import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../domain/errors.js';
import { effectivePermissions, type Permission, type Role } from '../domain/permissions.js';
import { apiKeysRepository } from '../store/api-keys-repository.js';
import type { Database } from '../store/db.js';
import { tenantsRepository } from '../store/tenants-repository.js';

/** Every generated key starts with this, so secret scanners and people can recognize a leaked one. */
export const KEY_PREFIX = 'mdk_';
const DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length + 8;

export interface Principal {
  tenantId: string;
  keyId: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
}

export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

/** Recording last use on every request would write on every read; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

export class ApiKeyService {
  constructor(private readonly db: Database) {}

  /** Creates a key and returns its secret: the only time the secret exists outside the caller. */
  async create(args: {
    tenantId: string;
    name: string;
    role: Role;
    permissions?: Permission[];
    secret?: string;
  }): Promise<{ id: string; secret: string; prefix: string; permissions: Permission[] }> {
    const secret = args.secret ?? KEY_PREFIX + randomBytes(24).toString('base64url');
    const id = randomUUID();
    const permissions = effectivePermissions(args.role, args.permissions);
    const prefix = secret.slice(0, DISPLAY_PREFIX_LENGTH);
    await this.db.transaction(async (tx) => {
      await tenantsRepository.ensure(tx, args.tenantId);
      await apiKeysRepository.insert(tx, {
        id,
        tenantId: args.tenantId,
        name: args.name,
        prefix,
        keyHash: hashSecret(secret),
        role: args.role,
        permissions,
      });
    });
    return { id, secret, prefix, permissions };
  }

  /** Makes sure an ADMIN key with exactly this secret exists for the tenant. */
  async ensureBootstrapKey(tenantId: string, secret: string): Promise<void> {
    const existing = await apiKeysRepository.findActiveByHash(this.db, hashSecret(secret));
    if (existing) return;
    await this.create({ tenantId, name: 'bootstrap', role: 'ADMIN', secret });
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new UnauthorizedError('missing bearer API key');
    const hash = hashSecret(match[1]);
    const key = await apiKeysRepository.findActiveByHash(this.db, hash);
    // The lookup is by hash, so timing reveals nothing about the secret; compare again in constant time anyway.
    if (!key || !timingSafeEqual(Buffer.from(key.keyHash, 'hex'), Buffer.from(hash, 'hex'))) {
      throw new UnauthorizedError('unknown or revoked API key');
    }
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await apiKeysRepository.touch(this.db, key.tenantId, key.id);
    }
    return {
      tenantId: key.tenantId,
      keyId: key.id,
      role: key.role,
      permissions: new Set(effectivePermissions(key.role, key.permissions)),
    };
  }
}
