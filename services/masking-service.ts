import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { NotFoundError, UnavailableError } from '../domain/errors.js';
import {
  isToken,
  maskedValuesOf,
  maskFields,
  type MaskableFields,
  type MaskRule,
} from '../domain/masking.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { MaskingRepository, SealedToken } from '../store/masking-repository.js';
import type { Actor } from './ingest-service.js';
import { apiAction } from './api-action.js';

/** What the writers of assets need: the fields as they may be stored. */
export interface Masker {
  /** The items with every configured value replaced by its token; new tokens are stored in `tx`. */
  mask<T extends MaskableFields>(tx: Sql, tenantId: string, items: T[]): Promise<T[]>;
}

/** Nothing configured: every value is stored as given. */
export const noMasking: Masker = { mask: (_tx, _tenantId, items) => Promise.resolve(items) };

export interface ResolvedToken {
  token: string;
  value: string;
  createdAt: Date;
}

const derive = (key: string, info: string, length: number) =>
  Buffer.from(hkdfSync('sha256', key, '', `mdisc masking ${info}`, length));

/**
 * Masked metadata. A token is `tok_` and the first 128 bits of HMAC-SHA256(tenant, value) under a
 * key derived from MASK_KEY: equal values of one tenant get equal tokens (so grouping and joining on
 * them still works), and the same value gets unrelated tokens in two tenants. The value itself is
 * kept sealed with AES-256-GCM under a second derived key, bound to its tenant and token, for an
 * ADMIN to resolve.
 */
export class MaskingService implements Masker {
  private readonly keys: { token: Buffer; seal: Buffer; id: string } | null;

  constructor(
    private readonly deps: {
      db: Database;
      tokens: MaskingRepository;
      actions: Pick<ActionsRepository, 'insertMany'>;
    },
    private readonly options: { rules: readonly MaskRule[]; key: string | undefined },
  ) {
    const key = options.key;
    this.keys = key
      ? {
          token: derive(key, 'token', 32),
          seal: derive(key, 'seal', 32),
          id: derive(key, 'key id', 8).toString('hex'),
        }
      : null;
  }

  tokenOf(tenantId: string, value: string): string {
    if (!this.keys) throw new UnavailableError('MASK_KEY is not configured');
    const mac = createHmac('sha256', this.keys.token).update(`${tenantId}\u0000${value}`).digest('hex');
    return `tok_${mac.slice(0, 32)}`;
  }

  async mask<T extends MaskableFields>(tx: Sql, tenantId: string, items: T[]): Promise<T[]> {
    const { rules } = this.options;
    if (rules.length === 0 || items.length === 0) return items;
    // Values that look like tokens stay only if they are this tenant's: an edit sending back what it
    // read keeps its tokens, and a made-up one is masked like any other value.
    const lookalikes = [...new Set(items.flatMap((i) => maskedValuesOf(i, rules)).filter(isToken))];
    const known = await this.deps.tokens.known(tx, tenantId, lookalikes);
    const created = new Map<string, string>();
    const masked = items.map((item) =>
      maskFields(
        item,
        rules,
        (value) => {
          const token = this.tokenOf(tenantId, value);
          created.set(token, value);
          return token;
        },
        (value) => known.has(value),
      ),
    );
    await this.deps.tokens.insertMany(
      tx,
      tenantId,
      [...created].map(([token, value]) => this.seal(tenantId, token, value)),
    );
    return masked;
  }

  /** The value behind a token of the tenant. Every attempt is audited, found or not; the value never is. */
  async resolve(who: Actor, token: string): Promise<ResolvedToken> {
    const startedAt = new Date();
    const stored = isToken(token) ? await this.deps.tokens.find(this.deps.db, who.tenantId, token) : null;
    let outcome: ResolvedToken | Error;
    if (!stored) outcome = new NotFoundError(`token ${token} not found`);
    else if (!this.keys)
      outcome = new UnavailableError('MASK_KEY is not configured: tokens cannot be resolved');
    else if (stored.keyId !== this.keys.id) {
      outcome = new UnavailableError('the token was sealed under another MASK_KEY than the one configured');
    } else {
      try {
        outcome = { token, value: this.unseal(who.tenantId, stored), createdAt: stored.createdAt };
      } catch {
        // A sealed value that fails authentication was altered in the database.
        outcome = new Error(`the sealed value of token ${token} does not authenticate`);
      }
    }
    await this.deps.actions.insertMany(this.deps.db, who.tenantId, [
      apiAction(
        who.actor,
        'MASK_TOKEN_RESOLVE',
        { token, found: stored !== null },
        { startedAt, status: outcome instanceof Error ? 'FAILED' : 'SUCCEEDED' },
      ),
    ]);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  private seal(tenantId: string, token: string, value: string): SealedToken {
    const keys = this.keys!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keys.seal, iv);
    cipher.setAAD(Buffer.from(`${tenantId}\u0000${token}`));
    const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url'));
    return { token, sealedValue: parts.join('.'), keyId: keys.id };
  }

  private unseal(tenantId: string, stored: SealedToken): string {
    const [iv, tag, sealed] = stored.sealedValue.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.keys!.seal, iv!);
    decipher.setAAD(Buffer.from(`${tenantId}\u0000${stored.token}`));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(sealed!), decipher.final()]).toString('utf8');
  }
}
