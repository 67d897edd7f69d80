import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../store/database.js';
import { outboxRepository } from '../../store/outbox-repository.js';
import { createTestDatabase } from '../support/database.js';

/**
 * Webhook payloads carry a per-asset `sequence` (docs/webhooks.md): numbered in the transaction
 * that writes the events, so the numbers follow commit order even when writers race.
 */
describe("the outbox numbers each asset's events", () => {
  let db: Database;
  beforeAll(async () => {
    // Minutes of PGlite migrations on a busy machine: the bound is for a hang.
    db = await createTestDatabase(['default', 'other']);
  }, 300_000);
  afterAll(() => db?.close());

  const sequences = (assetId: string) =>
    db.query<{ event_type: string; sequence: string | number | null }>(
      'SELECT event_type, sequence FROM outbox WHERE aggregate_id = $1 ORDER BY id',
      [assetId],
    );

  it('counts per asset and tenant, in write order, and leaves internal events unnumbered', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await outboxRepository.insertMany(db, 'default', [
      { type: 'asset.ingested', aggregateId: a, payload: { assetId: a, version: 1 } },
      { type: 'asset.ingested', aggregateId: b, payload: { assetId: b, version: 1 } },
    ]);
    await db.transaction((tx) =>
      outboxRepository.insertMany(tx, 'default', [
        { type: 'asset.updated', aggregateId: a, payload: { assetId: a, version: 2, fields: ['title'] } },
        {
          type: 'asset.enrichment-requested',
          aggregateId: a,
          payload: { assetId: a, version: 2, nonce: 'n' },
        },
        { type: 'asset.enriched', aggregateId: a, payload: { assetId: a, version: 3 } },
      ]),
    );
    // The same id in another tenant has numbers of its own.
    await outboxRepository.insertMany(db, 'other', [
      { type: 'asset.ingested', aggregateId: a, payload: { assetId: a, version: 1 } },
    ]);
    expect(
      (await sequences(a)).map((r) => [r.event_type, r.sequence === null ? null : Number(r.sequence)]),
    ).toEqual([
      ['asset.ingested', 1],
      ['asset.updated', 2],
      ['asset.enrichment-requested', null],
      ['asset.enriched', 3],
      ['asset.ingested', 1],
    ]);
    expect((await sequences(b)).map((r) => Number(r.sequence))).toEqual([1]);
  });

  it('gives racing writers of one asset numbers in the order they commit', async () => {
    const a = randomUUID();
    const event = (version: number) => ({
      type: 'asset.updated' as const,
      aggregateId: a,
      payload: { assetId: a, version, fields: ['title'] },
    });
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    let markNumbered!: () => void;
    const firstNumbered = new Promise<void>((r) => (markNumbered = r));
    const committed: number[] = [];
    // The first writer takes its number and holds its transaction open; the second starts meanwhile.
    const first = db
      .transaction(async (tx) => {
        await outboxRepository.insertMany(tx, 'default', [event(1)]);
        markNumbered();
        await firstHolds;
      })
      .then(() => committed.push(1));
    await firstNumbered;
    const second = db
      .transaction((tx) => outboxRepository.insertMany(tx, 'default', [event(2)]))
      .then(() => committed.push(2));
    // On a server the second waits on the first's row lock before the first commits; PGlite runs one
    // transaction at a time, so there the second waits for its turn instead.
    if (db.kind === 'postgres')
      await expect
        .poll(
          async () =>
            (
              await db.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              )
            )[0]!.n,
          { timeout: 30_000, interval: 20 },
        )
        .toBeGreaterThan(0);
    releaseFirst();
    await Promise.all([first, second]);
    expect(committed).toEqual([1, 2]);
    const rows = await db.query<{ v: number; sequence: string | number }>(
      `SELECT (payload->>'version')::int AS v, sequence FROM outbox WHERE aggregate_id = $1 ORDER BY sequence`,
      [a],
    );
    expect(rows.map((r) => [r.v, Number(r.sequence)])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });
});
