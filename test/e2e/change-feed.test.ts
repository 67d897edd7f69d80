import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { backendName, cloneTemplateDatabase, type ClonedDatabase } from '../support/database.js';
import { anAssetInput } from '../support/factories.js';

interface Change {
  cursor: string;
  assetId: string;
  change: string;
  version: number;
}
type Headers = { authorization: string };

/** The entries of an SSE body, with their ids, in order. */
function sseEvents(body: string): { id: string; data: Change }[] {
  return body
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const line = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))!
          .slice(name.length + 2);
      return { id: line('id'), data: JSON.parse(line('data')) as Change };
    });
}

/**
 * The issue's "done when": a partner mirrors a tenant's library by tailing GET /v1/changes alone,
 * applying each change to a local copy (fetching the asset it names), across a restart of the
 * service on the same database, resuming from its last cursor; the copy then equals GET /v1/assets,
 * with no entry seen twice and none missed.
 */
describe('mirroring a library through GET /v1/changes, across a restart', () => {
  let t: TestApp | undefined;
  let clone: ClonedDatabase | undefined;
  let dataDir: string | undefined;
  let key: Headers;
  let otherKey: Headers;

  const start = async () => createTestApp(clone ? { databaseUrl: clone.url } : { dataDir: dataDir! });

  beforeAll(async () => {
    if (backendName() === 'postgres') clone = await cloneTemplateDatabase();
    else dataDir = mkdtempSync(join(tmpdir(), 'change-feed-'));
    t = await start();
    key = await t.keyFor('mirror', 'ADMIN');
    otherKey = await t.keyFor('mirror-other', 'ADMIN');
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await clone?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, url: string, headers: Headers, payload?: object) => {
    const res = await t!.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res;
  };
  const ingest = async (headers: Headers, prefix: string, n: number) =>
    (
      await call('POST', '/v1/assets/batch', headers, {
        assets: Array.from({ length: n }, (_, i) =>
          anAssetInput({ title: `${prefix} talk ${i}`, tags: [`${prefix}-tag`] }),
        ),
      })
    )
      .json<{ items: { asset: { id: string } }[] }>()
      .items.map((i) => i.asset.id);
  const idle = async (headers: Headers) =>
    expect
      .poll(async () => (await call('GET', '/v1/pipeline/status', headers)).json<{ idle: boolean }>().idle, {
        timeout: 120_000,
        interval: 200,
      })
      .toBe(true);

  /** The partner's side: a copy of each asset by id, the cursor, and every cursor it was given. */
  const mirror = new Map<string, { version: number; title: string; status: string; tags: string[] }>();
  const seen: string[] = [];
  const applied: string[] = [];
  let cursor: string | null = null;

  const apply = async (c: Change) => {
    seen.push(c.cursor);
    applied.push(`${c.assetId}:${c.change}:${c.version}`);
    if (c.change === 'deleted' || c.change === 'purged') {
      mirror.delete(c.assetId);
    } else {
      const res = await t!.app.inject({ url: `/v1/assets/${c.assetId}`, headers: key });
      if (res.statusCode === 404) mirror.delete(c.assetId);
      else {
        const a = res.json<{ version: number; title: string; status: string; tags: string[] }>();
        mirror.set(c.assetId, { version: a.version, title: a.title, status: a.status, tags: a.tags });
      }
    }
    cursor = c.cursor;
  };

  /** One SSE read of up to `limit` entries, resuming with Last-Event-ID. */
  const tailSse = async (limit: number) => {
    const res = await t!.app.inject({
      url: `/v1/changes?limit=${limit}`,
      headers: { ...key, accept: 'text/event-stream', ...(cursor ? { 'last-event-id': cursor } : {}) },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = sseEvents(res.body);
    for (const e of events) {
      expect(e.id).toBe(e.data.cursor);
      await apply(e.data);
    }
    return events.length;
  };
  /** One NDJSON read to the end of the log as it stands, resuming with `cursor=`. */
  const tailNdjson = async () => {
    const res = await t!.app.inject({
      url: `/v1/changes${cursor ? `?cursor=${cursor}` : ''}`,
      headers: { ...key, accept: 'application/x-ndjson' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const lines = res.body.split('\n').filter((l) => l.trim() !== '');
    for (const l of lines) await apply(JSON.parse(l) as Change);
    return lines.length;
  };
  /** JSON pages until caught up. */
  const tailPages = async () => {
    let n = 0;
    for (;;) {
      const res = await call('GET', `/v1/changes?limit=7${cursor ? `&cursor=${cursor}` : ''}`, key);
      const page = res.json<{ items: Change[]; nextCursor: string | null; caughtUp: boolean }>();
      for (const c of page.items) await apply(c);
      n += page.items.length;
      if (page.items.length > 0) expect(page.nextCursor).toBe(cursor);
      if (page.caughtUp) return n;
    }
  };

  const listed = async () => {
    const all = new Map<string, { version: number; title: string; status: string; tags: string[] }>();
    let next: string | null = null;
    do {
      const res = await call(
        'GET',
        `/v1/assets?limit=100${next ? `&cursor=${encodeURIComponent(next)}` : ''}`,
        key,
      );
      const page = res.json<{
        items: { id: string; version: number; title: string; status: string; tags: string[] }[];
        nextCursor: string | null;
      }>();
      for (const a of page.items)
        all.set(a.id, { version: a.version, title: a.title, status: a.status, tags: a.tags });
      next = page.nextCursor;
    } while (next);
    return all;
  };

  it('copies every asset at its last version, with no entry twice and none missed', async () => {
    // A library, enriched; another tenant's meanwhile, which the mirror must never see.
    const ids = await ingest(key, 'first', 24);
    await ingest(otherKey, 'other', 5);
    await idle(key);
    // Edits of every kind before the restart.
    await call('PATCH', `/v1/assets/${ids[0]}/tags`, key, { add: [{ name: 'curated' }] });
    await call('PATCH', `/v1/assets/${ids[1]}`, key, { title: 'A new title' });
    await call('POST', `/v1/assets/${ids[2]}/archive`, key);
    await call('DELETE', `/v1/assets/${ids[3]}`, key);
    await call('DELETE', `/v1/assets/${ids[4]}?purge=true&reason=test`, key);
    await idle(key);

    // Part of the log, then the service goes away.
    expect(await tailSse(10)).toBe(10);
    expect(await tailSse(15)).toBe(15);
    const before = cursor;
    await t!.close();
    t = undefined;

    // A new service on the same database; more changes while the mirror was away.
    t = await start();
    const more = await ingest(key, 'second', 10);
    await call('POST', `/v1/assets/${ids[2]}/restore`, key);
    await call('PATCH', `/v1/assets/${more[0]}/tags`, key, { add: [{ name: 'curated' }] });
    await call('DELETE', `/v1/assets/${ids[5]}`, key);
    await idle(key);

    // The mirror resumes where it stopped, by each of the three forms, until the log is drained.
    expect(cursor).toBe(before);
    await tailSse(5);
    await tailNdjson();
    await idle(key);
    // Transactions still running anywhere on the database server hold the log back: read until
    // the copy is complete, then once more to see nothing else comes.
    const truth = await listed();
    await expect
      .poll(async () => (await tailPages(), [...mirror.keys()].sort()), { timeout: 60_000, interval: 200 })
      .toEqual([...truth.keys()].sort());
    expect(await tailPages()).toBe(0);

    expect(mirror).toEqual(truth);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(applied).size).toBe(applied.length);
    // Each change once: 34 ingests (each then enriched), 3 edits, an archive and its restore, 2
    // deletes and a purge.
    const count = (kind: string) => applied.filter((a) => a.split(':')[1] === kind).length;
    expect(count('ingested')).toBe(34);
    expect(count('enriched')).toBeGreaterThanOrEqual(34);
    expect(count('deleted')).toBe(2);
    expect(count('purged')).toBe(1);
    expect(count('archived')).toBe(1);
    expect(count('restored')).toBe(1);
    expect(count('updated')).toBe(3);
  });

  it('serves a filtered stream, refuses a foreign cursor, and answers another tenant with its own log only', async () => {
    const deletes = await call('GET', '/v1/changes?type=deleted,purged&limit=100', key);
    expect(
      deletes
        .json<{ items: Change[] }>()
        .items.map((c) => c.change)
        .sort(),
    ).toEqual(['deleted', 'deleted', 'purged']);
    const bad = await t!.app.inject({ url: '/v1/changes?cursor=not-a-cursor', headers: key });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const theirs = await call('GET', '/v1/changes?limit=1000', otherKey);
    const items = theirs.json<{ items: Change[] }>().items;
    expect(items.length).toBeGreaterThanOrEqual(5);
    for (const c of items) expect(mirror.has(c.assetId)).toBe(false);
  });

  it('follows: a stream caught up waits for the next changes and sends them as they come', async () => {
    const end = (await call('GET', `/v1/changes?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, key)).json<{
      nextCursor: string;
    }>().nextCursor;
    const following = t!.app.inject({
      url: `/v1/changes?follow=true&limit=2&cursor=${end}`,
      headers: { ...key, accept: 'application/x-ndjson' },
    });
    const [id] = await ingest(key, 'followed', 1);
    const res = await following;
    expect(res.statusCode).toBe(200);
    const got = res.body
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Change);
    // Its ingest, then its enrichment.
    expect(got.map((c) => [c.assetId, c.change])).toEqual([
      [id, 'ingested'],
      [id, 'enriched'],
    ]);
  });

  it('ends the streams still open when the service closes', async () => {
    await t!.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t!.app.server.address() as AddressInfo;
    let body = '';
    const ended = new Promise<number>((resolve, reject) => {
      get(
        `http://127.0.0.1:${port}/v1/changes?follow=true`,
        { headers: { ...key, accept: 'text/event-stream' } },
        (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      ).on('error', reject);
    });
    // The stream is open once its first events came; the log is read to its end, then it waits.
    await expect.poll(() => sseEvents(body).length, { timeout: 60_000 }).toBeGreaterThan(30);
    await t!.close();
    t = undefined;
    expect(await ended).toBe(200);
  });
});
