import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Signing secrets at rest (webhooks, partner pushes: docs/webhooks.md, "Where the secret is kept").
 * HMAC needs the secret itself, so it cannot be hashed like an API key; it is sealed with
 * AES-256-GCM under a key held outside the database (`SECRETS_KEY`), so a dump of the database does
 * not reveal it. A sealed value reads `enc:v2:<key id>:<iv>:<tag>:<ciphertext>` (base64url): the key
 * id (8 hex digits of the key's SHA-256) says which key sealed it, so a value sealed under an earlier
 * key is opened with that key (`SECRETS_KEY_PREVIOUS`) and sealed again under the current one.
 *
 * A v2 value is bound to its owner: the tenant, the kind of row (webhook, controller) and the row's
 * id are GCM's associated data, so a value copied into another row (another tenant's webhook, a
 * controller) does not open there. Values of the first format (`enc:v1:`, no associated data) still
 * open, for any owner; the start-up pass (`services/signing-secrets.ts`) seals each again as v2 for
 * its row, so none is left after the first start with this code.
 *
 * A value can be sealed twice: a process of a release before v2 (rolling upgrade) takes any value not
 * starting with `enc:v1:` for plain text, and its start-up pass seals an `enc:v2:` value again as
 * v1. Opening one whose secret is itself a sealed value opens that too (`MAX_LAYERS` in all), so
 * the secret signed with is the real one; the sealing pass then stores it sealed once, as v2.
 *
 * A value without a prefix is a secret stored in plain text before sealing existed (before
 * migration 0064). Only the sealing pass reads one (`acceptPlain`); signing refuses it, so a plain
 * value written into the database cannot make the service sign with a secret of the writer's choice.
 */
/** The current format: bound to its owner. */
const PREFIX = 'enc:v2:';
/** The first format (migration 0064): no associated data. Opened, never written. */
const PREFIX_V1 = 'enc:v1:';
const KEY_BYTES = 32;
/** GCM's full tag: shorter ones are refused when opening. */
const TAG_BYTES = 16;
const IV_BYTES = 12;
/** Sealed values inside one another that open: two layers are what a rolling upgrade writes. */
const MAX_LAYERS = 3;

const isSealed = (value: string) => value.startsWith(PREFIX) || value.startsWith(PREFIX_V1);

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/**
 * A key as configured: 32 bytes, written as 64 hex digits or as base64 (44 characters). Throws on
 * anything else: a shorter passphrase would be a weaker key than AES-256 promises.
 */
export function parseSecretsKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (
    key.length !== KEY_BYTES ||
    (!/^[0-9a-fA-F]{64}$/.test(trimmed) && key.toString('base64') !== trimmed)
  ) {
    throw new SecretBoxError('a secrets key is 32 bytes: 64 hex digits or 44 characters of base64');
  }
  return key;
}

/**
 * The key used when `SECRETS_KEY` is unset outside production: public (it is in this file), so it
 * hides nothing from anyone who reads this code; it keeps one code path (every value sealed) on a
 * developer's machine and in tests. Production refuses to start without a key of its own.
 */
export const DEVELOPMENT_SECRETS_KEY = createHash('sha256')
  .update('media-discovery development secrets key; not secret')
  .digest();

/**
 * Keys anyone can read: the development key, and the all-zero key docker-compose.yml passed by default
 * until it required one. Production refuses them as SECRETS_KEY (runtime/config.ts); as
 * SECRETS_KEY_PREVIOUS they still open what they sealed, to seal it again under a key of one's own.
 */
export const PUBLIC_SECRETS_KEYS: readonly Buffer[] = [DEVELOPMENT_SECRETS_KEY, Buffer.alloc(KEY_BYTES)];

/** The row a secret belongs to: what a sealed value is bound to. */
export interface SecretOwner {
  tenantId: string;
  kind: 'webhook' | 'controller';
  id: string;
}

/**
 * GCM's associated data for `owner`: a JSON array, so no choice of ids can make two owners' equal.
 * The id is a UUID, which Postgres reads in either case and answers in lower case: lower case here.
 */
const associatedData = (o: SecretOwner) =>
  Buffer.from(JSON.stringify(['signing-secret', o.tenantId, o.kind, o.id.toLowerCase()]), 'utf8');

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly byId = new Map<string, Buffer>();

  /** `key` seals; it and `previous` open. */
  constructor(key: Buffer, previous: readonly Buffer[] = []) {
    for (const k of [key, ...previous]) {
      if (k.length !== KEY_BYTES) throw new SecretBoxError('a secrets key is 32 bytes');
      if (!this.byId.has(keyId(k))) this.byId.set(keyId(k), k);
    }
    this.current = { id: keyId(key), key };
  }

  /** `plain` sealed for `owner`: it opens for that owner only. */
  seal(plain: string, owner: SecretOwner): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(associatedData(owner));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
    return `${PREFIX}${this.current.id}:${parts.join(':')}`;
  }

  /**
   * The secret of a value sealed for `owner` (or of the first format, bound to no owner). A value in
   * plain text is refused unless `acceptPlain` (the sealing pass only).
   */
  open(stored: string, owner: SecretOwner, options: { acceptPlain?: boolean } = {}): string {
    let value = this.openLayer(stored, owner, options);
    // Sealed twice (a release before v2 took a v2 value for plain text): open the inner value too.
    for (let layer = 1; isSealed(value); layer++) {
      if (layer >= MAX_LAYERS) {
        throw new SecretBoxError(
          `the signing secret of ${owner.kind} ${owner.id} is sealed more than ${MAX_LAYERS} times`,
        );
      }
      value = this.openLayer(value, owner);
    }
    return value;
  }

  /** One layer of `stored` opened. */
  private openLayer(stored: string, owner: SecretOwner, options: { acceptPlain?: boolean } = {}): string {
    const version = stored.startsWith(PREFIX) ? 2 : stored.startsWith(PREFIX_V1) ? 1 : 0;
    if (version === 0) {
      if (options.acceptPlain) return stored;
      throw new SecretBoxError(
        `the signing secret of ${owner.kind} ${owner.id} is stored unsealed: run \`npm run secrets:seal\` (or restart) to seal it`,
      );
    }
    const prefix = version === 2 ? PREFIX : PREFIX_V1;
    const [id, iv, tag, ciphertext] = stored.slice(prefix.length).split(':');
    const key = id ? this.byId.get(id) : undefined;
    if (!key || !iv || !tag || ciphertext === undefined) {
      // Never the value itself in the message: it is logged.
      throw new SecretBoxError(
        `a signing secret is sealed under key ${id ?? '?'}, which is neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS`,
      );
    }
    const [ivBytes, tagBytes] = [Buffer.from(iv, 'base64url'), Buffer.from(tag, 'base64url')];
    try {
      // A full-length tag only: GCM would accept one cut to 4 bytes, which a forger could guess.
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new Error('short');
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
      if (version === 2) decipher.setAAD(associatedData(owner));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        `a signing secret sealed under key ${id} does not open for ${owner.kind} ${owner.id}: altered, damaged or copied from another row`,
      );
    }
  }

  /**
   * How every value sealed under the current key in the current format starts: others (plain, v1,
   * another key) are sealed again at start.
   */
  get sealedPrefix(): string {
    return `${PREFIX}${this.current.id}:`;
  }
}
