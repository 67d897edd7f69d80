import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASURE_BATCH } from '../../services/person-erasure-service.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

type Key = { authorization: string };
const N = 1_000;

/**
 * Issue 25's scale case: a speaker erased across 1,000 assets (batches of ERASURE_BATCH, each its
 * own transaction), after which nothing finds the name: search, suggestions, related reasons
 * ("same speaker"), the graph's entity lookup, version snapshots, the export and moments. Another
 * tenant's speaker of the same name stays. On the Postgres server (DATABASE_URL) and on the
 * embedded default alike.
 */
describe('person erasure across 1,000 assets', () => {
  let t: TestApp;
  let admin: Key, viewer: Key, otherAdmin: Key;
  let ids: string[] = [];
  let bystanders: string[] = [];

  const ingest = async (key: Key, assets: object[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers: key,
      payload: { assets },
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
    return res.json<{ items: { asset: { id: string } }[] }>().items.map((i) => i.asset.id);
  };
  const call = (key: Key, url: string, method = 'GET', payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers: key, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.keyFor('default', 'ADMIN');
    viewer = await t.keyFor('default', 'VIEWER');
    otherAdmin = await t.keyFor('other', 'ADMIN');
    ids = await ingest(
      admin,
      Array.from({ length: N }, (_, i) =>
        anAssetInput({
          title: i % 10 === 0 ? `Mara Quill on reef survey ${i}` : `Reef survey ${i}`,
          description: `Survey ${i} of the kelp reef.`,
          transcript:
            i % 4 === 0
              ? `[00:00:00] MARA QUILL: Transect ${i} shows kelp recovering.\n[00:00:08] ODE BRENN: The urchins moved on.`
              : `Transect ${i} shows kelp recovering.`,
          speakers: ['Mara Quill', ...(i % 2 === 0 ? ['Ode Brenn'] : [])],
          ...(i % 5 === 0 ? { contributors: ['Mara Quill'] } : {}),
          tags: ['kelp', 'reef'],
        }),
      ),
    );
    bystanders = await ingest(admin, [
      anAssetInput({ title: 'Urchin barrens', speakers: ['Ode Brenn'], tags: ['reef'] }),
      anAssetInput({
        title: 'Quill pens of the navy',
        description: 'A quill is a feather pen.',
        tags: ['pens'],
      }),
    ]);
    await ingest(otherAdmin, [anAssetInput({ title: 'Kelp with Mara Quill', speakers: ['Mara Quill'] })]);
  }, 900_000);
  afterAll(async () => {
    await t?.close();
  });

  const count = async (sql: string, tenantId = 'default') =>
    (await t.container.db.query<{ n: number }>(sql, [tenantId]))[0]!.n;
  const namedIn = (tenantId = 'default') =>
    Promise.all([
      count(
        `SELECT count(*)::int AS n FROM assets a WHERE tenant_id = $1
         AND (a.title || a.description || a.transcript || a.given_speakers::text || a.given_contributors::text
           || COALESCE(a.enriched_metadata::text, '')) ~* 'mara'`,
        tenantId,
      ),
      count(
        `SELECT count(*)::int AS n FROM asset_versions v JOIN assets a ON a.tenant_id = v.tenant_id AND a.id = v.asset_id
         WHERE v.tenant_id = $1 AND COALESCE(v.snapshot, asset_ingest_snapshot(a))::text ~* 'mara'`,
        tenantId,
      ),
      count(
        `SELECT count(*)::int AS n FROM search_documents d WHERE tenant_id = $1 AND d::text ~* 'mara'`,
        tenantId,
      ),
      count(
        `SELECT count(*)::int AS n FROM graph_nodes WHERE tenant_id = $1 AND normalized_name ~* 'mara'`,
        tenantId,
      ),
      count(
        `SELECT count(*)::int AS n FROM search_suggestions WHERE tenant_id = $1 AND normalized ~* 'mara'`,
        tenantId,
      ),
    ]);

  it('erases the speaker from every asset, version and projection, in bounded batches', async () => {
    const [assetsBefore, versionsBefore] = await namedIn();
    expect(assetsBefore).toBe(N);
    expect(versionsBefore).toBeGreaterThanOrEqual(N);
    const momentsNamed = () =>
      count(
        `SELECT count(*)::int AS n FROM assets WHERE tenant_id = $1 AND (enriched_metadata->'moments')::text ~* 'mara'`,
      );
    const momentsBefore = await momentsNamed();
    expect(momentsBefore).toBeGreaterThan(0);
    // The enrichment's corpus statistics: the assets' term sets and the tenant's document frequencies.
    const stemsNamed = () =>
      Promise.all([
        count(
          `SELECT count(*)::int AS n FROM asset_terms WHERE tenant_id = $1 AND array_to_string(terms, '|') ~* '\\mmara'`,
        ),
        count(
          `SELECT COALESCE(sum(df), 0)::int AS n FROM term_document_frequencies WHERE tenant_id = $1 AND term ~* '\\mmara'`,
        ),
      ]);
    const [termSetsBefore, dfBefore] = await stemsNamed();
    expect(termSetsBefore).toBeGreaterThan(0);
    expect(dfBefore).toBeGreaterThan(0);
    const transactions = { n: 0 };
    const db = t.container.db;
    const transaction = db.transaction.bind(db);
    db.transaction = (fn) => {
      transactions.n++;
      return transaction(fn);
    };
    const res = await call(admin, '/v1/erasure', 'POST', {
      name: 'Mara Quill',
      reason: 'erasure request #1000',
    });
    db.transaction = transaction;
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const report = res.json<{
      counts: {
        assets: number;
        versions: number;
        moments: number;
        search: { documents: number };
        graph: { assets: number; entities: number };
      };
      changedAssetIds: string[];
      changedAssetsTotal: number;
      projected: boolean;
    }>();
    expect(report.counts.assets).toBe(N);
    expect(report.counts.versions).toBeGreaterThanOrEqual(N);
    expect(report.counts.search.documents).toBe(N);
    expect(report.counts.graph.assets).toBe(N);
    expect(report.counts.graph.entities).toBeGreaterThanOrEqual(1);
    expect(report.changedAssetsTotal).toBe(N);
    expect(new Set(report.changedAssetIds)).toEqual(new Set(ids));
    expect(report.projected).toBe(true);
    // Batch-shaped: at least one transaction per ERASURE_BATCH assets, never one for the lot.
    expect(transactions.n).toBeGreaterThanOrEqual(Math.ceil(N / ERASURE_BATCH));

    // Canonical, every version snapshot, search documents, graph entities, suggestions.
    expect(await namedIn()).toEqual([0, 0, 0, 0, 0]);

    // Through the API: search, suggest, related reasons, entity lookup, versions, export, moments.
    const search = await call(viewer, '/v1/search?q=mara%20quill&limit=100');
    const hits = search.json<{ hits: { asset: { id: string; title: string } }[] }>().hits;
    expect(hits.map((h) => h.asset.title)).toEqual(['Quill pens of the navy']);
    const quill = await call(viewer, '/v1/search?q=quill');
    expect(quill.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => h.asset.id)).toEqual([
      bystanders[1],
    ]);
    expect((await call(viewer, '/v1/suggest?q=Mara')).body).not.toMatch(/mara/i);
    expect((await call(viewer, '/v1/entities/SPEAKER/Mara%20Quill/assets')).statusCode).toBe(404);
    expect((await call(viewer, '/v1/entities/CONTRIBUTOR/Mara%20Quill/assets')).statusCode).toBe(404);
    for (const id of [ids[0]!, ids[1]!, ids[4]!, ids[N - 1]!]) {
      const related = await call(viewer, `/v1/assets/${id}/related?limit=20`);
      expect(related.statusCode).toBe(200);
      expect(related.body).not.toMatch(/mara|quill/i);
      const asset = await call(viewer, `/v1/assets/${id}`);
      expect(asset.body).not.toMatch(/mara|quill/i);
      const versions = (await call(viewer, `/v1/assets/${id}/versions`)).json<{
        items: { version: number }[];
      }>().items;
      expect(versions.length).toBeGreaterThanOrEqual(2);
      for (const v of versions)
        expect((await call(viewer, `/v1/assets/${id}/versions/${v.version}`)).body).not.toMatch(
          /mara|quill/i,
        );
    }
    expect(await momentsNamed()).toBe(0);
    expect(await stemsNamed()).toEqual([0, 0]);
    expect(report.counts.moments).toBeGreaterThanOrEqual(momentsBefore);
    const exported = await call(admin, '/v1/exports/assets.csv');
    expect(exported.statusCode).toBe(200);
    expect(exported.body.split('\n').length).toBeGreaterThan(N);
    expect(exported.body).not.toMatch(/mara/i);

    // The other tenant's speaker of the same name is untouched.
    expect((await namedIn('other'))[0]).toBe(1);
    expect((await call(otherAdmin, '/v1/entities/SPEAKER/Mara%20Quill/assets')).statusCode).toBe(200);
  }, 900_000);

  it('changes nothing when run again', async () => {
    const res = await call(admin, '/v1/erasure', 'POST', { name: 'Mara Quill', reason: 'again' });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const report = res.json<{ counts: { assets: number; versions: number }; changedAssetsTotal: number }>();
    expect(report.counts.assets).toBe(0);
    expect(report.counts.versions).toBe(0);
    expect(report.changedAssetsTotal).toBe(0);
  }, 300_000);
});
