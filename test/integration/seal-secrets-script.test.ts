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

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const KEY = Buffer.alloc(32, 7);
const HOOK = '00000000-0000-4000-8000-0000000000a1';

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

  it('seals a plain-text secret for its row, and sealing again changes nothing', async () => {
    const first = await seal();
    expect(first.stdout).toContain('1 signing secret(s) sealed; 0 unreadable');
    const stored = () =>
      withDb(async (db) => (await db.query<{ secret: string }>('SELECT secret FROM webhooks'))[0]!.secret);
    const sealed = await stored();
    const owner = { tenantId: 'acme', kind: 'webhook', id: HOOK } as const;
    expect(new SecretBox(KEY).open(sealed, owner)).toBe('whsec_plain');
    const second = await seal();
    expect(second.stdout).toContain('0 signing secret(s) sealed; 0 unreadable');
    expect(await stored()).toBe(sealed);
  });
});
