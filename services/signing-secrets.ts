import type { SecretBox, SecretOwner } from '../domain/secret-box.js';
import { newWebhookSecret } from '../domain/webhook-signature.js';
import type { Database, Sql } from '../store/database.js';
import type {
  SecretTable,
  SigningSecretsRepository,
  StoredSecrets,
} from '../store/signing-secrets-repository.js';

const TABLE_OF: Record<SecretOwner['kind'], SecretTable> = {
  webhook: 'webhooks',
  controller: 'controllers',
};
const OWNER_KIND = Object.fromEntries(
  Object.entries(TABLE_OF).map(([kind, table]) => [table, kind]),
) as Record<SecretTable, SecretOwner['kind']>;
const SECRET_TABLES = Object.values(TABLE_OF);

const PAGE = 500;

/** What a row keeps of its secrets, as stored (sealed). */
export interface SealedSecrets {
  secret: string;
  /** The secret a rotation replaced, while its grace period lasts; else null. */
  previousSecret: string | null;
}

/**
 * The signing secrets of webhooks and partner pushes, for both: issued and sealed for their row,
 * rotated with a grace period, and opened to sign with. The services of each only say whose.
 */
export class SigningSecrets {
  constructor(
    private readonly deps: {
      box: Pick<SecretBox, 'seal' | 'open'>;
      repository: Pick<SigningSecretsRepository, 'rotate'>;
      /**
       * A rotation's earlier secret that does not open (damaged, or sealed under a key no longer
       * configured): signing goes on with the current one alone, and this is told (log, metric).
       */
      onPreviousUnreadable?: (owner: SecretOwner, err: unknown) => void;
    },
  ) {}

  /** A new secret for `owner`: as answered (once) and as stored. */
  issue(owner: SecretOwner): { secret: string; sealed: string } {
    const secret = newWebhookSecret();
    return { secret, sealed: this.deps.box.seal(secret, owner) };
  }

  /**
   * A new secret in place of the owner's; the old one keeps signing beside it for `graceSeconds`
   * (0: it stops at once). Null when the tenant has no such row holding a secret. Runs in the
   * caller's transaction, which audits it.
   */
  async rotate(
    tx: Sql,
    owner: SecretOwner,
    graceSeconds: number,
  ): Promise<{ secret: string; previousSecretExpiresAt: Date | null } | null> {
    const { secret, sealed } = this.issue(owner);
    const rotated = await this.deps.repository.rotate(
      tx,
      TABLE_OF[owner.kind],
      owner.tenantId,
      owner.id,
      sealed,
      graceSeconds,
    );
    return rotated && { secret, ...rotated };
  }

  /**
   * The secrets to sign with, the current one first and, during a rotation's grace period, the one
   * it replaced. The current one must open (else this throws, and the delivery fails as it should:
   * a receiver would refuse it); an earlier one that does not is left out and reported, since the
   * receiver holds the current one by then or soon will, and one signature is enough.
   */
  toSignWith(owner: SecretOwner, stored: SealedSecrets): string[] {
    const { box, onPreviousUnreadable } = this.deps;
    const current = box.open(stored.secret, owner);
    if (stored.previousSecret === null) return [current];
    try {
      return [current, box.open(stored.previousSecret, owner)];
    } catch (err) {
      onPreviousUnreadable?.(owner, err);
      return [current];
    }
  }
}

/**
 * Seals every signing secret (webhooks, partner pushes) not sealed under the current SECRETS_KEY in
 * the current format, for its row: those stored in plain text before sealing existed (migration
 * 0064), those of the first format (bound to no row), and those sealed under a key now in
 * SECRETS_KEY_PREVIOUS. A value sealed twice (a process of a release before v2 sealed a v2 value
 * again as v1, taking it for plain text, during a rolling upgrade) starts `enc:v1:`, so it is among
 * them: opened through both layers, it is stored sealed once, as v2 for its row. Idempotent. Run at start, by every process, and by `npm run secrets:seal`:
 * a row another process sealed meanwhile is left as it is. A value no configured key opens is
 * counted in `unreadable` and left alone (its deliveries fail until the key that sealed it is
 * configured); the service still starts.
 */
export async function sealSigningSecrets(deps: {
  db: Database;
  repository: Pick<SigningSecretsRepository, 'notSealedWith' | 'replace'>;
  box: Pick<SecretBox, 'seal' | 'open' | 'sealedPrefix'>;
}): Promise<{ sealed: number; unreadable: number }> {
  const { db, repository, box } = deps;
  let sealed = 0;
  let unreadable = 0;
  for (const table of SECRET_TABLES) {
    let after: StoredSecrets | null = null;
    for (;;) {
      const rows = await repository.notSealedWith(db, table, box.sealedPrefix, after, PAGE);
      for (const row of rows) {
        const owner = { tenantId: row.tenantId, kind: OWNER_KIND[table], id: row.id };
        const reseal = (v: string) =>
          v.startsWith(box.sealedPrefix) ? v : box.seal(box.open(v, owner, { acceptPlain: true }), owner);
        let next: StoredSecrets;
        try {
          next = {
            ...row,
            secret: reseal(row.secret),
            previousSecret: row.previousSecret === null ? null : reseal(row.previousSecret),
          };
        } catch {
          unreadable++;
          continue;
        }
        if (await repository.replace(db, table, row, next)) sealed++;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!;
    }
  }
  return { sealed, unreadable };
}
