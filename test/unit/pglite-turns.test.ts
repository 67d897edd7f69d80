import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inBackground, inForeground, openDatabase, type Database } from '../../store/db.js';

/**
 * PGlite runs in this thread, one statement at a time. Background work must neither starve the event
 * loop nor go before a request's statements (store/db.ts, docs/reliability.md).
 */
describe('turns on the embedded database', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(() => db.close());

  it('lets the event loop run between the statements of a background transaction', async () => {
    let done = 0;
    const tx = db.transaction(async (t) => {
      for (let i = 0; i < 200; i++) {
        await t.query('SELECT 1');
        done++;
      }
    });
    // A timer stands for a socket read: it must fire while the transaction is under way.
    const seenAt = await new Promise<number>((resolve) => setTimeout(() => resolve(done), 0));
    await tx;
    expect(done).toBe(200);
    expect(seenAt).toBeLessThan(200);
  });

  it("runs a request's statement before the background work already waiting", async () => {
    const order: string[] = [];
    const background = inBackground(() =>
      Array.from({ length: 20 }, (_, i) =>
        db.query('SELECT pg_sleep(0.002)').then(() => order.push(`background ${i}`)),
      ),
    );
    const request = inForeground(() => db.query('SELECT 1').then(() => order.push('request')));
    await Promise.all([...background, request]);
    // At most the statement that had the connection already finishes first.
    expect(order.indexOf('request')).toBeLessThanOrEqual(1);
    expect(order).toHaveLength(21);
  });

  it('gives waiting background work a turn among a stream of requests', async () => {
    const order: string[] = [];
    const requests = inForeground(() =>
      Array.from({ length: 30 }, (_, i) =>
        db.query('SELECT pg_sleep(0.001)').then(() => order.push(`request ${i}`)),
      ),
    );
    const job = inBackground(() => db.query('SELECT 1').then(() => order.push('job')));
    await Promise.all([...requests, job]);
    expect(order.indexOf('job')).toBeLessThan(29);
  });

  it('keeps transactions whole and apart under both kinds of work', async () => {
    await db.query('CREATE TEMP TABLE turns (n int)');
    const writers = Array.from({ length: 10 }, (_, i) => {
      const work = () =>
        db.transaction(async (t) => {
          const [row] = await t.query<{ c: number }>('SELECT count(*)::int AS c FROM turns');
          await t.query('INSERT INTO turns VALUES ($1)', [row!.c]);
        });
      return i % 2 === 0 ? inForeground(work) : inBackground(work);
    });
    await Promise.all(writers);
    // Serialized: each transaction saw every one before it.
    const rows = await db.query<{ n: number }>('SELECT n FROM turns ORDER BY n');
    expect(rows.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
