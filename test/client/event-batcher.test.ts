import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EventBatcher,
  EventBatchError,
  type EventBatcherOptions,
  type InteractionEventInput,
  type RejectedEvent,
} from '../../openapi/client/src/index.js';
import { retryAfterMs } from '../../openapi/client/src/event-batcher.js';

/** What the fake API answers a request: a status, headers and a JSON body; or `drop` to cut the connection. */
type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | 'drop';

interface FakeEventsApi {
  url: string;
  /** Every request's events, in the order they arrived. */
  requests: { events: InteractionEventInput[]; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** A stand-in for `POST /v1/events`: `answer` decides each reply from the events and the request's number. */
async function fakeEventsApi(
  answer: (events: InteractionEventInput[], n: number) => Answer | Promise<Answer> = () => accepted(),
): Promise<FakeEventsApi> {
  const requests: FakeEventsApi['requests'] = [];
  const server: Server = createServer((req, res) => {
    void readJson(req).then(async (body) => {
      const events = (body as { events: InteractionEventInput[] }).events;
      requests.push({ events, authorization: req.headers.authorization });
      const reply = await answer(events, requests.length);
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const accepted = (rejected: unknown[] = []): Answer => ({ status: 202, body: { accepted: 0, rejected } });

let seq = 0;
/** An event with a fresh id; `n` in its properties says in which order it was made. */
function anEvent(overrides: Partial<InteractionEventInput> = {}): InteractionEventInput {
  const n = seq++;
  return {
    id: randomUUID(),
    type: 'play',
    assetId: randomUUID(),
    userId: 'u-1',
    sessionId: 's-1',
    occurredAt: new Date().toISOString(),
    properties: { n },
    ...overrides,
  };
}
const events = (count: number) => Array.from({ length: count }, () => anEvent());
const ids = (list: readonly InteractionEventInput[]) => list.map((e) => e.id);

/** Until the batcher has read an answer and set its retry timer (fake time stands still meanwhile). */
async function retryScheduled(): Promise<void> {
  for (let i = 0; i < 10_000 && vi.getTimerCount() === 0; i++) await setImmediate();
  expect(vi.getTimerCount()).toBe(1);
}

const open: { api: FakeEventsApi; batcher: EventBatcher }[] = [];
async function setUp(
  answer?: Parameters<typeof fakeEventsApi>[0],
  options: Partial<EventBatcherOptions> = {},
): Promise<{ api: FakeEventsApi; batcher: EventBatcher; fetchCalls: () => number }> {
  const api = await fakeEventsApi(answer);
  let calls = 0;
  const batcher = new EventBatcher({
    baseUrl: `${api.url}/`,
    apiKey: 'key-1',
    onError: () => undefined,
    // Counted as the batcher calls it, before any I/O: what fake-timer tests look at.
    fetch: (input, init) => {
      calls++;
      return fetch(input, init);
    },
    ...options,
  });
  open.push({ api, batcher });
  return { api, batcher, fetchCalls: () => calls };
}

afterEach(async () => {
  vi.useRealTimers();
  for (const { api, batcher } of open.splice(0)) {
    await batcher.close();
    await api.close();
  }
});

describe('EventBatcher', () => {
  it('sends a batch as soon as it holds maxBatchSize events, with the key', async () => {
    const { api, batcher } = await setUp(undefined, { maxDelayMs: 600_000 });
    const sent = events(2_500);
    for (const e of sent) expect(batcher.add(e)).toBe(true);

    await vi.waitFor(() => expect(api.requests).toHaveLength(2));
    expect(api.requests.map((r) => r.events.length)).toEqual([1_000, 1_000]);
    expect(api.requests[0]!.authorization).toBe('Bearer key-1');

    await batcher.flush();
    expect(api.requests.map((r) => r.events.length)).toEqual([1_000, 1_000, 500]);
    expect(api.requests.flatMap((r) => ids(r.events))).toEqual(ids(sent));
    expect(batcher.size).toBe(0);
  });

  it('never sends more than 1,000 events at once, whatever maxBatchSize says', async () => {
    const { api, batcher } = await setUp(undefined, { maxBatchSize: 5_000 });
    for (const e of events(1_200)) batcher.add(e);
    await batcher.flush();
    expect(api.requests.map((r) => r.events.length)).toEqual([1_000, 200]);
  });

  it('sends a smaller batch maxDelayMs after its first event', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { api, batcher, fetchCalls } = await setUp();
    batcher.add(anEvent());
    await vi.advanceTimersByTimeAsync(30);
    batcher.add(anEvent());
    await vi.advanceTimersByTimeAsync(19);
    expect(fetchCalls()).toBe(0);

    await vi.advanceTimersByTimeAsync(1);
    expect(fetchCalls()).toBe(1);
    await vi.waitFor(() => expect(api.requests).toHaveLength(1));
    expect(api.requests[0]!.events).toHaveLength(2);
  });

  it('retries a 503 and a 429 no sooner than their Retry-After, with the same event ids', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { api, batcher, fetchCalls } = await setUp((_, n) =>
      n === 1
        ? { status: 503, headers: { 'retry-after': '2' }, body: { title: 'Service Unavailable' } }
        : n === 2
          ? { status: 429, headers: { 'retry-after': '5' } }
          : accepted(),
    );
    const sent = events(3);
    for (const e of sent) batcher.add(e);
    await vi.advanceTimersByTimeAsync(50);
    expect(fetchCalls()).toBe(1);
    await retryScheduled();

    await vi.advanceTimersByTimeAsync(1_999);
    expect(fetchCalls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchCalls()).toBe(2);
    await retryScheduled();

    await vi.advanceTimersByTimeAsync(4_999);
    expect(fetchCalls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchCalls()).toBe(3);
    await batcher.flush();
    expect(api.requests).toHaveLength(3);
    for (const request of api.requests) expect(ids(request.events)).toEqual(ids(sent));
  });

  it('retries after a dropped connection', async () => {
    const { api, batcher } = await setUp((_, n) => (n === 1 ? 'drop' : accepted()), { baseBackoffMs: 1 });
    const sent = events(4);
    for (const e of sent) batcher.add(e);
    await batcher.flush();
    expect(api.requests).toHaveLength(2);
    expect(ids(api.requests[1]!.events)).toEqual(ids(sent));
  });

  it('gives a batch up after maxRetries, reports it to onError, and goes on with the next', async () => {
    const errors: EventBatchError[] = [];
    const { api, batcher } = await setUp(
      (batch) => (batch.length === 2 ? { status: 503, body: { title: 'Service Unavailable' } } : accepted()),
      { maxRetries: 2, baseBackoffMs: 1, maxBatchSize: 2, onError: (e) => errors.push(e) },
    );
    const lost = events(2);
    for (const e of [...lost, anEvent()]) batcher.add(e);
    await batcher.flush();

    expect(api.requests.map((r) => r.events.length)).toEqual([2, 2, 2, 1]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(EventBatchError);
    expect(errors[0]!.status).toBe(503);
    expect(ids(errors[0]!.events)).toEqual(ids(lost));
    expect(errors[0]!.message).toMatch(/answered 503 after 3 attempts/);
  });

  it('does not retry an answer retrying cannot change, such as a 403', async () => {
    const errors: EventBatchError[] = [];
    const { api, batcher } = await setUp(
      () => ({ status: 403, body: { title: 'Forbidden', detail: 'no events:write' } }),
      {
        onError: (e) => errors.push(e),
      },
    );
    batcher.add(anEvent());
    await batcher.flush();
    expect(api.requests).toHaveLength(1);
    expect(errors.map((e) => [e.status, e.message])).toEqual([
      [403, expect.stringContaining('no events:write')],
    ]);
  });

  it('reports the events a 202 rejects to onRejected and sends none of them again', async () => {
    const rejected: RejectedEvent[] = [];
    const { api, batcher } = await setUp(
      () => accepted([{ index: 1, pointer: '/events/1/occurredAt', detail: 'is in the future' }]),
      { onRejected: (r) => rejected.push(...r) },
    );
    const sent = events(3);
    for (const e of sent) batcher.add(e);
    await batcher.flush();
    expect(api.requests).toHaveLength(1);
    expect(rejected).toEqual([
      { event: sent[1], pointer: '/events/1/occurredAt', detail: 'is in the future' },
    ]);
  });

  it('reports every event of a 400 to onRejected, without retrying', async () => {
    const rejected: RejectedEvent[] = [];
    const { api, batcher } = await setUp(
      (batch) => ({
        status: 400,
        body: {
          type: '/problems/invalid-request',
          title: 'Bad Request',
          status: 400,
          rejected: batch.map((_, index) => ({
            index,
            pointer: `/events/${index}/type`,
            detail: 'unknown event type',
          })),
        },
      }),
      { onRejected: (r) => rejected.push(...r) },
    );
    const sent = events(2).map((e) => ({ ...e, type: 'nope' }));
    for (const e of sent) batcher.add(e);
    await batcher.flush();
    expect(api.requests).toHaveLength(1);
    expect(rejected.map((r) => [r.event.id, r.pointer])).toEqual([
      [sent[0]!.id, '/events/0/type'],
      [sent[1]!.id, '/events/1/type'],
    ]);
  });

  it('splits a batch the server finds too large (413)', async () => {
    const { api, batcher } = await setUp((batch) =>
      batch.length > 2 ? { status: 413, body: { title: 'Payload Too Large' } } : accepted(),
    );
    const sent = events(5);
    for (const e of sent) batcher.add(e);
    await batcher.flush();
    const delivered = api.requests.filter((r) => r.events.length <= 2).flatMap((r) => ids(r.events));
    expect(delivered).toEqual(ids(sent));
  });

  it('delivers events in the order they were added, through retries', async () => {
    const { api, batcher } = await setUp(
      (_, n) => (n % 3 === 1 ? { status: 503, headers: { 'retry-after': '0' } } : accepted()),
      { maxBatchSize: 7, baseBackoffMs: 1 },
    );
    const sent = events(100);
    for (const e of sent) batcher.add(e);
    await batcher.flush();
    // The requests answered 202, in arrival order: every event once, in order.
    const delivered = api.requests.filter((_, i) => (i + 1) % 3 !== 1).flatMap((r) => ids(r.events));
    expect(delivered).toEqual(ids(sent));
  });

  it('makes an id for an event without one and keeps it across retries', async () => {
    const { api, batcher } = await setUp((_, n) => (n === 1 ? { status: 503 } : accepted()), {
      baseBackoffMs: 1,
    });
    const { id: _, ...withoutId } = anEvent();
    batcher.add(withoutId);
    await batcher.flush();
    const [first, second] = api.requests.map((r) => r.events[0]!.id);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
  });

  it('refuses events past maxQueueSize, counting those in flight, until there is room', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { api, batcher } = await setUp(
      async (_, n) => {
        if (n === 1) await held;
        return accepted();
      },
      { maxQueueSize: 3, maxBatchSize: 2 },
    );
    const first = events(3);
    for (const e of first) expect(batcher.add(e)).toBe(true);
    await vi.waitFor(() => expect(api.requests).toHaveLength(1));
    expect(batcher.add(anEvent())).toBe(false);
    expect(batcher.size).toBe(3);

    let ready = false;
    const room = batcher.ready().then(() => (ready = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ready).toBe(false);
    release();
    await room;
    expect(batcher.add(anEvent())).toBe(true);
    await batcher.flush();
    expect(api.requests.flatMap((r) => ids(r.events)).slice(0, 3)).toEqual(ids(first));
  });

  it('close sends what is queued, resolves once it is answered, and refuses later events', async () => {
    const { api, batcher } = await setUp(undefined, { maxDelayMs: 600_000 });
    const sent = events(10);
    for (const e of sent) batcher.add(e);
    await batcher.close();
    expect(api.requests.flatMap((r) => ids(r.events))).toEqual(ids(sent));
    expect(batcher.size).toBe(0);
    expect(() => batcher.add(anEvent())).toThrow(/closed/);
    await expect(batcher.close()).resolves.toBeUndefined();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
