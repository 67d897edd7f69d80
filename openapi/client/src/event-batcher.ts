/**
 * Batches interaction events for `POST /v1/events`: a batch leaves when it holds `maxBatchSize`
 * events or `maxDelayMs` after its first event, whichever comes first. Overload answers (429, 503)
 * and network failures are retried with exponential backoff and jitter, honouring `Retry-After`;
 * every event keeps its id across retries, so the server counts a retried event once.
 */

/** One event as `POST /v1/events` takes it (the API's InteractionEvent). */
export interface InteractionEventInput {
  /** A uuid made by the client; the batcher makes one when it is missing. */
  id?: string;
  type: string;
  assetId?: string;
  userId?: string;
  sessionId?: string;
  /** ISO 8601 with an offset, e.g. 2026-12-06T21:45:00.000Z. */
  occurredAt: string;
  /** Playback position in milliseconds. */
  position?: number;
  search?: { query: string; resultIds?: string[]; totalHits?: number; clickedRank?: number };
  context?: { device?: string; network?: string; app?: string; referrer?: string; country?: string };
  consent?: boolean;
  properties?: Record<string, string | number | boolean>;
}

/** An event the API did not take, with its reason; it is not sent again. */
export interface RejectedEvent<E extends InteractionEventInput = InteractionEventInput> {
  event: E & { id: string };
  /** JSON pointer into the batch it was sent in, e.g. `/events/3/occurredAt`. */
  pointer: string;
  detail: string;
}

