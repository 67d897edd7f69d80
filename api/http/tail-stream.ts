import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnavailableError } from '../../domain/errors.js';

/** One read of a log: its entries after a cursor, and the cursor to read on from. */
export interface TailPage<T> {
  items: T[];
  /** After the last item; the cursor given when there were none (null: from the start). */
  cursor: string | null;
}

/** Reads up to `limit` entries after `afterCursor` (null: from the start). */
export type TailReader<T> = (afterCursor: string | null, limit: number) => Promise<TailPage<T>>;

/** An entry as the stream sends it: its cursor (the SSE `id:`) and its JSON text (one line). */
export type TailSerializer<T> = (item: T) => { id: string; data: string };

export type TailFormat = 'sse' | 'ndjson';

export interface TailOptions<T> {
  format: TailFormat;
  read: TailReader<T>;
  serialize: TailSerializer<T>;
  /** Where to start: after this cursor (null: from the start). */
  after: string | null;
  /** Entries per read: what the stream holds in memory at most, besides the socket's buffer. */
  pageSize: number;
  /** Wait for new entries once caught up; otherwise end there. */
  follow: boolean;
  /** End after this many entries (follow or not). */
  maxItems?: number | undefined;
  /** The SSE `event:` name of each entry (default: none, `message`). */
  event?: string | undefined;
  /** While following: the first and the longest wait between reads of a quiet log (doubling). */
  pollMs: { min: number; max: number };
  /**
   * While following: calls its argument when the log may have grown (a write committed), until the
   * function it returns is called. A wake-up reads at once and starts the waits again from `min`.
   */
  wake?: ((wake: () => void) => () => void) | undefined;
  /** Silence after which a keep-alive goes out: an SSE comment, or a blank NDJSON line. */
  keepAliveMs: number;
  /** Ends the stream: the client went away, or the server closes. */
  signal: AbortSignal;
}

/** The header of each format's answer. */
export const TAIL_CONTENT_TYPES: Record<TailFormat, string> = {
  sse: 'text/event-stream; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/**
 * Tails a log into `out` as Server-Sent Events or NDJSON, a page at a time: it reads the next page
 * only once the socket has taken the last one (`write` false: wait for `drain`), so a slow client
 * holds at most one page in the server's memory and the rest waits in the database. Resolves when
 * caught up (without follow), after `maxItems`, or when `signal` aborts; ends `out` in every case.
 * Read errors reject, after `out` is destroyed (the client sees a cut stream and resumes).
 */
export async function tailStream<T>(out: Writable, opts: TailOptions<T>): Promise<void> {
  const { signal } = opts;
  let cursor = opts.after;
  let sent = 0;
  let lastWrite = Date.now();
  let wait = opts.pollMs.min;
  // Set by a wake-up that came since the last read began: the next read is at once.
  let woken: boolean;
  let interrupt: (() => void) | null = null;
  const unsubscribe = opts.follow
    ? opts.wake?.(() => {
        woken = true;
        interrupt?.();
      })
    : undefined;

  const write = async (chunk: string): Promise<void> => {
    lastWrite = Date.now();
    if (!out.write(chunk)) await once(out, 'drain', { signal });
  };
  const keepAlive = opts.format === 'sse' ? ': keep-alive\n\n' : '\n';
  const frame = (item: T): string => {
    const { id, data } = opts.serialize(item);
    if (opts.format === 'ndjson') return `${data}\n`;
    return `${opts.event ? `event: ${opts.event}\n` : ''}id: ${id}\ndata: ${data}\n\n`;
  };

  try {
    // SSE: how long EventSource waits before it reconnects with Last-Event-ID.
    if (opts.format === 'sse') await write(`retry: ${Math.max(1000, opts.pollMs.max)}\n\n`);
    while (!signal.aborted) {
      const left =
        opts.maxItems === undefined ? opts.pageSize : Math.min(opts.pageSize, opts.maxItems - sent);
      if (left <= 0) break;
      woken = false;
      const page = await opts.read(cursor, left);
      if (signal.aborted) break;
      cursor = page.cursor ?? cursor;
      if (page.items.length > 0) {
        // One chunk per page: fewer writes, and `drain` is awaited once per page.
        await write(page.items.map(frame).join(''));
        sent += page.items.length;
        wait = opts.pollMs.min;
        if (page.items.length === left) continue;
      }
      if (!opts.follow) break;
      if (Date.now() - lastWrite >= opts.keepAliveMs) await write(keepAlive);
      if (!woken) await sleep(Math.min(wait, opts.keepAliveMs), signal, (wake) => (interrupt = wake));
      interrupt = null;
      wait = woken ? opts.pollMs.min : Math.min(opts.pollMs.max, wait * 2);
    }
  } catch (err) {
    if (signal.aborted) return void out.end();
    out.destroy();
    throw err;
  } finally {
    unsubscribe?.();
  }
  out.end();
}

/** Resolves after `ms`, at once when `signal` aborts, or when the function given to `onWake` is called. */
function sleep(ms: number, signal: AbortSignal, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    onWake(done);
  });
}

