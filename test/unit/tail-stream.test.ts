import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tailStream, type TailOptions, type TailPage } from '../../api/http/tail-stream.js';

/** A log of numbered entries; cursor `n` is after entry n. */
function log(entries: number) {
  const reads: { after: string | null; limit: number }[] = [];
  let size = entries;
  return {
    reads,
    grow: (n: number) => (size += n),
    read: (after: string | null, limit: number): Promise<TailPage<number>> => {
      reads.push({ after, limit });
      const from = after === null ? 0 : Number(after);
      const items = Array.from({ length: Math.max(0, Math.min(limit, size - from)) }, (_, i) => from + i + 1);
      return Promise.resolve({ items, cursor: items.length > 0 ? String(items.at(-1)) : after });
    },
  };
}

/** A socket stand-in: keeps what it is given; `hold` makes it take nothing until released. */
function sink(opts: { hold?: boolean; highWaterMark?: number } = {}) {
  const chunks: string[] = [];
  let held: (() => void)[] = [];
  let holding = opts.hold ?? false;
  const out = new Writable({
    highWaterMark: opts.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      if (holding) held.push(cb);
      else cb();
    },
  });
  return {
    out,
    text: () => chunks.join(''),
    release() {
      holding = false;
      const waiting = held;
      held = [];
      for (const cb of waiting) cb();
    },
  };
}

const options = (
  over: Partial<TailOptions<number>> & Pick<TailOptions<number>, 'read'>,
): TailOptions<number> => ({
  format: 'sse',
  serialize: (n) => ({ id: String(n), data: JSON.stringify({ n }) }),
  after: null,
  pageSize: 2,
  follow: false,
  pollMs: { min: 1, max: 1 },
  keepAliveMs: 60_000,
  signal: new AbortController().signal,
  ...over,
});

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('tailStream', () => {
  it('sends each entry as an SSE event with its cursor as id, page by page, and ends when caught up', async () => {
    const l = log(5);
    const s = sink();
    await tailStream(s.out, options({ read: l.read, after: '1' }));
    expect(s.text()).toBe(
      'retry: 1000\n\n' + [2, 3, 4, 5].map((n) => `id: ${n}\ndata: {"n":${n}}\n\n`).join(''),
    );
    expect(l.reads).toEqual([
      { after: '1', limit: 2 },
      { after: '3', limit: 2 },
      { after: '5', limit: 2 },
    ]);
    expect(s.out.writableEnded).toBe(true);
  });

  it('writes NDJSON lines and stops after maxItems', async () => {
    const l = log(10);
    const s = sink();
    await tailStream(s.out, options({ read: l.read, format: 'ndjson', maxItems: 3 }));
    expect(s.text()).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(l.reads.map((r) => r.limit)).toEqual([2, 1]);
  });

  it('reads no further page while the client has not taken the last one', async () => {
    const l = log(1_000);
    const s = sink({ hold: true, highWaterMark: 8 });
    const done = tailStream(s.out, options({ read: l.read, format: 'ndjson' }));
    await ticks(20);
    // One page read and written; the socket took nothing, so the stream waits for `drain`.
    expect(l.reads).toHaveLength(1);
    s.release();
    await ticks(20);
    expect(l.reads.length).toBeGreaterThan(1);
    s.release();
    const ending = async () => {
      while (!s.out.writableEnded) {
        s.release();
        await ticks(1);
      }
    };
    await Promise.all([done, ending()]);
    expect(s.text().split('\n').filter(Boolean)).toHaveLength(1_000);
  });

  it('follows: waits for new entries, sends keep-alives while quiet, and ends when aborted', async () => {
    const l = log(1);
    const s = sink();
    const abort = new AbortController();
    const done = tailStream(
      s.out,
      options({
        read: l.read,
        follow: true,
        keepAliveMs: 1,
        pollMs: { min: 1, max: 2 },
        signal: abort.signal,
      }),
    );
    await expect.poll(() => s.text()).toContain(': keep-alive\n\n');
    l.grow(1);
    await expect.poll(() => s.text()).toContain('id: 2\n');
    abort.abort();
    await done;
    expect(s.out.writableEnded).toBe(true);
    expect(s.text()).toContain('id: 1\n');
  });

  it('follows: a wake-up reads at once, even one that came while it was reading; none after it ends', async () => {
    const l = log(1);
    const s = sink();
    const abort = new AbortController();
    const wakes = new Set<() => void>();
    const wakeAll = () => [...wakes].forEach((w) => w());
    let commitDuringRead = false;
    const done = tailStream(
      s.out,
      options({
        read: async (after, limit) => {
          const page = await l.read(after, limit);
          if (commitDuringRead) {
            // A write that commits just after this read looked: its wake-up comes while no one sleeps.
            commitDuringRead = false;
            l.grow(1);
            wakeAll();
          }
          return page;
        },
        follow: true,
        // An hour between polls and keep-alives: only a wake-up can bring a new entry here.
        pollMs: { min: 3_600_000, max: 3_600_000 },
        keepAliveMs: 3_600_000,
        wake: (w) => (wakes.add(w), () => wakes.delete(w)),
        signal: abort.signal,
      }),
    );
    await expect.poll(() => s.text()).toContain('id: 1\n');
    expect(wakes.size).toBe(1);
    l.grow(1);
    wakeAll();
    await expect.poll(() => s.text()).toContain('id: 2\n');
    commitDuringRead = true;
    wakeAll();
    await expect.poll(() => s.text()).toContain('id: 3\n');
    abort.abort();
    await done;
    expect(wakes.size).toBe(0);
  });
});
