import { randomUUID } from 'node:crypto';
import { beforeAll, describe, inject, it } from 'vitest';
import type { Database } from '../../store/db.js';
import { PostgresEventLog } from '../../stream/postgres-event-log.js';
import { RedisStreamEventLog } from '../../stream/redis-stream-event-log.js';
import { backendName, createTestDatabase } from '../support/database.js';
import { eventLogContract } from './event-log.contract.js';

// PGlite without DATABASE_URL, the Postgres server with it: the same adapter on both. The database
// is made before the tests, in a hook with a hook's time: made in the first test, a busy machine's
// minutes of migrations ran that test out of time, and its late writes then landed in the next.
let db: Promise<Database> | undefined;
beforeAll(async () => {
  db = createTestDatabase();
  await db;
}, 300_000);
eventLogContract(`postgres (${backendName()})`, async (options) => {
  const database = await db!;
  await database.query('DELETE FROM event_log');
  await database.query('DELETE FROM event_log_leases');
  const log = await PostgresEventLog.open(database, options);
  return { log, close: () => log.close() };
});

const redisUrl = inject('redisUrl');
if (redisUrl) {
  eventLogContract('redis streams', async (options) => {
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const log = await RedisStreamEventLog.open(redisUrl, { prefix, ...options });
    return {
      log,
      async close() {
        await log.close();
        const { Redis } = await import('ioredis');
        const redis = new Redis(redisUrl);
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      },
    };
  });
} else {
  describe('EventLog contract: redis streams', () => {
    it.skip('SKIPPED: no REDIS_URL', () => {});
  });
}
