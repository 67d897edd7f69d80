import type { LookupAddress } from 'node:dns';
import type { lookup } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup, RESPONSE_SNIPPET, sendWebhook } from '../../workers/webhooks/send-webhook.js';

/** The outbound request of a webhook attempt, against a receiver on loopback. */
describe('sending a webhook request', () => {
  let server: Server;
  let base: string;
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const routes: Record<string, (res: ServerResponse) => void> = {
    '/ok': (res) => res.writeHead(204).end(),
    '/redirect': (res) => res.writeHead(302, { location: '/target' }).end(),
    '/big': (res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('E'.repeat(100_000)),
    // Answers nothing, ever: the attempt must end at its timeout.
    '/hang': () => undefined,
  };
  const allowed = { timeoutMs: 2_000, allowPrivate: true };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        (routes[path] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const at = (path: string) => received.filter((r) => r.path === path);

  it('POSTs the body with the given headers, as JSON', async () => {
    const result = await sendWebhook(`${base}/ok`, { 'webhook-id': 'd-1' }, '{"a":1}', allowed);
    expect(result).toMatchObject({ ok: true, statusCode: 204, error: null });
    const [req] = at('/ok');
    expect(req!.body).toBe('{"a":1}');
    expect(req!.headers).toMatchObject({ 'webhook-id': 'd-1', 'content-type': 'application/json' });
  });

  it('does not follow a redirect', async () => {
    const result = await sendWebhook(`${base}/redirect`, {}, '{}', allowed);
    expect(result).toMatchObject({ ok: false, statusCode: 302 });
    expect(result.error).toMatch(/redirects are not followed/);
    expect(at('/target')).toHaveLength(0);
  });

  it("keeps only a short snippet of the receiver's answer", async () => {
    const result = await sendWebhook(`${base}/big`, {}, '{}', allowed);
    expect(result).toMatchObject({ ok: false, statusCode: 500, error: 'answered 500' });
    expect(result.response).toBe('E'.repeat(RESPONSE_SNIPPET));
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const result = await sendWebhook(`${base}/hang`, {}, '{}', { ...allowed, timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, statusCode: null, error: 'timed out after 200 ms' });
  });

  it('reports a refused connection as a failed attempt', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await sendWebhook(`http://127.0.0.1:${port}/`, {}, '{}', allowed);
    expect(result).toMatchObject({ ok: false, statusCode: null });
    expect(result.error).toMatch(/ECONNREFUSED/);
  });

  it('refuses a private address when private addresses are not allowed, without connecting', async () => {
    const before = received.length;
    const result = await sendWebhook(`${base}/ok`, {}, '{}', { timeoutMs: 2_000, allowPrivate: false });
    expect(result).toMatchObject({ ok: false, statusCode: null, error: '127.0.0.1 is not a public address' });
    expect(received).toHaveLength(before);
  });

  it('refuses a name that resolves to a private address, when it connects', async () => {
    // A name that passed registration and now resolves to loopback (DNS rebinding).
    const rebinding = ((_host: string, _opts: unknown, cb: (e: null, a: LookupAddress[]) => void) =>
      cb(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ])) as unknown as typeof lookup;
    const port = new URL(base).port;
    const before = received.length;
    const result = await sendWebhook(`http://hooks.example.com:${port}/ok`, {}, '{}', {
      timeoutMs: 2_000,
      allowPrivate: false,
      resolve: rebinding,
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(
      /hooks\.example\.com resolves to 127\.0\.0\.1, which is not a public address/,
    );
    expect(received).toHaveLength(before);
  });

  it('passes public addresses through the guarded lookup, in either form it is asked for', () => {
    const publicOnly = ((_host: string, _opts: unknown, cb: (e: null, a: LookupAddress[]) => void) =>
      cb(null, [{ address: '93.184.216.34', family: 4 }])) as unknown as typeof lookup;
    const lookupFn = guardedLookup(publicOnly);
    const answers: unknown[][] = [];
    lookupFn('hooks.example.com', { all: true }, (...args: unknown[]) => answers.push(args));
    lookupFn('hooks.example.com', {}, (...args: unknown[]) => answers.push(args));
    expect(answers).toEqual([
      [null, [{ address: '93.184.216.34', family: 4 }]],
      [null, '93.184.216.34', 4],
    ]);
  });
});
