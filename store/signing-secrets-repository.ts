import type { Sql } from './db.js';

/**
 * The signing secrets of webhooks and partner pushes (docs/webhooks.md, "Where the secret is kept"):
 * the rotation both tables share, and the start-up pass that seals what is not sealed under the
 * current key. Values here are as stored; sealing and opening are `SecretBox`'s. `table` is one of
 * two names fixed here (`SecretTable`), never input.
 */

/** The earlier secret of a row (aliased `alias`) while its grace period lasts, else null. */
export const previousWhileValid = (alias: string) =>
  `CASE WHEN ${alias}.previous_secret_expires_at > now() THEN ${alias}.previous_secret END`;

export type SecretTable = 'webhooks' | 'controllers';

export interface StoredSecrets {
  tenantId: string;
  id: string;
  secret: string;
  previousSecret: string | null;
}

export const signingSecretsRepository = {
  /**
   * Rows of `table` holding a secret not sealed under the key whose values start with `sealedPrefix`,
   * in key order after `after`.
   */
  async notSealedWith(
    sql: Sql,
    table: SecretTable,
    sealedPrefix: string,
    after: { tenantId: string; id: string } | null,
    limit: number,
  ): Promise<StoredSecrets[]> {
    const rows = await sql.query<{
      tenant_id: string;
      id: string;
      secret: string;
      previous_secret: string | null;
    }>(
      `SELECT tenant_id, id, secret, previous_secret FROM ${table}
       WHERE ((secret IS NOT NULL AND NOT starts_with(secret, $1))
          OR (previous_secret IS NOT NULL AND NOT starts_with(previous_secret, $1)))
         AND ($3::text IS NULL OR (tenant_id, id::text) > ($3, $4))
       ORDER BY tenant_id, id::text LIMIT $2`,
      [sealedPrefix, limit, after?.tenantId ?? null, after?.id ?? null],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      id: r.id,
      secret: r.secret,
      previousSecret: r.previous_secret,
    }));
  },

  /**
   * A new (sealed) secret in place of the row's, which keeps signing beside it for `graceSeconds`
   * (0: it stops at once). Only one earlier secret is kept: a second rotation within the grace
   * period ends the first one's. Null when the tenant has no such row holding a secret (a
   * controller of a kind that signs nothing holds none).
   */
  async rotate(
    sql: Sql,
    table: SecretTable,
    tenantId: string,
    id: string,
    sealed: string,
    graceSeconds: number,
  ): Promise<{ previousSecretExpiresAt: Date | null } | null> {
    const rows = await sql.query<{ previous_secret_expires_at: Date | string | null }>(
      `UPDATE ${table} SET secret = $3,
         previous_secret = CASE WHEN $4::int > 0 THEN secret END,
         previous_secret_expires_at =
           CASE WHEN $4::int > 0 THEN now() + make_interval(secs => $4::int) END,
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND secret IS NOT NULL
       RETURNING previous_secret_expires_at`,
      [tenantId, id, sealed, graceSeconds],
    );
    const r = rows[0];
    if (!r) return null;
    const expires = r.previous_secret_expires_at;
    return { previousSecretExpiresAt: expires === null ? null : new Date(expires) };
  },

  /**
   * Stores `next` in place of `was`, if the row still holds `was` (another process may have sealed
   * it, or a rotation replaced it, meanwhile): whether it did.
   */
  async replace(sql: Sql, table: SecretTable, was: StoredSecrets, next: StoredSecrets): Promise<boolean> {
    const rows = await sql.query(
      `UPDATE ${table} SET secret = $5, previous_secret = $6
       WHERE tenant_id = $1 AND id = $2 AND secret = $3 AND previous_secret IS NOT DISTINCT FROM $4
       RETURNING id`,
      [was.tenantId, was.id, was.secret, was.previousSecret, next.secret, next.previousSecret],
    );
    return rows.length > 0;
  },
};

export type SigningSecretsRepository = typeof signingSecretsRepository;
