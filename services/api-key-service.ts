import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from '../domain/errors.js';
import {
  effectivePermissions,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  type Permission,
  type Role,
} from '../domain/permissions.js';
import { addressAllowed, originAllowed, type KeyRestrictions } from '../domain/key-restrictions.js';
import type { ActionRecord, ActionsRepository } from '../store/actions-repository.js';
import type { ApiKeyListing, ApiKeysRepository } from '../store/api-keys-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { TenantsRepository } from '../store/tenants-repository.js';
import { apiAction } from './api-action.js';

/** Every generated key starts with this, so secret scanners and people can recognize a leaked one. */
export const KEY_PREFIX = 'mdk_';
const DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length + 8;

export interface Principal {
  tenantId: string;
  keyId: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** Where the key may be used from (admitClient checks them); absent: anywhere. */
  restrictions?: KeyRestrictions;
  /** A bearer token's principal (services/token-verifier.ts) rather than a key's. */
  token?: { issuer: string; subject: string | null };
}

/** GET /v1/me: who the calling key is and what it may do. */
export interface CurrentKey {
  tenantId: string;
  keyId: string;
  name: string;
  prefix: string;
  role: Role;
  permissions: Permission[];
}

export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

/** Active keys per tenant: plenty for every integration, few enough to list in one page. */
export const MAX_ACTIVE_KEYS = 200;

