import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../store/db.js';
import { ingestService } from '../../runtime/container.js';
import type { IngestService } from '../../services/ingest-service.js';
import { createTestDatabase } from '../support/database.js';
import { anAssetInput } from '../support/factories.js';

describe('ingest', () => {
  let db: Database;
  let sut: IngestService;
  let nudges = 0;
  const who = { tenantId: 'acme', actor: 'key:test' };

  beforeAll(async () => {
    db = await createTestDatabase(['acme', 'globex']);
    sut = ingestService(db, () => nudges++);
  });
  afterAll(() => db.close());

  const count = async (table: string, assetId: string) =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE ${table === 'outbox' ? 'aggregate_id' : 'asset_id'} = $1`,
        [assetId],
      )
    )[0]!.n;

  it('writes the asset, its first version, an audit row and an outbox event together', async () => {
    const before = nudges;
    const [result] = await sut.ingest(who, [anAssetInput({ title: 'First', speakers: ['Ada Lovelace'] })]);
    expect(result!.duplicate).toBe(false);
    expect(result!.asset).toMatchObject({ tenantId: 'acme', title: 'First', status: 'QUEUED', version: 1 });
    expect(await count('asset_versions', result!.asset.id)).toBe(1);
    expect(await count('action_records', result!.asset.id)).toBe(1);
    expect(await count('outbox', result!.asset.id)).toBe(1);
    expect(nudges).toBe(before + 1);
  });

  it('returns the existing asset for a repeated file hash and creates nothing', async () => {
    const input = anAssetInput();
    const [first] = await sut.ingest(who, [input]);
    const [again] = await sut.ingest(who, [{ ...input, title: 'Another title' }]);
    expect(again).toMatchObject({ duplicate: true, asset: { id: first!.asset.id, title: input.title } });
    expect(await count('asset_versions', first!.asset.id)).toBe(1);
    expect(await count('outbox', first!.asset.id)).toBe(1);
  });

  it('treats a hash repeated inside one batch as a duplicate of its first occurrence', async () => {
    const input = anAssetInput();
    const results = await sut.ingest(who, [input, anAssetInput(), { ...input }]);
    expect(results.map((r) => r.duplicate)).toEqual([false, false, true]);
    expect(results[2]!.asset.id).toBe(results[0]!.asset.id);
  });

  it('answers a batch mixing stored, repeated and new files in input order, writing only the new ones', async () => {
    const stored = anAssetInput();
    const [before] = await sut.ingest(who, [stored]);
    const fresh = anAssetInput();
    const other = anAssetInput();
    const results = await sut.ingest(who, [fresh, { ...stored }, other, { ...fresh }, { ...stored }]);

    expect(results.map((r) => r.duplicate)).toEqual([false, true, false, true, true]);
    expect(results.map((r) => r.asset.title)).toEqual([
      fresh.title,
      stored.title,
      other.title,
      fresh.title,
      stored.title,
    ]);
    expect(results[1]!.asset.id).toBe(before!.asset.id);
    expect(results[4]!.asset.id).toBe(before!.asset.id);
    expect(results[3]!.asset.id).toBe(results[0]!.asset.id);
    // One version and one event per new asset; the stored one keeps its own.
    for (const id of [results[0]!.asset.id, results[2]!.asset.id, before!.asset.id]) {
      expect(await count('asset_versions', id)).toBe(1);
      expect(await count('outbox', id)).toBe(1);
    }
    // Every input is in the audit trail, the repeats as duplicates.
    const audit = await db.query<{ asset_id: string; duplicate: boolean }>(
      `SELECT asset_id, (details->>'duplicate')::boolean AS duplicate FROM action_records
       WHERE asset_id = ANY($1::uuid[]) AND action_type = 'INGEST' ORDER BY asset_id`,
      [[results[0]!.asset.id, before!.asset.id]],
    );
    expect(
      audit
        .filter((a) => a.asset_id === results[0]!.asset.id)
        .map((a) => a.duplicate)
        .sort(),
    ).toEqual([false, true]);
    expect(
      audit
        .filter((a) => a.asset_id === before!.asset.id)
        .map((a) => a.duplicate)
        .sort(),
    ).toEqual([false, true, true]);
  });

  it('lets two tenants hold the same file', async () => {
    const input = anAssetInput();
    const [a] = await sut.ingest(who, [input]);
    const [b] = await sut.ingest({ tenantId: 'globex', actor: 'key:other' }, [input]);
    expect(b!.duplicate).toBe(false);
    expect(b!.asset.id).not.toBe(a!.asset.id);
  });

  it('derives a file hash from the content when none is given', async () => {
    const input = anAssetInput({ fileHash: undefined, title: 'Hashless' });
    const [first] = await sut.ingest(who, [input]);
    expect(first!.asset.fileHash).toMatch(/^[0-9a-f]{64}$/);
    const [again] = await sut.ingest(who, [input]);
    expect(again!.duplicate).toBe(true);
  });

  it('writes nothing when the transaction fails', async () => {
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM assets');
    // A tenant that does not exist violates a foreign key after the first statements ran.
    await expect(
      sut.ingest({ tenantId: 'nobody', actor: 'x' }, [anAssetInput(), anAssetInput()]),
    ).rejects.toThrow();
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM assets');
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE tenant_id = 'nobody'`))[0]!
        .n,
    ).toBe(0);
  });
});
