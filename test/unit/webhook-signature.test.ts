import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  newWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
  WebhookVerificationError,
} from '../../domain/webhook-signature.js';

// The test vector published with the Standard Webhooks specification: matching it means receivers
// can verify our deliveries with that specification's libraries.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = (seconds: number) => new Date(seconds * 1000);

describe('webhook signatures (Standard Webhooks)', () => {
  it("reproduces the specification's test vector", () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('signs id, timestamp and body with the base64 key of the secret', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders(secret, 'delivery-1', '{"a":1}', at(1_700_000_000));
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const mac = createHmac('sha256', key).update('delivery-1.1700000000.{"a":1}').digest('base64');
    expect(headers).toEqual({
      'webhook-id': 'delivery-1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': `v1,${mac}`,
    });
  });

  it('makes a new 32-byte secret each time', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });

  describe('verification, as a receiver does it', () => {
    const headers = {
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    };
    const now = at(VECTOR.timestamp + 10);

    it('accepts a genuine message, among other signatures', () => {
      expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, { now })).toEqual({
        id: VECTOR.id,
        timestamp: VECTOR.timestamp,
      });
      const several = { ...headers, 'webhook-signature': `v1,AAAA v2,xyz ${VECTOR.signature}` };
      expect(() => verifyWebhook(VECTOR.secret, several, VECTOR.body, { now })).not.toThrow();
    });

    it('refuses a changed body, id or secret', () => {
      const refuse = (secret: string, h: Record<string, string>, body: string) =>
        expect(() => verifyWebhook(secret, h, body, { now })).toThrow(WebhookVerificationError);
      refuse(VECTOR.secret, headers, '{"test": 2432232315}');
      refuse(VECTOR.secret, { ...headers, 'webhook-id': 'msg_other' }, VECTOR.body);
      refuse(newWebhookSecret(), headers, VECTOR.body);
      refuse(VECTOR.secret, { ...headers, 'webhook-signature': 'v1,' }, VECTOR.body);
    });

    it('refuses a timestamp more than five minutes away: a replayed message', () => {
      expect(() =>
        verifyWebhook(VECTOR.secret, headers, VECTOR.body, { now: at(VECTOR.timestamp + 301) }),
      ).toThrow(/too old/);
      expect(() =>
        verifyWebhook(VECTOR.secret, headers, VECTOR.body, { now: at(VECTOR.timestamp - 301) }),
      ).toThrow(/too old/);
      expect(() =>
        verifyWebhook(VECTOR.secret, { ...headers, 'webhook-timestamp': '1e9' }, VECTOR.body, { now }),
      ).toThrow(/invalid/);
    });

    it('refuses a message without its headers', () => {
      expect(() => verifyWebhook(VECTOR.secret, {}, VECTOR.body, { now })).toThrow(/missing/);
    });
  });
});
