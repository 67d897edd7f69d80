import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface PipelineStatusDto {
  checkedAt: string;
  idle: boolean;
  assets: Record<'total' | 'STAGED' | 'QUEUED' | 'PROCESSING' | 'PROCESSED' | 'FAILED' | 'ARCHIVED', number>;
  jobs: { queued: number; running: number; retrying: number };
  outboxPending: number;
  lastIngestAt: string | null;
  minutes: { minute: string; ingested: number; enriched: number; failed: number }[];
  rates: { ingestedPerMinute: number; enrichedPerMinute: number; failedPerMinute: number };
  estimatedSecondsLeft: number | null;
}

const sum = (s: PipelineStatusDto, field: 'ingested' | 'enriched' | 'failed') =>
  s.minutes.reduce((n, m) => n + m[field], 0);

/** An import seen from GET /v1/pipeline/status: waiting while the workers are off, idle once they ran. */
describe('GET /v1/pipeline/status', () => {
  let t: TestApp;
  let importer: { authorization: string };
  let bystander: { authorization: string };

  beforeAll(async () => {
    // Workers off at first: the ingested assets wait in the pipeline until the test starts them.
    t = await createTestApp({ workers: false });
    importer = await t.keyFor('importer', 'EDITOR');
    bystander = await t.keyFor('bystander', 'VIEWER');
  }, 60_000);
  afterAll(() => t?.close());

  const status = async (headers: { authorization: string }) => {
    const res = await t.app.inject({ url: '/v1/pipeline/status', headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PipelineStatusDto>();
  };

  it('is idle with nothing in it, with every minute of the window listed', async () => {
    const s = await status(importer);
    expect(s).toMatchObject({ idle: true, outboxPending: 0, lastIngestAt: null, estimatedSecondsLeft: null });
    expect(s.assets.total).toBe(0);
    expect(s.minutes).toHaveLength(60);
    const times = s.minutes.map((m) => Date.parse(m.minute));
    expect(times.every((x, i) => i === 0 || x - times[i - 1]! === 60_000)).toBe(true);
    expect(Date.parse(s.checkedAt) - times.at(-1)!).toBeLessThan(60_000);
  });

  it('counts an import while it waits, then reports it enriched and idle, for its tenant only', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch',
      headers: importer,
      payload: {
        assets: [
          anAssetInput({ title: 'Kelp forests and the tides' }),
          anAssetInput({ title: 'Coral reefs at night' }),
          anAssetInput({ title: 'The deep sea floor' }),
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);

    const waiting = await status(importer);
    expect(waiting.idle).toBe(false);
    expect(waiting.assets.total).toBe(3);
    expect(waiting.assets.QUEUED + waiting.assets.PROCESSING).toBe(3);
    expect(sum(waiting, 'ingested')).toBe(3);
    expect(waiting.rates.ingestedPerMinute).toBe(0.6);
    expect(waiting.lastIngestAt).not.toBeNull();

    // Another tenant sees none of it.
    const other = await status(bystander);
    expect(other).toMatchObject({ idle: true, outboxPending: 0, lastIngestAt: null });
    expect(other.assets.total).toBe(0);
    expect(sum(other, 'ingested')).toBe(0);

    await t.container.startWorkers();
    // Until the importer's tenant is idle, however long a loaded machine takes.
    await expect
      .poll(async () => (await status(importer)).idle, { timeout: 120_000, interval: 100 })
      .toBe(true);
    const done = await status(importer);
    expect(done.idle).toBe(true);
    expect(done.assets).toMatchObject({ total: 3, PROCESSED: 3, QUEUED: 0, PROCESSING: 0, FAILED: 0 });
    expect(done.jobs).toEqual({ queued: 0, running: 0, retrying: 0 });
    expect(sum(done, 'enriched')).toBe(3);
    expect(done.rates.enrichedPerMinute).toBe(0.6);
    expect(done.estimatedSecondsLeft).toBeNull();
  });
});
