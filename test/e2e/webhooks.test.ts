import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractAll } from '../../enrichment/extract.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback: records every request, answers as each path's rule says. */
class Receiver {
  readonly received: Received[] = [];
  /** Status to answer for the n-th request (from 1) to a path; 200 without a rule. */
  readonly rules = new Map<string, (n: number) => number | Promise<number>>();
  private server!: Server;
  private base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const n = this.at(path).length + 1;
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        void Promise.resolve(this.rules.get(path)?.(n) ?? 200).then((status) =>
          res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'thanks' : 'try later'),
        );
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

interface WebhookDto {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret?: string;
}
interface DeliveryDto {
  id: string;
  webhookId: string;
  event: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  attempts: number;
  redeliveries: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponse: string | null;
  lastDurationMs: number | null;
  payload: { type: string; timestamp: string; data: { assetId: string; fields?: string[]; error?: string } };
  createdAt: string;
  lastAttemptAt: string | null;
  completedAt: string | null;
}
type Key = { authorization: string };

/** The signature a receiver expects, computed here independently of the service's code. */
function expectedSignature(secret: string, headers: IncomingHttpHeaders, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`;
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

describe('webhooks', () => {
  const receiver = new Receiver();
  let t: TestApp;

  beforeAll(async () => {
    await receiver.start();
    t = await createTestApp({
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_ATTEMPTS: '3',
        WEBHOOK_BACKOFF_MS: '20',
        WEBHOOK_TIMEOUT_MS: '5000',
        JOB_ATTEMPTS: '1',
      },
      // Enrichment of assets titled "Doomed…" always fails: with one attempt, for good.
      extract: (asset, ctx, capabilities) => {
        const result = extractAll(asset, ctx, capabilities);
        if (!asset.title.startsWith('Doomed')) return result;
        return {
          ...result,
          completed: [],
          failed: capabilities.map((capability) => ({ capability, error: 'extractor crashed' })),
        };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await receiver.close();
  });

  const call = (key: Key, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers: key, ...(payload ? { payload } : {}) });
  const register = async (key: Key, path: string, events: string[]) => {
    const res = await call(key, 'POST', '/v1/webhooks', { url: receiver.url(path), events });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<WebhookDto & { secret: string }>();
  };
  const ingest = async (key: Key, overrides: Record<string, unknown> = {}, wait = true) => {
    const res = await call(key, 'POST', `/v1/assets${wait ? '?wait=true' : ''}`, anAssetInput(overrides));
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ asset: { id: string; version: number } }>().asset;
  };
  const deliveries = async (key: Key, webhookId: string, query = '') => {
    const res = await call(key, 'GET', `/v1/webhooks/${webhookId}/deliveries${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: DeliveryDto[]; nextCursor: string | null }>();
  };
  const until = async <T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const v = await fn();
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await sleep(25);
    }
  };
  const deliveryOf = (key: Key, webhookId: string, event: string, assetId: string, status: string) =>
    until(
      `${event} ${status}`,
      async () =>
        (await deliveries(key, webhookId)).items.find(
          (d) => d.event === event && d.payload.data.assetId === assetId,
        ),
      (d) => d?.status === status,
    ) as Promise<DeliveryDto>;

  it('registers a webhook and shows its signing secret only then', async () => {
    const key = await t.keyFor('wh-register', 'DEVELOPER');
    const made = await register(key, '/register', ['asset.created', 'tags.changed', 'asset.created']);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(made).toMatchObject({ url: receiver.url('/register'), events: ['asset.created', 'tags.changed'] });
    expect(made.enabled).toBe(true);

    const one = await call(key, 'GET', `/v1/webhooks/${made.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).not.toHaveProperty('secret');
    expect(one.body).not.toContain(made.secret);
    const list = await call(key, 'GET', '/v1/webhooks');
    expect(list.json<{ items: WebhookDto[] }>().items.map((w) => w.id)).toEqual([made.id]);
    expect(list.body).not.toContain(made.secret);

    const audit = await call(key, 'GET', '/v1/actions?type=WEBHOOK_CREATE');
    expect(audit.json<{ items: { details: { webhookId: string } }[] }>().items[0]!.details.webhookId).toBe(
      made.id,
    );
  });

  it('refuses a bad URL or event list with a 400 naming the field', async () => {
    const key = await t.keyFor('wh-invalid', 'ADMIN');
    const cases: [object, string][] = [
      [{ url: 'not a url', events: ['asset.created'] }, 'url'],
      [{ url: 'ftp://example.com/in', events: ['asset.created'] }, 'url'],
      [{ url: 'https://user:secret@example.com/in', events: ['asset.created'] }, 'url'],
      [{ url: 'https://example.com/in', events: [] }, 'events'],
      [{ url: 'https://example.com/in', events: ['asset.exploded'] }, 'events.0'],
      [{ events: ['asset.created'] }, 'url'],
    ];
    for (const [body, field] of cases) {
      const res = await call(key, 'POST', '/v1/webhooks', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(field);
    }
    expect((await call(key, 'GET', '/v1/webhooks')).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('refuses private, loopback and local URLs when private targets are not allowed', async () => {
    const strict = await createTestApp({ workers: false, env: { WEBHOOK_ALLOW_PRIVATE: 'false' } });
    try {
      const key = await strict.keyFor('wh-strict', 'ADMIN');
      const post = (url: string) =>
        strict.app.inject({
          method: 'POST',
          url: '/v1/webhooks',
          headers: key,
          payload: { url, events: ['asset.created'] },
        });
      for (const url of [
        receiver.url('/private'),
        'http://localhost:8080/in',
        'http://10.1.2.3/in',
        'http://[::1]/in',
        'http://169.254.169.254/latest/meta-data/',
        'http://metadata.google.internal/',
        'http://redis:6379/',
      ]) {
        const res = await post(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json<{ detail: string }>().detail).toMatch(/private|local|loopback|reserved/);
      }
      expect((await post('https://hooks.example.com/in')).statusCode).toBe(201);
    } finally {
      await strict.close();
    }
  });

  it('delivers asset.created for an ingested asset, signed with the secret', async () => {
    const key = await t.keyFor('wh-signed', 'ADMIN');
    const hook = await register(key, '/signed', ['asset.created']);
    const asset = await ingest(key);

    const [req] = await until(
      'a request',
      () => Promise.resolve(receiver.at('/signed')),
      (r) => r.length > 0,
    );
    const body = JSON.parse(req!.body) as DeliveryDto['payload'];
    expect(body).toMatchObject({ type: 'asset.created', data: { assetId: asset.id, version: 1 } });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['webhook-signature']).toBe(expectedSignature(hook.secret, req!.headers, req!.body));
    const timestamp = Number(req!.headers['webhook-timestamp']);
    expect(Math.abs(Date.now() / 1000 - timestamp)).toBeLessThan(300);

    const delivery = await deliveryOf(key, hook.id, 'asset.created', asset.id, 'SUCCEEDED');
    expect(req!.headers['webhook-id']).toBe(delivery.id);
    expect(delivery).toMatchObject({
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      lastResponse: 'thanks',
    });
    expect(delivery.completedAt).not.toBeNull();
    // The asset was enriched too (the ingest waited for it), but this webhook takes asset.created only.
    expect((await deliveries(key, hook.id)).items.map((d) => d.event)).toEqual(['asset.created']);
    expect(receiver.at('/signed')).toHaveLength(1);
  });

  it("numbers each asset's events in the order they happened, and names the event, for receivers to order and de-duplicate", async () => {
    const key = await t.keyFor('wh-sequence', 'ADMIN');
    const hook = await register(key, '/sequence', ['asset.created', 'asset.enriched', 'tags.changed']);
    const asset = await ingest(key, { title: 'Tide pools' });
    const other = await ingest(key, { title: 'Salt marsh' });
    const tagged = await call(key, 'PATCH', `/v1/assets/${asset.id}/tags`, { add: [{ name: 'tide' }] });
    expect(tagged.statusCode, tagged.body).toBe(200);
    await deliveryOf(key, hook.id, 'tags.changed', asset.id, 'SUCCEEDED');
    await deliveryOf(key, hook.id, 'asset.enriched', other.id, 'SUCCEEDED');

    const items = (await deliveries(key, hook.id)).items;
    const of = (id: string) =>
      items
        .filter((d) => d.payload.data.assetId === id)
        .map((d) => ({ event: d.event, ...(d.payload.data as { sequence?: number; eventId?: string }) }))
        .sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
    expect(of(asset.id).map((d) => [d.event, d.sequence])).toEqual([
      ['asset.created', 1],
      ['asset.enriched', 2],
      ['tags.changed', 3],
    ]);
    // Per asset: the other asset's events count from 1 on their own.
    expect(of(other.id).map((d) => [d.event, d.sequence])).toEqual([
      ['asset.created', 1],
      ['asset.enriched', 2],
    ]);
    // The event id is one per change, whichever webhook is told.
    const eventIds = items.map((d) => (d.payload.data as { eventId?: string }).eventId);
    expect(eventIds.every((e) => typeof e === 'string')).toBe(true);
    expect(new Set(eventIds).size).toBe(items.length);
  });

  it("tells an editor's tag change from other edits", async () => {
    const key = await t.keyFor('wh-edits', 'ADMIN');
    const hook = await register(key, '/edits', ['tags.changed', 'asset.updated']);
    const asset = await ingest(key, { title: 'Kelp forests' });

    const tagged = await call(key, 'PATCH', `/v1/assets/${asset.id}/tags`, { add: [{ name: 'kelp' }] });
    expect(tagged.statusCode, tagged.body).toBe(200);
    const tags = await deliveryOf(key, hook.id, 'tags.changed', asset.id, 'SUCCEEDED');
    expect(tags.payload.data.fields).toContain('enrichment.tags');

    const retitled = await call(key, 'PATCH', `/v1/assets/${asset.id}`, { title: 'Kelp forests at night' });
    expect(retitled.statusCode, retitled.body).toBe(200);
    const updated = await deliveryOf(key, hook.id, 'asset.updated', asset.id, 'SUCCEEDED');
    expect(updated.payload.data.fields).toEqual(['title']);
    expect((await deliveries(key, hook.id)).items.map((d) => d.event).sort()).toEqual([
      'asset.updated',
      'tags.changed',
    ]);
  });

  it('delivers asset.failed when enrichment fails for good', async () => {
    const key = await t.keyFor('wh-failed', 'ADMIN');
    const hook = await register(key, '/failed', ['asset.failed', 'asset.enriched']);
    const asset = await ingest(key, { title: 'Doomed talk' }, false);
    const failed = await deliveryOf(key, hook.id, 'asset.failed', asset.id, 'SUCCEEDED');
    expect(failed.payload.data.error).toMatch(/extractor crashed/);
    const stored = (await call(key, 'GET', `/v1/assets/${asset.id}`)).json<{ status: string }>();
    expect(stored.status).toBe('FAILED');
    expect((await deliveries(key, hook.id)).items.map((d) => d.event)).toEqual(['asset.failed']);
  });

  it('retries a failing receiver with backoff, keeping the webhook-id', async () => {
    const key = await t.keyFor('wh-retry', 'ADMIN');
    receiver.rules.set('/flaky', (n) => (n === 1 ? 500 : 200));
    const hook = await register(key, '/flaky', ['asset.created']);
    const asset = await ingest(key);
    const delivery = await deliveryOf(key, hook.id, 'asset.created', asset.id, 'SUCCEEDED');
    expect(delivery).toMatchObject({ attempts: 2, lastStatusCode: 200 });
    const requests = receiver.at('/flaky');
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
    expect(requests[0]!.body).toBe(requests[1]!.body);
    for (const r of requests)
      expect(r.headers['webhook-signature']).toBe(expectedSignature(hook.secret, r.headers, r.body));
  });

  it('marks a delivery FAILED after the last attempt, and redelivers it on request', async () => {
    const key = await t.keyFor('wh-dead', 'ADMIN');
    let up = false;
    receiver.rules.set('/down', () => (up ? 200 : 503));
    const hook = await register(key, '/down', ['asset.created']);
    const asset = await ingest(key);
    const dead = await deliveryOf(key, hook.id, 'asset.created', asset.id, 'FAILED');
    expect(dead).toMatchObject({ attempts: 3, lastStatusCode: 503, lastResponse: 'try later' });
    expect(dead.lastError).toMatch(/503/);
    expect((await deliveries(key, hook.id, '?status=FAILED')).items.map((d) => d.id)).toEqual([dead.id]);
    expect(receiver.at('/down')).toHaveLength(3);

    up = true;
    const res = await call(key, 'POST', `/v1/webhooks/${hook.id}/deliveries/${dead.id}/redeliver`);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json<DeliveryDto>()).toMatchObject({ id: dead.id, status: 'PENDING', redeliveries: 1 });
    const redelivered = await deliveryOf(key, hook.id, 'asset.created', asset.id, 'SUCCEEDED');
    expect(redelivered).toMatchObject({ attempts: 4, redeliveries: 1, lastStatusCode: 200, lastError: null });
    const requests = receiver.at('/down');
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([dead.id]));

    const audit = await call(key, 'GET', '/v1/actions?type=WEBHOOK_REDELIVER');
    expect(audit.json<{ items: { details: { deliveryId: string } }[] }>().items).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ deliveryId: dead.id }) }),
    ]);
  });

  it('sends a signed webhook.test on request through the delivery path, kept apart from event deliveries', async () => {
    const key = await t.keyFor('wh-test', 'DEVELOPER');
    // Subscribed to one event only: a test goes out whatever the webhook takes.
    const hook = await register(key, '/test', ['asset.failed']);
    receiver.rules.set('/test', (n) => (n === 1 ? 503 : 200));
    const sent = await call(key, 'POST', `/v1/webhooks/${hook.id}/test`);
    expect(sent.statusCode, sent.body).toBe(202);
    const queued = sent.json<DeliveryDto & { payload: { data: { webhookId: string; test: boolean } } }>();
    expect(queued).toMatchObject({ webhookId: hook.id, event: 'webhook.test', status: 'PENDING' });
    expect(queued.payload).toMatchObject({ type: 'webhook.test', data: { webhookId: hook.id, test: true } });

    // Retried like any delivery: the first attempt is refused, the second taken.
    const done = await until(
      'the test delivered',
      async () => (await call(key, 'GET', `/v1/webhooks/${hook.id}/test/${queued.id}`)).json<DeliveryDto>(),
      (d) => d.status !== 'PENDING',
    );
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 2,
      lastStatusCode: 200,
      event: 'webhook.test',
    });
    const got = receiver.at('/test');
    expect(got).toHaveLength(2);
    expect(got[1]!.headers['webhook-id']).toBe(queued.id);
    expect(got[1]!.headers['webhook-signature']).toBe(
      expectedSignature(hook.secret, got[1]!.headers, got[1]!.body),
    );
    expect(JSON.parse(got[1]!.body)).toMatchObject({ type: 'webhook.test', data: { webhookId: hook.id } });

    // The event log (GET …/deliveries, whose events are as released) does not list tests; the audit names it.
    expect((await deliveries(key, hook.id)).items).toEqual([]);
    const audit = await call(key, 'GET', '/v1/actions?type=WEBHOOK_TEST');
    expect(audit.json<{ items: { details: { deliveryId: string } }[] }>().items[0]!.details.deliveryId).toBe(
      queued.id,
    );
    // A test is not an event delivery to redeliver, and a disabled webhook sends none.
    const redeliver = await call(key, 'POST', `/v1/webhooks/${hook.id}/deliveries/${queued.id}/redeliver`);
    expect(redeliver.statusCode).toBe(404);
    await call(key, 'PATCH', `/v1/webhooks/${hook.id}`, { enabled: false });
    expect((await call(key, 'POST', `/v1/webhooks/${hook.id}/test`)).statusCode).toBe(409);
    // Another tenant's webhook, or a viewer: nothing sent.
    const other = await t.keyFor('wh-test-other', 'ADMIN');
    expect((await call(other, 'POST', `/v1/webhooks/${hook.id}/test`)).statusCode).toBe(404);
    expect((await call(other, 'GET', `/v1/webhooks/${hook.id}/test/${queued.id}`)).statusCode).toBe(404);
    const viewer = await t.keyFor('wh-test', 'VIEWER');
    expect((await call(viewer, 'POST', `/v1/webhooks/${hook.id}/test`)).statusCode).toBe(403);
    expect(receiver.at('/test')).toHaveLength(2);
  });

  it('keeps the secret sealed at rest, and after a rotation signs with both secrets until the grace period ends', async () => {
    const key = await t.keyFor('wh-rotate', 'ADMIN');
    const hook = await register(key, '/rotate', ['asset.failed']);
    const stored = async () =>
      (
        await t.container.db.query<{ secret: string; previous_secret: string | null }>(
          'SELECT secret, previous_secret FROM webhooks WHERE id = $1',
          [hook.id],
        )
      )[0]!;
    // What the database holds is not the secret, nor its key bytes.
    const atRest = await stored();
    expect(atRest.secret).toMatch(/^enc:v2:/);
    expect(atRest.secret).not.toContain(hook.secret.slice('whsec_'.length));

    const test = async () => {
      const sent = await call(key, 'POST', `/v1/webhooks/${hook.id}/test`);
      expect(sent.statusCode, sent.body).toBe(202);
      const id = sent.json<DeliveryDto>().id;
      return until(
        'the test delivered',
        () => Promise.resolve(receiver.at('/rotate').find((r) => r.headers['webhook-id'] === id)),
        (r) => r !== undefined,
      ) as Promise<Received>;
    };
    const signatures = (r: Received) => String(r.headers['webhook-signature']).split(' ');

    const rotated = await call(key, 'POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.json<WebhookDto & { secret: string; previousSecretExpiresAt: string }>();
    expect(fresh.id).toBe(hook.id);
    expect(fresh.secret).toMatch(/^whsec_/);
    expect(fresh.secret).not.toBe(hook.secret);
    // Default grace: a day.
    const grace = new Date(fresh.previousSecretExpiresAt).getTime() - Date.now();
    expect(grace).toBeGreaterThan(23.9 * 3600_000);
    expect(grace).toBeLessThanOrEqual(24 * 3600_000);
    expect((await call(key, 'GET', `/v1/webhooks/${hook.id}`)).body).not.toContain(fresh.secret);
    expect(JSON.stringify(await stored())).not.toContain(fresh.secret.slice('whsec_'.length));
    expect(JSON.stringify(await stored())).not.toContain(hook.secret.slice('whsec_'.length));

    // During the grace period: a signature by each, so a receiver holding either secret verifies it.
    const during = await test();
    expect(signatures(during)).toHaveLength(2);
    expect(signatures(during)).toContain(expectedSignature(fresh.secret, during.headers, during.body));
    expect(signatures(during)).toContain(expectedSignature(hook.secret, during.headers, during.body));

    // An earlier secret that no longer opens (damaged here) fails no delivery: it is signed with the
    // new secret alone, and counted.
    const unreadable = () =>
      t.container.metrics.registry
        .render()
        .match(/^mdisc_signing_secret_unreadable_total\{owner="webhook"\} (\d+)/m)?.[1];
    const kept = (await stored()).previous_secret;
    await t.container.db.query('UPDATE webhooks SET previous_secret = $2 WHERE id = $1', [
      hook.id,
      `${kept!.slice(0, -4)}AAAA`,
    ]);
    const damaged = await test();
    expect(signatures(damaged)).toEqual([expectedSignature(fresh.secret, damaged.headers, damaged.body)]);
    expect(unreadable()).toBe('1');
    await t.container.db.query('UPDATE webhooks SET previous_secret = $2 WHERE id = $1', [hook.id, kept]);

    // Once it is over (moved into the past here, as the clock would), the new secret alone.
    await t.container.db.query(
      `UPDATE webhooks SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
      [hook.id],
    );
    const after = await test();
    expect(signatures(after)).toEqual([expectedSignature(fresh.secret, after.headers, after.body)]);

    // graceSeconds=0: the old secret stops at once.
    const again = await call(key, 'POST', `/v1/webhooks/${hook.id}/rotate-secret?graceSeconds=0`);
    expect(again.statusCode, again.body).toBe(200);
    const third = again.json<{ secret: string; previousSecretExpiresAt: string | null }>();
    expect(third.previousSecretExpiresAt).toBeNull();
    const now = await test();
    expect(signatures(now)).toEqual([expectedSignature(third.secret, now.headers, now.body)]);

    expect(
      (await call(key, 'POST', `/v1/webhooks/${hook.id}/rotate-secret?graceSeconds=-1`)).statusCode,
    ).toBe(400);
    const audit = await call(key, 'GET', '/v1/actions?type=WEBHOOK_SECRET_ROTATE');
    expect(audit.json<{ items: unknown[] }>().items).toHaveLength(2);
    expect(audit.body).not.toContain('whsec_');
    const other = await t.keyFor('wh-rotate-other', 'ADMIN');
    expect((await call(other, 'POST', `/v1/webhooks/${hook.id}/rotate-secret`)).statusCode).toBe(404);
    const viewer = await t.keyFor('wh-rotate', 'VIEWER');
    expect((await call(viewer, 'POST', `/v1/webhooks/${hook.id}/rotate-secret`)).statusCode).toBe(403);
  });

  it('lists deliveries newest first, a page at a time', async () => {
    const key = await t.keyFor('wh-pages', 'ADMIN');
    const hook = await register(key, '/pages', ['asset.created']);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await ingest(key, {}, false)).id);
    await until(
      'three deliveries',
      () => deliveries(key, hook.id),
      (p) => p.items.filter((d) => d.status === 'SUCCEEDED').length === 3,
    );
    const seen: DeliveryDto[] = [];
    let cursor: string | null = null;
    do {
      const page = await deliveries(key, hook.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((d) => d.payload.data.assetId).sort()).toEqual([...ids].sort());
    const times = seen.map((d) => Date.parse(d.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const d of seen) {
      expect(d.lastAttemptAt).not.toBeNull();
      expect(d.lastDurationMs).toEqual(expect.any(Number));
    }
    expect((await call(key, 'GET', `/v1/webhooks/${hook.id}/deliveries?cursor=bogus`)).statusCode).toBe(400);
  });

  it('stops delivering to a disabled webhook, and deletes one with its log', async () => {
    const key = await t.keyFor('wh-lifecycle', 'ADMIN');
    const hook = await register(key, '/lifecycle', ['asset.created']);
    const off = await call(key, 'PATCH', `/v1/webhooks/${hook.id}`, { enabled: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<WebhookDto>().enabled).toBe(false);
    // A canary webhook of the same tenant shows when the asset's event has been fanned out.
    const canary = await register(key, '/lifecycle-canary', ['asset.created']);
    const asset = await ingest(key);
    await deliveryOf(key, canary.id, 'asset.created', asset.id, 'SUCCEEDED');
    expect((await deliveries(key, hook.id)).items).toEqual([]);
    expect(receiver.at('/lifecycle')).toHaveLength(0);

    // Disabled between two attempts: the delivery waiting for its retry ends as FAILED, unsent.
    const paused = await register(key, '/lifecycle-paused', ['asset.created']);
    receiver.rules.set('/lifecycle-paused', async () => {
      await call(key, 'PATCH', `/v1/webhooks/${paused.id}`, { enabled: false });
      return 500;
    });
    const second = await ingest(key);
    const dropped = await deliveryOf(key, paused.id, 'asset.created', second.id, 'FAILED');
    expect(dropped).toMatchObject({ attempts: 1, lastError: 'webhook disabled before delivery' });
    expect(receiver.at('/lifecycle-paused')).toHaveLength(1);

    const empty = await call(key, 'PATCH', `/v1/webhooks/${hook.id}`, {});
    expect(empty.statusCode).toBe(400);
    const redeliver = await call(
      key,
      'POST',
      `/v1/webhooks/${hook.id}/deliveries/${(await deliveries(key, canary.id)).items[0]!.id}/redeliver`,
    );
    expect(redeliver.statusCode).toBe(404);
    const canaryDelivery = (await deliveries(key, canary.id)).items[0]!.id;
    await call(key, 'PATCH', `/v1/webhooks/${canary.id}`, { enabled: false });
    const whileOff = await call(
      key,
      'POST',
      `/v1/webhooks/${canary.id}/deliveries/${canaryDelivery}/redeliver`,
    );
    expect(whileOff.statusCode).toBe(409);

    expect((await call(key, 'DELETE', `/v1/webhooks/${canary.id}`)).statusCode).toBe(204);
    expect((await call(key, 'GET', `/v1/webhooks/${canary.id}`)).statusCode).toBe(404);
    expect((await call(key, 'GET', `/v1/webhooks/${canary.id}/deliveries`)).statusCode).toBe(404);
    expect((await call(key, 'DELETE', `/v1/webhooks/${canary.id}`)).statusCode).toBe(404);
    const audit = await call(key, 'GET', '/v1/actions?type=WEBHOOK_DELETE');
    expect(
      audit.json<{ items: { details: { webhookId: string } }[] }>().items.map((a) => a.details.webhookId),
    ).toEqual([canary.id]);
  });

  it("answers 404 for another tenant's webhook and lists none of them", async () => {
    const owner = await t.keyFor('wh-owner', 'ADMIN');
    const other = await t.keyFor('wh-other', 'ADMIN');
    const hook = await register(owner, '/owned', ['asset.created']);
    const asset = await ingest(owner);
    const delivery = await deliveryOf(owner, hook.id, 'asset.created', asset.id, 'SUCCEEDED');
    const attempts: [string, string, object?][] = [
      ['GET', `/v1/webhooks/${hook.id}`],
      ['PATCH', `/v1/webhooks/${hook.id}`, { enabled: false }],
      ['DELETE', `/v1/webhooks/${hook.id}`],
      ['GET', `/v1/webhooks/${hook.id}/deliveries`],
      ['POST', `/v1/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await call(other, method, url, payload);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
    }
    expect((await call(other, 'GET', '/v1/webhooks')).json<{ items: unknown[] }>().items).toEqual([]);
    // The other tenant's own webhook cannot reach this delivery either.
    const theirs = await register(other, '/theirs', ['asset.created']);
    const cross = await call(other, 'POST', `/v1/webhooks/${theirs.id}/deliveries/${delivery.id}/redeliver`);
    expect(cross.statusCode).toBe(404);
    // Nothing of the owner's changed.
    expect((await call(owner, 'GET', `/v1/webhooks/${hook.id}`)).json<WebhookDto>().enabled).toBe(true);
    expect(await deliveryOf(owner, hook.id, 'asset.created', asset.id, 'SUCCEEDED')).toMatchObject({
      attempts: 1,
      redeliveries: 0,
    });
  });

  it('is closed to keys without webhooks:manage', async () => {
    const admin = await t.keyFor('wh-roles', 'ADMIN');
    const hook = await register(admin, '/roles', ['asset.created']);
    const fakeDelivery = '00000000-0000-4000-8000-000000000000';
    for (const role of ['VIEWER', 'EDITOR', 'CONTENT_MANAGER'] as const) {
      const key = await t.keyFor('wh-roles', role);
      for (const [method, url, payload] of [
        ['POST', '/v1/webhooks', { url: receiver.url('/x'), events: ['asset.created'] }],
        ['GET', '/v1/webhooks'],
        ['GET', `/v1/webhooks/${hook.id}`],
        ['PATCH', `/v1/webhooks/${hook.id}`, { enabled: false }],
        ['DELETE', `/v1/webhooks/${hook.id}`],
        ['GET', `/v1/webhooks/${hook.id}/deliveries`],
        ['POST', `/v1/webhooks/${hook.id}/deliveries/${fakeDelivery}/redeliver`],
      ] as [string, string, object?][]) {
        const res = await call(key, method, url, payload);
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
      }
    }
    expect((await call(admin, 'GET', '/v1/webhooks')).json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('holds at most 25 webhooks per tenant', async () => {
    const key = await t.keyFor('wh-limit', 'ADMIN');
    for (let i = 0; i < 25; i++) {
      const res = await call(key, 'POST', '/v1/webhooks', {
        url: receiver.url(`/limit/${i}`),
        events: ['asset.created'],
        enabled: false,
      });
      expect(res.statusCode).toBe(201);
    }
    const over = await call(key, 'POST', '/v1/webhooks', {
      url: receiver.url('/limit/x'),
      events: ['asset.created'],
    });
    expect(over.statusCode).toBe(409);
    expect(over.json<{ detail: string }>().detail).toMatch(/at most 25/);
  });
});
