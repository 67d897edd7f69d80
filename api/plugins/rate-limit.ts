import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { ApiConfig } from '../deps.js';

/**
 * Requests per minute per API key, for the scope it is added to (after authentication, so the key
 * is known). 429 answers carry Retry-After and a problem body. With REDIS_URL the counts live in
 * Redis and hold across API processes; otherwise each process counts its own.
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
    global: true,
    hook: 'preHandler',
    skipOnError: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    ...(redis ? { redis, nameSpace: `${config.QUEUE_PREFIX}:rate:` } : {}),
    keyGenerator: (req) => `key:${req.principal.keyId}`,
    errorResponseBuilder: (_req, context) =>
      Object.assign(
        new Error(`at most ${context.max} requests per minute per API key; retry in ${context.after}`),
        {
          statusCode: 429,
        },
      ),
  });
}
