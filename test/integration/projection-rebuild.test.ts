import { createRequire } from 'node:module';
import { Client } from '@elastic/elasticsearch';
import type { MockPattern } from '@elastic/elasticsearch-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildService, type Container } from '../../runtime/container.js';
import type { GraphStore } from '../../graph/graph-store.js';
import type { RebuildProgress } from '../../services/rebuild-service.js';
import { ElasticsearchSearchIndex } from '../../search/elasticsearch-search-index.js';
import { projectionTables, type RebuildTarget } from '../../store/projection-rebuilds-repository.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { popularityRepository } from '../../store/popularity-repository.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { parseQuery } from '../../search/query-parser.js';

const require = createRequire(import.meta.url);
/** The part of the Elasticsearch mock used here (as in test/unit/elasticsearch-requests.test.ts). */
interface MockApi {
  add(pattern: MockPattern, resolver: (params: MockPattern) => unknown): unknown;
  getConnection(): ConstructorParameters<typeof Client>[0]['Connection'];
}
const Mock = require('@elastic/elasticsearch-mock') as new () => MockApi;

const SUBJECTS = ['glacier', 'coral', 'desert', 'volcano', 'tundra', 'mangrove', 'savanna'];

describe('online rebuild of the projections (npm run reindex)', () => {
  let t: TestApp;
  let c: Container;
  const who = { tenantId: 'default', actor: 'key:test' };
  const other = { tenantId: 'rebuild-b', actor: 'key:test' };
  let ids: string[];

  const settle = async (tenantId: string, assetIds: string[]) => {
    const { settled } = await c.assets.waitUntilSettled(tenantId, assetIds, 30_000);
    expect(settled).toBe(true);
  };
  const ingest = async (actor: typeof who, titles: string[]) => {
    const results = await c.ingest.ingest(
      actor,
      titles.map((title) => anAssetInput({ title, tags: [title.split(' ')[0]!, 'nature'] })),
    );
    const made = results.map((r) => r.asset.id);
    await settle(actor.tenantId, made);
    return made;
  };
  /** What a user sees: search hits for each subject, suggestions and related items of the first asset. */
  const answers = async () => {
    const search: Record<string, string[]> = {};
    for (const q of [...SUBJECTS, 'nature', 'edited']) {
      const page = await c.search.search(who.tenantId, { query: parseQuery(q), limit: 50 });
      search[q] = page.hits.map((h) => h.assetId).sort();
      // Filtered by tag (the subject's first word): browsing, and ranking within the tag.
      for (const text of ['', 'nature']) {
        const tag = q.split(' ')[0]!;
        const filtered = await c.search.search(who.tenantId, {
          query: parseQuery(text),
          limit: 50,
          filters: { tags: [tag] },
        });
        search[`tag:${tag} ${text}`] = filtered.hits.map((h) => h.assetId).sort();
      }
    }
    const related = await c.graph.related(who.tenantId, ids[0]!, { limit: 20 });
    return {
      search,
      suggest: await c.search.suggest(who.tenantId, 'gla', 10),
      related: related.map((r) => ({ id: r.assetId, score: r.score.toFixed(6) })),
      entities: await c.graph.entities(who.tenantId, { limit: 50, offset: 0 }),
    };
  };
  const tableOid = async (table: string) =>
    (await c.db.query<{ oid: number }>(`SELECT $1::regclass::oid AS oid`, [`public.${table}`]))[0]!.oid;
  /** The versions a table set in `schema` holds for these assets. */
  const heldIn = async (schema: string, target: RebuildTarget, assetIds: string[]) => {
    const table = target === 'search' ? 'search_documents' : 'graph_asset_projections';
    const rows = await c.db.query<{ asset_id: string; version: number }>(
      `SELECT asset_id, version FROM ${schema}.${table} WHERE asset_id = ANY($1::uuid[])`,
      [assetIds],
    );
    return new Map(rows.map((r) => [r.asset_id, r.version]));
  };
  const schemaExists = async (schema: string) =>
    (await c.db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).length > 0;

  beforeAll(async () => {
    t = await createTestApp();
    c = t.container;
    ids = await ingest(
      who,
      SUBJECTS.flatMap((s) => [`${s} morning`, `${s} evening`]),
    );
    await tenantsRepository.ensure(c.db, other.tenantId, 'Another tenant');
    await ingest(other, ['glacier elsewhere', 'coral elsewhere']);
  }, 120_000);
  afterAll(() => t?.close());

  it.each(['search', 'graph'] as RebuildTarget[])(
    'rebuilds %s while assets are ingested, edited and deleted, then drops the old tables',
    async (target) => {
      const before = await answers();
      const oids = await Promise.all((await projectionTables(c.db, target)).map(tableOid));
      const phases: RebuildProgress['phase'][] = [];
      let added: string[] = [];
      const edited = ids[1]!;
      const deleted = ids[2]!;
      const result = await c.rebuild.rebuild(target, {
        pageSize: 3,
        graceMs: 0,
        onProgress: (p) => phases.push(p.phase),
        afterPage: async (page) => {
          if (page !== 2) return;
          // Live writes while the backfill is between pages: each must reach both table sets.
          added = await ingest(who, [`glacier ${target} newcomer`]);
          await c.curation.editMetadata(who, edited, { title: `edited ${target} title` });
          await settle(who.tenantId, [edited]);
          await c.db.query('DELETE FROM assets WHERE tenant_id = $1 AND id = $2', [who.tenantId, deleted]);
          await c.projection.project(who.tenantId, deleted);
          // The table set being built holds each change already, whatever the backfill has reached.
          const held = await heldIn(`${target}_rebuild`, target, [...added, edited, deleted]);
          const [canonical] = await c.db.query<{ version: number }>(
            'SELECT version FROM assets WHERE id = $1',
            [edited],
          );
          expect(held).toEqual(
            new Map([
              [added[0]!, 2],
              [edited, canonical!.version],
            ]),
          );
        },
      });
      expect(result).toMatchObject({ target, state: 'done', resumed: false });
      expect(result.drift).toEqual({ missing: 0, stale: 0, orphaned: 0 });
      // Nothing for the check before the switch to repair: the dual writes kept the new set whole.
      expect(result.repairedBeforeSwitch).toBe(0);
      expect(phases.filter((p) => p === 'backfill').length).toBeGreaterThanOrEqual(5);
      expect(phases.slice(-4)).toEqual(['check', 'switch', 'verify', 'cleanup']);

      // The drift checker agrees, and every answer is what it was plus the live changes.
      expect((await c.drift.check({ graceMs: 0 })).total).toBe(0);
      const after = await answers();
      const expected = structuredClone(before);
      expected.search.glacier = [...expected.search.glacier!, ...added].sort();
      expected.search.nature = [...expected.search.nature!, ...added].filter((id) => id !== deleted).sort();
      // The newcomer is tagged glacier and nature.
      for (const q of ['tag:glacier ', 'tag:glacier nature', 'tag:nature ', 'tag:nature nature']) {
        expected.search[q] = [...expected.search[q]!, ...added].sort();
      }
      for (const q of Object.keys(expected.search)) {
        expected.search[q] = expected.search[q]!.filter((id) => id !== deleted);
      }
      expected.search.edited = [edited];
      expect(after.search).toEqual(expected.search);
      if (target === 'search') {
        expect(after.suggest.map((s) => s.value)).toContain(`glacier ${target} newcomer`);
      }
      expect(after.related.some((r) => r.id === deleted)).toBe(false);

      // New tables are live; the old ones and the rebuild schema are gone.
      const now = await Promise.all((await projectionTables(c.db, target)).map(tableOid));
      now.forEach((oid, i) => expect(oid).not.toBe(oids[i]));
      expect(await schemaExists(`${target}_old`)).toBe(false);
      expect(await schemaExists(`${target}_rebuild`)).toBe(false);
      const [row] = await c.rebuild.status().then((rows) => rows.filter((r) => r.target === target));
      expect(row).toMatchObject({ state: 'done', drift: { missing: 0, stale: 0, orphaned: 0 } });
      expect(row!.finishedAt).not.toBeNull();
      // The job's progress, as /metrics shows it.
      const metrics = await c.system.metricsText();
      expect(metrics).toContain(
        `mdisc_projection_rebuild_copied_assets{state="done",target="${target}"} ${row!.copied}`,
      );
    },
    120_000,
  );

  it('answers the same after a rebuild of a settled library', async () => {
    const before = await answers();
    expect(before.search['tag:glacier ']!.length).toBeGreaterThan(0);
    expect(before.search['tag:glacier nature']!.length).toBeGreaterThan(0);
    for (const target of ['search', 'graph'] as const) {
      expect((await c.rebuild.rebuild(target, { graceMs: 0 })).state).toBe('done');
    }
    expect(await answers()).toEqual(before);
  }, 120_000);

  it('carries the learned popularity of asset_popularity into the rebuilt search and graph tables', async () => {
    const at = new Date('2026-12-01T00:00:00Z');
    // Two assets both projections hold (the tests before may have deleted some of `ids`).
    const held = await c.db.query<{ id: string }>(
      `SELECT s.asset_id::text AS id FROM search_documents s
       JOIN graph_asset_projections g ON g.tenant_id = s.tenant_id AND g.asset_id = s.asset_id
       WHERE s.tenant_id = $1 ORDER BY s.asset_id LIMIT 2`,
      [who.tenantId],
    );
    const [a, b] = [held[0]!.id, held[1]!.id];
    await popularityRepository.upsertMany(c.db, who.tenantId, [
      { assetId: a, popularity: 7.5, trending: 1.25, views: 9, watchSeconds: 0, computedAt: at },
      { assetId: b, popularity: 2, trending: -0.5, views: 3, watchSeconds: 0, computedAt: at },
    ]);
    const learned = async () => ({
      search: await c.db.query(
        `SELECT asset_id::text AS id, learned_popularity AS p, trending AS t FROM search_documents
         WHERE tenant_id = $1 AND learned_popularity <> 0 ORDER BY asset_id`,
        [who.tenantId],
      ),
      graph: await c.db.query(
        `SELECT asset_id::text AS id, popularity AS p, trending AS t FROM graph_asset_projections
         WHERE tenant_id = $1 AND popularity <> 0 ORDER BY asset_id`,
        [who.tenantId],
      ),
    });
    // Neither live table holds it yet: only the rebuild puts it there.
    expect(await learned()).toEqual({ search: [], graph: [] });
    for (const target of ['search', 'graph'] as const) {
      expect((await c.rebuild.rebuild(target, { graceMs: 0 })).state).toBe('done');
    }
    const expected = [
      { id: a, p: 7.5, t: 1.25 },
      { id: b, p: 2, t: -0.5 },
    ].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(await learned()).toEqual({ search: expected, graph: expected });
    const page = await c.search.search(who.tenantId, { query: parseQuery(''), limit: 2, sort: 'popularity' });
    expect(page.hits.map((h) => h.assetId)).toEqual([a, b]);
  }, 120_000);

  it('keeps the row-level security of the live tables on the tables it swaps in', async () => {
    for (const target of ['search', 'graph'] as const) {
      const tables = await projectionTables(c.db, target);
      expect(tables.length).toBeGreaterThanOrEqual(5);
      for (const table of tables) {
        const [meta] = await c.db.query<{ rls: boolean; policies: number; select: boolean; write: boolean }>(
          `SELECT c.relrowsecurity AS rls,
                  (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname
                     AND p.policyname = 'tenant_isolation') AS policies,
                  has_table_privilege('media_tenant', c.oid, 'SELECT') AS select,
                  has_table_privilege('media_tenant', c.oid, 'INSERT') AS write
           FROM pg_class c WHERE c.oid = $1::regclass`,
          [`public.${table}`],
        );
        expect(meta, table).toEqual({ rls: true, policies: 1, select: true, write: true });
        const seen = await inTenantScope(other.tenantId, () =>
          c.db.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`),
        );
        expect(
          seen.every((r) => r.tenant_id === other.tenantId),
          table,
        ).toBe(true);
      }
    }
    // A tenant's search still answers through the scope, with its own assets only.
    const page = await inTenantScope(other.tenantId, () =>
      c.search.search(other.tenantId, { query: parseQuery('glacier'), limit: 10 }),
    );
    expect(page.hits).toHaveLength(1);
  });

  it('resumes from the last committed page after the backfill is cut short', async () => {
    const cut = new Error('killed midway');
    await expect(
      c.rebuild.rebuild('graph', {
        pageSize: 4,
        afterPage: (page) => {
          if (page === 2) throw cut;
        },
      }),
    ).rejects.toBe(cut);
    const [stopped] = (await c.rebuild.status()).filter((r) => r.target === 'graph');
    expect(stopped).toMatchObject({ state: 'building', copied: 8 });
    expect(await schemaExists('graph_rebuild')).toBe(true);
    // Writes while no process runs the rebuild still reach the half-built set.
    const [late] = await ingest(who, ['tundra latecomer']);
    expect((await heldIn('graph_rebuild', 'graph', [late!])).get(late!)).toBe(2);

    const pages: number[] = [];
    const resumed = await c.rebuild.rebuild('graph', {
      pageSize: 4,
      graceMs: 0,
      afterPage: (page) => {
        pages.push(page);
      },
    });
    expect(resumed).toMatchObject({ state: 'done', resumed: true });
    // The first run copied two pages; this one copied the rest only, counting on from the first.
    const total = (await c.db.query<{ n: number }>('SELECT count(*)::int AS n FROM assets'))[0]!.n;
    expect(pages.length).toBeLessThan(Math.ceil(total / 4));
    expect(resumed.copied).toBeGreaterThan(8 + (pages.length - 1) * 4);
    expect((await c.drift.check({ graceMs: 0 })).total).toBe(0);
    expect((await c.graph.projectedVersions(who.tenantId, [late!])).size).toBe(1);
    expect(await schemaExists('graph_rebuild')).toBe(false);
  }, 120_000);

  it('rebuilds an Elasticsearch index through a new versioned index and one alias move', async () => {
    // No Elasticsearch server runs here: a mock answers at the HTTP layer and keeps what was indexed.
    const mock = new Mock();
    const client = new Client({ node: 'http://localhost:9200', Connection: mock.getConnection()! });
    const held = new Map<string, number>();
    const paths: string[] = [];
    const ok = (params: MockPattern) => {
      paths.push(`${String(params.method)} ${String(params.path)}`);
      return { acknowledged: true };
    };
    for (const [method, path] of [
      ['PUT', '/:index'],
      ['GET', '/:index/_refresh'],
      ['POST', '/_aliases'],
      ['DELETE', '/:index'],
    ] as const) {
      mock.add({ method, path }, ok);
    }
    mock.add({ method: 'HEAD', path: '/_alias/media-assets' }, () => '');
    mock.add({ method: 'GET', path: '/_alias/media-assets' }, () => ({
      'media-assets-v1-1': { aliases: {} },
    }));
    mock.add({ method: 'POST', path: '/_bulk' }, (params: MockPattern) => {
      const lines = params.body as unknown as ({ index?: { _id: string; version: number } } | object)[];
      const actions = lines.filter((l): l is { index: { _id: string; version: number } } => 'index' in l);
      for (const a of actions) held.set(a.index._id, a.index.version);
      return { errors: false, items: actions.map((a) => ({ index: { _id: a.index._id, status: 201 } })) };
    });
    mock.add({ method: 'POST', path: '/media-assets/_mget' }, (params: MockPattern) => ({
      docs: (params.body as { ids: string[] }).ids.map((id) => {
        const version = held.get(id);
        const [, assetId] = id.split(':');
        return version === undefined
          ? { _id: id, found: false }
          : { _id: id, found: true, _source: { asset_id: assetId, version } };
      }),
    }));
    mock.add({ method: 'POST', path: '/media-assets/_search' }, () => ({ hits: { hits: [] } }));

    const es = new ElasticsearchSearchIndex(client, 'media');
    const result = await rebuildService(c.db, { graph: c.graph, search: es }).rebuild('search', {
      pageSize: 5,
    });
    const [expected] = await c.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assets WHERE status = 'PROCESSED' OR version > 1`,
    );
    expect(result).toMatchObject({ state: 'done', copied: expected!.n, repairedBeforeSwitch: 0 });
    expect(held.size).toBe(expected!.n);
    expect(paths).toEqual([
      expect.stringMatching(/^PUT \/media-assets-v\d+-\d+$/),
      expect.stringMatching(/^GET \/media-assets-v\d+-\d+\/_refresh$/),
      'POST /_aliases',
      'DELETE /media-assets-v1-1',
    ]);
    const [row] = (await c.rebuild.status()).filter((r) => r.target === 'search');
    expect(row).toMatchObject({ state: 'done', copied: expected!.n });
  });

  it('refuses a graph it cannot rebuild online, saying what to do instead', async () => {
    const neo4j = { kind: 'neo4j' } as unknown as GraphStore;
    const sut = rebuildService(c.db, { graph: neo4j, search: c.search });
    await expect(sut.rebuild('graph')).rejects.toThrow(/graph is on neo4j.*npm run drift -- --repair/);
  });

  it('gives up a rebuild left building when asked to', async () => {
    await expect(
      c.rebuild.rebuild('search', {
        afterPage: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    await c.rebuild.abort('search');
    expect(await schemaExists('search_rebuild')).toBe(false);
    const [row] = (await c.rebuild.status()).filter((r) => r.target === 'search');
    expect(row).toMatchObject({ state: 'failed', error: 'aborted' });
    // Writes go to the live tables only again.
    const [later] = await ingest(who, ['mangrove after the abort']);
    expect((await c.search.projectedVersions(who.tenantId, [later!])).size).toBe(1);
    await expect(c.rebuild.abort('search')).rejects.toThrow(/nothing to abort/);
  }, 120_000);

  it('swaps the old tables back when the check after the switch finds drift', async () => {
    const oids = await Promise.all((await projectionTables(c.db, 'search')).map(tableOid));
    let written: string[] = [];
    const bumped = ids[3]!;
    const result = await c.rebuild.rebuild('search', {
      graceMs: 0,
      afterSwitch: async () => {
        // Written while switched: the old set receives it too, so it is whole when swapped back.
        written = await ingest(who, ['savanna written while switched']);
        // A canonical change no projection has seen: the new set drifted.
        await c.db.query('UPDATE assets SET version = version + 1 WHERE tenant_id = $1 AND id = $2', [
          who.tenantId,
          bumped,
        ]);
      },
    });
    expect(result.state).toBe('failed');
    expect(result.drift).toEqual({ missing: 0, stale: 1, orphaned: 0 });
    expect(await Promise.all((await projectionTables(c.db, 'search')).map(tableOid))).toEqual(oids);
    expect(await schemaExists('search_old')).toBe(false);
    // The failed set is kept for a look, and dropped by the next run.
    expect(await schemaExists('search_rebuild')).toBe(true);
    const [row] = (await c.rebuild.status()).filter((r) => r.target === 'search');
    expect(row).toMatchObject({ state: 'failed', drift: { stale: 1 } });
    expect(row!.error).toMatch(/old set is live again/);
    const page = await c.search.search(who.tenantId, {
      query: parseQuery('"written while switched"'),
      limit: 5,
    });
    expect(page.hits.map((h) => h.assetId)).toEqual(written);

    await c.drift.check({ graceMs: 0, repair: true });
    expect((await c.rebuild.rebuild('search', { graceMs: 0 })).state).toBe('done');
    expect(await schemaExists('search_rebuild')).toBe(false);
  }, 120_000);
});
