import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { logMixin } from '../../runtime/logging.js';
import { createTestApp, type QueueBackend, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { logLines } from '../support/log-lines.js';

/** A webhook receiver on loopback that takes every delivery. */
class Receiver {
  private server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  start = () => new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  stop = () => new Promise<void>((resolve) => this.server.close(() => resolve()));
}

// BullMQ carries the request ids in the job's data, the in-process queue in the job request.
const queues: QueueBackend[] = inject('redisUrl') ? ['in-process', 'bullmq'] : ['in-process'];

describe.each(queues)("the worker's log lines on the %s queue name the request", (queue) => {
  const logs = logLines();
  const receiver = new Receiver();
  let t: TestApp;
  let key: { authorization: string };

  beforeAll(async () => {
    // Tracing off (no OTLP endpoint): the request ids are logged without it.
    const log = pino({ level: 'info', mixin: logMixin({ logMixin: undefined }) }, logs.stream);
    t = await createTestApp({ queue, logger: log, log, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    key = await t.keyFor('default', 'ADMIN');
    await receiver.start();
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  const jobLines = (job: string, requestId: string) =>
    logs.lines.filter(
      (l) => l.msg === 'job done' && l.job === job && (l.reqIds as string[] | undefined)?.includes(requestId),
    );

  it("puts an ingest's request id on its enrichment's and its projection's lines", async () => {
    const hook = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: key,
      payload: { url: receiver.url, events: ['asset.created'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
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
    // The webhook delivery it announced: the relay wrote its event in the request's ids.
    await expect.poll(() => jobLines('deliver-webhook', requestId).length).toBeGreaterThan(0);
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
