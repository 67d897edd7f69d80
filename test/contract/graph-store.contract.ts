import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetEntity, GraphStore } from '../../graph/graph-store.js';

export interface GraphStoreFixture {
  store: GraphStore;
  /** A tenant of its own for one test. */
  newTenant(): Promise<string>;
  close(): Promise<void>;
}

const speaker = (name: string): AssetEntity => ({ type: 'SPEAKER', name, weight: 1 });
const tag = (name: string): AssetEntity => ({ type: 'TAG', name, weight: 1 });
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

    it('keeps tenants apart', async () => {
      const [a, b] = [await tenant(), await tenant()];
      const seedA = await project(a, [speaker('Shared Name')]);
      await project(b, [speaker('Shared Name')]);
      expect(await fx.store.related(a, seedA, { limit: 5 })).toEqual([]);
      expect(await fx.store.projectedVersions(b, [seedA])).toEqual(new Map());
    });

    it('forgets removed assets', async () => {
      const t = await tenant();
      const seed = await project(t, [tag('opera')]);
      const gone = await project(t, [tag('opera')]);
      await fx.store.removeAsset(t, gone);
      expect(await fx.store.related(t, seed, { limit: 5 })).toEqual([]);
      expect(await fx.store.projectedVersions(t, [gone])).toEqual(new Map());
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
  });
}
