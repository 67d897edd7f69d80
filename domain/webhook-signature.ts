import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures as in the Standard Webhooks spec (standardwebhooks.com), so receivers can use
 * its libraries: the secret is `whsec_` + base64 key bytes, and the signature is
 * `v1,` + base64 HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${body}` under those bytes.
 */
export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
/** Receivers should refuse a timestamp further than this from their clock (replay protection). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/**
 * After a rotation, how long the replaced secret keeps signing beside the new one unless the
 * rotation says otherwise: a day for the receiver to switch; at most a week.
 */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 60 * 60;
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 60 * 60;

export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

const keyOf = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

/** The `webhook-signature` value for one message. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * The headers of one attempt: the id is the same on every attempt, timestamp and signature are not.
 * With several secrets (after a rotation, the new one and, while its grace period lasts, the one it
 * replaced) the header lists a signature by each, space-separated as the spec allows: a receiver
 * holding either secret finds its own among them.
 */
export function webhookHeaders(
  secrets: string | readonly string[],
  id: string,
  body: string,
  now: Date = new Date(),
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const keys = typeof secrets === 'string' ? [secrets] : secrets;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': keys.map((secret) => signWebhook(secret, id, timestamp, body)).join(' '),
  };
}

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/**
 * What a receiver does (docs/webhooks.md): checks that the timestamp is recent and that one of the
 * signatures matches, in constant time. Throws when either fails. Remembering ids already seen is
 * the receiver's part.
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): { id: string; timestamp: number } {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = one('webhook-id');
  const ts = one('webhook-timestamp');
  const signatures = one('webhook-signature');
  if (!id || !ts || !signatures) throw new WebhookVerificationError('missing webhook headers');
  if (!/^\d{1,12}$/.test(ts)) throw new WebhookVerificationError('invalid webhook-timestamp');
  const timestamp = Number(ts);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    throw new WebhookVerificationError('webhook-timestamp is too old or too far in the future');
  }
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body).slice(3), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { id, timestamp };
  }
  throw new WebhookVerificationError('no matching signature');
}
