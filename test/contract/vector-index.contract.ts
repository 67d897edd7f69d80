import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VectorIndex } from '../../search/vector-index.js';

export interface VectorIndexFixture {
  index: VectorIndex;
  dimensions: number;
  close(): Promise<void>;
}

/** A unit vector pointing mostly along `axis`, tilted by `tilt` towards the next axis. */
export const axisVector = (dimensions: number, axis: number, tilt = 0): Float32Array => {
  const v = new Float32Array(dimensions);
  v[axis % dimensions] = 1;
  v[(axis + 1) % dimensions] = tilt;
  const n = Math.hypot(1, tilt);
  return v.map((x) => x / n);
};

/** The behaviour every VectorIndex adapter must have. */
export function vectorIndexContract(backend: string, create: () => Promise<VectorIndexFixture>) {
  describe(`VectorIndex contract: ${backend}`, () => {
    let fx: VectorIndexFixture;
    beforeAll(async () => {
      fx = await create();
    });
    afterAll(() => fx.close());
    const tenant = () => `t${randomUUID().slice(0, 8)}`;
    const vec = (axis: number, tilt = 0) => axisVector(fx.dimensions, axis, tilt);

    it('finds the nearest assets first, each once by its best passage, with cosine scores', async () => {
      const t = tenant();
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      await fx.index.upsert(t, [
        { assetId: a, passage: 0, vector: vec(0) },
        { assetId: a, passage: 1, vector: vec(0, 0.1), start: 60, end: 120 },
        { assetId: b, passage: 0, vector: vec(0, 0.5) },
        { assetId: c, passage: 0, vector: vec(3) },
      ]);
      const hits = await fx.index.search(t, { vector: vec(0, 0.05), limit: 3 });
      expect(hits.map((h) => h.assetId)).toEqual([a, b, c]);
      expect(hits[0]!.passage).toBe(1);
      expect(hits[0]).toMatchObject({ start: 60, end: 120 });
      expect(hits[0]!.score).toBeCloseTo(Math.cos(Math.atan(0.1) - Math.atan(0.05)), 3);
      expect(hits[2]!.score).toBeCloseTo(0, 3);
      expect(await fx.index.count(t)).toBe(4);
    });

    it('keeps tenants apart', async () => {
      const [t, other] = [tenant(), tenant()];
      const mine = randomUUID();
      await fx.index.upsert(t, [{ assetId: mine, passage: 0, vector: vec(1) }]);
      await fx.index.upsert(other, [{ assetId: randomUUID(), passage: 0, vector: vec(1) }]);
      expect((await fx.index.search(t, { vector: vec(1), limit: 10 })).map((h) => h.assetId)).toEqual([mine]);
      await fx.index.clear(other);
      expect(await fx.index.count(other)).toBe(0);
      expect(await fx.index.count(t)).toBe(1);
    });

    it('returns only the allowed assets, and asset-level passages when asked, however far they rank', async () => {
      const t = tenant();
      const ids = Array.from({ length: 30 }, () => randomUUID());
      await fx.index.upsert(
        t,
        ids.map((assetId, i) => ({ assetId, passage: 0, vector: vec(0, i / 10) })),
      );
      const far = ids[29]!;
      const hits = await fx.index.search(t, { vector: vec(0), limit: 5, assetIds: [far, ids[20]!] });
      expect(hits.map((h) => h.assetId)).toEqual([ids[20], far]);
      const moment = randomUUID();
      await fx.index.upsert(t, [
        { assetId: moment, passage: 0, vector: vec(5) },
        { assetId: moment, passage: 1, vector: vec(0) },
      ]);
      const assetLevel = await fx.index.search(t, { vector: vec(0), limit: 1, assetLevelOnly: true });
      expect(assetLevel.map((h) => h.assetId)).toEqual([ids[0]]);
      expect((await fx.index.search(t, { vector: vec(0), limit: 1 }))[0]!.score).toBeCloseTo(1, 3);
    });

    it('replaces an asset’s passages on upsert and forgets them on remove', async () => {
      const t = tenant();
      const a = randomUUID();
      await fx.index.upsert(t, [
        { assetId: a, passage: 0, vector: vec(0) },
        { assetId: a, passage: 1, vector: vec(1) },
      ]);
      await fx.index.upsert(t, [{ assetId: a, passage: 0, vector: vec(2) }]);
      expect(await fx.index.count(t)).toBe(1);
      expect((await fx.index.search(t, { vector: vec(2), limit: 1 }))[0]).toMatchObject({
        assetId: a,
        passage: 0,
      });
      await fx.index.remove(t, [a]);
      expect(await fx.index.search(t, { vector: vec(2), limit: 5 })).toEqual([]);
    });

    it('refuses a vector of the wrong size and a limit past the bound', async () => {
      const t = tenant();
      await expect(fx.index.search(t, { vector: new Float32Array(3), limit: 1 })).rejects.toThrow(
        /dimensions/,
      );
      await expect(fx.index.search(t, { vector: vec(0), limit: 100_000 })).rejects.toThrow(/limit/);
      await expect(
        fx.index.upsert(t, [{ assetId: randomUUID(), passage: 0, vector: new Float32Array(3) }]),
      ).rejects.toThrow(/dimensions/);
    });
  });
}
