import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetEntity, GraphStore } from '../../graph/graph-store.js';
import { FREQUENT_ENTITY } from '../../graph/related-ranking.js';

export interface GraphStoreFixture {
  store: GraphStore;
  /** A tenant of its own for one test. */
  newTenant(): Promise<string>;
  close(): Promise<void>;
}

const speaker = (name: string): AssetEntity => ({ type: 'SPEAKER', name, weight: 1 });
const tag = (name: string, weight = 1): AssetEntity => ({ type: 'TAG', name, weight });
const keyword = (name: string, weight = 1): AssetEntity => ({ type: 'KEYWORD', name, weight });

/** The behaviour every GraphStore adapter must have. */
export function graphStoreContract(backend: string, create: () => Promise<GraphStoreFixture>) {
  describe(`GraphStore contract: ${backend}`, () => {
    let fx: GraphStoreFixture;
    beforeAll(async () => {
      fx = await create();
    });
    afterAll(() => fx.close());
    const tenant = () => fx.newTenant();
    const project = async (t: string, entities: AssetEntity[], version = 1, assetId = randomUUID()) => {
      await fx.store.projectAsset(t, { assetId, version, entities });
      return assetId;
    };

    describe('GraphWriter: projections, removals and respellings', () => {
      it('drops old links when an asset is re-projected, and ignores older versions', async () => {
        const t = await tenant();
        const seed = await project(t, [tag('jazz')]);
        const other = randomUUID();
        await project(t, [tag('jazz')], 1, other);
        expect((await fx.store.related(t, seed, { limit: 5 })).map((r) => r.assetId)).toEqual([other]);
        expect(await fx.store.projectAsset(t, { assetId: other, version: 2, entities: [tag('blues')] })).toBe(
          'applied',
        );
        expect(await fx.store.related(t, seed, { limit: 5 })).toEqual([]);
        expect(await fx.store.projectAsset(t, { assetId: other, version: 1, entities: [tag('jazz')] })).toBe(
          'stale',
        );
        expect(await fx.store.projectAsset(t, { assetId: other, version: 2, entities: [tag('jazz')] })).toBe(
          'unchanged',
        );
        expect(await fx.store.related(t, seed, { limit: 5 })).toEqual([]);
        expect((await fx.store.projectedVersions(t, [other, seed])).get(other)).toBe(2);
      });

      it('projects a batch like single projections, with an outcome per graph', async () => {
        const t = await tenant();
        const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
        await fx.store.projectAsset(t, { assetId: c, version: 3, entities: [tag('jazz')] });
        const outcomes = await fx.store.projectMany(t, [
          { assetId: a, version: 1, entities: [speaker('Nina Simone'), tag('jazz')] },
          { assetId: b, version: 1, entities: [speaker('Nina Simone')] },
          { assetId: b, version: 2, entities: [speaker('Nina Simone'), tag('soul')] },
          { assetId: c, version: 2, entities: [tag('blues')] },
        ]);
        expect(outcomes).toEqual(['applied', 'stale', 'applied', 'stale']);
        expect(await fx.store.projectMany(t, [{ assetId: a, version: 1, entities: [] }])).toEqual([
          'unchanged',
        ]);
        const related = await fx.store.related(t, a, { limit: 10 });
        expect(related.map((r) => r.assetId).sort()).toEqual([b, c].sort());
        expect(related.find((r) => r.assetId === b)!.reasons.map((r) => r.name)).toEqual(['Nina Simone']);
        expect(await fx.store.projectedVersions(t, [a, b, c])).toEqual(
          new Map([
            [a, 1],
            [b, 2],
            [c, 3],
          ]),
        );
        const [soul] = await fx.store.entities(t, { type: 'TAG', prefix: 'soul', limit: 5, offset: 0 });
        expect(soul).toEqual({ type: 'TAG', name: 'soul', assetCount: 1 });
      });

      it('applies concurrent projections that share entities, without deadlocks', async () => {
        const t = await tenant();
        const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
        const outcomes = await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            fx.store.projectAsset(t, {
              assetId: randomUUID(),
              version: 1,
              // Overlapping sets in different orders, the pattern that deadlocks naive lock ordering.
              entities: [
                tag(names[i % 5]!),
                tag(names[(i * 3 + 1) % 5]!),
                keyword('shared'),
                speaker(`s${i % 3}`),
              ],
            }),
          ),
        );
        expect(outcomes.every((o) => o === 'applied')).toBe(true);
        const seed = await project(t, [keyword('shared')]);
        expect(await fx.store.related(t, seed, { limit: 50 })).toHaveLength(24);
      });

      it('forgets removed assets', async () => {
        const t = await tenant();
        const seed = await project(t, [tag('opera')]);
        const gone = await project(t, [tag('opera')]);
        await fx.store.removeAsset(t, gone);
        expect(await fx.store.related(t, seed, { limit: 5 })).toEqual([]);
        expect(await fx.store.projectedVersions(t, [gone])).toEqual(new Map());
      });

      it('writes an entity the way it is respelled, keeping its links', async () => {
        const t = await tenant();
        const seed = await project(t, [tag('machine learning')]);
        const other = await project(t, [tag('Machine Learning')]);
        await fx.store.respell(t, [
          { type: 'TAG', name: 'Machine Learning' },
          { type: 'TAG', name: 'absent' },
        ]);
        const found = await fx.store.entities(t, { type: 'TAG', limit: 10, offset: 0 });
        expect(found.map((e) => [e.name, e.assetCount])).toEqual([['Machine Learning', 2]]);
        const related = await fx.store.related(t, seed, { limit: 5 });
        expect(related.map((r) => [r.assetId, r.reasons[0]!.name])).toEqual([[other, 'Machine Learning']]);
      });
    });

    describe('GraphWriter: a person erased', () => {
      it('forgets the unlinked entities named with the person, and only those of the tenant', async () => {
        const t = await tenant();
        const elsewhere = await tenant();
        const a = await project(t, [speaker('Mara Quill'), keyword('quill'), tag('kelp')]);
        const b = await project(t, [speaker('Sir Mara Quill'), keyword('quill'), keyword('quill pen')]);
        await project(elsewhere, [speaker('Mara Quill')]);
        // Still linked: nothing goes.
        expect(await fx.store.forgetEntities(t, 'mara quill')).toBe(0);
        await fx.store.projectAsset(t, { assetId: a, version: 2, entities: [tag('kelp')] });
        expect(await fx.store.forgetEntities(t, 'mara quill')).toBe(1);
        await fx.store.removeAsset(t, b);
        // "sir mara quill" holds the name, "quill" is made of its words; "quill pen" is neither.
        expect(await fx.store.forgetEntities(t, 'mara quill')).toBe(2);
        expect(await fx.store.forgetEntities(t, 'mara quill')).toBe(0);
        expect((await fx.store.entities(t, { limit: 10, offset: 0 })).map((e) => e.name)).toEqual(['kelp']);
        expect((await fx.store.entities(elsewhere, { limit: 10, offset: 0 })).map((e) => e.name)).toEqual([
          'Mara Quill',
        ]);
        // A later asset naming someone of that name links a new entity as usual.
        await project(t, [speaker('Mara Quill')]);
        const found = await fx.store.entities(t, { type: 'SPEAKER', limit: 10, offset: 0 });
        expect(found.map((e) => [e.name, e.assetCount])).toEqual([['Mara Quill', 1]]);
      });
    });

    describe('GraphReader: related content, entities, paths and neighbourhoods', () => {
      it('relates assets that share entities and names the shared ones', async () => {
        const t = await tenant();
        const seed = await project(t, [speaker('Ken Robinson'), tag('education')]);
        const sameSpeaker = await project(t, [speaker('ken robinson'), tag('dance')]);
        const unrelated = await project(t, [tag('dance')]);
        const related = await fx.store.related(t, seed, { limit: 10 });
        expect(related.map((r) => r.assetId)).toEqual([sameSpeaker]);
        expect(related[0]!.reasons).toEqual([
          expect.objectContaining({ type: 'SPEAKER', name: 'Ken Robinson' }),
        ]);
        expect(related.map((r) => r.assetId)).not.toContain(unrelated);
        expect(related.map((r) => r.assetId)).not.toContain(seed);
      });

      it('counts a rare shared entity for more than a common one', async () => {
        const t = await tenant();
        const seed = await project(t, [keyword('technology'), keyword('bioluminescence')]);
        const sharesRare = await project(t, [keyword('bioluminescence')]);
        const sharesCommon = await project(t, [keyword('technology')]);
        for (let i = 0; i < 20; i++) await project(t, [keyword('technology')]);
        const related = await fx.store.related(t, seed, { limit: 30 });
        expect(related[0]!.assetId).toBe(sharesRare);
        const common = related.find((r) => r.assetId === sharesCommon)!;
        expect(related[0]!.score).toBeGreaterThan(common.score * 2);
      });

      it('sums every shared entity into the score, strongest reason first', async () => {
        const t = await tenant();
        const seed = await project(t, [speaker('A'), tag('x'), tag('y')]);
        const two = await project(t, [speaker('A'), tag('x')]);
        const one = await project(t, [tag('y')]);
        await project(t, [tag('x'), tag('y')]);
        const related = await fx.store.related(t, seed, { limit: 10 });
        expect(related[0]!.assetId).toBe(two);
        expect(related[0]!.reasons.map((r) => r.type)).toEqual(['SPEAKER', 'TAG']);
        const reasons = related[0]!.reasons;
        expect(reasons[0]!.contribution).toBeGreaterThanOrEqual(reasons[1]!.contribution);
        expect(related.map((r) => r.assetId)).toContain(one);
      });

      it('weighs the same speaker on a shared subject above many overlapping tags', async () => {
        const t = await tenant();
        const tags = (...names: string[]) => names.map((n) => tag(n));
        const seed = await project(t, [
          speaker('Ken Robinson'),
          ...tags('children', 'creativity', 'culture', 'dance', 'education', 'parenting', 'teaching'),
        ]);
        const sameSpeaker = await project(t, [speaker('Ken Robinson'), ...tags('education', 'children')]);
        const parenting = await project(t, tags('children', 'culture', 'education', 'parenting', 'teaching'));
        // A library of 40 in which these tags are as common as on TED, relatively.
        const others = { children: 3, education: 3, parenting: 1, teaching: 1, culture: 6, music: 23 };
        for (const [name, n] of Object.entries(others))
          for (let i = 0; i < n; i++) await project(t, [tag(name)]);
        const related = await fx.store.related(t, seed, { limit: 5 });
        expect(related.slice(0, 2).map((r) => r.assetId)).toEqual([sameSpeaker, parenting]);
        for (const r of related) {
          // Each further tag counts less (1/k), and the reasons still add up to the score.
          const sum = r.reasons.reduce((a, x) => a + x.contribution, 0);
          expect(sum).toBeCloseTo(r.score, 2);
        }
        const tagged = related.find((r) => r.assetId === parenting)!.reasons.map((x) => x.contribution);
        expect(tagged[4]!).toBeLessThan(tagged[0]! / 4);
      });

      it('keeps tenants apart', async () => {
        const [a, b] = [await tenant(), await tenant()];
        const seedA = await project(a, [speaker('Shared Name')]);
        await project(b, [speaker('Shared Name')]);
        expect(await fx.store.related(a, seedA, { limit: 5 })).toEqual([]);
        expect(await fx.store.projectedVersions(b, [seedA])).toEqual(new Map());
      });

      it('points a reason at the moment the shared entity occurs in the related asset', async () => {
        const t = await tenant();
        const seed = await project(t, [speaker('Jane Goodall')]);
        const other = await project(t, [
          {
            ...speaker('Jane Goodall'),
            moments: [
              { start: 90, end: 130 },
              { start: 300, end: 340 },
            ],
          },
        ]);
        const [item] = await fx.store.related(t, seed, { limit: 5 });
        expect(item).toMatchObject({
          assetId: other,
          reasons: [{ type: 'SPEAKER', name: 'Jane Goodall', moment: { start: 90, end: 130 } }],
        });
        const back = await fx.store.related(t, other, { limit: 5 });
        expect(back[0]!.reasons[0]!.moment).toBeUndefined();
      });

      it('limits the number of results', async () => {
        const t = await tenant();
        const seed = await project(t, [tag('common')]);
        for (let i = 0; i < 8; i++) await project(t, [tag('common')]);
        expect(await fx.store.related(t, seed, { limit: 3 })).toHaveLength(3);
      });

      it("relates assets an editor linked, both ways, with the link's note, until the link goes", async () => {
        const t = await tenant();
        const [seed, target] = [randomUUID(), randomUUID()];
        const sharesTag = await project(t, [tag('jazz')]);
        await fx.store.projectAsset(t, {
          assetId: seed,
          version: 1,
          entities: [tag('jazz')],
          links: [{ targetId: target, note: 'same concert' }],
        });
        await fx.store.projectAsset(t, { assetId: target, version: 1, entities: [tag('opera')] });
        const related = await fx.store.related(t, seed, { limit: 10 });
        expect(related[0]).toEqual({
          assetId: target,
          score: 5,
          reasons: [{ type: 'RELATED_TO', name: 'same concert', contribution: 5 }],
        });
        expect(related.map((r) => r.assetId)).toContain(sharesTag);
        expect((await fx.store.related(t, target, { limit: 10 })).map((r) => r.assetId)).toEqual([seed]);
        expect((await fx.store.related(t, seed, { limit: 10, via: ['TAG'] })).map((r) => r.assetId)).toEqual([
          sharesTag,
        ]);

        await fx.store.projectAsset(t, { assetId: seed, version: 2, entities: [tag('jazz')], links: [] });
        expect((await fx.store.related(t, target, { limit: 10 })).map((r) => r.assetId)).toEqual([]);
        expect((await fx.store.related(t, seed, { limit: 10 })).map((r) => r.assetId)).toEqual([sharesTag]);
      });

      it('lifts assets created close together, but relates none by time alone', async () => {
        const t = await tenant();
        const at = (iso: string, entities: AssetEntity[]) => {
          const assetId = randomUUID();
          return fx.store
            .projectAsset(t, { assetId, version: 1, entities, createdAt: iso })
            .then(() => assetId);
        };
        const seed = await at('2026-03-01T10:00:00Z', [tag('jazz')]);
        const monthsApart = await at('2025-06-01T10:00:00Z', [tag('jazz')]);
        const sameHour = await at('2026-03-01T10:30:00Z', [tag('jazz')]);
        const sameHourUnrelated = await at('2026-03-01T10:10:00Z', [tag('opera')]);
        const related = await fx.store.related(t, seed, { limit: 10 });
        expect(related.map((r) => r.assetId)).toEqual([sameHour, monthsApart]);
        expect(related[0]!.reasons.map((r) => r.type)).toEqual(['TAG', 'TEMPORAL']);
        expect(related[0]!.reasons[1]!.name).toBe('created 30 min apart');
        expect(related.map((r) => r.assetId)).not.toContain(sameHourUnrelated);
        expect((await fx.store.related(t, seed, { limit: 10, via: ['TAG'] }))[0]!.reasons).toHaveLength(1);
      });

      it('relates assets viewers also watched (CO_VIEWED), with the sessions behind it, until replaced', async () => {
        const t = await tenant();
        const [seed, watched, alsoTag, unprojected] = [
          randomUUID(),
          randomUUID(),
          randomUUID(),
          randomUUID(),
        ];
        await project(t, [tag('jazz')], 1, seed);
        await project(t, [tag('opera')], 1, watched);
        await project(t, [tag('jazz')], 1, alsoTag);
        const before = await fx.store.related(t, seed, { limit: 10 });
        const edges = [
          {
            assetId: seed,
            partners: [
              { relatedId: watched, sessions: 12, score: 0.5 },
              { relatedId: alsoTag, sessions: 3, score: 0.1 },
              // Not projected: skipped, as an asset the graph does not hold.
              { relatedId: unprojected, sessions: 40, score: 0.9 },
            ],
          },
        ];
        await fx.store.replaceCoViewed(t, edges);
        // Idempotent: applying the same relationships again changes nothing.
        await fx.store.replaceCoViewed(t, edges);
        const related = await fx.store.related(t, seed, { limit: 10 });
        expect(related.find((r) => r.assetId === watched)).toEqual({
          assetId: watched,
          score: 2.5,
          reasons: [{ type: 'CO_VIEWED', name: '12 sessions watched both', contribution: 2.5, count: 12 }],
        });
        const both = related.find((r) => r.assetId === alsoTag)!;
        expect(both.reasons.map((r) => [r.type, r.count])).toEqual([
          ['TAG', undefined],
          ['CO_VIEWED', 3],
        ]);
        expect(related.map((r) => r.assetId)).not.toContain(unprojected);
        // Directed: the partner's own relationships are its own.
        expect((await fx.store.related(t, watched, { limit: 10 })).map((r) => r.assetId)).toEqual([]);
        // Through CO_VIEWED only, or without it.
        const only = await fx.store.related(t, seed, { limit: 10, via: ['CO_VIEWED'] });
        expect(only.map((r) => r.assetId)).toEqual([watched, alsoTag]);
        expect(await fx.store.related(t, seed, { limit: 10, via: ['TAG'] })).toEqual(before);
        // Another tenant sees none of them.
        const other = await tenant();
        await project(other, [tag('jazz')], 1, seed);
        expect(await fx.store.related(other, seed, { limit: 10 })).toEqual([]);

        // Replaced as a whole; an empty list removes them; a re-projection keeps them.
        await fx.store.replaceCoViewed(t, [
          { assetId: seed, partners: [{ relatedId: alsoTag, sessions: 5, score: 0.2 }] },
        ]);
        await fx.store.projectAsset(t, { assetId: seed, version: 2, entities: [tag('jazz')] });
        const replaced = await fx.store.related(t, seed, { limit: 10, via: ['CO_VIEWED'] });
        expect(replaced.map((r) => [r.assetId, r.reasons[0]!.count])).toEqual([[alsoTag, 5]]);
        await fx.store.replaceCoViewed(t, [{ assetId: seed, partners: [] }]);
        expect(await fx.store.related(t, seed, { limit: 10 })).toEqual(before);

        // A removed asset takes its relationships with it.
        await fx.store.replaceCoViewed(t, [
          { assetId: seed, partners: [{ relatedId: watched, sessions: 4, score: 0.3 }] },
        ]);
        await fx.store.removeAsset(t, seed);
        await project(t, [tag('jazz')], 1, seed);
        expect(await fx.store.related(t, seed, { limit: 10 })).toEqual(before);
      });

      it('relates only through the entity types asked for', async () => {
        const t = await tenant();
        const seed = await project(t, [speaker('Mae Jemison'), tag('space')]);
        const viaSpeaker = await project(t, [speaker('Mae Jemison')]);
        const viaTag = await project(t, [tag('space')]);
        const bySpeaker = await fx.store.related(t, seed, { limit: 10, via: ['SPEAKER'] });
        expect(bySpeaker.map((r) => r.assetId)).toEqual([viaSpeaker]);
        const byTag = await fx.store.related(t, seed, { limit: 10, via: ['TAG', 'TOPIC'] });
        expect(byTag.map((r) => r.assetId)).toEqual([viaTag]);
      });

      it('keeps related-content latency independent of a supernode: it visits a capped number of assets', async () => {
        const t = await tenant();
        const seed = await project(t, [keyword('technology'), speaker('Rare Speaker')]);
        const rare = await project(t, [speaker('Rare Speaker'), keyword('technology')]);
        // "technology" on 30% of a 700-asset library: more assets than the fan-out cap.
        for (let i = 0; i < 210; i++) await project(t, [keyword('technology')]);
        for (let i = 0; i < 490; i++) await project(t, [tag(`other ${i % 50}`)]);
        const related = await fx.store.related(t, seed, { limit: 500 });
        expect(related[0]!.assetId).toBe(rare);
        // At most the frequent-entity cap through the supernode, plus the rare speaker's asset.
        expect(related.length).toBeLessThanOrEqual(FREQUENT_ENTITY.fanOut + 1);
        expect(related.length).toBeGreaterThan(FREQUENT_ENTITY.fanOut / 2);
      });

      it('lists entities by type and prefix, most linked first, and the assets of one', async () => {
        const t = await tenant();
        const a = await project(t, [speaker('Jane Goodall'), tag('Chimpanzees', 0.9)]);
        const b = await project(t, [speaker('jane goodall'), { ...tag('chimps'), weight: 0.4 }]);
        await project(t, [speaker('Jared Diamond')]);
        const speakers = await fx.store.entities(t, { type: 'SPEAKER', limit: 10, offset: 0 });
        expect(speakers).toEqual([
          { type: 'SPEAKER', name: 'Jane Goodall', assetCount: 2 },
          { type: 'SPEAKER', name: 'Jared Diamond', assetCount: 1 },
        ]);
        expect(await fx.store.entitiesNamed(t, ['talk by', 'JANE goodall', 'chimps', 'jane'])).toEqual([
          { type: 'SPEAKER', name: 'Jane Goodall', assetCount: 2 },
          { type: 'TAG', name: 'chimps', assetCount: 1 },
        ]);
        const chi = await fx.store.entities(t, { prefix: 'CHI', limit: 10, offset: 0 });
        expect(chi.map((e) => e.name).sort()).toEqual(['Chimpanzees', 'chimps']);
        expect(await fx.store.entities(t, { prefix: 'zz', limit: 10, offset: 0 })).toEqual([]);
        const page = await fx.store.entityAssets(
          t,
          { type: 'SPEAKER', name: 'JANE GOODALL' },
          { limit: 10, offset: 0 },
        );
        expect(page!.entity).toEqual({ type: 'SPEAKER', name: 'Jane Goodall', assetCount: 2 });
        expect(page!.assets.map((x) => x.assetId).sort()).toEqual([a, b].sort());
        expect(
          await fx.store.entityAssets(t, { type: 'TOPIC', name: 'Jane Goodall' }, { limit: 10, offset: 0 }),
        ).toBeNull();
      });

      it('lists the entities that share assets with one, most shared first, of a type when asked', async () => {
        const t = await tenant();
        await project(t, [speaker('Jane Goodall'), tag('chimps'), tag('forest')]);
        await project(t, [speaker('jane goodall'), tag('Chimps'), keyword('tools')]);
        await project(t, [speaker('Jane Goodall'), tag('forest'), tag('chimps')]);
        // On no asset of hers: not listed, however common.
        await project(t, [speaker('Jared Diamond'), tag('guns'), tag('forest')]);
        const other = await tenant();
        await project(other, [speaker('Jane Goodall'), tag('secret')]);

        const all = await fx.store.cooccurring(t, { type: 'SPEAKER', name: 'JANE GOODALL' }, { limit: 10 });
        expect(all!.entity).toEqual({ type: 'SPEAKER', name: 'Jane Goodall', assetCount: 3 });
        expect(all!.items).toEqual([
          { type: 'TAG', name: 'chimps', assetCount: 3, sharedAssets: 3 },
          { type: 'TAG', name: 'forest', assetCount: 3, sharedAssets: 2 },
          { type: 'KEYWORD', name: 'tools', assetCount: 1, sharedAssets: 1 },
        ]);
        const tags = await fx.store.cooccurring(
          t,
          { type: 'SPEAKER', name: 'Jane Goodall' },
          { type: 'TAG', limit: 1 },
        );
        expect(tags!.items).toEqual([{ type: 'TAG', name: 'chimps', assetCount: 3, sharedAssets: 3 }]);
        expect(
          await fx.store.cooccurring(t, { type: 'TOPIC', name: 'Jane Goodall' }, { limit: 10 }),
        ).toBeNull();
        const theirs = await fx.store.cooccurring(
          other,
          { type: 'SPEAKER', name: 'Jane Goodall' },
          { limit: 10 },
        );
        expect(theirs!.items.map((i) => i.name)).toEqual(['secret']);
      });

      it('finds the shortest explained path between assets and entities', async () => {
        const t = await tenant();
        const a = await project(t, [speaker('Ada Lovelace'), tag('math')]);
        const b = await project(t, [tag('math'), tag('music')]);
        const c = await project(t, [tag('music'), speaker('Brian Eno')]);
        const loner = await project(t, [tag('alone')]);
        const path = await fx.store.path(t, { kind: 'asset', assetId: a }, { kind: 'asset', assetId: c }, 6);
        expect(path!.nodes.map((n) => n.id)).toEqual([a, 'TAG:math', b, 'TAG:music', c]);
        expect(path!.nodes.map((n) => n.kind)).toEqual(['ASSET', 'TAG', 'ASSET', 'TAG', 'ASSET']);
        expect(path!.edges).toEqual([
          { source: a, target: 'TAG:math', weight: 1 },
          { source: b, target: 'TAG:math', weight: 1 },
          { source: b, target: 'TAG:music', weight: 1 },
          { source: c, target: 'TAG:music', weight: 1 },
        ]);
        const toEntity = await fx.store.path(
          t,
          { kind: 'entity', type: 'SPEAKER', name: 'ada lovelace' },
          { kind: 'entity', type: 'SPEAKER', name: 'Brian Eno' },
          6,
        );
        expect(toEntity!.nodes).toHaveLength(7);
        expect(
          await fx.store.path(t, { kind: 'asset', assetId: a }, { kind: 'asset', assetId: c }, 3),
        ).toBeNull();
        expect(
          await fx.store.path(t, { kind: 'asset', assetId: a }, { kind: 'asset', assetId: loner }, 6),
        ).toBeNull();
        expect(
          await fx.store.path(t, { kind: 'asset', assetId: a }, { kind: 'asset', assetId: a }, 6),
        ).toEqual({
          nodes: [{ id: a, kind: 'ASSET', label: a }],
          edges: [],
        });
      });

      it('returns the neighbourhood of an asset as nodes and edges, bounded by depth and size', async () => {
        const t = await tenant();
        const a = await project(t, [speaker('Ada Lovelace'), tag('math')]);
        const b = await project(t, [tag('math'), tag('music')]);
        const c = await project(t, [tag('music')]);
        const one = await fx.store.neighbourhood(t, a, { depth: 1, limit: 50 });
        expect(one.nodes.map((n) => n.id).sort()).toEqual([a, 'SPEAKER:ada lovelace', 'TAG:math'].sort());
        expect(one.edges).toHaveLength(2);
        const three = await fx.store.neighbourhood(t, a, { depth: 3, limit: 50 });
        expect(three.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([b, 'TAG:music']));
        expect(three.nodes.map((n) => n.id)).not.toContain(c);
        for (const e of three.edges) {
          expect(three.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([e.source, e.target]));
        }
        const small = await fx.store.neighbourhood(t, a, { depth: 3, limit: 2 });
        expect(small.nodes).toHaveLength(2);
        expect(await fx.store.neighbourhood(t, randomUUID(), { depth: 2, limit: 10 })).toEqual({
          nodes: [],
          edges: [],
        });
      });
    });

    describe('GraphWriter: learned popularity', () => {
      it('sets it without a new version, on projected assets only, idempotently', async () => {
        const t = await tenant();
        const a = await project(t, [tag('pop')], 2);
        const at = new Date('2026-12-01T00:00:00Z');
        const rows = [
          { assetId: a, popularity: 3.5, trending: 0.25, computedAt: at },
          // Not projected: no node is made for it.
          { assetId: randomUUID(), popularity: 1, trending: 0, computedAt: at },
        ];
        await fx.store.applyPopularity(t, rows);
        await fx.store.applyPopularity(t, rows);
        await fx.store.applyPopularity(t, [
          { assetId: a, popularity: 1, trending: 0, computedAt: new Date(at.getTime() - 1) },
        ]);
        await fx.store.applyPopularity(t, []);
        expect(await fx.store.projectedIdsAfter(t, null, 10)).toEqual([{ assetId: a, version: 2 }]);
        // The version it holds is still 2: 2 again is unchanged, 3 is applied.
        expect(await fx.store.projectAsset(t, { assetId: a, version: 2, entities: [tag('pop')] })).toBe(
          'unchanged',
        );
        expect(await fx.store.projectAsset(t, { assetId: a, version: 3, entities: [tag('pop')] })).toBe(
          'applied',
        );
      });
    });

    describe('GraphProjectionAudit: what the graph holds', () => {
      it('lists projected assets in id order, page by page, per tenant', async () => {
        const [t, other] = [await tenant(), await tenant()];
        const ids = [randomUUID(), randomUUID(), randomUUID()].sort();
        for (const [i, id] of ids.entries()) await project(t, [tag('paging')], i + 1, id);
        await project(other, [tag('paging')]);
        // Only the target of a link: an asset node without a projection of its own.
        await fx.store.projectAsset(t, {
          assetId: ids[0]!,
          version: 5,
          entities: [tag('paging')],
          links: [{ targetId: randomUUID() }],
        });
        const first = await fx.store.projectedIdsAfter(t, null, 2);
        expect(first).toEqual([
          { assetId: ids[0], version: 5 },
          { assetId: ids[1], version: 2 },
        ]);
        expect(await fx.store.projectedIdsAfter(t, ids[1]!, 2)).toEqual([{ assetId: ids[2], version: 3 }]);
        expect(await fx.store.projectedIdsAfter(t, ids[2]!, 2)).toEqual([]);
        await fx.store.removeAsset(t, ids[1]!);
        expect((await fx.store.projectedIdsAfter(t, null, 10)).map((p) => p.assetId)).toEqual([
          ids[0],
          ids[2],
        ]);
      });
    });
  });
}
