import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emptyRunCounts, type RunCounts } from '../../domain/controllers.js';
import { secretBoxFor } from '../../runtime/container.js';
import { sealSigningSecrets } from '../../services/signing-secrets.js';
import { assetsRepository } from '../../store/assets-repository.js';
import { signingSecretsRepository } from '../../store/signing-secrets-repository.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { PartnerServer } from '../support/partner-server.js';

/**
 * The watched-folder ingress kind and the partner-push and sidecar-folder egress kinds
 * (docs/connectors.md), through the HTTP API, with a temporary folder as CONTROLLER_FOLDER_ROOT and
 * a partner on loopback; on the embedded default and on the Postgres server when there is one.
 */
const backends = (['pglite', 'postgres'] as const).filter((b) => b === 'pglite' || inject('postgresUrl'));

interface Run {
  id: string;
  status: string;
  pages: number;
  counts: RunCounts;
  error: string | null;
  failures: { sourceId: string; error: string }[];
  durationMs: number | null;
}

const counts = (some: Partial<RunCounts>): RunCounts => ({ ...emptyRunCounts(), ...some });
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe.each(backends)('controller kinds on %s', (backend) => {
  let t: TestApp;
  let root: string;
  let outside: string;
  const partner = new PartnerServer();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'controller-root-'));
    outside = await mkdtemp(join(tmpdir(), 'controller-outside-'));
    await partner.start();
    t = await createTestApp({
      backend,
      workers: false,
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'true',
        CONTROLLER_TICK_MS: '0',
        CONTROLLER_FOLDER_ROOT: root,
        CONTROLLER_PUSH_RETRY_MS: '0',
        CONTROLLER_EGRESS_SETTLE_MS: '0',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await partner.stop();
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  const as = async (tenant: string) => {
    const headers = await t.keyFor(tenant, 'ADMIN');
    const api = async <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
      const res = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, body: (res.body ? res.json<T>() : undefined) as T };
    };
    return {
      api,
      create: async (body: object) => {
        const res = await api<{ id: string; sourceSystem: string; direction: string; secret?: string }>(
          'POST',
          '/v1/controllers',
          body,
        );
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body;
      },
      sync: async (id: string) => {
        const res = await api<Run>('POST', `/v1/controllers/${id}/sync`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body;
      },
      ingest: async (title: string) => {
        const res = await api<{ asset: { id: string } }>('POST', '/v1/assets', {
          type: 'VIDEO',
          title,
          description: `${title}, described.`,
          tags: ['ocean'],
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.asset.id;
      },
    };
  };
  const assetsOf = (tenant: string, sourceSystem: string) =>
    t.container.db.query<{ id: string; source_id: string; title: string; file_hash: string }>(
      `SELECT id, source_id, title, file_hash FROM assets
       WHERE tenant_id = $1 AND source_system = $2 AND deleted_at IS NULL ORDER BY source_id`,
      [tenant, sourceSystem],
    );
  const hashedAs = async (controllerId: string, sourceId: string) =>
    (
      await t.container.db.query<{ file_sha256: string }>(
        'SELECT file_sha256 FROM controller_items WHERE controller_id = $1 AND source_id = $2',
        [controllerId, sourceId],
      )
    )[0]?.file_sha256;
  const cursorOf = async (controllerId: string): Promise<string | undefined> => {
    const [row] = await t.container.db.query<{ sync_state: { cursor?: string } | string }>(
      'SELECT sync_state FROM controllers WHERE id = $1',
      [controllerId],
    );
    const state = (typeof row!.sync_state === 'string' ? JSON.parse(row!.sync_state) : row!.sync_state) as {
      cursor?: string;
    };
    return state.cursor;
  };

  it('watched folder: media files with sidecars become assets hashed by content, unchanged files stay unchanged, a removed file is gone', async () => {
    const tenant = `wf-${backend}`;
    const { create, sync, api } = await as(tenant);
    const inbox = join(root, tenant, 'inbox');
    await mkdir(join(inbox, 'sub'), { recursive: true });
    const clip = Buffer.from('pretend this is an mp4 of the deep ocean');
    await writeFile(join(inbox, 'clip.mp4'), clip);
    await writeFile(
      join(inbox, 'clip.json'),
      JSON.stringify({
        title: 'The deep ocean',
        description: 'How the ocean moves heat.',
        tags: ['ocean', 'climate'],
        speakers: ['Sylvia Earle'],
        publishedAt: '2026-01-05T10:00:00Z',
      }),
    );
    await writeFile(join(inbox, 'sub', 'talk.mp3'), 'pretend audio');
    await writeFile(join(inbox, 'notes.json'), '{"not":"a sidecar of any media"}');
    await writeFile(join(inbox, '.partial.mp4'), 'an upload in progress');
    // Whole milliseconds, so that setting the same time back below is the same time.
    const mtime = new Date(Date.now() - 60_000 - (Date.now() % 1000));
    await utimes(join(inbox, 'clip.mp4'), mtime, mtime);

    const c = await create({
      name: 'Inbox',
      kind: 'watched-folder',
      configuration: { path: 'inbox', whenGone: 'archive' },
    });
    expect(c).toMatchObject({ direction: 'ingress', sourceSystem: 'watched-folder:inbox' });

    const first = await sync(c.id);
    expect(first).toMatchObject({ status: 'SUCCEEDED' });
    expect(first.counts).toEqual(counts({ new: 2 }));
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
    const rows = await assetsOf(tenant, c.sourceSystem);
    expect(rows.map((r) => r.source_id)).toEqual(['clip.mp4', 'sub/talk.mp3']);
    // The asset's SHA-256 is the media file's content: the canonical de-duplication key.
    expect(rows[0]!.file_hash).toBe(sha256(clip));
    const asset = (await api<Record<string, unknown>>('GET', `/v1/assets/${rows[0]!.id}`)).body;
    expect(asset).toMatchObject({
      type: 'VIDEO',
      title: 'The deep ocean',
      description: 'How the ocean moves heat.',
      speakers: ['Sylvia Earle'],
      sourceId: 'clip.mp4',
      createdAt: '2026-01-05T10:00:00.000Z',
      technicalMetadata: { mimeType: 'video/mp4', fileSizeBytes: clip.length },
    });
    expect(asset.tags).toEqual(expect.arrayContaining(['ocean', 'climate']));
    // No sidecar: titled by its file name.
    expect(rows[1]).toMatchObject({ title: 'talk' });

    expect((await sync(c.id)).counts).toEqual(counts({ unchanged: 2 }));

    // Same size and modification time: taken as unchanged, its content not read again.
    const same = Buffer.from(clip.toString().replace('deep', 'DEEP'));
    await writeFile(join(inbox, 'clip.mp4'), same);
    await utimes(join(inbox, 'clip.mp4'), mtime, mtime);
    expect((await sync(c.id)).counts).toEqual(counts({ unchanged: 2 }));
    expect(await hashedAs(c.id, 'clip.mp4')).toBe(sha256(clip));
    // A new modification time: hashed again.
    const later = new Date(mtime.getTime() + 5_000);
    await utimes(join(inbox, 'clip.mp4'), later, later);
    expect((await sync(c.id)).counts).toEqual(counts({ updated: 1, unchanged: 1 }));
    expect(await hashedAs(c.id, 'clip.mp4')).toBe(sha256(same));
    // New content is a new version of the same asset, under the new SHA-256.
    const changedRows = await assetsOf(tenant, c.sourceSystem);
    expect(changedRows[0]!.id).toBe(rows[0]!.id);
    expect(changedRows[0]!.file_hash).toBe(sha256(same));
    const history = (await api<{ items: { version: number }[] }>('GET', `/v1/assets/${rows[0]!.id}/versions`))
      .body.items;
    expect(history.map((v) => v.version)).toEqual([2, 1]);
    const hashAt = async (v: number) =>
      (await api<{ snapshot: { fileHash: string } }>('GET', `/v1/assets/${rows[0]!.id}/versions/${v}`)).body
        .snapshot.fileHash;
    expect([await hashAt(1), await hashAt(2)]).toEqual([sha256(clip), sha256(same)]);
    // The old bytes are free again, the new ones taken: an API ingest of them finds this asset.
    const dup = await api<{ asset: { id: string }; duplicate?: boolean }>('POST', '/v1/assets', {
      type: 'VIDEO',
      title: 'The same bytes through the API',
      fileHash: sha256(same),
    });
    expect(dup.body.asset.id).toBe(rows[0]!.id);
    // Unchanged since: nothing to do.
    expect((await sync(c.id)).counts).toEqual(counts({ unchanged: 2 }));

    // A changed sidecar updates its asset.
    await writeFile(join(inbox, 'clip.json'), JSON.stringify({ title: 'The deep ocean, retitled' }));
    expect((await sync(c.id)).counts).toMatchObject({ updated: 1, unchanged: 1, new: 0 });
    expect((await assetsOf(tenant, c.sourceSystem))[0]!.title).toBe('The deep ocean, retitled');

    // A removed file is gone, and its asset archived as configured (once enriched: no workers here).
    await t.container.db.query(`UPDATE assets SET status = 'PROCESSED' WHERE tenant_id = $1`, [tenant]);
    await rm(join(inbox, 'sub', 'talk.mp3'));
    const gone = await sync(c.id);
    expect(gone.counts).toEqual(counts({ unchanged: 1, gone: 1, archived: 1 }));
    const talk = (await api<{ status: string }>('GET', `/v1/assets/${rows[1]!.id}`)).body;
    expect(talk.status).toBe('ARCHIVED');
  });

  it('watched folder: a file with the bytes of an asset of another source fails, leaving that asset as it is; a shared asset is not archived', async () => {
    const tenant = `wf-dup-${backend}`;
    const { create, sync, api } = await as(tenant);
    const uploaded = Buffer.from('bytes uploaded through the API first');
    const copied = Buffer.from('one file, copied into two subfolders');
    const posted = await api<{ asset: { id: string } }>('POST', '/v1/assets', {
      type: 'VIDEO',
      title: 'Uploaded',
      description: 'Described by hand.',
      tags: ['kept'],
      fileHash: sha256(uploaded),
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const apiId = posted.body.asset.id;
    const inbox = join(root, tenant, 'inbox');
    await mkdir(join(inbox, 'a'), { recursive: true });
    await mkdir(join(inbox, 'b'), { recursive: true });
    await writeFile(join(inbox, 'up.mp4'), uploaded);
    await writeFile(join(inbox, 'a', 'copy.mp4'), copied);
    await writeFile(join(inbox, 'b', 'copy.mp4'), copied);
    const c = await create({
      name: 'Dups',
      kind: 'watched-folder',
      configuration: { path: 'inbox', whenGone: 'archive' },
    });
    const first = await sync(c.id);
    expect(first.counts).toEqual(counts({ new: 1, failed: 2 }));
    const failures = Object.fromEntries(first.failures.map((f) => [f.sourceId, f.error]));
    expect(failures['up.mp4']).toBe(`already ingested as asset ${apiId} from api`);
    const [copy] = await assetsOf(tenant, c.sourceSystem);
    expect(copy).toMatchObject({ source_id: 'a/copy.mp4' });
    expect(failures['b/copy.mp4']).toBe(
      `already ingested as asset ${copy!.id} from ${c.sourceSystem}:a/copy.mp4`,
    );
    // The API's asset keeps what it said.
    const before = (await api<Record<string, unknown>>('GET', `/v1/assets/${apiId}`)).body;
    expect(before).toMatchObject({
      title: 'Uploaded',
      description: 'Described by hand.',
      tags: ['kept'],
      sourceSystem: 'api',
    });

    await t.container.db.query(`UPDATE assets SET status = 'PROCESSED' WHERE tenant_id = $1`, [tenant]);
    // The failed files leave: nothing of theirs was recorded, nothing is archived.
    await rm(join(inbox, 'up.mp4'));
    await rm(join(inbox, 'b', 'copy.mp4'));
    expect((await sync(c.id)).counts).toEqual(counts({ unchanged: 1 }));
    expect((await api<{ status: string }>('GET', `/v1/assets/${apiId}`)).body.status).toBe('PROCESSED');
    expect((await api<{ status: string }>('GET', `/v1/assets/${copy!.id}`)).body.status).toBe('PROCESSED');

    // Two items standing for one asset (as recorded before such files failed): one leaving archives nothing.
    await writeFile(join(inbox, 'b', 'copy.mp4'), copied);
    await t.container.db.query(
      `INSERT INTO controller_items (tenant_id, source_system, source_id, controller_id, asset_id, content_hash, last_run_id)
       SELECT tenant_id, source_system, 'b/copy.mp4', controller_id, asset_id, content_hash, last_run_id
       FROM controller_items WHERE tenant_id = $1 AND source_id = 'a/copy.mp4'`,
      [tenant],
    );
    await rm(join(inbox, 'a', 'copy.mp4'));
    const left = await sync(c.id);
    expect(left.counts).toMatchObject({ gone: 1, archived: 0 });
    expect((await api<{ status: string }>('GET', `/v1/assets/${copy!.id}`)).body.status).toBe('PROCESSED');
  });

  it('watched folder: refuses a folder outside the root, skips links leading out and oversized sidecars, and stops at maxFiles', async () => {
    const tenant = `wf-escape-${backend}`;
    const { create, sync, api } = await as(tenant);
    await writeFile(join(outside, 'secret.mp4'), 'not yours');
    await mkdir(join(root, tenant), { recursive: true });
    await symlink(outside, join(root, tenant, 'link-out'));

    const refused = async (path: string, why: RegExp) => {
      const res = await api<{ detail: string }>('POST', '/v1/controllers', {
        name: 'Escape',
        kind: 'watched-folder',
        configuration: { path },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.detail).toMatch(why);
    };
    await refused('../', /must not contain \.\./);
    await refused(outside, /relative to the tenant's folder/);
    await refused('link-out', /outside the tenant's folder/);
    // Another tenant's folder, however linked, is not this tenant's.
    await mkdir(join(root, `wf-${backend}`), { recursive: true });
    await symlink(join(root, `wf-${backend}`), join(root, tenant, 'theirs'));
    await refused('theirs', /outside the tenant's folder/);
    await refused('missing', /no folder/);

    const inbox = join(root, tenant, 'inbox');
    await mkdir(inbox);
    await symlink(join(outside, 'secret.mp4'), join(inbox, 'a-link.mp4'));
    await writeFile(join(inbox, 'b-big.mp4'), 'video');
    await writeFile(join(inbox, 'b-big.json'), JSON.stringify({ title: 'x'.repeat(2_000) }));
    await writeFile(join(inbox, 'c.mp4'), 'video c');
    await writeFile(join(inbox, 'd.mp4'), 'video d');
    await writeFile(join(inbox, 'e.mp4'), 'video e');
    const c = await create({
      name: 'Guarded',
      kind: 'watched-folder',
      configuration: { path: 'inbox', maxSidecarBytes: 1_024, maxFiles: 2, whenGone: 'delete' },
    });
    const run = await sync(c.id);
    // a-link.mp4 leads out and b-big.json is too large: failed; of c, d and e only c fits under maxFiles.
    expect(run.counts).toEqual(counts({ new: 1, failed: 2 }));
    expect(run.failures.map((f) => f.sourceId).sort()).toEqual(['a-link.mp4', 'b-big.mp4']);
    expect(run.failures.find((f) => f.sourceId === 'b-big.mp4')!.error).toMatch(/more than 1024/);
    expect((await assetsOf(tenant, c.sourceSystem)).map((r) => r.source_id)).toEqual(['c.mp4']);
    // Read in part (b-big and d of b-big, d, e): nothing is marked gone, though c.mp4 is removed.
    await rm(join(inbox, 'c.mp4'));
    expect((await sync(c.id)).counts).toMatchObject({ new: 1, gone: 0, deleted: 0 });
  });

  it('partner push: signed batches of changed assets, the cursor moving only once the partner acknowledged', async () => {
    const tenant = `push-${backend}`;
    const other = await as(`push-other-${backend}`);
    const { create, sync, api, ingest } = await as(tenant);
    const ids = [await ingest('Currents'), await ingest('Tides'), await ingest('Waves')];
    const foreign = await other.ingest('Not this tenant’s');
    // Enriched (no workers here): what the asset read API answers is what the partner gets.
    const enrichment = {
      keywords: [{ term: 'currents', score: 0.9 }],
      topics: [{ name: 'Oceanography', confidence: 0.8 }],
      speakers: [{ name: 'Sylvia Earle', source: 'ai', confidence: 0.9 }],
      brands: [{ name: 'NOAA', score: 0.7 }],
      tags: [{ name: 'ocean', source: 'ai', locked: false, confidence: 0.9 }],
      moments: [{ start: 62, end: 90, speaker: 'Sylvia Earle', keywords: ['heat'] }],
      extractors: {},
    };
    await t.container.db.query(
      `UPDATE assets SET enriched_metadata = $2::jsonb, status = 'PROCESSED', updated_at = now() WHERE tenant_id = $1 AND id = $3`,
      [tenant, JSON.stringify(enrichment), ids[0]],
    );

    const c = await create({
      name: 'Partner',
      kind: 'partner-push',
      configuration: { url: partner.url, batchSize: 2, attempts: 1 },
    });
    expect(c.direction).toBe('egress');
    expect(c.secret).toMatch(/^whsec_/);
    partner.secret = c.secret!;
    // The secret is shown once: no read answers it.
    expect((await api<Record<string, unknown>>('GET', `/v1/controllers/${c.id}`)).body).not.toHaveProperty(
      'secret',
    );

    // The partner fails: the run fails, the controller turns unhealthy, the cursor stays where it was.
    partner.failNext = 1;
    const failed = await sync(c.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/answered 500/);
    expect(failed.counts).toEqual(counts({}));
    expect(await cursorOf(c.id)).toBeUndefined();
    expect((await api<Record<string, unknown>>('GET', `/v1/controllers/${c.id}`)).body).toMatchObject({
      health: 'unhealthy',
      lastError: expect.stringMatching(/answered 500/),
    });

    // Then it acknowledges: everything is sent, the first batch again under the same webhook-id.
    const ok = await sync(c.id);
    expect(ok).toMatchObject({ status: 'SUCCEEDED', pages: 2 });
    expect(ok.counts).toEqual(counts({ pushed: 3 }));
    expect(partner.requests.map((r) => r.status)).toEqual([500, 200, 200]);
    expect(partner.requests.every((r) => r.verified)).toBe(true);
    expect(partner.requests[1]!.webhookId).toBe(partner.requests[0]!.webhookId);
    const records = partner.acknowledged();
    expect(records.map((r) => r.assetId).sort()).toEqual([...ids].sort());
    expect(records.map((r) => r.assetId)).not.toContain(foreign);
    const enriched = records.find((r) => r.assetId === ids[0]) as {
      op: string;
      asset: { enrichment: unknown; tags: string[] };
    };
    const read = (await api<{ enrichment: unknown; tags: string[] }>('GET', `/v1/assets/${ids[0]}`)).body;
    expect(enriched.op).toBe('upsert');
    expect(enriched.asset.enrichment).toEqual(read.enrichment);
    expect(enriched.asset.tags).toEqual(read.tags);
    const cursor = await cursorOf(c.id);
    expect(cursor).toBeDefined();
    expect((await api<Record<string, unknown>>('GET', `/v1/controllers/${c.id}`)).body).toMatchObject({
      health: 'healthy',
    });

    // Nothing changed since: nothing sent.
    expect((await sync(c.id)).counts).toEqual(counts({}));
    expect(partner.requests).toHaveLength(3);

    // A deleted and an archived asset are deletion records; with attempts to spare, a 500 is retried
    // within the run.
    expect(
      (await api('PATCH', `/v1/controllers/${c.id}`, { configuration: { url: partner.url, attempts: 3 } }))
        .status,
    ).toBe(200);
    expect(await cursorOf(c.id)).toBe(cursor);
    expect((await api('DELETE', `/v1/assets/${ids[1]}`)).status).toBe(204);
    expect((await api('POST', `/v1/assets/${ids[0]}/archive`)).status).toBe(200);
    partner.failNext = 1;
    const deletions = await sync(c.id);
    expect(deletions).toMatchObject({ status: 'SUCCEEDED' });
    expect(deletions.counts).toEqual(counts({ pushed: 2 }));
    expect(partner.requests.slice(3).map((r) => r.status)).toEqual([500, 200]);
    expect(partner.requests[4]!.webhookId).toBe(partner.requests[3]!.webhookId);
    expect(partner.requests[4]!.body.records.map((r) => [r.assetId, r.op, r.reason]).sort()).toEqual(
      [
        [ids[0], 'delete', 'archived'],
        [ids[1], 'delete', 'deleted'],
      ].sort(),
    );

    // Each delivered batch is audited as the controller's, outbound: two, then the deletions.
    const audited = await t.container.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM action_records
       WHERE tenant_id = $1 AND action_type = 'CONTROLLER_EGRESS' AND direction = 'OUTBOUND' AND controller = $2`,
      [tenant, `controller:${c.id}`],
    );
    expect(audited[0]!.n).toBe(3);

    // Another tenant sees no such controller.
    expect((await other.api('POST', `/v1/controllers/${c.id}/sync`)).status).toBe(404);
    expect((await other.api('GET', `/v1/controllers/${c.id}`)).status).toBe(404);
  });

  it('partner push: its secret sealed at rest (rows from before sealed at start), a rotation signing with both secrets until the grace period ends, answered once, audited without it', async () => {
    const tenant = `rotate-${backend}`;
    const { create, sync, api, ingest } = await as(tenant);
    const other = await as(`rotate-other-${backend}`);
    const c = await create({ name: 'Rotating', kind: 'partner-push', configuration: { url: partner.url } });
    const first = c.secret!;
    const stored = async () =>
      (
        await t.container.db.query<{ secret: string; previous_secret: string | null }>(
          'SELECT secret, previous_secret FROM controllers WHERE id = $1',
          [c.id],
        )
      )[0]!;
    expect((await stored()).secret).toMatch(/^enc:v2:/);
    expect((await stored()).secret).not.toContain(first.slice('whsec_'.length));
    // A sealed value copied from another row (another tenant's partner push) does not open here.
    const theirs = await other.create({
      name: 'Theirs',
      kind: 'partner-push',
      configuration: { url: partner.url },
    });
    const ours = (await stored()).secret;
    await t.container.db.query(
      'UPDATE controllers SET secret = (SELECT secret FROM controllers WHERE id = $2) WHERE id = $1',
      [c.id, theirs.id],
    );
    const copied = await sync(c.id);
    expect(copied.status).toBe('FAILED');
    await t.container.db.query('UPDATE controllers SET secret = $2 WHERE id = $1', [c.id, ours]);
    // A row from before sealing (in plain text) is sealed by the start-up pass (or `npm run secrets:seal`).
    await t.container.db.query('UPDATE controllers SET secret = $2 WHERE id = $1', [c.id, first]);
    const box = secretBoxFor(t.container.config, { info: () => {}, warn: () => {}, error: () => {} });
    const repository = signingSecretsRepository;
    expect((await sealSigningSecrets({ db: t.container.db, repository, box })).sealed).toBeGreaterThanOrEqual(
      1,
    );
    expect((await stored()).secret).toMatch(/^enc:v2:/);
    expect(box.open((await stored()).secret, { tenantId: tenant, kind: 'controller', id: c.id })).toBe(first);

    partner.secret = first;
    await ingest('Before the rotation');
    expect((await sync(c.id)).counts).toEqual(counts({ pushed: 1 }));
    const sent = partner.requests.length;
    expect(partner.requests[sent - 1]!.verified).toBe(true);

    const rotated = await api<{ id: string; secret: string; previousSecretExpiresAt: string | null }>(
      'POST',
      `/v1/controllers/${c.id}/rotate-secret?graceSeconds=3600`,
    );
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.id).toBe(c.id);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(first);
    expect(new Date(rotated.body.previousSecretExpiresAt!).getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect((await api<Record<string, unknown>>('GET', `/v1/controllers/${c.id}`)).body).not.toHaveProperty(
      'secret',
    );
    expect(JSON.stringify(await stored())).not.toContain(rotated.body.secret.slice('whsec_'.length));

    // In the grace period a batch carries a signature by each secret: a partner with either takes it.
    await ingest('During the grace period');
    partner.secret = first;
    expect((await sync(c.id)).counts).toEqual(counts({ pushed: 1 }));
    const during = partner.requests[partner.requests.length - 1]!;
    expect(during.verified).toBe(true);
    partner.secret = rotated.body.secret;
    await ingest('During the grace period, the new secret');
    expect((await sync(c.id)).counts).toEqual(counts({ pushed: 1 }));
    expect(partner.requests[partner.requests.length - 1]!.verified).toBe(true);

    // Once the grace period is over (moved into the past here, as the clock would), the new one alone.
    await t.container.db.query(
      `UPDATE controllers SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
      [c.id],
    );
    await ingest('After the grace period');
    partner.secret = first;
    const refused = await sync(c.id);
    expect(refused.status).toBe('FAILED');
    expect(partner.requests[partner.requests.length - 1]!.verified).toBe(false);
    partner.secret = rotated.body.secret;
    const accepted = await sync(c.id);
    expect(accepted.counts).toEqual(counts({ pushed: 1 }));
    expect(partner.requests[partner.requests.length - 1]!.verified).toBe(true);

    // graceSeconds=0: the old secret stops at once.
    const immediate = await api<{ secret: string; previousSecretExpiresAt: string | null }>(
      'POST',
      `/v1/controllers/${c.id}/rotate-secret?graceSeconds=0`,
    );
    expect(immediate.body.previousSecretExpiresAt).toBeNull();
    await ingest('After the second rotation');
    partner.secret = rotated.body.secret;
    expect((await sync(c.id)).status).toBe('FAILED');
    partner.secret = immediate.body.secret;
    expect((await sync(c.id)).counts).toEqual(counts({ pushed: 1 }));

    const audit = await t.container.db.query<{ details: unknown }>(
      `SELECT details FROM action_records WHERE tenant_id = $1 AND action_type = 'CONTROLLER_SECRET_ROTATE'`,
      [tenant],
    );
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit[0]!.details)).toContain(c.id);
    expect(JSON.stringify(audit[0]!.details)).not.toContain('whsec_');

    // Only a partner push has a secret; another tenant finds no such controller.
    await mkdir(join(root, tenant, 'out'), { recursive: true });
    const folder = await create({
      name: 'Sidecars',
      kind: 'sidecar-folder',
      configuration: { path: 'out' },
    });
    expect((await api('POST', `/v1/controllers/${folder.id}/rotate-secret`)).status).toBe(404);
    expect((await other.api('POST', `/v1/controllers/${c.id}/rotate-secret`)).status).toBe(404);
  });

  it('partner push: a run whose lease another run took over delivers no further batch', async () => {
    const tenant = `push-lease-${backend}`;
    const { create, sync, ingest } = await as(tenant);
    await ingest('One');
    await ingest('Two');
    await ingest('Three');
    const c = await create({
      name: 'Partner',
      kind: 'partner-push',
      configuration: { url: partner.url, batchSize: 1, attempts: 1 },
    });
    partner.secret = c.secret!;
    // While the partner takes the first batch, the run stalls past its lease and another run takes over.
    partner.onRequest = async (body) => {
      if (body.controllerId !== c.id) return;
      await t.container.db.query('UPDATE controllers SET lease_run_id = gen_random_uuid() WHERE id = $1', [
        c.id,
      ]);
    };
    try {
      const run = await sync(c.id);
      expect(run.error).toMatch(/another run took the controller over/);
    } finally {
      partner.onRequest = undefined;
    }
    expect(partner.requests.filter((r) => r.body.controllerId === c.id)).toHaveLength(1);
  });

  it.skipIf(backend !== 'postgres')(
    'partner push: a change of a transaction still open is not passed over by a later one',
    async () => {
      const tenant = `push-open-${backend}`;
      const { create, sync, ingest } = await as(tenant);
      const early = await ingest('Written in a long transaction');
      const late = await ingest('Written after it started');
      const c = await create({
        name: 'Partner',
        kind: 'partner-push',
        configuration: { url: partner.url, batchSize: 10, attempts: 1 },
      });
      partner.secret = c.secret!;
      const sent = () =>
        partner.requests
          .filter((r) => r.body.controllerId === c.id && r.status === 200)
          .flatMap((r) => r.body.records.map((x) => x.assetId));
      await sync(c.id);
      expect(new Set(sent())).toEqual(new Set([early, late]));
      const before = sent().length;
      // A writer opens its transaction (its changes stamped with its start), another commits after it.
      await t.container.db.transaction(async (tx) => {
        await tx.query(`UPDATE assets SET title = 'Retitled late', updated_at = now() WHERE id = $1`, [
          early,
        ]);
        await new Promise((r) => setTimeout(r, 20));
        await t.container.db.query(
          `UPDATE assets SET title = 'Retitled', updated_at = clock_timestamp() WHERE id = $1`,
          [late],
        );
        // While the first is open, neither is sent: the cursor would otherwise move past its change.
        await sync(c.id);
        expect(sent().length).toBe(before);
      });
      await sync(c.id);
      expect(sent().slice(before)).toEqual([early, late]);
    },
  );

  it('sidecar folder: a file system error reaches the tenant as its code and a path in its folder, never the service’s', async () => {
    const tenant = `sidecar-err-${backend}`;
    const { create, sync, api, ingest } = await as(tenant);
    const id = await ingest('Blocked');
    const out = join(root, tenant, 'out');
    // A folder where the sidecar would go: it cannot be written over.
    await mkdir(join(out, `${id}.json`), { recursive: true });
    const c = await create({ name: 'Sidecars', kind: 'sidecar-folder', configuration: { path: 'out' } });
    const failed = await sync(c.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(
      new RegExp(`^could not write ${id}\\.json: EISDIR on out/\\.${id}\\.[0-9a-f]+\\.tmp$`),
    );
    const lastError = (await api<{ lastError: string }>('GET', `/v1/controllers/${c.id}`)).body.lastError;
    expect(lastError).toBe(failed.error);
    expect(lastError).not.toContain(root);
  });

  it('sidecar folder: one <assetId>.json per changed asset, written whole, removed for a deleted asset; an unwritable folder loses nothing', async () => {
    const tenant = `sidecar-${backend}`;
    const { create, sync, api, ingest } = await as(tenant);
    const other = await as(`sidecar-other-${backend}`);
    await other.ingest('Someone else’s');
    const out = join(root, tenant, 'out');
    await mkdir(out, { recursive: true });
    await symlink(outside, join(root, tenant, 'link-out'));
    const ids = [await ingest('Currents'), await ingest('Tides')];
    // Changes younger than the settle window wait for a later run (CONTROLLER_EGRESS_SETTLE_MS).
    expect(await assetsRepository.changedSince(t.container.db, tenant, undefined, 10, 60_000)).toEqual([]);
    expect(await assetsRepository.changedSince(t.container.db, tenant, undefined, 10, 0)).toHaveLength(2);

    const escape = await api<{ detail: string }>('POST', '/v1/controllers', {
      name: 'Out',
      kind: 'sidecar-folder',
      configuration: { path: 'link-out' },
    });
    expect(escape.status).toBe(400);
    expect(escape.body.detail).toMatch(/outside the tenant's folder/);

    const c = await create({
      name: 'Sidecars',
      kind: 'sidecar-folder',
      configuration: { path: 'out' },
    });
    expect(c.direction).toBe('egress');
    const first = await sync(c.id);
    expect(first.counts).toEqual(counts({ written: 2 }));
    expect((await readdir(out)).sort()).toEqual(ids.map((id) => `${id}.json`).sort());
    const sidecar = JSON.parse(await readFile(join(out, `${ids[0]}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(sidecar).toMatchObject({
      op: 'upsert',
      assetId: ids[0],
      asset: { title: 'Currents', tags: ['ocean'] },
    });

    // The folder goes away: the run fails, the controller is unhealthy, the cursor stays.
    const cursor = await cursorOf(c.id);
    expect((await api('DELETE', `/v1/assets/${ids[1]}`)).status).toBe(204);
    const third = await ingest('Waves');
    await rm(out, { recursive: true });
    const failed = await sync(c.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/no folder/);
    expect(await cursorOf(c.id)).toBe(cursor);
    expect((await api<Record<string, unknown>>('GET', `/v1/controllers/${c.id}`)).body).toMatchObject({
      health: 'unhealthy',
    });

    // Back: the deleted asset's file is removed (none here), the new one written; nothing else.
    await mkdir(out);
    await writeFile(join(out, `${ids[1]}.json`), '{"stale":true}');
    const healed = await sync(c.id);
    expect(healed).toMatchObject({ status: 'SUCCEEDED' });
    expect(healed.counts).toEqual(counts({ written: 2 }));
    expect(await readdir(out)).toEqual([`${third}.json`]);
  });
});

describe('folder kinds without a controller folder root', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ backend: 'pglite', workers: false, env: { CONTROLLER_TICK_MS: '0' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(['watched-folder', 'sidecar-folder'])(
    'refuses the %s kind with a 400 that says why',
    async (kind) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/controllers',
        headers: await t.keyFor('default', 'ADMIN'),
        payload: { name: 'Folder', kind, configuration: { path: 'inbox' } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ detail: string }>().detail).toMatch(/CONTROLLER_FOLDER_ROOT/);
    },
  );
});