/** Recording last use on every request would write on every read; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

export class ApiKeyService {
  private readonly db: Database;

  constructor(
    private readonly deps: {
      db: Database;
      apiKeys: ApiKeysRepository;
      tenants: Pick<TenantsRepository, 'ensure'>;
      actions: Pick<ActionsRepository, 'insertMany' | 'recordRepeated'>;
      /** Runs `fn` bound to the tenant by row-level security (store/tenant-isolation.ts). */
      tenantScope: <T>(tenantId: string, fn: () => T) => T;
    },
  ) {
    this.db = deps.db;
  }

  /** Creates a key and returns its secret: the only time the secret exists outside the caller. */
  async create(args: {
    tenantId: string;
    name: string;
    role: Role;
    permissions?: Permission[];
    secret?: string;
    restrictions?: KeyRestrictions;
  }): Promise<{ id: string; secret: string; prefix: string; permissions: Permission[] }> {
    return this.db.transaction((tx) => this.insertKey(tx, args));
  }

  /**
   * A key made through the API by another key. It can never exceed its maker: its role's
   * permissions, narrowed to the scopes asked for, must all be the maker's. Audited.
   */
  async issue(
    maker: Principal,
    args: {
      name: string;
      role?: Role | undefined;
      scopes?: Permission[] | undefined;
      allowedOrigins?: string[] | undefined;
      allowedIpRanges?: string[] | undefined;
    },
  ): Promise<{ key: ApiKeyListing; secret: string }> {
    const restrictions = {
      allowedOrigins: args.allowedOrigins ?? [],
      allowedIpRanges: args.allowedIpRanges ?? [],
    };
    // Nor may it be usable from more places than its maker: a key limited to origins or ranges makes
    // keys limited to some of them.
    for (const [field, mine] of [
      ['allowedOrigins', maker.restrictions?.allowedOrigins ?? []],
      ['allowedIpRanges', maker.restrictions?.allowedIpRanges ?? []],
    ] as const) {
      const theirs = restrictions[field];
      if (mine.length > 0 && (theirs.length === 0 || theirs.some((v) => !mine.includes(v)))) {
        throw new ForbiddenError(
          `a key cannot be usable from more places than its maker: ${field} must be some of ${mine.join(', ')}`,
        );
      }
    }
    const role = args.role ?? maker.role;
    const wanted = effectivePermissions(role, args.scopes);
    const beyond = [...(args.scopes ?? []), ...wanted].filter((p) => !maker.permissions.has(p));
    if (beyond.length > 0) {
      throw new ForbiddenError(
        `a key cannot grant more than its maker holds: ${[...new Set(beyond)].join(', ')}`,
      );
    }
    const createdAt = new Date();
    const made = await this.db.transaction(async (tx) => {
      // Counted under the tenant's key lock, in the insert's transaction: parallel creations queue
      // here, so the cap holds.
      await this.deps.apiKeys.lockTenant(tx, maker.tenantId);
      if ((await this.deps.apiKeys.countActive(tx, maker.tenantId)) >= MAX_ACTIVE_KEYS) {
        throw new ConflictError(`a tenant holds at most ${MAX_ACTIVE_KEYS} active keys; revoke one first`);
      }
      const key = await this.insertKey(tx, {
        tenantId: maker.tenantId,
        name: args.name,
        role,
        permissions: args.scopes,
        restrictions,
      });
      await this.audit(tx, maker, 'KEY_CREATE', {
        keyId: key.id,
        name: args.name,
        role,
        permissions: key.permissions,
        ...restrictions,
      });
      return key;
    });
    const { secret, ...key } = made;
    return {
      key: {
        ...key,
        tenantId: maker.tenantId,
        name: args.name,
        role,
        status: 'ACTIVE',
        lastUsedAt: null,
        ...restrictions,
        createdAt,
        revokedAt: null,
      },
      secret,
    };
  }

  /**
   * The calling key as the caller may see it: name, prefix, role, and its effective permissions
   * (those it was authenticated with). The UI asks this instead of guessing from 403s.
   */
  async current(principal: Principal): Promise<CurrentKey> {
    const key = await this.deps.apiKeys.findActive(this.db, principal.tenantId, principal.keyId);
    // Revoked between authentication and this read: as if it had been revoked a moment sooner.
    if (!key) throw new UnauthorizedError('unknown or revoked API key');
    return {
      tenantId: principal.tenantId,
      keyId: key.id,
      name: key.name,
      prefix: key.prefix,
      role: principal.role,
      permissions: PERMISSIONS.filter((p) => principal.permissions.has(p)),
    };
  }

  list(tenantId: string): Promise<ApiKeyListing[]> {
    return this.deps.apiKeys.list(this.db, tenantId, MAX_ACTIVE_KEYS * 2);
  }

  /**
   * Revokes a key of the caller's tenant; the next request with it gets 401. Audited. A key never
   * revokes a key holding a permission it lacks, and never the tenant's last full ADMIN key (only the
   * operator's CLI may: `revokeAsOperator`). Checked under the tenant's key lock, so two parallel
   * revocations cannot remove the last two ADMIN keys.
   */
  async revoke(by: Principal, id: string): Promise<void> {
    const { apiKeys } = this.deps;
    await this.db.transaction(async (tx) => {
      await apiKeys.lockTenant(tx, by.tenantId);
      const key = await apiKeys.findActive(tx, by.tenantId, id);
      if (!key) throw new NotFoundError(`no active API key ${id}`);
      const beyond = key.permissions.filter((p) => !by.permissions.has(p));
      if (beyond.length > 0) {
        throw new ForbiddenError(`a key cannot revoke a key holding more than itself: ${beyond.join(', ')}`);
      }
      const fullAdmins = () => apiKeys.countActiveHolding(tx, by.tenantId, 'ADMIN', ROLE_PERMISSIONS.ADMIN);
      if (isFullAdmin(key) && (await fullAdmins()) <= 1) {
        throw new ConflictError(
          'this is the last ADMIN key of the tenant; make another first, or revoke it with the CLI (npm run keys -- revoke)',
        );
      }
      await apiKeys.revoke(tx, by.tenantId, id);
      await this.audit(tx, by, 'KEY_REVOKE', { keyId: id });
    });
  }

  /** Revokes any key, the last ADMIN key included: for the operator's CLI only, never the API. Audited. */
  async revokeAsOperator(tenantId: string, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.deps.apiKeys.lockTenant(tx, tenantId);
      if (!(await this.deps.apiKeys.revoke(tx, tenantId, id)))
        throw new NotFoundError(`no active API key ${id}`);
      await this.deps.actions.insertMany(tx, tenantId, [auditRow('cli', 'KEY_REVOKE', { keyId: id })]);
    });
  }

  /** Makes sure an ADMIN key with exactly this secret exists for the tenant. */
  async ensureBootstrapKey(tenantId: string, secret: string): Promise<void> {
    const existing = await this.deps.apiKeys.findActiveByHash(this.db, hashSecret(secret));
    if (existing) return;
    await this.create({ tenantId, name: 'bootstrap', role: 'ADMIN', secret });
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new UnauthorizedError('missing bearer API key');
    const hash = hashSecret(match[1]);
    const key = await this.deps.apiKeys.findActiveByHash(this.db, hash);
    // The lookup is by hash, so timing reveals nothing about the secret; compare again in constant time anyway.
    if (!key || !timingSafeEqual(Buffer.from(key.keyHash, 'hex'), Buffer.from(hash, 'hex'))) {
      throw new UnauthorizedError('unknown or revoked API key');
    }
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.deps.apiKeys.touch(this.db, key.tenantId, key.id);
    }
    return {
      tenantId: key.tenantId,
      keyId: key.id,
      role: key.role,
      permissions: new Set(effectivePermissions(key.role, key.permissions)),
      restrictions: { allowedOrigins: key.allowedOrigins, allowedIpRanges: key.allowedIpRanges },
    };
  }

  /**
   * Passes when the request comes from where the key may be used: an allowed Origin (a key with
   * origins refuses requests without one, as a browser always sends it) and an address in an
   * allowed range. Otherwise records the denial (ACCESS, DENIED) and throws 403.
   */
  async admitClient(
    principal: Principal,
    client: { origin: string | undefined; ip: string },
    request: { method: string; route: string | undefined },
  ): Promise<void> {
    const r = principal.restrictions;
    if (!r) return;
    const reason = !originAllowed(r, client.origin)
      ? client.origin === undefined
        ? 'this API key is limited to browser origins and the request has no Origin'
        : `this API key is not allowed from the origin ${client.origin}`
      : !addressAllowed(r, client.ip)
        ? `this API key is not allowed from the address ${client.ip}`
        : null;
    if (!reason) return;
    await this.recordDenial(principal, {
      method: request.method,
      route: request.route ?? null,
      origin: client.origin ?? null,
      ip: client.ip,
    });
    throw new ForbiddenError(reason);
  }

  /**
   * Runs `fn`, and everything it starts, in the tenant's scope: every statement is bound to the
   * tenant by row-level security. An authenticated request runs in its key's tenant scope.
   */
  inTenantScope<T>(tenantId: string, fn: () => T): T {
    return this.deps.tenantScope(tenantId, fn);
  }

  /**
   * Passes when the key holds the permission; otherwise records the denial in the audit trail
   * (ACCESS, DENIED) and throws 403. Repeated denials of one key for one route count into one row
   * per minute (`details.count`). No permission named is a denial: closed, not open.
   */
  async authorize(
    principal: Principal,
    needed: Permission | 'authenticated' | undefined,
    request: { method: string; route: string | undefined },
  ): Promise<void> {
    if (needed === 'authenticated') return;
    if (needed && principal.permissions.has(needed)) return;
    await this.recordDenial(principal, {
      method: request.method,
      route: request.route ?? null,
      permission: needed ?? null,
    });
    throw new ForbiddenError(`this API key lacks the ${needed ?? 'required'} permission`);
  }

  private async recordDenial(principal: Principal, details: Record<string, unknown>): Promise<void> {
    await this.db.transaction((tx) =>
      this.deps.actions.recordRepeated(
        tx,
        principal.tenantId,
        apiAction(`key:${principal.keyId}`, 'ACCESS', details, { status: 'DENIED' }),
      ),
    );
  }

  private async insertKey(
    tx: Sql,
    args: {
      tenantId: string;
      name: string;
      role: Role;
      permissions?: Permission[] | undefined;
      secret?: string;
      restrictions?: KeyRestrictions;
    },
  ): Promise<{ id: string; secret: string; prefix: string; permissions: Permission[] }> {
    const secret = args.secret ?? KEY_PREFIX + randomBytes(24).toString('base64url');
    const id = randomUUID();
    const permissions = effectivePermissions(args.role, args.permissions);
    const prefix = secret.slice(0, DISPLAY_PREFIX_LENGTH);
    await this.deps.tenants.ensure(tx, args.tenantId);
    await this.deps.apiKeys.insert(tx, {
      id,
      tenantId: args.tenantId,
      name: args.name,
      prefix,
      keyHash: hashSecret(secret),
      role: args.role,
      permissions,
      allowedOrigins: [...(args.restrictions?.allowedOrigins ?? [])],
      allowedIpRanges: [...(args.restrictions?.allowedIpRanges ?? [])],
    });
    return { id, secret, prefix, permissions };
  }

  private async audit(
    tx: Sql,
    by: Principal,
    actionType: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.actions.insertMany(tx, by.tenantId, [auditRow(`key:${by.keyId}`, actionType, details)]);
  }
}

/** A full ADMIN key: the role unnarrowed, every permission; the one a tenant cannot be left without. */
const isFullAdmin = (key: { role: Role; permissions: readonly Permission[] }) =>
  key.role === 'ADMIN' && ROLE_PERMISSIONS.ADMIN.every((p) => key.permissions.includes(p));

const auditRow = (actor: string, actionType: string, details: Record<string, unknown>): ActionRecord =>
  apiAction(actor, actionType, details, { controller: actor === 'cli' ? 'cli' : 'api' });
