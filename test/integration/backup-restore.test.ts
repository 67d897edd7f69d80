import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { createContainer, type Container } from '../../runtime/container.js';
import { withDatabase } from '../support/global-setup.js';
import { anAssetInput } from '../support/factories.js';
import { SEMANTIC_OFF } from '../support/app.js';

const run = promisify(execFile);
const postgresUrl = inject('postgresUrl');
const template = inject('postgresTemplate');
const runnable = Boolean(postgresUrl && template);
if (!runnable) console.info('backup-restore suite SKIPPED: it needs a Postgres server (pg_dump, pg_restore)');

/** The projections: rebuilt from the canonical store, so a backup need not hold their rows. */
const PROJECTION_TABLES = ['graph_*', 'asset_graph_nodes', 'search_*', 'drift_run*'];

const open = (databaseUrl: string) =>
  createContainer(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      OUTBOX_POLL_MS: '50',
      ...SEMANTIC_OFF,
    }),
  );

/**
 * Data safety (issue 9): a pg_dump of the canonical store, without the projections' rows, restored
 * into an empty database, then the projections rebuilt by the drift repair: the service comes back
 * whole, searchable and related.
 */
describe.skipIf(!runnable)('backup and restore of the canonical store', () => {
  const suffix = randomBytes(4).toString('hex');
  const source = `${template}_backup_${suffix}`;
  const target = `${template}_restore_${suffix}`;
  let dir: string | undefined;
  const opened: Container[] = [];

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: postgresUrl! });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  afterAll(async () => {
    for (const c of opened) await c.close();
    await admin(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`);
    await admin(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('comes back whole from the canonical store alone', async () => {
    await admin(`CREATE DATABASE ${source} TEMPLATE ${template}`);
    const sourceUrl = withDatabase(postgresUrl!, source);
    const live = await open(sourceUrl);
    opened.push(live);
    await live.startWorkers();
    const { secret } = await live.apiKeys.create({ tenantId: 'backup', name: 'test', role: 'ADMIN' });
    const results = await live.ingest.ingest({ tenantId: 'backup', actor: 'test' }, [
      anAssetInput({ title: 'Kelp forests at night', speakers: ['Mara Quill'], tags: ['kelp'] }),
      anAssetInput({ title: 'Kelp holdfasts', speakers: ['Mara Quill'], tags: ['kelp'] }),
      anAssetInput({ title: 'Dune fields', tags: ['desert'] }),
    ]);
    const ids = results.map((r) => r.asset.id);
    const settled = await live.assets.waitUntilSettled('backup', ids, 60_000);
    expect(settled.settled).toBe(true);

    // The backup: schema and canonical rows; the projections' tables come back empty.
    dir = mkdtempSync(join(tmpdir(), 'mdisc-backup-'));
    const file = join(dir, 'canonical.dump');
    await run('pg_dump', [
      '--format=custom',
      `--file=${file}`,
      ...PROJECTION_TABLES.map((t) => `--exclude-table-data=${t}`),
      sourceUrl,
    ]);
    await admin(`CREATE DATABASE ${target}`);
    const targetUrl = withDatabase(postgresUrl!, target);
    await run('pg_restore', ['--exit-on-error', `--dbname=${targetUrl}`, file]);

    const restored = await open(targetUrl);
    opened.push(restored);
    const [empty] = await restored.db.query<{ n: number }>('SELECT count(*)::int AS n FROM search_documents');
    expect(empty!.n).toBe(0);

    const report = await restored.drift.check({ repair: true, graceMs: 0 });
    expect(report.repaired?.reprojected).toBeGreaterThanOrEqual(ids.length);
    expect((await restored.drift.check({ graceMs: 0 })).total).toBe(0);

    // The same key works, search finds, related content relates, history is whole.
    expect((await restored.apiKeys.authenticate(`Bearer ${secret}`)).tenantId).toBe('backup');
    const found = await restored.discovery.searchAssets('backup', { q: 'kelp', limit: 10, blend: 'none' });
    expect(found.hits.map((h) => h.asset.id).sort()).toEqual(ids.slice(0, 2).sort());
    const related = await restored.discovery.related('backup', ids[0]!, { limit: 5 });
    expect(related.items.map((i) => i.asset.id)).toContain(ids[1]);
    const versions = await restored.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM asset_versions WHERE tenant_id = 'backup'`,
    );
    expect(versions[0]!.n).toBe(6);
  }, 180_000);
});
