import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../domain/secret-box.js';
import { openDatabase } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { aSecretSealedV1 } from '../support/factories.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const KEY = Buffer.alloc(32, 7);
const HOOK = '00000000-0000-4000-8000-0000000000a1';
const WRAPPED_HOOK = '00000000-0000-4000-8000-0000000000a2';

// `npm run secrets:seal` as an operator runs it (docs/webhooks.md), on an embedded database of its own.
describe('npm run secrets:seal', () => {
  let dataDir: string;
  const withDb = async <T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) => {
    const db = await openDatabase({ dataDir });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const seal = () =>
    run('node', ['--import', 'tsx', 'scripts/seal-secrets.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        SECRETS_KEY: KEY.toString('hex'),
      },
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'seal-secrets-'));
    await withDb(async (db) => {
      await migrate(db);
      await tenantsRepository.ensure(db, 'acme', 'Acme');
      // A webhook from before sealing: its secret in plain text.
      await db.query(
        `INSERT INTO webhooks (tenant_id, id, url, events, secret, created_by)
         VALUES ('acme', $1, 'https://example.com/hook', ARRAY['asset.created'], 'whsec_plain', 'test')`,
        [HOOK],
      );
    });
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('seals a plain-text secret, and one a release before v2 sealed twice, once for its row; sealing again changes nothing', async () => {
    const box = new SecretBox(KEY);
    const wrappedOwner = { tenantId: 'acme', kind: 'webhook', id: WRAPPED_HOOK } as const;
    // A rolling upgrade: an old process's start-up pass sealed a v2 value again as v1.
    await withDb((db) =>
      db.query(
        `INSERT INTO webhooks (tenant_id, id, url, events, secret, created_by)
         VALUES ('acme', $1, 'https://example.com/hook2', ARRAY['asset.created'], $2, 'test')`,
        [WRAPPED_HOOK, aSecretSealedV1(KEY, box.seal('whsec_real', wrappedOwner))],
      ),
    );
    const first = await seal();
    expect(first.stdout).toContain('2 signing secret(s) sealed; 0 unreadable');
    const stored = (id: string) =>
      withDb(
        async (db) =>
          (await db.query<{ secret: string }>('SELECT secret FROM webhooks WHERE id = $1', [id]))[0]!.secret,
      );
    const sealed = await stored(HOOK);
    const owner = { tenantId: 'acme', kind: 'webhook', id: HOOK } as const;
    expect(box.open(sealed, owner)).toBe('whsec_plain');
    const repaired = await stored(WRAPPED_HOOK);
    expect(repaired.startsWith(box.sealedPrefix)).toBe(true);
    expect(box.open(repaired, wrappedOwner)).toBe('whsec_real');
    // Sealed once: as long as the secret sealed once.
    expect(repaired).toHaveLength(box.seal('whsec_real', wrappedOwner).length);
    const second = await seal();
    expect(second.stdout).toContain('0 signing secret(s) sealed; 0 unreadable');
    expect(await stored(HOOK)).toBe(sealed);
    expect(await stored(WRAPPED_HOOK)).toBe(repaired);
  });
});
