import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  ingestNamed,
  projectedIn as projectedInProjections,
  type TestApp,
} from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

type Key = { authorization: string };
interface AssetDto {
  id: string;
  status: string;
  version: number;
  legalHold: boolean;
}

/** Webhook deliveries on loopback: every body received. */
class Receiver {
  readonly bodies: { type: string; data: { assetId: string; purged?: boolean } }[] = [];
  private server!: Server;
  url = '';
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Receiver['bodies'][number]);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * The asset lifecycle through HTTP (issue 25, "Delete, archive, erase"): a delete or a purge leaves
 * nothing findable, an archive hides and a restore brings back, a legal hold blocks both, and
 * refused requests change nothing. On the embedded default and on a Postgres server alike (the
 * suite runs on whichever backend the run is configured with).
 */
describe('asset lifecycle: delete, archive, purge, legal hold', () => {
  const receiver = new Receiver();
  let t: TestApp;
  let admin: Key, manager: Key, editor: Key, viewer: Key;
  const ids: Record<string, string> = {};
  const inputs = {
    doomed: anAssetInput({
      title: 'Kelp forest restoration',
      description: 'Divers replant kelp along the reef.',
      speakers: ['Mara Quill'],
      tags: ['kelp', 'reef'],
    }),
    sibling: anAssetInput({
      title: 'Kelp harvest at dawn',
      description: 'Harvesting kelp on the reef at first light.',
      speakers: ['Mara Quill'],
      tags: ['kelp', 'reef'],
    }),
    archivable: anAssetInput({
      title: 'Tidal pool census',
      description: 'Counting kelp crabs in the reef pools.',
      speakers: ['Mara Quill'],
      tags: ['kelp', 'reef'],
    }),
    held: anAssetInput({ title: 'Seagrass meadow survey', tags: ['seagrass'] }),
    secret: anAssetInput({
      title: 'Urchin barren mapping',
      description: 'Sonar over the barrens.',
      transcript: 'the quokkaflux readings rose',
      tags: ['urchin'],
    }),
    tombstoned: anAssetInput({ title: 'Sunflower star decline', tags: ['starfish'] }),
  };

  beforeAll(async () => {
    await receiver.start();
    t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_BACKOFF_MS: '20' } });
    admin = await t.keyFor('default', 'ADMIN');
    manager = await t.keyFor('default', 'CONTENT_MANAGER');
    editor = await t.keyFor('default', 'EDITOR');
    viewer = await t.keyFor('default', 'VIEWER');
    const hook = await call(admin, 'POST', '/v1/webhooks', { url: receiver.url, events: ['asset.deleted'] });
    expect(hook.statusCode, hook.body).toBe(201);
    Object.assign(ids, await ingestNamed(t, editor, inputs));
    // The sibling's editor link to the doomed asset: a related reason of another asset.
    const link = await call(editor, 'PUT', `/v1/assets/${ids.sibling}/links/${ids.doomed}?wait=true`, {
      note: 'same reef',
    });
    expect(link.statusCode, link.body).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await receiver.close();
  });

  const call = (key: Key, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers: key, ...(payload ? { payload } : {}) });
  const searchIds = async (q: string, extra = '') => {
    const res = await call(viewer, 'GET', `/v1/search?q=${encodeURIComponent(q)}${extra}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => h.asset.id);
  };
  const relatedIds = async (id: string) => {
    const res = await call(viewer, 'GET', `/v1/assets/${id}/related?limit=20`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: { asset: { id: string } }[] }>().items.map((i) => i.asset.id);
  };
  const suggested = async (prefix: string) =>
    (await call(viewer, 'GET', `/v1/suggest?q=${encodeURIComponent(prefix)}`))
      .json<{ suggestions: { value: string; assetId?: string }[] }>()
      .suggestions.map((s) => s.value);
  const graphIds = async (id: string) => {
    const res = await call(viewer, 'GET', `/v1/graph/neighborhood/${id}?depth=2&limit=100`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ nodes: { id: string }[] }>().nodes.map((n) => n.id);
  };
  const exported = async () => (await call(admin, 'GET', '/v1/exports/assets.csv')).body;
  const projectedIn = (id: string) => projectedInProjections(t, id);
  const poll = { timeout: 60_000, interval: 100 };

  it('delete: gone from every read and projection, announced, the row kept as a tombstone', async () => {
    expect(await searchIds('restoration')).toContain(ids.doomed);
    expect(await relatedIds(ids.sibling!)).toContain(ids.doomed);
    expect(await suggested('Kelp forest')).toContain('Kelp forest restoration');

    const res = await call(
      manager,
      'DELETE',
      `/v1/assets/${ids.doomed}?reason=${encodeURIComponent('duplicate')}`,
    );
    expect(res.statusCode, res.body).toBe(204);

    for (const url of [
      `/v1/assets/${ids.doomed}`,
      `/v1/assets/${ids.doomed}/versions`,
      `/v1/assets/${ids.doomed}/related`,
    ])
      expect((await call(viewer, 'GET', url)).statusCode, url).toBe(404);
    await expect.poll(() => projectedIn(ids.doomed!), poll).toBe(0);
    expect(await searchIds('restoration')).not.toContain(ids.doomed);
    expect(await searchIds('kelp')).not.toContain(ids.doomed);
    expect(await suggested('Kelp forest')).not.toContain('Kelp forest restoration');
    expect(await relatedIds(ids.sibling!)).not.toContain(ids.doomed);
    expect(await graphIds(ids.sibling!)).not.toContain(ids.doomed);
    expect(await exported()).not.toContain(ids.doomed);
    const listed = (await call(viewer, 'GET', '/v1/assets?limit=100')).json<{ items: { id: string }[] }>();
    expect(listed.items.map((a) => a.id)).not.toContain(ids.doomed);

    const [row] = await t.container.db.query<{ deleted_at: Date | null }>(
      'SELECT deleted_at FROM assets WHERE id = $1',
      [ids.doomed],
    );
    expect(row?.deleted_at).toBeTruthy();
    await expect
      .poll(
        () =>
          receiver.bodies.filter((b) => b.data.assetId === ids.doomed).map((b) => [b.type, b.data.purged]),
        poll,
      )
      .toEqual([['asset.deleted', false]]);
    const audit = (await call(admin, 'GET', `/v1/actions?limit=50`)).json<{
      items: { actionType: string; assetId: string | null; details: Record<string, unknown> }[];
    }>();
    expect(
      audit.items.find((a) => a.actionType === 'DELETE' && a.assetId === ids.doomed)?.details,
    ).toMatchObject({
      reason: 'duplicate',
    });
    // Deleted once: a second delete finds nothing.
    expect((await call(manager, 'DELETE', `/v1/assets/${ids.doomed}`)).statusCode).toBe(404);
  });

  it("re-ingesting a deleted asset's content creates a new asset", async () => {
    const res = await call(editor, 'POST', '/v1/assets?wait=true', inputs.doomed);
    expect(res.statusCode, res.body).toBe(201);
    const { asset, duplicate } = res.json<{ asset: { id: string }; duplicate: boolean }>();
    expect(duplicate).toBe(false);
    expect(asset.id).not.toBe(ids.doomed);
    expect(await searchIds('restoration')).toEqual([asset.id]);
    // And that one is a duplicate of itself again.
    const again = await call(editor, 'POST', '/v1/assets', inputs.doomed);
    expect(again.json<{ duplicate: boolean }>().duplicate).toBe(true);
  });

  it('drift holds a tombstone "must be absent": one a projection still holds is an orphan, and repair removes it', async () => {
    // A tombstone whose projections were never told: as after a lost job.
    await t.container.db.query('UPDATE assets SET deleted_at = now() WHERE id = $1', [ids.tombstoned]);
    expect(await projectedIn(ids.tombstoned!)).toBe(2);
    const check = await t.container.drift.check({ graceMs: 0, record: false });
    expect(check.samples.filter((s) => s.assetId === ids.tombstoned).map((s) => s.kind)).toEqual([
      'orphaned',
      'orphaned',
    ]);
    await t.container.drift.check({ graceMs: 0, record: false, repair: true });
    expect(await projectedIn(ids.tombstoned!)).toBe(0);
    const after = await t.container.drift.check({ graceMs: 0, record: false });
    expect(after.samples.filter((s) => s.assetId === ids.tombstoned)).toEqual([]);
  });

  it('archive hides from search and related content, status=ARCHIVED finds it, restore brings it back', async () => {
    await expect.poll(() => relatedIds(ids.sibling!), poll).toContain(ids.archivable);
    const archived = await call(
      editor,
      'POST',
      `/v1/assets/${ids.archivable}/archive?reason=${encodeURIComponent('season over')}`,
    );
    expect(archived.statusCode, archived.body).toBe(200);
    const dto = archived.json<AssetDto>();
    expect(dto.status).toBe('ARCHIVED');

    await expect.poll(() => searchIds('census'), poll).toEqual([]);
    expect(await searchIds('census', '&status=ARCHIVED')).toEqual([ids.archivable]);
    expect(await relatedIds(ids.sibling!)).not.toContain(ids.archivable);
    expect((await call(viewer, 'GET', `/v1/assets/${ids.archivable}`)).json<AssetDto>().status).toBe(
      'ARCHIVED',
    );
    // Archiving again changes nothing; an edit waits for a restore.
    const again = await call(editor, 'POST', `/v1/assets/${ids.archivable}/archive`);
    expect(again.json<AssetDto>().version).toBe(dto.version);
    const edit = await call(editor, 'PATCH', `/v1/assets/${ids.archivable}`, { title: 'Renamed' });
    expect(edit.statusCode, edit.body).toBe(409);

    const restored = await call(editor, 'POST', `/v1/assets/${ids.archivable}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json<AssetDto>()).toMatchObject({ status: 'PROCESSED', version: dto.version + 1 });
    await expect.poll(() => searchIds('census'), poll).toEqual([ids.archivable]);
    await expect.poll(() => relatedIds(ids.sibling!), poll).toContain(ids.archivable);

    const actions = (await call(viewer, 'GET', `/v1/assets/${ids.archivable}/actions`)).json<{
      items: { actionType: string; details: Record<string, unknown> }[];
    }>();
    expect(actions.items.map((a) => a.actionType)).toEqual(expect.arrayContaining(['ARCHIVE', 'RESTORE']));
    expect(actions.items.find((a) => a.actionType === 'ARCHIVE')?.details).toMatchObject({
      reason: 'season over',
    });
  });

  it('a legal hold blocks delete and purge with 409 legal-hold; only an ADMIN sets it', async () => {
    const hold = (key: Key, legalHold: boolean) =>
      call(key, 'PUT', `/v1/assets/${ids.held}/legal-hold`, { legalHold, reason: 'litigation' });
    expect((await hold(editor, true)).statusCode).toBe(403);
    expect((await hold(manager, true)).statusCode).toBe(403);
    const set = await hold(admin, true);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json<AssetDto>().legalHold).toBe(true);

    for (const [key, url] of [
      [manager, `/v1/assets/${ids.held}`],
      [admin, `/v1/assets/${ids.held}?purge=true&reason=cleanup`],
    ] as const) {
      const res = await call(key, 'DELETE', url);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ type: '/problems/legal-hold', assetId: ids.held });
    }
    const still = await call(viewer, 'GET', `/v1/assets/${ids.held}`);
    expect(still.statusCode).toBe(200);
    expect(still.json<AssetDto>().legalHold).toBe(true);

    expect((await hold(admin, false)).json<AssetDto>().legalHold).toBe(false);
    expect((await call(manager, 'DELETE', `/v1/assets/${ids.held}`)).statusCode).toBe(204);
  });

  it('refuses a purge to all but an ADMIN, and bad input, changing nothing', async () => {
    const before = (await call(viewer, 'GET', `/v1/assets/${ids.secret}`)).json<AssetDto>();
    const purge = `/v1/assets/${ids.secret}?purge=true&reason=request`;
    for (const key of [viewer, editor, manager])
      expect((await call(key, 'DELETE', purge)).statusCode).toBe(403);
    // Deleting at all needs assets:delete, which an editor and a viewer lack.
    for (const key of [viewer, editor])
      expect((await call(key, 'DELETE', `/v1/assets/${ids.secret}`)).statusCode).toBe(403);
    expect((await call(admin, 'DELETE', `/v1/assets/${ids.secret}?purge=true`)).statusCode).toBe(400);
    expect((await call(admin, 'DELETE', `/v1/assets/${ids.secret}?purge=maybe&reason=x`)).statusCode).toBe(
      400,
    );
    expect((await call(admin, 'DELETE', `/v1/assets/not-a-uuid?purge=true&reason=x`)).statusCode).toBe(400);
    expect((await call(admin, 'DELETE', `/v1/assets/${randomUUID()}?purge=true&reason=x`)).statusCode).toBe(
      404,
    );
    expect((await call(admin, 'POST', `/v1/assets/${randomUUID()}/archive`)).statusCode).toBe(404);
    const legal = await call(admin, 'PUT', `/v1/assets/${ids.secret}/legal-hold`, { legalHold: 'yes' });
    expect(legal.statusCode).toBe(400);

    const after = await call(viewer, 'GET', `/v1/assets/${ids.secret}`);
    expect(after.statusCode).toBe(200);
    expect(after.json<AssetDto>()).toMatchObject({
      version: before.version,
      status: before.status,
      legalHold: false,
    });
    expect(await searchIds('quokkaflux')).toEqual([ids.secret]);
  });

  it('purge: erases the row and every version snapshot, leaving an audit record without content', async () => {
    // A version beyond the ingest's, so there are snapshots to erase.
    const edited = await call(editor, 'PATCH', `/v1/assets/${ids.secret}?wait=true`, {
      title: 'Urchin barren survey',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const res = await call(
      admin,
      'DELETE',
      `/v1/assets/${ids.secret}?purge=true&reason=${encodeURIComponent('GDPR request 42')}`,
    );
    expect(res.statusCode, res.body).toBe(204);

    expect((await call(viewer, 'GET', `/v1/assets/${ids.secret}`)).statusCode).toBe(404);
    expect((await call(viewer, 'GET', `/v1/assets/${ids.secret}/versions/1`)).statusCode).toBe(404);
    for (const table of ['assets', 'asset_versions'] as const) {
      const column = table === 'assets' ? 'id' : 'asset_id';
      const [n] = await t.container.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`,
        [ids.secret],
      );
      expect(n!.n, table).toBe(0);
    }
    await expect.poll(() => projectedIn(ids.secret!), poll).toBe(0);
    expect(await searchIds('quokkaflux')).toEqual([]);
    expect(await suggested('Urchin')).toEqual([]);
    expect(await exported()).not.toContain(ids.secret);

    const [record] = await t.container.db.query<{
      actor: string;
      details: Record<string, unknown>;
      created_at: Date;
    }>(
      `SELECT actor, details, created_at FROM action_records WHERE asset_id = $1 AND action_type = 'PURGE'`,
      [ids.secret],
    );
    expect(record).toMatchObject({
      actor: expect.stringMatching(/^key:/),
      details: { reason: 'GDPR request 42', wasDeleted: false },
    });
    expect(JSON.stringify(record!.details)).not.toMatch(/urchin|quokkaflux|sonar/i);
    await expect
      .poll(
        () =>
          receiver.bodies.filter((b) => b.data.assetId === ids.secret).map((b) => [b.type, b.data.purged]),
        poll,
      )
      .toEqual([['asset.deleted', true]]);
  });

  it('purges a tombstone too', async () => {
    // The held asset was deleted above once its hold was lifted.
    const res = await call(admin, 'DELETE', `/v1/assets/${ids.held}?purge=true&reason=retention`);
    expect(res.statusCode, res.body).toBe(204);
    const [n] = await t.container.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM assets WHERE id = $1',
      [ids.held],
    );
    expect(n!.n).toBe(0);
    expect((await call(admin, 'DELETE', `/v1/assets/${ids.held}?purge=true&reason=again`)).statusCode).toBe(
      404,
    );
  });

  it("another tenant's key can neither delete, archive nor purge", async () => {
    const other = await t.keyFor('other-tenant', 'ADMIN');
    expect((await call(other, 'DELETE', `/v1/assets/${ids.sibling}?purge=true&reason=x`)).statusCode).toBe(
      404,
    );
    expect((await call(other, 'POST', `/v1/assets/${ids.sibling}/archive`)).statusCode).toBe(404);
    expect((await call(viewer, 'GET', `/v1/assets/${ids.sibling}`)).statusCode).toBe(200);
  });
});
