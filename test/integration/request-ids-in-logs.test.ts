import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { logMixin } from '../../runtime/logging.js';
import { createTestApp, type QueueBackend, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { logLines } from '../support/log-lines.js';

// BullMQ carries the request ids in the job's data, the in-process queue in the job request.
const queues: QueueBackend[] = inject('redisUrl') ? ['in-process', 'bullmq'] : ['in-process'];

describe.each(queues)("the worker's log lines on the %s queue name the request", (queue) => {
  const logs = logLines();
  let t: TestApp;
  let key: { authorization: string };

  beforeAll(async () => {
    // Tracing off (no OTLP endpoint): the request ids are logged without it.
    const log = pino({ level: 'info', mixin: logMixin({ logMixin: undefined }) }, logs.stream);
    t = await createTestApp({ queue, logger: log, log });
    key = await t.keyFor('default', 'EDITOR');
  });
  afterAll(() => t?.close());

  const jobLines = (job: string, requestId: string) =>
    logs.lines.filter(
      (l) => l.msg === 'job done' && l.job === job && (l.reqIds as string[] | undefined)?.includes(requestId),
    );

  it("puts an ingest's request id on its enrichment's and its projection's lines", async () => {
    const requestId = `ingest-${queue}-${Date.now()}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets?wait=true',
      headers: { ...key, 'x-request-id': requestId },
      payload: anAssetInput({ title: 'Logged talk', transcript: 'Ken Robinson on schools and creativity.' }),
    });
    expect(res.statusCode).toBe(201);
    const assetId = res.json<{ asset: { id: string } }>().asset.id;
    await expect.poll(() => jobLines('enrich-assets', requestId).length).toBeGreaterThan(0);
    await expect.poll(() => jobLines('project-assets', requestId).length).toBeGreaterThan(0);
    // The job that served it is the one of this asset: one asset, its readable job id.
    expect(jobLines('enrich-assets', requestId).some((l) => String(l.jobId).includes(assetId))).toBe(true);
    expect(jobLines('project-assets', requestId).some((l) => String(l.jobId).includes(assetId))).toBe(true);
    // The request's own lines carry it as Fastify's reqId, without a second field.
    const own = logs.lines.filter((l) => l.reqId === requestId);
    expect(own.length).toBeGreaterThan(0);
    for (const line of own) expect(line).not.toHaveProperty('reqIds');
  });

  it("names on a job's lines only the requests it serves", async () => {
    const other = `other-${queue}-${Date.now()}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets?wait=true',
      headers: { ...key, 'x-request-id': other },
      payload: anAssetInput({ title: 'Second talk', transcript: 'Oceans and reefs.' }),
    });
    expect(res.statusCode).toBe(201);
    await expect.poll(() => jobLines('project-assets', other).length).toBeGreaterThan(0);
    // Each job names only the requests it serves: the first ingest's id is not on the second's lines.
    const second = logs.lines.filter(
      (l) => l.msg === 'job done' && (l.reqIds as string[] | undefined)?.includes(other),
    );
    for (const line of second) expect(line.reqIds).toEqual([other]);
  });
});
