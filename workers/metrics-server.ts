import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE } from '../services/metrics.js';

export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one given for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `GET /metrics` for a worker process, which has no API to serve it: the job failures, the asset
 * outcomes and the projection lag are counted in the process that runs the jobs, so Prometheus has
 * to scrape each worker process too (METRICS_PORT; slot n on METRICS_PORT + n). Nothing else is
 * served: 404 for any other path, 405 for any other method.
 */
export async function serveMetrics(
  render: () => Promise<string>,
  options: { port: number; host: string },
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    render().then(
      (text) => {
        res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => {
        // A scrape that fails is a gap in the series, which `up` and absent() alerts see.
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // A scraper's keep-alive connection would hold close() open until it timed out.
        server.closeAllConnections();
      }),
  };
}
