import { EventEmitter } from 'node:events';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onShutdownSignals } from '../../runtime/shutdown.js';
import { createTestApp } from '../support/app.js';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const log = { info: () => undefined, error: () => undefined };

/** Lets every pending callback run, so that anything shutdown could do without waiting has been done. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the request in flight, then closes the app and the container, and exits 0', async () => {
    const t = await createTestApp({ workers: true });
    const entered = deferred();
    const release = deferred();
    t.app.get('/test/slow', async () => {
      entered.resolve();
      await release.promise;
      return { done: true };
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;

    const signals = new EventEmitter();
    const exited = deferred<number>();
    const closed: string[] = [];
    onShutdownSignals({
      signals,
      exit: (code) => exited.resolve(code),
      log,
      timeoutMs: 0,
      steps: [
        { name: 'http', run: async () => (await t.app.close(), void closed.push('http')) },
        { name: 'container', run: async () => (await t.container.close(), void closed.push('container')) },
      ],
    });

    const response = fetch(`http://127.0.0.1:${port}/test/slow`);
    await entered.promise;
    signals.emit('SIGTERM');
    await settle();
    // Still waiting for the request: nothing closed, no exit.
    expect(closed).toEqual([]);
    release.resolve();
    const res = await response;
    expect(res.status).toBe(200);
    // Else the connection would stay open until its keep-alive timeout, and close would wait for it.
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ done: true });
    expect(await exited.promise).toBe(0);
    expect(closed).toEqual(['http', 'container']);
    // The database is closed with the container.
    await expect(t.container.db.query('SELECT 1')).rejects.toThrow();
  });

  it('closes the app without waiting on a connection that sent nothing or one between requests', async () => {
    const t = await createTestApp({ workers: false });
    try {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = t.app.server.address() as AddressInfo;
      // A spare socket, as browsers preconnect, and one kept alive after its answer.
      const silent: Socket = connect(port, '127.0.0.1').on('error', () => undefined);
      await once(silent, 'connect');
      const answered = await fetch(`http://127.0.0.1:${port}/health`);
      await answered.text();
      // One that connects as close begins and asks within the grace still gets an answer.
      const late: Socket = connect(port, '127.0.0.1');
      await once(late, 'connect');
      const closing = t.app.close();
      late.write('GET /health HTTP/1.1\r\nhost: x\r\n\r\n');
      const [reply] = (await once(late, 'data')) as [Buffer];
      expect(reply.toString()).toMatch(/^HTTP\/1\.1 \d{3}/);
      expect(reply.toString().toLowerCase()).toContain('connection: close');
      // Node's own timeouts would hold the close for about 70 s.
      const outcome = await Promise.race([
        closing.then(() => 'closed'),
        new Promise((r) => setTimeout(r, 15_000, 'still open')),
      ]);
      expect(outcome).toBe('closed');
      if (!silent.destroyed) await once(silent, 'close');
    } finally {
      await t.container.close();
    }
  });

  it('exits 1 at once on a second signal, without waiting for the steps', async () => {
    const signals = new EventEmitter();
    const codes: number[] = [];
    const stuck = deferred();
    onShutdownSignals({
      signals,
      exit: (code) => codes.push(code),
      log,
      timeoutMs: 0,
      steps: [{ name: 'stuck', run: () => stuck.promise }],
    });
    signals.emit('SIGINT');
    await settle();
    expect(codes).toEqual([]);
    signals.emit('SIGTERM');
    expect(codes).toEqual([1]);
    stuck.resolve();
  });

  it('exits 1 when a step fails', async () => {
    const signals = new EventEmitter();
    const exited = deferred<number>();
    onShutdownSignals({
      signals,
      exit: (code) => exited.resolve(code),
      log,
      timeoutMs: 0,
      steps: [{ name: 'broken', run: () => Promise.reject(new Error('pool already closed')) }],
    });
    signals.emit('SIGTERM');
    expect(await exited.promise).toBe(1);
  });
});
