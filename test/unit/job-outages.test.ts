import { describe, expect, it } from 'vitest';
import type { Database } from '../../store/db.js';
import { outlastingOutages } from '../../workers/handlers.js';
import type { JobContext } from '../../queue/jobs.js';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const ctx: JobContext = { jobId: 'j', attempt: 1, maxAttempts: 3 };
const payload = { tenantId: 't', assetId: 'a', version: 1 };

/** A database that is down for its first `downFor` probes. */
function aDatabase(downFor: number): Database & { probes: number } {
  const db = {
    probes: 0,
    query: () => (db.probes++ < downFor ? Promise.reject(refused()) : Promise.resolve([])),
  };
  return db as unknown as Database & { probes: number };
}

describe('a job during a database outage', () => {
  it('waits until the database answers and runs again, in the same attempt', async () => {
    const db = aDatabase(1);
    let runs = 0;
    const handler = outlastingOutages<'project-asset'>(db, () =>
      ++runs < 2 ? Promise.reject(refused()) : Promise.resolve(),
    );
    await handler(payload, ctx);
    expect(runs).toBe(2);
    expect(db.probes).toBe(2);
  });

  it('fails the attempt at once when the refused connection was not the database', async () => {
    const db = aDatabase(0);
    let runs = 0;
    const handler = outlastingOutages<'project-asset'>(db, () => {
      runs++;
      return Promise.reject(refused());
    });
    await expect(handler(payload, ctx)).rejects.toThrow('ECONNREFUSED');
    expect(runs).toBe(1);
    expect(db.probes).toBe(1);
  });

  it('fails the attempt at once on any other error', async () => {
    const db = aDatabase(0);
    const handler = outlastingOutages<'project-asset'>(db, () => Promise.reject(new Error('bad input')));
    await expect(handler(payload, ctx)).rejects.toThrow('bad input');
    expect(db.probes).toBe(0);
  });

  it('gives up when the database stays away past the wait', async () => {
    const db = aDatabase(Number.POSITIVE_INFINITY);
    const handler = outlastingOutages<'project-asset'>(db, () => Promise.reject(refused()), 300);
    await expect(handler(payload, ctx)).rejects.toThrow('ECONNREFUSED');
  });
});
