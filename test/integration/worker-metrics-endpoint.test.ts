import { afterEach, describe, expect, it } from 'vitest';
import { serveMetrics, type MetricsServer } from '../../workers/metrics-server.js';

// A worker process's /metrics on a loopback port (workers/metrics-server.ts); no database needed.

describe("a worker process's metrics endpoint", () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the exposition at GET /metrics and nothing else', async () => {
    server = await serveMetrics(() => Promise.resolve('mdisc_assets_in_flight 3\n'), {
      port: 0,
      host: '127.0.0.1',
    });
    const base = `http://127.0.0.1:${server.port}`;
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toBe('mdisc_assets_in_flight 3\n');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 500 when the metrics cannot be read, and keeps serving', async () => {
    let fail = true;
    server = await serveMetrics(
      () => (fail ? Promise.reject(new Error('db away')) : Promise.resolve('ok\n')),
      {
        port: 0,
        host: '127.0.0.1',
      },
    );
    const url = `http://127.0.0.1:${server.port}/metrics`;
    expect((await fetch(url)).status).toBe(500);
    fail = false;
    expect((await fetch(url)).status).toBe(200);
  });

  it('refuses to start on a port already taken', async () => {
    server = await serveMetrics(() => Promise.resolve(''), { port: 0, host: '127.0.0.1' });
    await expect(
      serveMetrics(() => Promise.resolve(''), { port: server.port, host: '127.0.0.1' }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