/**
 * How every log the API tails is paced and capped: one set of settings (CHANGES_*), read by each
 * route that serves a tail (GET /v1/changes, GET /v1/metadata/log).
 */
export interface TailSettings {
  /** The longest wait between reads of a quiet log while following. */
  CHANGES_POLL_MS: number;
  /** Silence after which a stream gets a keep-alive. */
  CHANGES_KEEPALIVE_MS: number;
  /** Streams open at once per route in this process. */
  CHANGES_MAX_STREAMS: number;
}

/** Entries per read of a stream: what one stream holds in memory, besides the socket's buffer. */
export const TAIL_PAGE = 200;
/** The first wait between reads of a quiet log while following; it doubles up to CHANGES_POLL_MS. */
const FIRST_POLL_MS = 50;

/** What a route says of one tail; the pacing is the route's tails' own. */
export type TailRequest<T> = Omit<TailOptions<T>, 'signal' | 'pageSize' | 'pollMs' | 'keepAliveMs'>;

/**
 * A route's open tails: it answers a request with one (SSE or NDJSON through a small buffer), paced
 * by the settings, caps how many are open (503 past it), and ends them all when the server closes
 * instead of waiting on them.
 */
export class OpenTails {
  private readonly open = new Set<AbortController>();
  private readonly pacing: Pick<TailOptions<unknown>, 'pageSize' | 'pollMs' | 'keepAliveMs'>;

  /** `what` names the streams in the 503 ("too many change streams are open"). */
  constructor(
    private readonly settings: TailSettings,
    private readonly what: string,
  ) {
    this.pacing = {
      pageSize: TAIL_PAGE,
      pollMs: {
        min: Math.min(FIRST_POLL_MS, settings.CHANGES_POLL_MS),
        max: settings.CHANGES_POLL_MS,
      },
      keepAliveMs: settings.CHANGES_KEEPALIVE_MS,
    };
  }

  /** A route's tails, ended when `app` closes. */
  static forRoute(app: FastifyInstance, settings: TailSettings, what: string): OpenTails {
    const tails = new OpenTails(settings, what);
    app.addHook('preClose', (next) => {
      tails.closeAll();
      next();
    });
    return tails;
  }

  closeAll(): void {
    for (const c of this.open) c.abort();
  }

  /**
   * Sends the tail as `reply`'s body; it ends when the client goes, or at `closeAll`. Past the cap
   * it throws UnavailableError (503), and the client may retry.
   */
  send<T>(req: FastifyRequest, reply: FastifyReply, opts: TailRequest<T>): FastifyReply {
    if (this.open.size >= this.settings.CHANGES_MAX_STREAMS)
      throw new UnavailableError(`too many ${this.what} streams are open; try again shortly`, {});
    const abort = new AbortController();
    this.open.add(abort);
    const body = new PassThrough({ highWaterMark: STREAM_HIGH_WATER_MARK });
    const stop = () => abort.abort();
    req.raw.once('close', stop);
    reply.raw.once('close', stop);
    tailStream(body, { ...this.pacing, ...opts, signal: abort.signal })
      .catch((err: unknown) => req.log.error({ err }, 'tail stream failed'))
      .finally(() => this.open.delete(abort));
    return (
      reply
        .type(TAIL_CONTENT_TYPES[opts.format])
        .header('cache-control', 'no-store')
        // Proxies (nginx) pass each event on at once instead of buffering the stream.
        .header('x-accel-buffering', 'no')
        .send(body)
    );
  }
}

/** The socket buffer a tail writes into before it waits for `drain`: small, so the database holds the backlog. */
const STREAM_HIGH_WATER_MARK = 16 * 1024;
