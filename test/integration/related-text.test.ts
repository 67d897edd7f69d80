import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresGraphStore } from '../../graph/postgres-graph-store.js';
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import type { SearchDocument } from '../../search/search-index.js';
import { DiscoveryService, similarText } from '../../services/discovery-service.js';
import { RELATED_TEXT, RelatedTextService } from '../../services/related-text-service.js';
import { assetsRepository } from '../../store/assets-repository.js';
import type { Database } from '../../store/database.js';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';
import { relatedTextRepository } from '../../store/related-text-repository.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { aDoc } from '../contract/search-index.contract.js';
import { backendName, createTestDatabase } from '../support/database.js';

// The text signal of related content kept per asset version (migration 0043), on real Postgres:
// canonical assets, the Postgres search index, the graph (empty: the text signal alone relates).
describe(`related content's text signal, kept per asset version (${backendName()})`, () => {
  let db: Database;
  let index: PostgresSearchIndex;
  let lookups = 0;
  let now = new Date('2026-12-07T10:00:00Z');
  beforeAll(async () => {
    db = await createTestDatabase();
    index = new PostgresSearchIndex(projectionAccess(db, 'search'));
  });
  afterAll(() => db.close());

  /** The index, counting its more-like-this lookups. */
  const search = () =>
    Object.assign(Object.create(index) as PostgresSearchIndex, {
      moreLikeThis: (...a: Parameters<PostgresSearchIndex['moreLikeThis']>) => {
        lookups++;
        return index.moreLikeThis(...a);
      },
    });
  const sut = () =>
    new RelatedTextService({
      db,
      search: search(),
      assets: assetsRepository,
      store: relatedTextRepository,
      tenantIds: () => tenantsRepository.allIds(db),
      clock: () => now,
    });
  const discovery = (relatedText: RelatedTextService) =>
    new DiscoveryService({
      db,
      assets: assetsRepository,
      search: search(),
      graph: new PostgresGraphStore(projectionAccess(db, 'graph')),
      relatedText,
    });

  const newTenant = async () => {
    const id = `t${randomUUID().slice(0, 8)}`;
    await tenantsRepository.ensure(db, id);
    return id;
  };
  /** Canonical assets and their search documents, version 1. */
  const library = async (tenantId: string, docs: SearchDocument[]) => {
    await assetsRepository.insertNew(
      db,
      tenantId,
      docs.map((d) => ({
        id: d.assetId,
        versionId: randomUUID(),
        type: 'VIDEO',
        title: d.title,
        description: d.description,
        transcript: '',
        fileHash: randomBytes(32).toString('hex'),
        sourceSystem: 'api',
        sourceId: null,
        tags: [],
        speakers: [],
        contributors: [],
        operationalTags: [],
        technicalMetadata: {},
        status: 'PROCESSED',
        createdAt: '2024-01-01T00:00:00Z',
      })),
    );
    await index.upsertMany(tenantId, docs);
  };
  /** A new version of an asset, canonical; in the index too unless `indexed` is false. */
  const edit = async (tenantId: string, doc: SearchDocument, version: number, indexed = true) => {
    await db.query('UPDATE assets SET version = $3, description = $4 WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      doc.assetId,
      version,
      doc.description,
    ]);
    if (indexed) await index.upsertMany(tenantId, [{ ...doc, version }]);
  };
  const related = (relatedText: RelatedTextService, tenantId: string, assetId: string, limit = 10) =>
    inTenantScope(tenantId, () => discovery(relatedText).related(tenantId, assetId, { limit }));
  const ids = (r: { items: { asset: { id: string } }[] }) => r.items.map((i) => i.asset.id);
  const live = async (tenantId: string, assetId: string) => {
    const asset = await assetsRepository.findById(db, tenantId, assetId);
    return similarText(index, tenantId, asset!, RELATED_TEXT.depth);
  };

  const kelp = () => {
    const seed = aDoc({ title: 'Kelp forests', description: 'Kelp forests shelter otters and urchins.' });
    const close = aDoc({ title: 'Urchins in kelp', description: 'Urchins graze the kelp forests.' });
    const some = aDoc({ title: 'Sea otters', description: 'Otters float in kelp.' });
    const glacier = aDoc({ title: 'Glacier melt', description: 'Glacier ice melts into the fjord.' });
    const fjord = aDoc({ title: 'Fjord glacier', description: 'A glacier calving into the fjord.' });
    const filler = Array.from({ length: 6 }, (_, i) =>
      aDoc({ title: `Mountain weather ${i}`, description: 'Snow and wind on high passes.' }),
    );
    return { seed, close, some, glacier, fjord, all: [seed, close, some, glacier, fjord, ...filler] };
  };

  it('computes the text signal once per asset version and serves what it kept', async () => {
    const t = await newTenant();
    const lib = kelp();
    await library(t, lib.all);
    const service = sut();
    lookups = 0;
    const first = await related(service, t, lib.seed.assetId);
    expect(ids(first).slice(0, 2)).toEqual([lib.close.assetId, lib.some.assetId]);
    expect(lookups).toBe(2);
    const [kept] = await db.query<{ version: number; n: number }>(
      `SELECT version, jsonb_array_length(neighbours) AS n FROM related_text_neighbours
       WHERE tenant_id = $1 AND asset_id = $2`,
      [t, lib.seed.assetId],
    );
    expect(kept).toEqual({ version: 1, n: (await live(t, lib.seed.assetId)).length });
    // Served from the row: no lookup, the same page, and a shorter page is its head.
    lookups = 0;
    expect(await related(service, t, lib.seed.assetId)).toEqual(first);
    expect(ids(await related(service, t, lib.seed.assetId, 1))).toEqual([lib.close.assetId]);
    expect(lookups).toBe(0);
  });

  it('does not serve the neighbours of an older version: computes them again and keeps the new ones', async () => {
    const t = await newTenant();
    const lib = kelp();
    await library(t, lib.all);
    const service = sut();
    await related(service, t, lib.seed.assetId);
    // The seed now speaks of glaciers: its kept kelp neighbours are of version 1.
    await edit(
      t,
      { ...lib.seed, title: 'Glacier fjord', description: 'The glacier calves into the fjord.' },
      2,
    );
    lookups = 0;
    const after = await related(service, t, lib.seed.assetId);
    expect(lookups).toBe(2);
    expect(ids(after).slice(0, 2).sort()).toEqual([lib.glacier.assetId, lib.fjord.assetId].sort());
    const kept = await relatedTextRepository.find(db, t, lib.seed.assetId);
    expect(kept?.version).toBe(2);
    expect(kept?.neighbours.map((n) => n.assetId)).toEqual(ids(after));
    // Edited again, but not yet in the index: computed from the indexed text, served, not kept as
    // version 3 (nor over version 2's row).
    await edit(t, { ...lib.seed, description: 'Urchins and otters.' }, 3, false);
    lookups = 0;
    expect(ids(await related(service, t, lib.seed.assetId))).toEqual(ids(after));
    expect(lookups).toBe(2);
    expect((await relatedTextRepository.find(db, t, lib.seed.assetId))?.version).toBe(2);
    // A write of an older version never replaces a newer one.
    await relatedTextRepository.save(db, t, lib.seed.assetId, {
      version: 1,
      computedAt: now,
      neighbours: [],
    });
    expect((await relatedTextRepository.find(db, t, lib.seed.assetId))?.neighbours).toEqual(kept?.neighbours);
  });

  it("keeps each tenant's neighbours apart", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const lib = kelp();
    await library(a, lib.all);
    // Tenant b holds an asset of the same id, with other text and other assets.
    const theirs = { ...lib.glacier, assetId: lib.seed.assetId };
    const fjord = { ...lib.fjord, assetId: randomUUID() };
    await library(b, [theirs, fjord, ...lib.all.slice(5).map((d) => ({ ...d, assetId: randomUUID() }))]);
    const service = sut();
    const inA = await related(service, a, lib.seed.assetId);
    const inB = await related(service, b, lib.seed.assetId);
    expect(ids(inA)[0]).toBe(lib.close.assetId);
    expect(ids(inB)).toEqual([fjord.assetId]);
    // Both kept, each under its tenant; in a tenant's scope, row-level security shows its own only.
    expect((await relatedTextRepository.find(db, a, lib.seed.assetId))?.neighbours[0]?.assetId).toBe(
      lib.close.assetId,
    );
    const seen = await inTenantScope(b, () =>
      db.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM related_text_neighbours'),
    );
    if (backendName() === 'postgres') expect(seen).toEqual([{ tenant_id: b }]);
    expect(await related(service, b, lib.seed.assetId)).toEqual(inB);
  });

  it('rebuilds a tenant from the index, and refreshes the oldest, dropping assets no longer held', async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const lib = kelp();
    await library(t, lib.all);
    await library(other, [aDoc({ title: 'Kelp', description: 'Kelp forests.' })]);
    const service = sut();
    await related(service, other, (await index.projectedIdsAfter(other, null, 1))[0]!.assetId);
    // A row no asset of the tenant has any more (deleted meanwhile), and a wrong one for the seed.
    const gone = randomUUID();
    await relatedTextRepository.save(db, t, gone, { version: 1, computedAt: now, neighbours: [] });
    await relatedTextRepository.save(db, t, lib.seed.assetId, {
      version: 1,
      computedAt: now,
      neighbours: [],
    });
    const rebuilt = await service.rebuild(t, 4);
    expect(rebuilt.refreshed).toBe(lib.all.length);
    const rows = await db.query<{ asset_id: string; version: number }>(
      'SELECT asset_id, version FROM related_text_neighbours WHERE tenant_id = $1 ORDER BY asset_id',
      [t],
    );
    expect(rows.map((r) => r.asset_id)).toEqual(lib.all.map((d) => d.assetId).sort());
    for (const d of [lib.seed, lib.glacier])
      expect((await relatedTextRepository.find(db, t, d.assetId))?.neighbours).toEqual(
        await live(t, d.assetId),
      );
    // Another tenant's rows are left alone.
    expect(
      await relatedTextRepository.find(
        db,
        other,
        (await index.projectedIdsAfter(other, null, 1))[0]!.assetId,
      ),
    ).not.toBeNull();

    // A day later the oldest are computed again, at most refreshPerRun per tenant; the index lost one.
    await index.remove(t, lib.some.assetId);
    now = new Date(now.getTime() + RELATED_TEXT.maxAgeMs + 1);
    const runs = (await sut().refreshAll()).runs.filter((r) => r.tenantId === t);
    expect(runs).toEqual([{ tenantId: t, refreshed: lib.all.length - 1, removed: 1 }]);
    expect(await relatedTextRepository.find(db, t, lib.some.assetId)).toBeNull();
    const seed = await relatedTextRepository.find(db, t, lib.seed.assetId);
    expect(seed?.computedAt).toEqual(now);
    expect(seed?.neighbours.map((n) => n.assetId)).not.toContain(lib.some.assetId);
    // Nothing older than a day is left: the next run does nothing.
    expect((await sut().refreshAll()).runs.filter((r) => r.tenantId === t)).toEqual([
      { tenantId: t, refreshed: 0, removed: 0 },
    ]);
  });
});
