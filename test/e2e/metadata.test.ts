import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

type Headers = { authorization: string };
interface RecordDto {
  id: string;
  seq: number;
  kind: string;
  payload: Record<string, unknown>;
  context: { tenant: string };
}

describe('/v1/metadata', () => {
  let t: TestApp;
  let dev: Headers;
  let viewer: Headers;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    dev = await t.keyFor('meta', 'DEVELOPER');
    viewer = await t.keyFor('meta', 'VIEWER');
    admin = await t.keyFor('meta', 'ADMIN');
  }, 60_000);
  afterAll(() => t?.close());

  const call = (headers: Headers, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
  const sync = (id: string, itemCount: number) => ({
    target: { type: 'controller', id },
    kind: 'sync_result',
    payload: { status: 'SUCCEEDED', itemCount },
    producerId: 'e2e.v1',
  });
  const ndjson = (body: string) =>
    body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as RecordDto);

  it('records the volume of an ingest in its transaction', async () => {
    const res = await call(admin, 'POST', '/v1/assets/batch', { assets: [anAssetInput(), anAssetInput()] });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const latest = await call(
      dev,
      'GET',
      '/v1/metadata/records/latest?target=tenant:meta&kind=ingestion_volume',
    );
    expect(latest.statusCode, latest.body).toBe(200);
    expect(latest.json<RecordDto>().payload).toMatchObject({
      received: 2,
      created: 2,
      duplicates: 0,
      controller: 'api',
    });
  });

  it('stores one record (201) or a batch with per-item errors (200); reads need metrics:read, writes jobs:manage', async () => {
    const one = await call(dev, 'POST', '/v1/metadata/records', sync('c1', 3));
    expect(one.statusCode, one.body).toBe(201);
    const bad = await call(dev, 'POST', '/v1/metadata/records', {
      ...sync('c1', 3),
      payload: { status: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    const batch = await call(dev, 'POST', '/v1/metadata/records', {
      records: [sync('c1', 4), { ...sync('c1', 5), kind: 'nope' }],
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.json()).toMatchObject({ stored: 1, rejected: 1 });
    expect((await call(viewer, 'POST', '/v1/metadata/records', sync('c1', 6))).statusCode).toBe(403);
    expect((await call(viewer, 'GET', '/v1/metadata/kinds')).statusCode).toBe(403);
    const tooMany = await call(dev, 'POST', '/v1/metadata/records', {
      records: Array.from({ length: 501 }, () => sync('c1', 1)),
    });
    expect(tooMany.statusCode).toBe(400);
    const badPath = await call(dev, 'GET', '/v1/metadata/records/query?filter=payload.a;drop:eq:1');
    expect(badPath.statusCode).toBe(400);
  });

  it('registers kinds by semver, refusing an incompatible version unless forced, and audits the force', async () => {
    const v1 = {
      type: 'object',
      required: ['n'],
      properties: { n: { type: 'number' }, s: { type: 'string' } },
    };
    const reg = (version: string, schema: object, force?: boolean) =>
      call(dev, 'POST', '/v1/metadata/kinds', {
        kind: 'partner_check',
        version,
        schema,
        ...(force ? { force } : {}),
      });
    expect((await reg('1.0.0', v1)).statusCode).toBe(201);
    expect((await reg('1.0.0', v1)).statusCode).toBe(409);
    // Compatible: a new optional property.
    const v11 = { ...v1, properties: { ...v1.properties, extra: { type: 'boolean' } } };
    expect((await reg('1.1.0', v11)).statusCode).toBe(201);
    // Incompatible: s removed, n narrowed to integer.
    const v2 = {
      type: 'object',
      required: ['n'],
      properties: { n: { type: 'integer' }, extra: { type: 'boolean' } },
    };
    const refused = await reg('2.0.0', v2);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toMatch(/property removed/);
    const forced = await reg('2.0.0', v2, true);
    expect(forced.statusCode, forced.body).toBe(201);
    expect(forced.json()).toMatchObject({ version: '2.0.0', forced: true });
    const audit = await call(admin, 'GET', '/v1/actions?limit=100');
    expect(JSON.stringify(audit.json())).toContain('METADATA_SCHEMA_FORCE');
    // Writes are validated against the newest version.
    const rec = (n: number) => ({
      target: { type: 'job', id: 'j' },
      kind: 'partner_check',
      payload: { n },
      producerId: 'p',
    });
    expect((await call(dev, 'POST', '/v1/metadata/records', rec(1.5))).statusCode).toBe(400);
    expect((await call(dev, 'POST', '/v1/metadata/records', rec(2))).statusCode).toBe(201);
    expect(
      (await call(dev, 'POST', '/v1/metadata/kinds', { kind: 'sync_result', version: '9.0.0', schema: {} }))
        .statusCode,
    ).toBe(409);
  });

  it('serves the log as NDJSON and SSE, filtered by kind, resuming after an id with no repeats', async () => {
    const all = ndjson(
      (await call(dev, 'GET', '/v1/metadata/log?format=ndjson&follow=false&kind=sync_result')).body,
    );
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.every((r) => r.kind === 'sync_result')).toBe(true);
    const seqs = all.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const sse = await t.app.inject({
      url: '/v1/metadata/log?follow=false&kind=sync_result',
      headers: { ...dev, accept: 'text/event-stream', 'last-event-id': String(seqs[0]) },
    });
    expect(sse.headers['content-type']).toMatch(/text\/event-stream/);
    const ids = [...sse.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(seqs.slice(1));
    expect(sse.body).toContain('event: record');
    // After the newest: nothing, until a new record commits.
    const after = seqs[seqs.length - 1]!;
    expect(
      ndjson(
        (
          await call(
            dev,
            'GET',
            `/v1/metadata/log?format=ndjson&follow=false&kind=sync_result&after=${after}`,
          )
        ).body,
      ),
    ).toEqual([]);
    await call(dev, 'POST', '/v1/metadata/records', sync('c2', 9));
    const next = ndjson(
      (await call(dev, 'GET', `/v1/metadata/log?format=ndjson&follow=false&kind=sync_result&after=${after}`))
        .body,
    );
    expect(next.map((r) => r.payload.itemCount)).toEqual([9]);
  });
});

describe('metadata producers with workers running', () => {
  let t: TestApp;
  let dev: Headers;
  beforeAll(async () => {
    t = await createTestApp();
    dev = await t.keyFor('produce', 'DEVELOPER');
  }, 120_000);
  afterAll(() => t?.close());

  it("records each enrichment run with its extractors' timings", async () => {
    const editor = await t.keyFor('produce', 'EDITOR');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch',
      headers: editor,
      payload: { assets: [anAssetInput(), anAssetInput()] },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const latest = () =>
      t.app.inject({
        url: '/v1/metadata/records/latest?target=tenant:produce&kind=enrichment_run',
        headers: dev,
      });
    await expect.poll(async () => (await latest()).statusCode, { timeout: 120_000 }).toBe(200);
    const run = (await latest()).json<RecordDto>();
    expect(run.payload).toMatchObject({ status: 'SUCCEEDED' });
    expect(Object.keys(run.payload.extractorMs as object).length).toBeGreaterThan(0);
  });
});
