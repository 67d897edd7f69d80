import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One page of a log after a cursor: its items in order, and the cursor after the last of them. */
export interface TailPage<T> {
  items: T[];
  cursor: string;
}

/** Reads up to `limit` items after `afterCursor`; an empty page means caught up. */
export type TailPageReader<T> = (afterCursor: string, limit: number) => Promise<TailPage<T>>;

/** An item as sent: its own cursor (the SSE `id`, to resume after it), an SSE event name, the JSON data. */
export interface TailEvent {
  id: string;
  event?: string;
  data: unknown;
}

export type TailFormat = 'sse' | 'ndjson';

export interface TailStreamOptions<T> {
  read: TailPageReader<T>;
  serialize: (item: T) => TailEvent;
  format: TailFormat;
  /** Where to start: after this cursor (Last-Event-ID or ?cursor=), else the reader's beginning. */
  cursor: string;
  /** Keep following once caught up (true), or end the answer there (false). */
  follow: boolean;
  pageSize?: number;
  /** Wait between reads once caught up. */
  pollMs?: number;
  /** A comment line (SSE) or an empty line (NDJSON) this often while nothing is sent. */
  keepAliveMs?: number;
  /** Ends the stream (the app closing). */
  signal?: AbortSignal;
}

/** The answer's format: NDJSON when asked for by `?format=` or Accept, else SSE. */
export function tailFormat(req: FastifyRequest, asked?: TailFormat): TailFormat {
  if (asked) return asked;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/x-ndjson') && !accept.includes('text/event-stream') ? 'ndjson' : 'sse';
}

/** The cursor to resume after: `Last-Event-ID` (an SSE client's reconnection) wins over `?cursor=`. */
export function resumeCursor(req: FastifyRequest, fromQuery: string | undefined): string | undefined {
  const header = req.headers['last-event-id'];
  const id = Array.isArray(header) ? header[0] : header;
  return id !== undefined && id !== '' ? id : fromQuery;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Writes a chunk; when the socket's buffer is full, waits for `drain` (or the end) before going on. */
async function write(raw: ServerResponse, chunk: string, signal: AbortSignal): Promise<void> {
  if (raw.write(chunk)) return;
  await Promise.race([once(raw, 'drain'), once(signal, 'abort')]);
}

function frame(format: TailFormat, e: TailEvent): string {
  const json = JSON.stringify(e.data);
  if (format === 'ndjson') return `${json}\n`;
  // JSON.stringify leaves no raw newline in `json`, so one data line carries it.
  return `id: ${e.id}\n${e.event ? `event: ${e.event}\n` : ''}data: ${json}\n\n`;
}

/**
 * Streams a log to the client as Server-Sent Events or NDJSON, page by page: a page is read only
 * once the one before is written and the socket drained, so a slow client holds at most a page in
 * the server's memory (back-pressure). Once caught up it polls every `pollMs`, and sends a
 * keep-alive while idle, until the client goes away, the signal aborts, or (follow=false) at once.
 * The answer is hijacked from Fastify: the headers are written here.
 */
export async function streamTail<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  o: TailStreamOptions<T>,
): Promise<void> {
  const pageSize = o.pageSize ?? 100;
  const pollMs = o.pollMs ?? 1_000;
  const keepAliveMs = o.keepAliveMs ?? 15_000;
  const stop = new AbortController();
  const end = () => stop.abort();
  o.signal?.addEventListener('abort', end, { once: true });
  req.raw.on('close', end);
  reply.hijack();
  const raw = reply.raw;
  raw.on('close', end);
  raw.writeHead(200, {
    'content-type':
      o.format === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // Proxies that buffer (nginx) would hold events back.
    'x-accel-buffering': 'no',
    ...(o.follow ? { connection: 'keep-alive' } : {}),
  });
  if (o.format === 'sse') await write(raw, `retry: ${Math.max(pollMs, 1_000)}\n\n`, stop.signal);
  let cursor = o.cursor;
  let lastSent = Date.now();
  try {
    while (!stop.signal.aborted) {
      const page = await o.read(cursor, pageSize);
      for (const item of page.items) {
        if (stop.signal.aborted) break;
        await write(raw, frame(o.format, o.serialize(item)), stop.signal);
      }
      if (stop.signal.aborted) break;
      cursor = page.cursor;
      if (page.items.length > 0) {
        lastSent = Date.now();
        continue;
      }
      if (!o.follow) break;
      if (Date.now() - lastSent >= keepAliveMs) {
        await write(raw, o.format === 'sse' ? ': keep-alive\n\n' : '\n', stop.signal);
        lastSent = Date.now();
      }
      await sleep(Math.min(pollMs, keepAliveMs), stop.signal);
    }
  } catch (err) {
    // Headers are gone: the error can only be told in the stream, then the stream ends.
    req.log.error({ err }, 'tail stream failed');
    if (!raw.destroyed) {
      const data = { error: 'the stream failed; resume from the last id received' };
      raw.write(
        o.format === 'sse' ? `event: error\ndata: ${JSON.stringify(data)}\n\n` : `${JSON.stringify(data)}\n`,
      );
    }
  } finally {
    o.signal?.removeEventListener('abort', end);
    req.raw.off('close', end);
    if (!raw.destroyed) raw.end();
  }
}
