import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../domain/events.js';
import { ValidationError } from '../../domain/errors.js';
import { loadConfig } from '../../runtime/config.js';
import { checkWebhookUrl, isPublicAddress } from '../../domain/webhook-url.js';
import { webhookBody, webhookEventsFor } from '../../domain/webhooks.js';
import { changeTypeOf } from '../../domain/asset-changes.js';
import { embeddedIpv4Forms, notPublicIpv4 } from '../support/addresses.js';

describe('which addresses are public', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fd00::1',
    'fc12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.1.2.3',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    'fe80::1%eth0',
    '64:ff9b:1::7f00:1',
    '::ffff:0:127.0.0.1',
    '::127.0.0.1',
    '2001:0:4136:e378:8000:63bf:80ff:fffe',
  ])('%s is not', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('%s is', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('finds the IPv4 address inside every IPv6 form that embeds one', () => {
    fc.assert(
      fc.property(notPublicIpv4.chain(embeddedIpv4Forms), ([form, address]) => {
        expect(isPublicAddress(address), `${form} ${address}`).toBe(false);
        expect(() => checkWebhookUrl(`http://[${address}]/h`, { allowPrivate: false }), address).toThrow(
          ValidationError,
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('treats anything that is not an IP address as not public', () => {
    expect(isPublicAddress('example.com')).toBe(false);
    expect(isPublicAddress('')).toBe(false);
  });
});

describe('webhook URLs', () => {
  const strict = { allowPrivate: false };
  const lax = { allowPrivate: true };
  const refused = (url: string, policy = strict) => {
    try {
      checkWebhookUrl(url, policy);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).message;
    }
    throw new Error(`${url} was accepted`);
  };

  it('takes public http and https URLs, normalized', () => {
    expect(checkWebhookUrl('https://Hooks.Example.com/in?x=1', strict).href).toBe(
      'https://hooks.example.com/in?x=1',
    );
    expect(checkWebhookUrl('http://93.184.216.34:8080/', strict).host).toBe('93.184.216.34:8080');
  });

  it('refuses what is not an http(s) URL, or carries credentials or a fragment', () => {
    expect(refused('not a url', lax)).toMatch(/absolute URL/);
    expect(refused('/relative', lax)).toMatch(/absolute URL/);
    expect(refused('ftp://example.com/x', lax)).toMatch(/http or https/);
    expect(refused('file:///etc/passwd', lax)).toMatch(/http or https/);
    expect(refused('javascript:alert(1)', lax)).toMatch(/http or https/);
    expect(refused('https://user:pw@example.com/', lax)).toMatch(/credentials/);
    expect(refused('https://token@example.com/', lax)).toMatch(/credentials/);
    expect(refused('https://example.com/#x', lax)).toMatch(/fragment/);
    expect(refused(`https://example.com/${'a'.repeat(2100)}`, lax)).toMatch(/2048/);
  });

  it('allows private hosts only when WEBHOOK_ALLOW_PRIVATE says so, in any environment', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      const SECRETS_KEY = 'a'.repeat(64);
      expect(loadConfig({ NODE_ENV, SECRETS_KEY }).WEBHOOK_ALLOW_PRIVATE).toBe(false);
    }
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).WEBHOOK_ALLOW_PRIVATE).toBe(true);
  });

  it('refuses private, loopback and local hosts unless they are allowed', () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.0.0.5/',
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost:3000/',
      'http://LOCALHOST./',
      'http://api.localhost/',
      'http://printer.local/',
      'http://metadata.google.internal/',
      'http://redis:6379/',
    ]) {
      expect(refused(url), url).toMatch(/private|local|loopback|reserved/);
      expect(checkWebhookUrl(url, lax)).toBeInstanceOf(URL);
    }
  });
});

describe('webhook events for outbox events', () => {
  const event = (e: Pick<OutboxEvent, 'type' | 'payload'>) =>
    ({ id: 1, tenantId: 't', aggregateId: 'a', ...e }) as OutboxEvent;

  it('announces ingest, enrichment and failure', () => {
    expect(
      webhookEventsFor(event({ type: 'asset.ingested', payload: { assetId: 'a', version: 1 } })),
    ).toEqual([{ type: 'asset.created', data: { assetId: 'a', version: 1 } }]);
    expect(
      webhookEventsFor(event({ type: 'asset.enriched', payload: { assetId: 'a', version: 2 } })),
    ).toEqual([{ type: 'asset.enriched', data: { assetId: 'a', version: 2 } }]);
    expect(
      webhookEventsFor(event({ type: 'asset.failed', payload: { assetId: 'a', version: 1, error: 'boom' } })),
    ).toEqual([{ type: 'asset.failed', data: { assetId: 'a', version: 1, error: 'boom' } }]);
  });

  it("tells an editor's tag changes from other edits, and sends both for a change of both", () => {
    const updated = (fields?: string[]) =>
      webhookEventsFor(event({ type: 'asset.updated', payload: { assetId: 'a', version: 3, fields } }));
    expect(updated(['tags', 'enrichment.tags'])).toEqual([
      { type: 'tags.changed', data: { assetId: 'a', version: 3, fields: ['tags', 'enrichment.tags'] } },
    ]);
    expect(updated(['title'])).toEqual([
      { type: 'asset.updated', data: { assetId: 'a', version: 3, fields: ['title'] } },
    ]);
    expect(updated(['enrichment.topics', 'links']).map((e) => e.type)).toEqual([
      'tags.changed',
      'asset.updated',
    ]);
    // A rollback to the current state, and events from before `fields` existed, are updates.
    expect(updated([]).map((e) => e.type)).toEqual(['asset.updated']);
    expect(updated(undefined).map((e) => e.type)).toEqual(['asset.updated']);
  });

  it('announces a metadata anomaly as metadata.anomaly, with what the variability helper found', () => {
    const payload = {
      recordId: 'r2',
      target: { type: 'controller', id: 'c1' },
      kind: 'sync_result',
      field: 'itemCount',
      value: 40,
      mean: 4,
      lower: 4,
      upper: 4,
      sourceRecordId: 'r1',
    };
    expect(webhookEventsFor(event({ type: 'metadata.anomaly', payload }))).toEqual([
      { type: 'metadata.anomaly', data: payload },
    ]);
    // No entry in the asset change log: an anomaly changes no asset.
    expect(changeTypeOf({ type: 'metadata.anomaly', payload })).toBeNull();
  });

  it('announces nothing for internal events', () => {
    expect(webhookEventsFor(event({ type: 'labels.training-due', payload: { bucket: 1 } }))).toEqual([]);
    expect(
      webhookEventsFor(event({ type: 'webhook.delivery-requested', payload: { deliveryId: 'd', run: 0 } })),
    ).toEqual([]);
    expect(
      webhookEventsFor(
        event({ type: 'asset.enrichment-requested', payload: { assetId: 'a', version: 1, nonce: 'n' } }),
      ),
    ).toEqual([]);
  });

  it('writes the body as type, timestamp and data, with the event id and the asset sequence', () => {
    const body = webhookBody(
      { type: 'asset.created', data: { assetId: 'a', version: 1 } },
      new Date('2025-01-02T03:04:05.678Z'),
      { eventId: 42, sequence: 1 },
    );
    expect(body).toBe(
      '{"type":"asset.created","timestamp":"2025-01-02T03:04:05.678Z","data":{"assetId":"a","version":1,"eventId":"42","sequence":1}}',
    );
  });
});
