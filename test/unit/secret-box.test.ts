import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEVELOPMENT_SECRETS_KEY,
  parseSecretsKey,
  SecretBox,
  type SecretOwner,
} from '../../domain/secret-box.js';
import { newWebhookSecret, verifyWebhook, webhookHeaders } from '../../domain/webhook-signature.js';
import { loadConfig } from '../../runtime/config.js';
import { sealSigningSecrets, SigningSecrets } from '../../services/signing-secrets.js';
import type { SecretTable, StoredSecrets } from '../../store/signing-secrets-repository.js';
import type { Database } from '../../store/database.js';
import { aSecretSealedV1 } from '../support/factories.js';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);
const OWNER: SecretOwner = { tenantId: 't', kind: 'webhook', id: '00000000-0000-4000-8000-000000000001' };

/** A value as the first format (`enc:v1:`) sealed it: bound to no row. */
const sealV1 = aSecretSealedV1;

describe('SecretBox', () => {
  it('seals a secret so the stored value holds neither it nor its key bytes, and opens it again', () => {
    const box = new SecretBox(KEY_A);
    const secret = newWebhookSecret();
    const sealed = box.seal(secret, OWNER);
    expect(sealed.startsWith(box.sealedPrefix)).toBe(true);
    expect(sealed).not.toContain(secret.slice('whsec_'.length));
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(box.open(sealed, OWNER)).toBe(secret);
    // A fresh IV each time: two seals of one secret differ.
    expect(box.seal(secret, OWNER)).not.toBe(sealed);
  });

  it('refuses a secret stored in plain text, which only the sealing pass reads as it is', () => {
    const box = new SecretBox(KEY_A);
    expect(() => box.open('whsec_plain', OWNER)).toThrow(/stored unsealed/);
    expect(box.open('whsec_plain', OWNER, { acceptPlain: true })).toBe('whsec_plain');
  });

  it('binds a sealed value to its tenant, kind and id: copied to another row, it does not open', () => {
    const box = new SecretBox(KEY_A);
    const sealed = box.seal('whsec_bound', OWNER);
    expect(box.open(sealed, OWNER)).toBe('whsec_bound');
    // The id as Postgres may be given it (upper case) is the same row.
    expect(box.open(sealed, { ...OWNER, id: OWNER.id.toUpperCase() })).toBe('whsec_bound');
    for (const other of [
      { ...OWNER, tenantId: 'u' },
      { ...OWNER, kind: 'controller' as const },
      { ...OWNER, id: '00000000-0000-4000-8000-000000000002' },
    ]) {
      expect(() => box.open(sealed, other)).toThrow(/does not open for/);
    }
  });

  it('still opens values of the first format, sealed before they were bound to a row', () => {
    const box = new SecretBox(KEY_B, [KEY_A]);
    expect(box.open(sealV1(KEY_A, 'whsec_v1'), OWNER)).toBe('whsec_v1');
    expect(box.open(sealV1(KEY_B, 'whsec_v1b'), { ...OWNER, tenantId: 'any' })).toBe('whsec_v1b');
    // Not in the current format: the sealing pass seals it again, bound.
    expect(sealV1(KEY_B, 'x').startsWith(box.sealedPrefix)).toBe(false);
  });

  it('opens a value a release before v2 sealed again (v1 around a v2 value) to the real secret', () => {
    const box = new SecretBox(KEY_A);
    const secret = newWebhookSecret();
    // The old start-up pass took the v2 value for plain text and sealed it as v1.
    const wrapped = sealV1(KEY_A, box.seal(secret, OWNER));
    expect(box.open(wrapped, OWNER)).toBe(secret);
    expect(box.open(sealV1(KEY_A, wrapped), OWNER)).toBe(secret);
    // The inner v2 value is still bound to its row.
    expect(() => box.open(wrapped, { ...OWNER, tenantId: 'u' })).toThrow(/does not open for/);
    // Unwrapping is bounded.
    expect(() => box.open(sealV1(KEY_A, sealV1(KEY_A, wrapped)), OWNER)).toThrow(/sealed more than/);
  });

  it('refuses a value sealed under another key, or altered', () => {
    const sealed = new SecretBox(KEY_A).seal('whsec_x', OWNER);
    expect(() => new SecretBox(KEY_B).open(sealed, OWNER)).toThrow(
      /neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS/,
    );
    const parts = sealed.split(':');
    const ct = Buffer.from(parts[5]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[5] = ct.toString('base64url');
    expect(() => new SecretBox(KEY_A).open(parts.join(':'), OWNER)).toThrow(/altered, damaged/);
  });

  it('refuses a value whose authentication tag was cut short', () => {
    const parts = new SecretBox(KEY_A).seal('whsec_x', OWNER).split(':');
    // GCM alone would check a 4-byte tag: a forger's guess in 2^32.
    parts[4] = Buffer.from(parts[4]!, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => new SecretBox(KEY_A).open(parts.join(':'), OWNER)).toThrow(/altered, damaged/);
  });

  it('opens values sealed under a previous key, and seals under the current one only', () => {
    const old = new SecretBox(KEY_A).seal('whsec_y', OWNER);
    const box = new SecretBox(KEY_B, [KEY_A]);
    expect(box.open(old, OWNER)).toBe('whsec_y');
    expect(old.startsWith(box.sealedPrefix)).toBe(false);
    expect(box.seal('whsec_y', OWNER).startsWith(box.sealedPrefix)).toBe(true);
  });

  it('takes a key of 32 bytes, in hex or base64, and nothing shorter', () => {
    expect(parseSecretsKey('01'.repeat(32))).toEqual(KEY_A);
    expect(parseSecretsKey(KEY_A.toString('base64'))).toEqual(KEY_A);
    expect(() => parseSecretsKey('too-short-passphrase')).toThrow(/32 bytes/);
    expect(() => parseSecretsKey(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });

  it('is required in production; elsewhere unset means the development key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRETS_KEY/);
    expect(loadConfig({ NODE_ENV: 'production', SECRETS_KEY: '01'.repeat(32) }).SECRETS_KEY).toEqual(KEY_A);
    expect(loadConfig({ NODE_ENV: 'development' }).SECRETS_KEY).toBeUndefined();
    expect(() => loadConfig({ SECRETS_KEY: 'short' })).toThrow(/SECRETS_KEY/);
    expect(
      loadConfig({ SECRETS_KEY_PREVIOUS: `${'01'.repeat(32)}, ${KEY_B.toString('base64')}` })
        .SECRETS_KEY_PREVIOUS,
    ).toEqual([KEY_A, KEY_B]);
    expect(DEVELOPMENT_SECRETS_KEY).toHaveLength(32);
  });

  it('refuses a public key (the development key, all zeros) as SECRETS_KEY in production, not as a previous one', () => {
    const mine = randomBytes(32).toString('hex');
    for (const publicKey of [DEVELOPMENT_SECRETS_KEY.toString('hex'), '0'.repeat(64)]) {
      expect(() => loadConfig({ NODE_ENV: 'production', SECRETS_KEY: publicKey })).toThrow(/public key/);
      expect(loadConfig({ NODE_ENV: 'development', SECRETS_KEY: publicKey }).SECRETS_KEY).toHaveLength(32);
      expect(
        loadConfig({ NODE_ENV: 'production', SECRETS_KEY: mine, SECRETS_KEY_PREVIOUS: publicKey })
          .SECRETS_KEY_PREVIOUS,
      ).toHaveLength(1);
    }
  });
});

describe('webhookHeaders with two secrets (a rotation in its grace period)', () => {
  it('carries a signature by each, so a receiver holding either verifies it, and one holding neither does not', () => {
    const [older, newer, stranger] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    const headers = webhookHeaders([newer, older], 'msg_1', '{"a":1}');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWebhook(newer, headers, '{"a":1}').id).toBe('msg_1');
    expect(verifyWebhook(older, headers, '{"a":1}').id).toBe('msg_1');
    expect(() => verifyWebhook(stranger, headers, '{"a":1}')).toThrow(/no matching signature/);
    expect(webhookHeaders([newer], 'msg_1', '{}')['webhook-signature'].split(' ')).toHaveLength(1);
  });
});

describe('sealSigningSecrets', () => {
  /** Rows of both tables in memory, as the repository would hold them. */
  const fakeRepository = (rows: Record<SecretTable, StoredSecrets[]>) => ({
    notSealedWith: (
      _sql: unknown,
      table: SecretTable,
      prefix: string,
      after: StoredSecrets | null,
      limit: number,
    ) =>
      Promise.resolve(
        rows[table]
          .filter(
            (r) => !r.secret.startsWith(prefix) || (r.previousSecret && !r.previousSecret.startsWith(prefix)),
          )
          .filter((r) => !after || `${r.tenantId}/${r.id}` > `${after.tenantId}/${after.id}`)
          .slice(0, limit),
      ),
    replace: (_sql: unknown, table: SecretTable, was: StoredSecrets, next: StoredSecrets) => {
      const i = rows[table].findIndex((r) => r.id === was.id && r.secret === was.secret);
      if (i < 0) return Promise.resolve(false);
      rows[table][i] = next;
      return Promise.resolve(true);
    },
  });
  const db = {} as Database;
  const webhook = (id: string): SecretOwner => ({ tenantId: 't', kind: 'webhook', id });
  const controller = (id: string): SecretOwner => ({ tenantId: 't', kind: 'controller', id });

  it('seals plain-text, first-format and earlier-key secrets for their row under the current key, and leaves what no key opens', async () => {
    const earlier = new SecretBox(KEY_A);
    const box = new SecretBox(KEY_B, [KEY_A]);
    const unknown = new SecretBox(Buffer.alloc(32, 9)).seal('whsec_lost', webhook('3'));
    const current = box.seal('whsec_current', webhook('2'));
    const rows: Record<SecretTable, StoredSecrets[]> = {
      webhooks: [
        { tenantId: 't', id: '1', secret: 'whsec_plain', previousSecret: sealV1(KEY_A, 'whsec_old') },
        { tenantId: 't', id: '2', secret: current, previousSecret: null },
        { tenantId: 't', id: '3', secret: unknown, previousSecret: null },
      ],
      controllers: [
        { tenantId: 't', id: '4', secret: earlier.seal('whsec_push', controller('4')), previousSecret: null },
      ],
    };
    const result = await sealSigningSecrets({ db, repository: fakeRepository(rows), box });
    expect(result).toEqual({ sealed: 2, unreadable: 1 });
    const [one, two, three] = rows.webhooks;
    expect(one!.secret.startsWith(box.sealedPrefix)).toBe(true);
    expect(one!.previousSecret!.startsWith(box.sealedPrefix)).toBe(true);
    expect(box.open(one!.secret, webhook('1'))).toBe('whsec_plain');
    expect(box.open(one!.previousSecret!, webhook('1'))).toBe('whsec_old');
    // Bound to its row now: it opens nowhere else.
    expect(() => box.open(one!.secret, webhook('2'))).toThrow(/does not open/);
    expect(two!.secret).toBe(current);
    expect(three!.secret).toBe(unknown);
    expect(box.open(rows.controllers[0]!.secret, controller('4'))).toBe('whsec_push');
    expect(rows.controllers[0]!.secret.startsWith(box.sealedPrefix)).toBe(true);
    // Again: nothing left to seal.
    expect(await sealSigningSecrets({ db, repository: fakeRepository(rows), box })).toEqual({
      sealed: 0,
      unreadable: 1,
    });
  });

  it('stores a value sealed twice in a rolling upgrade sealed once, as v2 for its row', async () => {
    const box = new SecretBox(KEY_B, [KEY_A]);
    const wrapped = sealV1(KEY_B, box.seal('whsec_real', webhook('1')));
    const previous = sealV1(KEY_A, box.seal('whsec_older', webhook('1')));
    const rows: Record<SecretTable, StoredSecrets[]> = {
      webhooks: [{ tenantId: 't', id: '1', secret: wrapped, previousSecret: previous }],
      controllers: [],
    };
    expect(await sealSigningSecrets({ db, repository: fakeRepository(rows), box })).toEqual({
      sealed: 1,
      unreadable: 0,
    });
    const [row] = rows.webhooks;
    expect(row!.secret.startsWith(box.sealedPrefix)).toBe(true);
    expect(box.open(row!.secret, webhook('1'))).toBe('whsec_real');
    // Sealed once: as long as the secret sealed once, not as a sealed value sealed again.
    expect(row!.secret).toHaveLength(box.seal('whsec_real', webhook('1')).length);
    expect(box.open(row!.previousSecret!, webhook('1'))).toBe('whsec_older');
    expect(row!.previousSecret!.startsWith(box.sealedPrefix)).toBe(true);
  });
});

describe('SigningSecrets', () => {
  const box = new SecretBox(KEY_A);
  const noRotation = { rotate: () => Promise.reject(new Error('not here')) };

  it('signs with the current secret and the one a rotation replaced', () => {
    const sut = new SigningSecrets({ box, repository: noRotation });
    const stored = { secret: box.seal('whsec_new', OWNER), previousSecret: box.seal('whsec_old', OWNER) };
    expect(sut.toSignWith(OWNER, stored)).toEqual(['whsec_new', 'whsec_old']);
  });

  it('signs with the current secret alone when the earlier one does not open, and says so', () => {
    const told: SecretOwner[] = [];
    const sut = new SigningSecrets({
      box,
      repository: noRotation,
      onPreviousUnreadable: (o) => told.push(o),
    });
    const damaged = box.seal('whsec_old', OWNER).slice(0, -4) + 'AAAA';
    for (const previousSecret of [damaged, new SecretBox(KEY_B).seal('whsec_old', OWNER), 'whsec_plain']) {
      expect(sut.toSignWith(OWNER, { secret: box.seal('whsec_new', OWNER), previousSecret })).toEqual([
        'whsec_new',
      ]);
    }
    expect(told).toEqual([OWNER, OWNER, OWNER]);
    // The current one must open: a delivery no receiver could verify fails.
    expect(() => sut.toSignWith(OWNER, { secret: damaged, previousSecret: null })).toThrow(/does not open/);
  });

  it('rotates with a new secret sealed for the row, in the table of its kind', async () => {
    const calls: unknown[][] = [];
    const sut = new SigningSecrets({
      box,
      repository: {
        rotate: (...args) => {
          calls.push(args);
          return Promise.resolve({ previousSecretExpiresAt: null });
        },
      },
    });
    const owner = { ...OWNER, kind: 'controller' as const };
    const rotated = await sut.rotate({} as Database, owner, 0);
    expect(rotated?.secret).toMatch(/^whsec_/);
    const [, table, tenantId, id, sealed, grace] = calls[0]!;
    expect([table, tenantId, id, grace]).toEqual(['controllers', owner.tenantId, owner.id, 0]);
    expect(box.open(sealed as string, owner)).toBe(rotated!.secret);
  });
});
