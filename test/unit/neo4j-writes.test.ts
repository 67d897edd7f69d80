import neo4j, { type Driver } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { CYPHER } from '../../graph/cypher.js';
import { Neo4jGraphStore } from '../../graph/neo4j-graph-store.js';

// No Neo4j server runs here: a stubbed driver session stands in for one, holding each asset's
// projected version as the graph would, and records every statement the adapter runs. The Cypher
// itself is linted in cypher-lint.test.ts; the contract suite checks behaviour on a server.

interface Run {
  statement: string;
  params: Record<string, unknown>;
}

function stubbedStore(held = new Map<string, number>()) {
  const runs: Run[] = [];
  const record = (row: Record<string, unknown>) => ({ get: (key: string) => row[key], toObject: () => row });
  const tx = {
    run(statement: string, params: Record<string, unknown> = {}) {
      runs.push({ statement, params });
      const assetId = params.assetId as string;
      if (statement === CYPHER.lockAsset) {
        const version = held.get(assetId);
        return Promise.resolve({
          records: [record({ version: version === undefined ? null : neo4j.int(version) })],
        });
      }
      if (statement === CYPHER.lockExistingAsset) {
        const version = held.get(assetId);
        return Promise.resolve({
          records: version === undefined ? [] : [record({ version: neo4j.int(version) })],
        });
      }
      if (statement === CYPHER.setVersion) held.set(assetId, neo4j.integer.toNumber(params.version as never));
      return Promise.resolve({ records: [] });
    },
  };
  const session = {
    executeWrite: <T>(work: (t: typeof tx) => Promise<T>) => work(tx),
    executeRead: <T>(work: (t: typeof tx) => Promise<T>) => work(tx),
    close: () => Promise.resolve(),
  };
  const driver = { session: () => session, close: () => Promise.resolve() } as unknown as Driver;
  return { store: new Neo4jGraphStore(driver), runs, held };
}

const tag = (name: string) => ({ type: 'TAG' as const, name, weight: 1 });

describe('Neo4j adapter writes (stubbed session)', () => {
  it('projects only the newest version of an asset a batch holds twice; the older one is stale', async () => {
    const { store, runs, held } = stubbedStore(new Map([['c', 3]]));
    const outcomes = await store.projectMany('acme', [
      { assetId: 'a', version: 1, entities: [tag('jazz')] },
      { assetId: 'b', version: 1, entities: [tag('jazz')] },
      { assetId: 'b', version: 2, entities: [tag('soul')] },
      { assetId: 'c', version: 2, entities: [tag('blues')] },
    ]);
    expect(outcomes).toEqual(['applied', 'stale', 'applied', 'stale']);
    const locked = runs.filter((r) => r.statement === CYPHER.lockAsset).map((r) => r.params.assetId);
    expect(locked).toEqual(['a', 'b', 'c']);
    expect(held).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]),
    );
  });

  it("moves the tenant's projected-asset count on a first projection and a removal only", async () => {
    const { store, runs } = stubbedStore(new Map([['b', 1]]));
    await store.projectMany('acme', [
      { assetId: 'a', version: 1, entities: [tag('jazz')] },
      { assetId: 'b', version: 2, entities: [tag('jazz')] },
    ]);
    const moved = () => runs.filter((r) => r.statement === CYPHER.moveAssetCount).map((r) => r.params.delta);
    expect(moved()).toEqual([neo4j.int(1)]);
    await store.removeAsset('acme', 'b');
    expect(moved()).toEqual([neo4j.int(1), neo4j.int(-1)]);
  });

  it('writes CO_VIEWED relationships in one parameterized statement per batch, sessions as integers', async () => {
    const { store, runs } = stubbedStore();
    await store.replaceCoViewed('acme', [
      { assetId: 'a', partners: [{ relatedId: 'b', sessions: 12, score: 0.5 }] },
      { assetId: 'c', partners: [] },
    ]);
    expect(runs.map((r) => r.statement)).toEqual([CYPHER.replaceCoViewed]);
    expect(runs[0]!.params).toEqual({
      tenantId: 'acme',
      edges: [
        { id: 'a', partners: [{ id: 'b', sessions: neo4j.int(12), score: 0.5 }] },
        { id: 'c', partners: [] },
      ],
    });
    await store.replaceCoViewed('acme', []);
    expect(runs).toHaveLength(1);
  });
  it('sets learned popularity with parameters in batches, guarded by the computation time, with no version change', async () => {
    const { store, runs } = stubbedStore();
    const at = new Date('2026-12-01T00:00:00Z');
    const rows = Array.from({ length: 501 }, (_, i) => ({
      assetId: `a${i}`,
      popularity: i / 2,
      trending: -0.5,
      computedAt: at,
    }));
    await store.applyPopularity('acme', rows);
    expect(runs.map((r) => r.statement)).toEqual([CYPHER.applyPopularity, CYPHER.applyPopularity]);
    expect(runs[0]!.params.tenantId).toBe('acme');
    expect((runs[0]!.params.rows as unknown[]).length).toBe(500);
    expect(runs[1]!.params.rows).toEqual([
      { assetId: 'a500', popularity: 250, trending: -0.5, computedAt: at.getTime() },
    ]);
    // Values are parameters; the statement guards on the time and sets no version.
    expect(CYPHER.applyPopularity).toMatch(/a\.popularityAt IS NULL OR a\.popularityAt <= x\.computedAt/);
    expect(CYPHER.applyPopularity).not.toMatch(/version\s*=/);
    await store.applyPopularity('acme', []);
    expect(runs).toHaveLength(2);
  });
});
