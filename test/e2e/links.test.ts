import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface RelatedItem {
  asset: { id: string };
  reasons: { type: string; name: string; contribution: number }[];
}

describe("editors' related_to links", () => {
  let t: TestApp;
  let editor: { authorization: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    editor = await t.keyFor('default', 'EDITOR');
    const assets = {
      concert: anAssetInput({ title: 'Live at the harbour', speakers: ['Ines Ortega'], tags: ['cello'] }),
      interview: anAssetInput({ title: 'Backstage questions', speakers: ['Tom Hale'], tags: ['touring'] }),
      other: anAssetInput({ title: 'Glacier survey', tags: ['ice'] }),
    };
    Object.assign(ids, await ingestNamed(t, editor, assets));
  }, 60_000);
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object, headers = editor) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const related = async (id: string) =>
    (await call('GET', `/v1/assets/${id}/related?limit=10`)).json<{ items: RelatedItem[] }>().items;
  const versionOf = async (id: string) =>
    (await call('GET', `/v1/assets/${id}`)).json<{ version: number }>().version;

  it('links two assets so that each is related to the other, with the note as the reason', async () => {
    const before = await versionOf(ids.concert!);
    const res = await call('PUT', `/v1/assets/${ids.concert}/links/${ids.interview}?wait=true`, {
      note: 'same tour',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      link: {
        targetId: ids.interview,
        note: 'same tour',
        createdBy: expect.stringMatching(/^key:/),
        createdAt: expect.any(String),
      },
      version: before + 1,
    });

    const fromConcert = await related(ids.concert!);
    expect(fromConcert[0]!.asset.id).toBe(ids.interview);
    expect(fromConcert[0]!.reasons).toContainEqual({
      type: 'RELATED_TO',
      name: 'same tour',
      contribution: 5,
    });
    expect((await related(ids.interview!)).map((i) => i.asset.id)).toContain(ids.concert);

    const links = (await call('GET', `/v1/assets/${ids.interview}/links`)).json();
    expect(links).toEqual({
      outgoing: [],
      incoming: [expect.objectContaining({ sourceId: ids.concert, note: 'same tour' })],
    });
    const asset = (await call('GET', `/v1/assets/${ids.concert}`)).json<{ links: unknown[] }>();
    expect(asset.links).toEqual([expect.objectContaining({ targetId: ids.interview })]);
  });

  it('records the change as a version with an audit row, and a repeat changes nothing', async () => {
    const version = await versionOf(ids.concert!);
    const again = await call('PUT', `/v1/assets/${ids.concert}/links/${ids.interview}`, {
      note: 'same tour',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<{ version: number }>().version).toBe(version);

    const versions = await t.container.db.query<{
      change_kind: string;
      reason: string;
      snapshot: { links: unknown[] };
    }>(`SELECT change_kind, reason, snapshot FROM asset_versions WHERE asset_id = $1 AND version = $2`, [
      ids.concert,
      version,
    ]);
    expect(versions).toEqual([
      {
        change_kind: 'EDIT',
        reason: 'link',
        snapshot: expect.objectContaining({ links: [expect.anything()] }),
      },
    ]);
    const actions = await t.container.db.query<{ action_type: string }>(
      `SELECT action_type FROM action_records WHERE asset_id = $1 AND action_type LIKE 'ASSET_%LINK'`,
      [ids.concert],
    );
    expect(actions).toEqual([{ action_type: 'ASSET_LINK' }]);
  });

  it('rejects a self link, an unknown target, a long note, and a VIEWER, changing nothing', async () => {
    const version = await versionOf(ids.other!);
    const self = await call('PUT', `/v1/assets/${ids.other}/links/${ids.other}`, {});
    expect(self.statusCode).toBe(400);
    expect(self.json()).toMatchObject({ detail: 'an asset cannot be linked to itself' });
    const unknown = await call(
      'PUT',
      `/v1/assets/${ids.other}/links/00000000-0000-4000-8000-000000000000`,
      {},
    );
    expect(unknown.statusCode).toBe(404);
    const long = await call('PUT', `/v1/assets/${ids.other}/links/${ids.concert}`, { note: 'x'.repeat(501) });
    expect(long.statusCode).toBe(400);
    const viewer = await t.keyFor('default', 'VIEWER');
    const denied = await call('PUT', `/v1/assets/${ids.other}/links/${ids.concert}`, {}, viewer);
    expect(denied.statusCode).toBe(403);
    expect(await versionOf(ids.other!)).toBe(version);
  });

  it("never links across tenants: another tenant's asset is not found", async () => {
    const globex = await t.keyFor('globex', 'EDITOR');
    expect((await call('PUT', `/v1/assets/${ids.other}/links/${ids.concert}`, {}, globex)).statusCode).toBe(
      404,
    );
    expect((await call('GET', `/v1/assets/${ids.concert}/links`, undefined, globex)).statusCode).toBe(404);
  });

  it('removes a link, and related content forgets it', async () => {
    const res = await call('DELETE', `/v1/assets/${ids.concert}/links/${ids.interview}?wait=true`);
    expect(res.statusCode).toBe(204);
    const reasons = (await related(ids.concert!)).flatMap((i) => i.reasons.map((r) => r.type));
    expect(reasons).not.toContain('RELATED_TO');
    expect((await call('DELETE', `/v1/assets/${ids.concert}/links/${ids.interview}`)).statusCode).toBe(404);
  });
});