/** A batch the batcher gave up on: retries used up, or an answer that retrying cannot change. */
export class EventBatchError<E extends InteractionEventInput = InteractionEventInput> extends Error {
  override readonly name = 'EventBatchError';
  constructor(
    message: string,
    /** The events of the batch: none of them is known to have been counted. */
    readonly events: (E & { id: string })[],
    /** The last answer's status; undefined after a network failure. */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface EventBatcherOptions<E extends InteractionEventInput = InteractionEventInput> {
  /** Where the API is served, without /v1: e.g. https://media.example.com */
  baseUrl: string;
  /** A key with the `events:write` scope, sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** At most this many events a request (1,000, the API's limit, by default and at most). */
  maxBatchSize?: number;
  /** A batch leaves this long after its first event at the latest (50 ms). */
  maxDelayMs?: number;
  /**
   * At most this many events held, queued or in flight (100,000). Past it `add` refuses the event
   * and answers false: the newest event is the one lost, never one already queued.
   */
  maxQueueSize?: number;
  /** Retries of a batch after its first attempt (8) before it is given up. */
  maxRetries?: number;
  /** The first backoff (100 ms), doubled each retry up to `maxBackoffMs` (30 s), with full jitter. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Requests in flight at once (1). With 1, batches reach the API in the order events were added. */
  concurrency?: number;
  /** Events the API rejected (bad field, unknown type): reported once, not retried. */
  onRejected?: (rejected: RejectedEvent<E>[]) => void;
  /** A batch given up. Without it, the failure is written to the console. */
  onError?: (error: EventBatchError<E>) => void;
  /** A `fetch` of your own (a proxy agent, instrumentation); the global one by default. */
  fetch?: typeof fetch;
  /** Extra headers on every request (`Origin` for an origin-limited key outside a browser, say). */
  headers?: Record<string, string>;
}

/** Answers worth retrying: the API or a proxy in front of it is overloaded or restarting. */
const RETRYABLE = new Set([408, 429, 502, 503, 504]);
const API_BATCH_MAX = 1_000;

interface Entry<E> {
  event: E & { id: string };
  seq: number;
  /** When it was added (Date.now), for the time trigger. */
  at: number;
}

/**
 * `add` queues an event; batches leave on their own. `flush()` resolves once every event added
 * before it is sent or given up; `close()` flushes and refuses further events.
 *
 *   const events = new EventBatcher({ baseUrl, apiKey, onRejected: (r) => console.warn(r) });
 *   events.add({ type: 'play', assetId, userId, sessionId, occurredAt: new Date().toISOString() });
 *   await events.close();
 */
export class EventBatcher<E extends InteractionEventInput = InteractionEventInput> {
  private readonly url: string;
  private readonly options: Required<
    Pick<
      EventBatcherOptions<E>,
      | 'maxBatchSize'
      | 'maxDelayMs'
      | 'maxQueueSize'
      | 'maxRetries'
      | 'baseBackoffMs'
      | 'maxBackoffMs'
      | 'concurrency'
    >
  >;
  private readonly fetch: typeof fetch;
  private pending: Entry<E>[] = [];
  /** Events added and not yet settled (sent, rejected or given up), queued or in flight. */
  private held = 0;
  /** The lowest sequence number of each batch in flight. */
  private readonly inFlight = new Map<object, number>();
  private nextSeq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private due = false;
  private flushWaiters: { upTo: number; resolve: () => void }[] = [];
  private roomWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly config: EventBatcherOptions<E>) {
    this.url = `${config.baseUrl.replace(/\/$/, '')}/v1/events`;
    this.options = {
      maxBatchSize: Math.min(API_BATCH_MAX, positive(config.maxBatchSize, API_BATCH_MAX, 'maxBatchSize')),
      maxDelayMs: nonNegative(config.maxDelayMs, 50, 'maxDelayMs'),
      maxQueueSize: positive(config.maxQueueSize, 100_000, 'maxQueueSize'),
      maxRetries: nonNegative(config.maxRetries, 8, 'maxRetries'),
      baseBackoffMs: nonNegative(config.baseBackoffMs, 100, 'baseBackoffMs'),
      maxBackoffMs: nonNegative(config.maxBackoffMs, 30_000, 'maxBackoffMs'),
      concurrency: positive(config.concurrency, 1, 'concurrency'),
    };
    this.fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Events held: queued or in flight. */
  get size(): number {
    return this.held;
  }

  /**
   * Queues an event. False when `maxQueueSize` events are already held: this event is dropped
   * (`ready()` resolves once there is room again). Throws once the batcher is closed.
   */
  add(event: E): boolean {
    if (this.closed) throw new Error('EventBatcher is closed: events added after close() are not sent');
    if (this.held >= this.options.maxQueueSize) return false;
    const withId = (event.id ? event : { ...event, id: newId() }) as E & { id: string };
    this.pending.push({ event: withId, seq: this.nextSeq++, at: Date.now() });
    this.held++;
    if (this.pending.length >= this.options.maxBatchSize) this.pump();
    else this.arm();
    return true;
  }

  /** Resolves once `add` would take an event. */
  ready(): Promise<void> {
    if (this.held < this.options.maxQueueSize) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Sends what is queued now; resolves once every event added before the call is settled. */
  flush(): Promise<void> {
    const upTo = this.nextSeq - 1;
    if (this.lowestUnsettled() > upTo) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.flushWaiters.push({ upTo, resolve }));
    this.pump();
    return done;
  }

  /** Refuses further events, then flushes. Batches given up were reported to `onError`. */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  /** The time trigger: due `maxDelayMs` after the oldest queued event arrived. */
  private arm(): void {
    if (this.timer !== undefined || this.due || this.pending.length === 0) return;
    const wait = Math.max(0, this.pending[0]!.at + this.options.maxDelayMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.due = true;
      this.pump();
    }, wait);
  }

  private pump(): void {
    const flushing = this.flushWaiters.length > 0;
    while (
      this.inFlight.size < this.options.concurrency &&
      this.pending.length > 0 &&
      (this.due || flushing || this.pending.length >= this.options.maxBatchSize)
    ) {
      const batch = this.pending.splice(0, this.options.maxBatchSize);
      const key = {};
      this.inFlight.set(key, batch[0]!.seq);
      this.due = false;
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.deliver(batch.map((e) => e.event)).finally(() => {
        this.inFlight.delete(key);
        this.settle(batch.length);
      });
    }
    this.arm();
  }

  private settle(count: number): void {
    this.held -= count;
    const lowest = this.lowestUnsettled();
    this.flushWaiters = this.flushWaiters.filter((w) => {
      if (w.upTo >= lowest) return true;
      w.resolve();
      return false;
    });
    if (this.held < this.options.maxQueueSize) for (const resolve of this.roomWaiters.splice(0)) resolve();
    this.pump();
  }

  private lowestUnsettled(): number {
    let lowest = this.pending[0]?.seq ?? Infinity;
    for (const seq of this.inFlight.values()) lowest = Math.min(lowest, seq);
    return lowest;
  }

  /** Sends one batch until it is answered for good; never throws (failures go to the callbacks). */
  private async deliver(events: (E & { id: string })[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetch(this.url, {
          method: 'POST',
          headers: {
            ...this.config.headers,
            authorization: `Bearer ${this.config.apiKey}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ events }),
        });
      } catch (err) {
        if (attempt < this.options.maxRetries) {
          await sleep(this.backoff(attempt));
          continue;
        }
        return this.giveUp(events, undefined, `POST /v1/events failed: ${messageOf(err)}`, err);
      }
      const body = await readBody(res);
      if (res.status === 202 || res.ok) return this.reportRejected(events, rejectionsIn(body));
      if (res.status === 400) {
        const rejected = rejectionsIn(body);
        return this.reportRejected(
          events,
          rejected.length > 0
            ? rejected
            : events.map((_, index) => ({
                index,
                pointer: `/events/${index}`,
                detail: problemText(res, body),
              })),
        );
      }
      if (res.status === 413 && events.length > 1) {
        // A server configured below 1,000 (or a body-size limit): the halves go one after the other.
        const half = Math.ceil(events.length / 2);
        await this.deliver(events.slice(0, half));
        return this.deliver(events.slice(half));
      }
      if (RETRYABLE.has(res.status) && attempt < this.options.maxRetries) {
        await sleep(Math.max(retryAfterMs(res.headers.get('retry-after')) ?? 0, this.backoff(attempt)));
        continue;
      }
      return this.giveUp(
        events,
        res.status,
        `POST /v1/events answered ${res.status}${RETRYABLE.has(res.status) ? ` after ${attempt + 1} attempts` : ''}: ${problemText(res, body)}`,
      );
    }
  }

  /** Exponential, with full jitter so that many clients do not come back in step. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** attempt);
    return Math.random() * ceiling;
  }

  private reportRejected(
    events: (E & { id: string })[],
    rejected: { index: number; pointer: string; detail: string }[],
  ): void {
    const known = rejected.filter((r) => events[r.index] !== undefined);
    if (known.length === 0) return;
    this.callback(() =>
      this.config.onRejected?.(
        known.map((r) => ({ event: events[r.index]!, pointer: r.pointer, detail: r.detail })),
      ),
    );
  }

  private giveUp(
    events: (E & { id: string })[],
    status: number | undefined,
    message: string,
    cause?: unknown,
  ) {
    const error = new EventBatchError<E>(`${message} (${events.length} events given up)`, events, status, {
      cause,
    });
    if (this.config.onError) this.callback(() => this.config.onError!(error));
    else console.error(error.message);
  }

  /** A throwing callback must not stall the queue. */
  private callback(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error(`EventBatcher callback threw: ${messageOf(err)}`);
    }
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a whole number of at least 1`);
  return value;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number of at least 0`);
  return value;
}

function newId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (!crypto?.randomUUID) throw new Error('no crypto.randomUUID here: give each event an id (a uuid)');
  return crypto.randomUUID();
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The per-item rejections of a 202 (`rejected`) or a 400 problem (`rejected`, or `errors` by index). */
function rejectionsIn(body: unknown): { index: number; pointer: string; detail: string }[] {
  if (typeof body !== 'object' || body === null) return [];
  const list = 'rejected' in body ? body.rejected : 'errors' in body ? body.errors : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null || !('index' in item) || typeof item.index !== 'number')
      return [];
    const r = item as { index: number; pointer?: unknown; detail?: unknown; message?: unknown };
    return [
      {
        index: r.index,
        pointer: typeof r.pointer === 'string' ? r.pointer : `/events/${r.index}`,
        detail:
          typeof r.detail === 'string' ? r.detail : typeof r.message === 'string' ? r.message : 'rejected',
      },
    ];
  });
}

function problemText(res: Response, body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const p = body as { detail?: unknown; title?: unknown };
    if (typeof p.detail === 'string') return p.detail;
    if (typeof p.title === 'string') return p.title;
  }
  return typeof body === 'string' && body ? body.slice(0, 200) : res.statusText || `HTTP ${res.status}`;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
