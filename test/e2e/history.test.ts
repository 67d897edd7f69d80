import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface VersionEntry {
  version: number;
  changeKind: string;
  changedBy: string;
  changedByName: string;
  summary: string;
  reason: string | null;
  createdAt: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
  added?: unknown[];
  removed?: unknown[];
  summary: string;
}
interface Action {
  id: string;
  assetId: string | null;
  actionType: string;
  status: string;
  actor: string;
  details: Record<string, unknown>;
  startedAt: string;
}

describe('asset history: versions, diffs, rollback and the audit trail', () => {
  let t: TestApp;
  let editor: { authorization: string };
  const ids: Record<string, string> = {};
  let beforeRollbacks = '';

  beforeAll(async () => {
    t = await createTestApp();
    editor = await t.keyFor('default', 'EDITOR');
    const assets = {
      concert: anAssetInput({
        title: 'Live at the harbour',
        description: 'A harbour concert, sponsored by Coca-Cola.',
        speakers: ['Ines Ortega'],
        tags: ['cello'],
      }),
      interview: anAssetInput({ title: 'Backstage questions', speakers: ['Tom Hale'], tags: ['touring'] }),
      glacier: anAssetInput({ title: 'Glacier survey', tags: ['ice'] }),
      fjord: anAssetInput({ title: 'Fjord soundings', tags: ['ice'] }),
    };
    Object.assign(ids, await ingestNamed(t, editor, assets));
  }, 60_000);
  afterAll(() => t?.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    opts: { payload?: object; headers?: Record<string, string>; ifMatch?: number } = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        ...(opts.headers ?? editor),
        ...(opts.ifMatch === undefined ? {} : { 'if-match': `"${opts.ifMatch}"` }),
      },
      ...(opts.payload ? { payload: opts.payload } : {}),
    });
  const get = async <T>(url: string, status = 200) => {
    const res = await call('GET', url);
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const versions = async (id: string) =>
    (await get<Page<VersionEntry>>(`/v1/assets/${id}/versions?limit=100`)).items;
  const brandHits = async () =>
    (await get<{ hits: { asset: { id: string } }[] }>('/v1/search?brand=Coca-Cola')).hits.map(
      (h) => h.asset.id,
    );
  const relatedReasons = async (id: string) =>
    (
      await get<{ items: { asset: { id: string }; reasons: { type: string }[] }[] }>(
        `/v1/assets/${id}/related?limit=10`,
      )
    ).items.flatMap((i) => i.reasons.map((r) => r.type));

  it('lists the versions of ingest, enrichment and a link, newest first and paged', async () => {
    const link = await call('PUT', `/v1/assets/${ids.concert}/links/${ids.interview}?wait=true`, {
      payload: { note: 'same tour' },
      ifMatch: 2,
    });
    expect(link.statusCode, link.body).toBe(201);

    expect(await versions(ids.concert!)).toEqual([
      {
        version: 3,
        changeKind: 'EDIT',
        changedBy: expect.stringMatching(/^key:/),
        // The key's name beside its id, and what the version changed in words.
        changedByName: 'test-EDITOR',
        summary: `linked to ${ids.interview} ('same tour')`,
        reason: 'link',
        createdAt: expect.any(String),
      },
      expect.objectContaining({
        version: 2,
        changeKind: 'ENRICHMENT',
        changedBy: 'worker:enrichment',
        changedByName: 'enrichment worker',
        summary: expect.stringContaining("status 'QUEUED' → 'PROCESSED'"),
      }),
      expect.objectContaining({
        version: 1,
        changeKind: 'INGEST',
        changedBy: expect.stringMatching(/^key:/),
        changedByName: 'test-EDITOR',
        summary: 'ingested',
      }),
    ]);

    const first = await get<Page<VersionEntry>>(`/v1/assets/${ids.concert}/versions?limit=2`);
    expect(first.items.map((v) => v.version)).toEqual([3, 2]);
    const second = await get<Page<VersionEntry>>(
      `/v1/assets/${ids.concert}/versions?limit=2&cursor=${first.nextCursor}`,
    );
    expect(second).toEqual({ items: [expect.objectContaining({ version: 1 })], nextCursor: null });
    await get(`/v1/assets/${ids.concert}/versions?cursor=nonsense`, 400);
  });

  it('gives each version its snapshot, and field-level diffs between versions', async () => {
    const v1 = await get<{ snapshot: Record<string, unknown> }>(`/v1/assets/${ids.concert}/versions/1`);
    expect(v1.snapshot).toMatchObject({ title: 'Live at the harbour', enrichment: null, links: [] });

    const link = await get<{ changes: FieldChange[] }>(`/v1/assets/${ids.concert}/versions/3/diff`);
    const linked = expect.objectContaining({ targetId: ids.interview, note: 'same tour' });
    expect(link).toEqual({
      from: 2,
      to: 3,
      changes: [
        {
          field: 'links',
          old: [],
          new: [linked],
          added: [linked],
          removed: [],
          updated: [],
          summary: `linked to ${ids.interview} ('same tour')`,
        },
      ],
      summary: `linked to ${ids.interview} ('same tour')`,
    });

    const ingest = await get<{ from: number; changes: FieldChange[] }>(
      `/v1/assets/${ids.concert}/versions/1/diff`,
    );
    expect(ingest.from).toBe(0);
    expect(ingest.changes).toContainEqual({
      field: 'title',
      old: null,
      new: 'Live at the harbour',
      summary: "set title to 'Live at the harbour'",
    });

    const enrichment = await get<{ changes: FieldChange[] }>(`/v1/assets/${ids.concert}/versions/2/diff`);
    expect(enrichment.changes).toContainEqual(
      expect.objectContaining({ field: 'status', old: 'QUEUED', new: 'PROCESSED' }),
    );
    expect(enrichment.changes).toContainEqual(expect.objectContaining({ field: 'enrichment', old: null }));

    const across = await get<{ from: number; to: number; changes: FieldChange[] }>(
      `/v1/assets/${ids.concert}/versions/3/diff?against=1`,
    );
    expect([across.from, across.to]).toEqual([1, 3]);
    expect(across.changes.map((c) => c.field)).toEqual(['enrichment', 'links', 'status']);

    await get(`/v1/assets/${ids.concert}/versions/9`, 404);
    await get(`/v1/assets/${ids.concert}/versions/9/diff`, 404);
    await get(`/v1/assets/${ids.concert}/versions/3/diff?against=9`, 404);
    await get(`/v1/assets/${ids.concert}/versions/0`, 400);
  });

  it('rolls back as a new version that search and related content reflect', async () => {
    beforeRollbacks = new Date().toISOString();
    expect(await brandHits()).toEqual([ids.concert]);
    expect(await relatedReasons(ids.concert!)).toContain('RELATED_TO');

    // Back to the ingested state: no enrichment, no link.
    const res = await call('POST', `/v1/assets/${ids.concert}/rollback?wait=true`, {
      payload: { version: 1, reason: 'wrong brand' },
      ifMatch: 3,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      version: 4,
      restoredFrom: 1,
      changedFields: expect.arrayContaining(['enrichment', 'links']),
      summary: expect.stringContaining(`unlinked from ${ids.interview}`),
    });
    expect(res.headers.location).toBe(`/v1/assets/${ids.concert}/versions/4`);
    // The restored snapshot, except that the asset stays PROCESSED.
    expect(await get(`/v1/assets/${ids.concert}/versions/4/diff?against=1`)).toEqual({
      from: 1,
      to: 4,
      changes: [
        { field: 'status', old: 'QUEUED', new: 'PROCESSED', summary: "status 'QUEUED' → 'PROCESSED'" },
      ],
      summary: "status 'QUEUED' → 'PROCESSED'",
    });
    const asset = await get<{ version: number; enrichment: unknown; links: unknown[] }>(
      `/v1/assets/${ids.concert}`,
    );
    expect(asset).toMatchObject({ version: 4, enrichment: null, links: [] });
    expect(await brandHits()).toEqual([]);
    expect(await relatedReasons(ids.concert!)).not.toContain('RELATED_TO');

    // Forward again, through the body's expectedVersion this time.
    const again = await call('POST', `/v1/assets/${ids.concert}/rollback?wait=true`, {
      payload: { version: 3, expectedVersion: 4 },
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(await get(`/v1/assets/${ids.concert}/versions/5/diff?against=3`)).toMatchObject({ changes: [] });
    expect(await brandHits()).toEqual([ids.concert]);
    expect(await relatedReasons(ids.concert!)).toContain('RELATED_TO');

    // Restoring the state the asset is in still records a version, changing nothing else.
    const same = await call('POST', `/v1/assets/${ids.concert}/rollback`, {
      payload: { version: 5 },
      ifMatch: 5,
    });
    expect(same.statusCode, same.body).toBe(201);
    expect(same.json()).toEqual({ version: 6, restoredFrom: 5, changedFields: [], summary: '' });

    expect((await versions(ids.concert!)).slice(0, 3)).toEqual([
      expect.objectContaining({ version: 6, changeKind: 'ROLLBACK', reason: 'restores version 5' }),
      expect.objectContaining({ version: 5, changeKind: 'ROLLBACK', reason: 'restores version 3' }),
      expect.objectContaining({
        version: 4,
        changeKind: 'ROLLBACK',
        reason: 'restores version 1: wrong brand',
      }),
    ]);
    const actions = await get<Page<Action>>(`/v1/assets/${ids.concert}/actions?limit=3`);
    expect(actions.items.map((a) => [a.actionType, a.details.restoredVersion, a.details.toVersion])).toEqual([
      ['ASSET_ROLLBACK', 5, 6],
      ['ASSET_ROLLBACK', 3, 5],
      ['ASSET_ROLLBACK', 1, 4],
    ]);
    expect(actions.items[2]!.details).toMatchObject({ reason: 'wrong brand', fromVersion: 3 });
  });

  it('refuses a stale or missing version with 412 or 428, naming what changed, and writes nothing', async () => {
    const stale = await call('POST', `/v1/assets/${ids.concert}/rollback`, {
      payload: { version: 1 },
      ifMatch: 4,
    });
    expect(stale.statusCode, stale.body).toBe(412);
    const since = await get<{ changes: FieldChange[] }>(
      `/v1/assets/${ids.concert}/versions/6/diff?against=4`,
    );
    expect(since.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['enrichment', 'links']));
    expect(stale.json()).toMatchObject({
      status: 412,
      title: 'Precondition Failed',
      currentVersion: 6,
      diff: since.changes,
    });
    const staleBody = await call('POST', `/v1/assets/${ids.concert}/rollback`, {
      payload: { version: 1, expectedVersion: 5 },
    });
    expect(staleBody.statusCode).toBe(412);
    const missing = await call('POST', `/v1/assets/${ids.concert}/rollback`, { payload: { version: 1 } });
    expect(missing.statusCode).toBe(428);
    expect(
      (await call('POST', `/v1/assets/${ids.concert}/rollback`, { payload: { version: 9 }, ifMatch: 6 }))
        .statusCode,
    ).toBe(404);

    // The links routes take the same precondition; without one they write as before.
    const put = await call('PUT', `/v1/assets/${ids.concert}/links/${ids.glacier}`, {
      payload: {},
      ifMatch: 4,
    });
    expect(put.statusCode).toBe(412);
    expect(put.json()).toMatchObject({
      currentVersion: 6,
      diff: expect.arrayContaining([expect.objectContaining({ field: 'links' })]),
    });
    const del = await call('DELETE', `/v1/assets/${ids.concert}/links/${ids.interview}`, { ifMatch: 2 });
    expect(del.statusCode).toBe(412);
    expect(del.json()).toMatchObject({ currentVersion: 6 });
    expect((await call('GET', `/v1/assets/${ids.concert}`)).json<{ version: number }>().version).toBe(6);
    expect((await versions(ids.concert!))[0]!.version).toBe(6);
  });

  it('denies a VIEWER the rollback, recording the denial, but lets it read the history', async () => {
    const viewer = await t.keyFor('default', 'VIEWER');
    const denied = await call('POST', `/v1/assets/${ids.concert}/rollback`, {
      payload: { version: 1 },
      ifMatch: 6,
      headers: viewer,
    });
    expect(denied.statusCode).toBe(403);
    const access = await get<Page<Action>>(`/v1/actions?type=ACCESS`);
    expect(access.items[0]).toMatchObject({
      actionType: 'ACCESS',
      status: 'DENIED',
      assetId: null,
      details: { method: 'POST', route: '/v1/assets/:id/rollback', permission: 'assets:write' },
    });
    const read = await call('GET', `/v1/assets/${ids.concert}/versions`, { headers: viewer });
    expect(read.statusCode).toBe(200);
    expect((await versions(ids.concert!))[0]!.version).toBe(6);
  });

  it("never shows or changes another tenant's history", async () => {
    const globex = await t.keyFor('globex', 'EDITOR');
    const id = ids.concert!;
    for (const url of [
      `/v1/assets/${id}/versions`,
      `/v1/assets/${id}/versions/1`,
      `/v1/assets/${id}/versions/2/diff`,
      `/v1/assets/${id}/actions`,
    ]) {
      expect((await call('GET', url, { headers: globex })).statusCode, url).toBe(404);
    }
    const rollback = await call('POST', `/v1/assets/${id}/rollback`, {
      payload: { version: 1 },
      ifMatch: 6,
      headers: globex,
    });
    expect(rollback.statusCode).toBe(404);
    const theirs = (await call('GET', '/v1/actions?limit=100', { headers: globex })).json<Page<Action>>();
    expect(theirs.items.filter((a) => a.assetId !== null)).toEqual([]);
  });

  it("lists the tenant's audit trail filtered by action type and time, paged", async () => {
    const rollbacks = await get<Page<Action>>('/v1/actions?type=ASSET_ROLLBACK');
    expect(rollbacks.items.map((a) => [a.assetId, a.details.toVersion])).toEqual([
      [ids.concert, 6],
      [ids.concert, 5],
      [ids.concert, 4],
    ]);

    const since = await get<Page<Action>>(`/v1/actions?from=${beforeRollbacks}&limit=100`);
    expect(since.items.length).toBeGreaterThan(0);
    expect(since.items.every((a) => a.startedAt >= beforeRollbacks)).toBe(true);
    expect(since.items.map((a) => a.actionType)).toContain('ASSET_ROLLBACK');
    const until = await get<Page<Action>>(`/v1/actions?to=${beforeRollbacks}&limit=100`);
    expect(until.items.every((a) => a.startedAt < beforeRollbacks)).toBe(true);
    expect(until.items.map((a) => a.actionType)).toEqual(
      expect.arrayContaining(['INGEST', 'ENRICH', 'ASSET_LINK']),
    );
    expect(until.items.map((a) => a.actionType)).not.toContain('ASSET_ROLLBACK');

    const all = await get<Page<Action>>('/v1/actions?limit=100');
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Action> = await get<Page<Action>>(
        `/v1/actions?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      walked.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.items.map((a) => a.id));

    await get('/v1/actions?from=yesterday', 400);
    await get('/v1/actions?type=drop%20table', 400);
  });

  it('lets exactly one of 20 concurrent writes based on the same version through', async () => {
    const id = ids.glacier!;
    const rollbacks = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', `/v1/assets/${id}/rollback`, {
          payload: { version: 1, reason: `try ${i}` },
          ifMatch: 2,
        }),
      ),
    );
    const codes = rollbacks.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 412)).toHaveLength(19);
    for (const r of rollbacks.filter((x) => x.statusCode === 412)) {
      expect(r.json()).toMatchObject({
        currentVersion: 3,
        diff: expect.arrayContaining([expect.anything()]),
      });
    }
    const winner = rollbacks.findIndex((r) => r.statusCode === 201);
    expect((await versions(id)).map((v) => [v.version, v.changeKind, v.reason])).toEqual([
      [3, 'ROLLBACK', `restores version 1: try ${winner}`],
      [2, 'ENRICHMENT', null],
      [1, 'INGEST', null],
    ]);

    const links = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('PUT', `/v1/assets/${id}/links/${ids.fjord}`, { payload: { note: `note ${i}` }, ifMatch: 3 }),
      ),
    );
    const linked = links.findIndex((r) => r.statusCode === 201);
    expect(links.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(links.filter((r) => r.statusCode === 412)).toHaveLength(19);
    const asset = (await call('GET', `/v1/assets/${id}`)).json<{
      version: number;
      links: { note: string }[];
    }>();
    expect(asset).toMatchObject({ version: 4, links: [{ note: `note ${linked}` }] });
    expect(await get(`/v1/assets/${id}/versions/4/diff`)).toMatchObject({
      changes: [{ field: 'links', old: [], new: [expect.objectContaining({ note: `note ${linked}` })] }],
    });
  });
  it("says what a tag edit changed: 'added tag X; removed tag Y; locked tag Z', in history, diff and 412", async () => {
    const { notes } = await ingestNamed(t, editor, {
      notes: anAssetInput({ title: 'Seminar notes on rhetoric', tags: ['chiasmus', 'anaphora'] }),
    });
    const before = (await call('GET', `/v1/assets/${notes}`)).json<{ version: number }>().version;
    const edit = await call('PATCH', `/v1/assets/${notes}/tags?wait=true`, {
      payload: { add: [{ name: 'zeugma' }], remove: [{ name: 'anaphora' }], lock: [{ name: 'chiasmus' }] },
      ifMatch: before,
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const said = "added tag 'zeugma'; removed tag 'anaphora'; locked tag 'chiasmus'";

    const [latest] = await versions(notes);
    expect(latest).toMatchObject({ version: before + 1, changedByName: 'test-EDITOR', summary: said });

    const diff = await get<{ changes: FieldChange[]; summary: string }>(
      `/v1/assets/${notes}/versions/${before + 1}/diff`,
    );
    expect(diff.summary).toBe(said);
    const tags = diff.changes.find((c) => c.field === 'enrichment.tags')!;
    expect(tags).toMatchObject({
      added: [expect.objectContaining({ name: 'zeugma', source: 'manual' })],
      removed: [expect.objectContaining({ name: 'anaphora' })],
      updated: [
        { old: expect.objectContaining({ locked: false }), new: expect.objectContaining({ locked: true }) },
      ],
      summary: said,
    });
    // No noise: an override record that holds nothing is no change.
    expect(diff.changes.map((c) => c.field)).not.toContain('enrichment.overrides');

    const stale = await call('PATCH', `/v1/assets/${notes}/tags`, {
      payload: { add: [{ name: 'late' }] },
      ifMatch: before,
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ currentVersion: before + 1, summary: said });
  });
});
