import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_SECRETS_KEY, parseSecretsKey, SecretBox } from '../../domain/secret-box.js';
import { newWebhookSecret, verifyWebhook, webhookHeaders } from '../../domain/webhook-signature.js';
import { loadConfig } from '../../runtime/config.js';
import { sealSigningSecrets } from '../../services/signing-secrets.js';
import type {
  SecretTable,
  SigningSecretsRepository,
  StoredSecrets,
} from '../../store/signing-secrets-repository.js';
import type { Database } from '../../store/database.js';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

describe('SecretBox', () => {
  it('seals a secret so the stored value holds neither it nor its key bytes, and opens it again', () => {
    const box = new SecretBox(KEY_A);
    const secret = newWebhookSecret();
    const sealed = box.seal(secret);
    expect(sealed.startsWith(box.sealedPrefix)).toBe(true);
    expect(sealed).not.toContain(secret.slice('whsec_'.length));
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(box.open(sealed)).toBe(secret);
    // A fresh IV each time: two seals of one secret differ.
    expect(box.seal(secret)).not.toBe(sealed);
  });

  it('reads a secret stored before sealing as it is', () => {
    expect(new SecretBox(KEY_A).open('whsec_plain')).toBe('whsec_plain');
  });

  it('refuses a value sealed under another key, or altered', () => {
    const sealed = new SecretBox(KEY_A).seal('whsec_x');
    expect(() => new SecretBox(KEY_B).open(sealed)).toThrow(
      /neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS/,
    );
    const parts = sealed.split(':');
    const ct = Buffer.from(parts[5]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[5] = ct.toString('base64url');
    expect(() => new SecretBox(KEY_A).open(parts.join(':'))).toThrow(/altered or damaged/);
  });

  it('refuses a value whose authentication tag was cut short', () => {
    const parts = new SecretBox(KEY_A).seal('whsec_x').split(':');
    // GCM alone would check a 4-byte tag: a forger's guess in 2^32.
    parts[4] = Buffer.from(parts[4]!, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => new SecretBox(KEY_A).open(parts.join(':'))).toThrow(/altered or damaged/);
  });

  it('opens values sealed under a previous key, and seals under the current one only', () => {
    const old = new SecretBox(KEY_A).seal('whsec_y');
    const box = new SecretBox(KEY_B, [KEY_A]);
    expect(box.open(old)).toBe('whsec_y');
    expect(old.startsWith(box.sealedPrefix)).toBe(false);
    expect(box.seal('whsec_y').startsWith(box.sealedPrefix)).toBe(true);
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
  const fakeRepository = (rows: Record<SecretTable, StoredSecrets[]>): SigningSecretsRepository => ({
    notSealedWith: (_sql, table, prefix, after, limit) =>
      Promise.resolve(
        rows[table]
          .filter(
            (r) => !r.secret.startsWith(prefix) || (r.previousSecret && !r.previousSecret.startsWith(prefix)),
          )
          .filter((r) => !after || `${r.tenantId}/${r.id}` > `${after.tenantId}/${after.id}`)
          .slice(0, limit),
      ),
    replace: (_sql, table, was, next) => {
      const i = rows[table].findIndex((r) => r.id === was.id && r.secret === was.secret);
      if (i < 0) return Promise.resolve(false);
      rows[table][i] = next;
      return Promise.resolve(true);
    },
  });
  const db = {} as Database;

  it('seals plain-text and earlier-key secrets under the current key, and leaves what no key opens', async () => {
    const earlier = new SecretBox(KEY_A);
    const box = new SecretBox(KEY_B, [KEY_A]);
    const unknown = new SecretBox(Buffer.alloc(32, 9)).seal('whsec_lost');
    const current = box.seal('whsec_current');
    const rows: Record<SecretTable, StoredSecrets[]> = {
      webhooks: [
        { tenantId: 't', id: '1', secret: 'whsec_plain', previousSecret: 'whsec_old' },
        { tenantId: 't', id: '2', secret: current, previousSecret: null },
        { tenantId: 't', id: '3', secret: unknown, previousSecret: null },
      ],
      controllers: [{ tenantId: 't', id: '4', secret: earlier.seal('whsec_push'), previousSecret: null }],
    };
    const result = await sealSigningSecrets({ db, repository: fakeRepository(rows), box });
    expect(result).toEqual({ sealed: 2, unreadable: 1 });
    const [one, two, three] = rows.webhooks;
    expect(one!.secret.startsWith(box.sealedPrefix)).toBe(true);
    expect(box.open(one!.secret)).toBe('whsec_plain');
    expect(box.open(one!.previousSecret!)).toBe('whsec_old');
    expect(two!.secret).toBe(current);
    expect(three!.secret).toBe(unknown);
    expect(box.open(rows.controllers[0]!.secret)).toBe('whsec_push');
    expect(rows.controllers[0]!.secret.startsWith(box.sealedPrefix)).toBe(true);
    // Again: nothing left to seal.
    expect(await sealSigningSecrets({ db, repository: fakeRepository(rows), box })).toEqual({
      sealed: 0,
      unreadable: 1,
    });
  });
});
