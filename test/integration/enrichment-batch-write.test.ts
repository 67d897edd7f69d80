import { afterEach, describe, expect, it } from 'vitest';
import { SomeAssetsFailedError, type JobContext } from '../../queue/jobs.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const who = { tenantId: 'default', actor: 'key:test' };
const ctx = (attempt: number): JobContext => ({ jobId: `attempt-${attempt}`, attempt, maxAttempts: 3 });

/**
 * Issue 23: one asset whose enrichment the database refuses does not fail its batch's write. A
 * trigger refuses the enrichment version of the asset titled `Refused by the database`, as a
 * constraint would refuse a row: the batch's one transaction fails, and each asset is written alone.
 */
describe('an enrichment batch whose write the database refuses for one asset', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('writes the others, and retries and dead-letters that asset alone', async () => {
    t = await createTestApp({ workers: false });
    const c = t.container;
    await c.db.exec(`
      CREATE FUNCTION refuse_enrichment_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.change_kind = 'ENRICHMENT' AND NEW.snapshot->>'title' = 'Refused by the database' THEN
          RAISE EXCEPTION 'refused: this asset''s version';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_enrichment_version BEFORE INSERT ON asset_versions
        FOR EACH ROW EXECUTE FUNCTION refuse_enrichment_version();`);
    const ids = (
      await c.ingest.ingest(who, [
        anAssetInput({ title: 'Coral spawning at night' }),
        anAssetInput({ title: 'Refused by the database' }),
        anAssetInput({ title: 'Whale song over a season' }),
      ])
    ).map((r) => r.asset.id);
    const bad = ids[1]!;
    const state = async () =>
      Object.fromEntries(
        (
          await c.db.query<{ id: string; status: string; enrichments: number; runs: string[] }>(
            `SELECT a.id, a.status,
               (SELECT count(*)::int FROM asset_versions v
                 WHERE v.asset_id = a.id AND v.change_kind = 'ENRICHMENT') AS enrichments,
               ARRAY(SELECT j.status FROM processing_jobs j WHERE j.asset_id = a.id) AS runs
             FROM assets a WHERE a.id = ANY($1::uuid[])`,
            [ids],
          )
        ).map((r) => [r.id, { status: r.status, enrichments: r.enrichments, runs: r.runs }]),
      );

    const err = await c.enrichment
      .enrichAssets(
        { tenantId: who.tenantId, assets: ids.map((assetId) => ({ assetId, version: 1 })) },
        ctx(1),
      )
      .then(
        () => null,
        (e: unknown) => e,
      );

    expect(err).toBeInstanceOf(SomeAssetsFailedError);
    const { retry } = err as SomeAssetsFailedError<'enrich-assets'>;
    expect(retry).toEqual({ tenantId: who.tenantId, assets: [{ assetId: bad, version: 1 }] });
    const done = { status: 'PROCESSED', enrichments: 1, runs: ['COMPLETED'] };
    expect(await state()).toEqual({
      [ids[0]!]: done,
      [bad]: { status: 'QUEUED', enrichments: 0, runs: ['RETRYING'] },
      [ids[2]!]: done,
    });

    // The retry holds that asset alone; on the last attempt it is dead-lettered alone.
    await expect(c.enrichment.enrichAssets(retry, ctx(3))).rejects.toThrow(/refused: this asset's version/);
    expect(await state()).toEqual({
      [ids[0]!]: done,
      [bad]: { status: 'FAILED', enrichments: 0, runs: ['FAILED'] },
      [ids[2]!]: done,
    });
    const failed = await c.db.query<{ aggregate_id: string }>(
      `SELECT aggregate_id FROM outbox WHERE event_type = 'asset.failed'`,
    );
    expect(failed.map((e) => e.aggregate_id)).toEqual([bad]);
  }, 180_000);
});
