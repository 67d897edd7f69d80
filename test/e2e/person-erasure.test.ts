import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErasureReport } from '../../services/person-erasure-service.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput, aStoredEvent } from '../support/factories.js';
import { fakeAnalyticsStore } from '../support/fakes.js';

type Key = { authorization: string };
type Report = ErasureReport;

/**
 * A person's erasure through HTTP (issue 25, "Person erasure"): after POST /v1/erasure nothing the
 * API serves names the person (search, suggestions, related reasons, entities, versions, exports,
 * moments, the audit trail), another tenant's person of the same name is untouched, and refused
 * requests (legal hold, bad input, a non-ADMIN key) change nothing. On whichever backend the run
 * is configured with.
 */
describe('person erasure', () => {
  const analytics = fakeAnalyticsStore();
  let t: TestApp;
  let admin: Key, manager: Key, editor: Key, viewer: Key, otherAdmin: Key;
  const ids: Record<string, string> = {};
  let otherId = '';
  const token = `tok_${'a'.repeat(32)}`;
  const inputs = {
    talk: anAssetInput({
      title: 'Kelp restoration with Mara Quill',
      description: 'Mara Quill explains how divers replant kelp.',
      transcript:
        '[00:00:00] MARA QUILL: Kelp forests grow fast when urchins are kept away.\n[00:00:09] ODE BRENN: And the fish come back to the kelp.',
      speakers: ['Mara Quill', 'Ode Brenn'],
      tags: ['kelp', 'reef'],
    }),
    sibling: anAssetInput({
      title: 'Tidal pools at dawn',
      description: 'Counting crabs in the reef pools.',
      speakers: ['Mara Quill'],
      tags: ['kelp', 'reef'],
    }),
    credit: anAssetInput({
      title: 'Reef census',
      description: 'A survey of the reef fish.',
      contributors: ['Mara Quill'],
      speakers: ['Ode Brenn'],
      tags: ['reef'],
    }),
    bystander: anAssetInput({
      title: 'Urchin barrens',
      description: 'Sonar over the barrens.',
      speakers: ['Ode Brenn'],
      tags: ['reef'],
    }),
    held: anAssetInput({ title: 'Seagrass survey', speakers: ['Mara Quill'], tags: ['seagrass'] }),
  };

  beforeAll(async () => {
    t = await createTestApp({ analytics });
    admin = await t.keyFor('default', 'ADMIN');
    manager = await t.keyFor('default', 'CONTENT_MANAGER');
    editor = await t.keyFor('default', 'EDITOR');
    viewer = await t.keyFor('default', 'VIEWER');
    otherAdmin = await t.keyFor('other', 'ADMIN');
    Object.assign(ids, await ingestNamed(t, editor, inputs));
    ({ otherId } = await ingestNamed(t, otherAdmin, {
      otherId: anAssetInput({ title: 'Kelp with Mara Quill', speakers: ['Mara Quill'], tags: ['kelp'] }),
    }));
    // A later version that names the person in an edited description (history to rewrite).
    const edit = await call(editor, 'PATCH', `/v1/assets/${ids.sibling}?wait=true`, {
      description: 'Counting crabs in the reef pools with Mara Quill.',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    // An editor's link whose note names the person: in the asset, its versions and the audit trail.
    const link = await call(editor, 'PUT', `/v1/assets/${ids.credit}/links/${ids.bystander}?wait=true`, {
      note: 'Mara Quill filmed both',
    });
    expect(link.statusCode, link.body).toBe(201);
    // Queries the click learning keeps (docs/clicks.md): suggestions complete them, boosts follow them.
    for (const tenantId of ['default', 'other'])
      await t.container.db.query(
        `INSERT INTO search_query_stats (tenant_id, query, display, searches, zero_result_searches,
           clicked_searches, voters)
         VALUES ($1, 'mara quill interview', 'Mara Quill interview', 9, 0, 5, 5),
                ($1, 'kelp interview', 'kelp interview', 9, 0, 5, 5)`,
        [tenantId],
      );
    await t.container.db.query(
      `INSERT INTO click_boosts (tenant_id, query, asset_id, boost, voters, click_voters, attractiveness)
       VALUES ('default', 'mara quill interview', $1, 0.5, 5, 5, 0.5)`,
      [ids.talk],
    );
    await analytics.record([
      aStoredEvent({ tenantId: 'default', userToken: token }),
      aStoredEvent({ tenantId: 'default', userToken: token }),
      aStoredEvent({ tenantId: 'other', userToken: token }),
    ]);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const call = (key: Key, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers: key, ...(payload ? { payload } : {}) });
  const erase = (key: Key, body: object) => call(key, 'POST', '/v1/erasure', body);

  /** Where the tenant's stored data names the person: canonical, versions, projections, audit trail. */
  const traces = async (tenantId = 'default') => {
    const count = async (sql: string) => (await t.container.db.query<{ n: number }>(sql, [tenantId]))[0]!.n;
    return {
      assets: await count(
        `SELECT count(*)::int AS n FROM assets a WHERE tenant_id = $1
           AND (a.title || a.description || a.transcript || a.given_speakers::text || a.given_contributors::text
             || COALESCE(a.enriched_metadata::text, '')) ~* 'mara'`,
      ),
      versions: await count(
        `SELECT count(*)::int AS n FROM asset_versions v JOIN assets a ON a.tenant_id = v.tenant_id AND a.id = v.asset_id
         WHERE v.tenant_id = $1 AND (COALESCE(v.snapshot, asset_ingest_snapshot(a))::text || COALESCE(v.reason, '')) ~* 'mara'`,
      ),
      search: await count(
        `SELECT count(*)::int AS n FROM search_documents d WHERE tenant_id = $1 AND d::text ~* 'mara'`,
      ),
      suggestions: await count(
        `SELECT count(*)::int AS n FROM search_suggestions WHERE tenant_id = $1 AND normalized ~* 'mara'`,
      ),
      graph: await count(
        `SELECT count(*)::int AS n FROM graph_nodes WHERE tenant_id = $1 AND normalized_name ~* 'mara'`,
      ),
      queries: await count(
        `SELECT (SELECT count(*) FROM search_query_stats WHERE tenant_id = $1 AND display ~* 'mara')::int
           + (SELECT count(*) FROM click_boosts WHERE tenant_id = $1 AND query ~* 'mara')::int AS n`,
      ),
      audit: await count(
        `SELECT count(*)::int AS n FROM action_records WHERE tenant_id = $1 AND details::text ~* 'mara'`,
      ),
    };
  };
  const versionOf = async (id: string) =>
    (await call(viewer, 'GET', `/v1/assets/${id}`)).json<{ version: number }>().version;

  it('is refused to all but an ADMIN, and changes nothing', async () => {
    const before = await traces();
    expect(before.assets).toBe(4);
    for (const key of [manager, editor, viewer]) {
      const res = await erase(key, { name: 'Mara Quill', reason: 'request #1' });
      expect(res.statusCode, res.body).toBe(403);
    }
    expect(await traces()).toEqual(before);
  });

  it('refuses bad input with 400, changing nothing', async () => {
    const before = await traces();
    for (const body of [
      { name: 'Mara Quill' },
      { name: 'Mara Quill', reason: '   ' },
      { reason: 'no one named' },
      { name: 'M', reason: 'too short' },
      { name: '!!', reason: 'no letters' },
      { name: 'x'.repeat(201), reason: 'too long' },
      { userToken: 'not-a-token', reason: 'bad token' },
      { name: 'Mara Quill', reason: 'extra', everything: true },
    ]) {
      const res = await erase(admin, body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await traces()).toEqual(before);
  });

  it('is refused as a whole while an asset naming the person is under legal hold: 409, nothing changes', async () => {
    const hold = await call(admin, 'PUT', `/v1/assets/${ids.held}/legal-hold`, { legalHold: true });
    expect(hold.statusCode, hold.body).toBe(200);
    const before = await traces();
    const versions = await Promise.all(Object.values(ids).map(versionOf));

    const res = await erase(admin, { name: 'Mara Quill', userToken: token, reason: 'request #2' });
    expect(res.statusCode, res.body).toBe(409);
    const problem = res.json<{ type: string; assetIds: string[]; heldAssets: number; detail: string }>();
    expect(problem.type).toMatch(/\/problems\/legal-hold$/);
    expect(problem.assetIds).toEqual([ids.held]);
    expect(problem.heldAssets).toBe(1);
    expect(problem.detail).not.toMatch(/mara/i);

    expect(await traces()).toEqual(before);
    expect(await Promise.all(Object.values(ids).map(versionOf))).toEqual(versions);
    expect(analytics.events.filter((e) => e.userToken === token)).toHaveLength(3);
    const lift = await call(admin, 'PUT', `/v1/assets/${ids.held}/legal-hold`, { legalHold: false });
    expect(lift.statusCode, lift.body).toBe(200);
  });

  it('erases the person everywhere the API serves them, and reports what changed', async () => {
    // Found before, so the checks after can fail.
    const searchHits = async (key: Key, q: string) =>
      (await call(key, 'GET', `/v1/search?q=${encodeURIComponent(q)}`))
        .json<{ hits: { asset: { id: string } }[] }>()
        .hits.map((h) => h.asset.id);
    /** The index's suggestions and the popular queries (`queries`) completing the prefix. */
    const suggestions = async (key: Key, q: string) => {
      const body = (await call(key, 'GET', `/v1/suggest?q=${encodeURIComponent(q)}`)).json<{
        suggestions: { value: string }[];
        queries?: { value: string }[];
      }>();
      return [...body.suggestions, ...(body.queries ?? [])].map((s) => s.value);
    };
    const reasons = async (id: string) =>
      JSON.stringify((await call(viewer, 'GET', `/v1/assets/${id}/related?limit=20`)).json());
    const speakerEntity = (key: Key) => call(key, 'GET', '/v1/entities/SPEAKER/Mara%20Quill/assets');
    expect(await searchHits(viewer, 'quill')).toContain(ids.talk);
    expect(await suggestions(viewer, 'Mara')).toContain('Mara Quill');
    expect(await suggestions(viewer, 'mara quill int')).toContain('Mara Quill interview');
    expect(await reasons(ids.talk!)).toMatch(/Mara Quill/);
    expect((await speakerEntity(viewer)).statusCode).toBe(200);
    const bystanderVersion = await versionOf(ids.bystander!);

    const res = await erase(admin, {
      name: 'Mara Quill',
      userToken: token,
      reason: 'GDPR request from Mara Quill, #4711',
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<Report>();
    expect(report.counts.assets).toBe(4);
    expect(report.counts.versions).toBeGreaterThanOrEqual(4);
    expect(report.counts.search.documents).toBe(4);
    expect(report.counts.graph.assets).toBe(4);
    expect(report.counts.graph.entities).toBeGreaterThanOrEqual(1);
    expect(report.counts.search.suggestions).toBeGreaterThanOrEqual(1);
    expect(report.counts.auditRecords).toBeGreaterThanOrEqual(1);
    expect(report.counts.search.queries).toBe(1);
    expect(report.counts.events).toBe(2);
    expect(report.counts.moments).toBe(1);
    expect(report.projected).toBe(true);
    expect(report.skipped).toEqual([]);
    expect(report.changedAssetIds.sort()).toEqual([ids.talk, ids.sibling, ids.credit, ids.held].sort());
    expect(report.changedAssetsTotal).toBe(4);

    // Nothing the API serves finds the name, right after the answer.
    expect(await searchHits(viewer, 'quill')).toEqual([]);
    expect(await searchHits(viewer, '"Mara Quill"')).toEqual([]);
    expect((await suggestions(viewer, 'Mara')).join('|')).not.toMatch(/mara/i);
    expect((await suggestions(viewer, 'Quill')).join('|')).not.toMatch(/quill/i);
    expect((await suggestions(viewer, 'mara quill int')).join('|')).not.toMatch(/mara/i);
    expect(await suggestions(viewer, 'kelp int')).toContain('kelp interview');
    expect(await reasons(ids.talk!)).not.toMatch(/mara|quill/i);
    expect(await reasons(ids.sibling!)).not.toMatch(/mara|quill/i);
    expect((await speakerEntity(viewer)).statusCode).toBe(404);
    expect((await call(viewer, 'GET', '/v1/entities/CONTRIBUTOR/Mara%20Quill/assets')).statusCode).toBe(404);
    expect((await call(viewer, 'GET', '/v1/entities?q=mara')).json<{ items: unknown[] }>().items).toEqual([]);
    for (const id of Object.values(ids)) {
      const asset = await call(viewer, 'GET', `/v1/assets/${id}`);
      expect(asset.body).not.toMatch(/mara|quill/i);
      const graph = await call(viewer, 'GET', `/v1/graph/neighborhood/${id}?depth=2&limit=100`);
      expect(graph.body).not.toMatch(/mara|quill/i);
      const list = await call(viewer, 'GET', `/v1/assets/${id}/versions`);
      expect(list.body).not.toMatch(/mara|quill/i);
      for (const v of list.json<{ items: { version: number }[] }>().items) {
        const version = await call(viewer, 'GET', `/v1/assets/${id}/versions/${v.version}`);
        expect(version.statusCode).toBe(200);
        expect(version.body, `${id} v${v.version}`).not.toMatch(/mara|quill/i);
      }
    }
    const talk = (await call(viewer, 'GET', `/v1/assets/${ids.talk}`)).json<{
      title: string;
      transcript: string;
      speakers: string[];
    }>();
    expect(talk.title).toBe('Kelp restoration with [erased]');
    expect(talk.transcript).toContain('[00:00:00] [erased]: Kelp forests grow fast');
    expect(talk.speakers).toEqual(['Ode Brenn']);
    const exported = await call(admin, 'GET', '/v1/exports/assets.csv');
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('Urchin barrens');
    expect(exported.body).not.toMatch(/mara|quill/i);
    expect(await traces()).toEqual({
      assets: 0,
      versions: 0,
      search: 0,
      suggestions: 0,
      graph: 0,
      queries: 0,
      audit: 0,
    });

    // The audit record: who, when, why and the counts; a salted hash, never the name.
    const actions = await call(admin, 'GET', '/v1/actions?type=PERSON_ERASE');
    const [record] = actions.json<{
      items: { id: string; actor: string; details: Record<string, unknown> }[];
    }>().items;
    expect(record!.id).toBe(report.actionId);
    expect(JSON.stringify(record)).not.toMatch(/mara|quill/i);
    expect(record!.details.reason).toBe('GDPR request from [erased], #4711');
    expect(record!.details.nameHash).toMatchObject({ algorithm: 'scrypt' });
    expect(record!.details.counts).toEqual(report.counts);

    // Others untouched: the bystander, the other tenant's person of the same name, their events.
    expect(await versionOf(ids.bystander!)).toBe(bystanderVersion);
    expect(await searchHits(otherAdmin, 'quill')).toEqual([otherId]);
    expect(await suggestions(otherAdmin, 'Mara')).toContain('Mara Quill');
    expect(await suggestions(otherAdmin, 'mara quill int')).toContain('Mara Quill interview');
    expect((await speakerEntity(otherAdmin)).statusCode).toBe(200);
    expect((await traces('other')).assets).toBe(1);
    expect(analytics.events.filter((e) => e.userToken === token).map((e) => e.tenantId)).toEqual(['other']);
  });

  it('changes nothing when run again, and says so', async () => {
    const before = await Promise.all(Object.values(ids).map(versionOf));
    const res = await erase(admin, { name: 'mara quill', userToken: token, reason: 'again' });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<Report>();
    expect(report.counts).toEqual({
      assets: 0,
      versions: 0,
      moments: 0,
      search: { documents: 0, suggestions: 0, queries: 0 },
      graph: { assets: 0, entities: 0 },
      auditRecords: 0,
      events: 0,
      comments: 0,
      analytics: { dimensionValues: 0 },
    });
    expect(report.changedAssetIds).toEqual([]);
    expect(await Promise.all(Object.values(ids).map(versionOf))).toEqual(before);
  });
});
