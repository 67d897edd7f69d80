import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { ApiConfig } from '../deps.js';

/**
 * Requests per minute per API key, and per client address for requests without a valid key, for
 * the scope it is added to. Added as an onRequest hook between authentication (so the key is known)
 * and authorization, so that every request counts, refused ones (401, 403, 400) included, and a key
 * over its limit gets 429 before a denial is recorded. 429 answers carry Retry-After and a problem
 * body. With REDIS_URL the counts live in Redis and hold across API processes; otherwise each
 * process counts its own.
 */
export async function addRateLimit(
  app: FastifyInstance,
  config: Pick<ApiConfig, 'REDIS_URL' | 'RATE_LIMIT_PER_MINUTE' | 'QUEUE_PREFIX'>,
): Promise<void> {
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { connectTimeout: 500, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  if (redis) {
    // An outage is logged, not thrown: counting pauses (skipOnError) and requests carry on.
    redis.on('error', (err: Error) => app.log.warn({ err }, 'rate-limit store unreachable'));
    app.addHook('onClose', async () => void (await redis.quit()));
  }
  await app.register(rateLimit, {
    global: false,
    skipOnError: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    ...(redis ? { redis, nameSpace: `${config.QUEUE_PREFIX}:rate:` } : {}),
    // Without a valid key the principal is not set: such requests count per client address.
    keyGenerator: (req) => (req.authFailure ? `ip:${req.ip}` : `key:${req.principal.keyId}`),
    errorResponseBuilder: (_req, context) =>
      Object.assign(
        new Error(
          `at most ${context.max} requests per minute per API key (or per address without one); retry in ${context.after}`,
        ),
        {
          statusCode: 429,
        },
      ),
  });
  app.addHook('onRequest', app.rateLimit());
}
