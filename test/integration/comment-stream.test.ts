import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { cloneTemplateDatabase, type ClonedDatabase } from '../support/database.js';
import { anAssetInput } from '../support/factories.js';

const MASK_KEY = 'a-test-masking-key-of-at-least-32-chars';
const ada = { id: 'user-ada', displayName: 'Ada' };

interface Received {
  id: string;
  event: string;
  data: { id: string; text: string; reactions: { emoji: string; count: number }[]; status: string | null };
}

/** An SSE client over fetch: collects the events it receives until closed. */
function watch(baseUrl: string, assetId: string, headers: Record<string, string>, lastEventId?: string) {
  const controller = new AbortController();
  const events: Received[] = [];
  let status = 0;
  const done = (async () => {
    const res = await fetch(`${baseUrl}/v1/assets/${assetId}/comments/stream`, {
      headers: { ...headers, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: controller.signal,
    });
    status = res.status;
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buffer += value;
      let at: number;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const fields = Object.fromEntries(
          frame
            .split('\n')
            .filter((l) => !l.startsWith(':') && l.includes(': '))
            .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
        );
        if (fields.data) events.push({ id: fields.id!, event: fields.event!, data: JSON.parse(fields.data) });
      }
    }
  })().catch(() => undefined);
  return {
    events,
    status: () => status,
    async close() {
      controller.abort();
      await done;
    },
  };
}

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

describe('live comment streams in one process', () => {
  let t: TestApp;
  let key: { authorization: string };
  let url: string;
  let asset: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { MASK_KEY } });
    key = await t.keyFor('default', 'EDITOR');
    ({ asset } = await ingestNamed(t, key, { asset: anAssetInput() }));
    url = await listen(t);
  }, 300_000);
  afterAll(() => t?.close());

  it('sends every change to every watcher, and the missed ones to a watcher resuming with Last-Event-ID', async () => {
    const one = watch(url, asset, key);
    const two = watch(url, asset, key);
    await expect.poll(() => one.status() * two.status(), { timeout: 60_000 }).toBe(200 * 200);
    const post = (path: string, payload: object) =>
      fetch(`${url}/v1/assets/${asset}/comments${path}`, {
        method: 'POST',
        headers: { ...key, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const c = await post('', { author: ada, text: 'logo is old', timestamp: 1_000, type: 'issue' });
    for (const w of [one, two])
      await expect.poll(() => w.events.map((e) => e.event), { timeout: 60_000 }).toEqual(['comment.created']);
    expect(one.events[0]!.data).toMatchObject({ id: c.id, text: 'logo is old' });
    const resumeFrom = one.events[0]!.id;
    await one.close();
    await post(`/${c.id}/reactions`, { author: ada, emoji: '👍' });
    await post(`/${c.id}/transitions`, { author: ada, status: 'in_progress' });
    await expect
      .poll(() => two.events.map((e) => e.event), { timeout: 60_000 })
      .toEqual(['comment.created', 'comment.reacted', 'comment.status_changed']);
    const resumed = watch(url, asset, key, resumeFrom);
    await expect
      .poll(() => resumed.events.map((e) => e.event), { timeout: 60_000 })
      .toEqual(['comment.reacted', 'comment.status_changed']);
    expect(resumed.events.map((e) => e.id)).toEqual(two.events.slice(1).map((e) => e.id));
    await resumed.close();
    await two.close();
  });

  it("answers 404 for another tenant's asset", async () => {
    const other = await t.keyFor('tenant-other', 'ADMIN');
    const w = watch(url, asset, other);
    await expect.poll(() => w.status(), { timeout: 60_000 }).toBe(404);
    await w.close();
  });
});

const redisUrl = inject('redisUrl');
const postgresUrl = inject('postgresUrl');

describe.skipIf(!redisUrl || !postgresUrl)('live comment streams across API processes on one Redis', () => {
  let db: ClonedDatabase;
  let a: TestApp;
  let b: TestApp;
  let key: { authorization: string };
  let asset: string;
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    db = await cloneTemplateDatabase();
    const env = { MASK_KEY, REDIS_URL: redisUrl!, QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}` };
    a = await createTestApp({ databaseUrl: db.url, env });
    b = await createTestApp({ databaseUrl: db.url, env, workers: false });
    key = await a.keyFor('default', 'EDITOR');
    ({ asset } = await ingestNamed(a, key, { asset: anAssetInput() }));
    urlA = await listen(a);
    urlB = await listen(b);
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  it("a watcher on one process sees the other process's comments, and resumes after reconnecting", async () => {
    const onB = watch(urlB, asset, key);
    await expect.poll(() => onB.status(), { timeout: 60_000 }).toBe(200);
    const post = (path: string, payload: object) =>
      fetch(`${urlA}/v1/assets/${asset}/comments${path}`, {
        method: 'POST',
        headers: { ...key, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const c = await post('', { author: ada, text: 'from process A' });
    await expect.poll(() => onB.events.map((e) => e.data.id), { timeout: 60_000 }).toEqual([c.id]);
    const last = onB.events[0]!.id;
    await onB.close();
    const r = await post(`/${c.id}/replies`, { author: ada, text: 'while B was away' });
    const back = watch(urlB, asset, key, last);
    await expect.poll(() => back.events.map((e) => e.data.id), { timeout: 60_000 }).toEqual([r.id]);
    await post(`/${c.id}/reactions`, { author: ada, emoji: '🎉' });
    await expect
      .poll(() => back.events.map((e) => e.event), { timeout: 60_000 })
      .toEqual(['comment.created', 'comment.reacted']);
    await back.close();
  });
});
