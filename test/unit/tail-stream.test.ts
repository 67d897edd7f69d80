import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { streamTail, type TailPage } from '../../api/http/tail-stream.js';

/** A response whose socket buffer is full after every write, until the test drains it. */
class SlowResponse extends EventEmitter {
  chunks: string[] = [];
  destroyed = false;
  ended = false;
  headers: Record<string, string> = {};
  writeHead(_status: number, headers: Record<string, string>) {
    this.headers = headers;
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return false;
  }
  end() {
    this.ended = true;
  }
}

function fakes() {
  const raw = new SlowResponse();
  const req = { raw: new EventEmitter(), log: { error: () => undefined } } as unknown as FastifyRequest;
  const reply = { hijack: () => undefined, raw } as unknown as FastifyReply;
  return { raw, req, reply };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('streamTail', () => {
  it('reads no further page while the client has not drained the last write (back-pressure)', async () => {
    const { raw, req, reply } = fakes();
    const reads: string[] = [];
    const pages: Record<string, TailPage<number>> = {
      '0': { items: [1, 2], cursor: '2' },
      '2': { items: [3], cursor: '3' },
      '3': { items: [], cursor: '3' },
    };
    const done = streamTail<number>(req, reply, {
      format: 'ndjson',
      follow: false,
      cursor: '0',
      read: (after) => {
        reads.push(after);
        return Promise.resolve(pages[after]!);
      },
      serialize: (n) => ({ id: String(n), data: { n } }),
    });
    await flush();
    expect(reads).toEqual(['0']);
    expect(raw.chunks).toEqual(['{"n":1}\n']);
    // Still full: nothing more is written or read, however long it waits.
    await flush();
    expect(raw.chunks).toHaveLength(1);
    for (let i = 0; i < 4; i++) {
      raw.emit('drain');
      await flush();
    }
    await done;
    expect(reads).toEqual(['0', '2', '3']);
    expect(raw.chunks).toEqual(['{"n":1}\n', '{"n":2}\n', '{"n":3}\n']);
    expect(raw.ended).toBe(true);
    expect(raw.headers['content-type']).toMatch(/application\/x-ndjson/);
  });

  it('frames SSE events with their id and event name, and stops when the client goes away', async () => {
    const { raw, req, reply } = fakes();
    raw.write = function (chunk: string) {
      this.chunks.push(chunk);
      return true;
    };
    let reads = 0;
    const done = streamTail<number>(req, reply, {
      format: 'sse',
      follow: true,
      cursor: '0',
      pollMs: 1,
      read: (after) => {
        reads++;
        if (after === '0') return Promise.resolve({ items: [7], cursor: '7' });
        // Caught up: the client closes while the stream waits for news.
        req.raw.emit('close');
        return Promise.resolve({ items: [], cursor: after });
      },
      serialize: (n) => ({ id: String(n), event: 'record', data: { n } }),
    });
    await done;
    expect(raw.chunks.join('')).toContain('id: 7\nevent: record\ndata: {"n":7}\n\n');
    expect(reads).toBe(2);
    expect(raw.ended).toBe(true);
  });
});
