import { describe, expect, it } from 'vitest';
import type { JobContext } from '../../queue/jobs.js';
import { DatabaseHealthService } from '../../services/database-health-service.js';
import type { Database } from '../../store/db.js';
import { healthRepository } from '../../store/health-repository.js';
import { outlastingOutages } from '../../workers/handlers.js';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const ctx: JobContext = { jobId: 'j', attempt: 1, maxAttempts: 3 };
const payload = { tenantId: 't', assets: [{ assetId: 'a', version: 1 }] };

/** A database that is down for its first `downFor` probes, and the health service that probes it. */
function aDatabase(downFor: number): { db: { probes: number }; health: DatabaseHealthService } {
  const db = {
    probes: 0,
    query: () => (db.probes++ < downFor ? Promise.reject(refused()) : Promise.resolve([])),
  };
  return {
    db,
    health: new DatabaseHealthService({ db: db as unknown as Database, health: healthRepository }),
  };
}

describe('a job during a database outage', () => {
  it('waits until the database answers and runs again, in the same attempt', async () => {
    const { db, health } = aDatabase(1);
    let runs = 0;
    const handler = outlastingOutages<'project-assets'>(health, () =>
      ++runs < 2 ? Promise.reject(refused()) : Promise.resolve(),
    );
    await handler(payload, ctx);
    expect(runs).toBe(2);
    expect(db.probes).toBe(2);
  });

  it('fails the attempt at once when the refused connection was not the database', async () => {
    const { db, health } = aDatabase(0);
    let runs = 0;
    const handler = outlastingOutages<'project-assets'>(health, () => {
      runs++;
      return Promise.reject(refused());
    });
    await expect(handler(payload, ctx)).rejects.toThrow('ECONNREFUSED');
    expect(runs).toBe(1);
    expect(db.probes).toBe(1);
  });

  it('fails the attempt at once on any other error', async () => {
    const { db, health } = aDatabase(0);
    const handler = outlastingOutages<'project-assets'>(health, () => Promise.reject(new Error('bad input')));
    await expect(handler(payload, ctx)).rejects.toThrow('bad input');
    expect(db.probes).toBe(0);
  });

  it('gives up when the database stays away past the wait', async () => {
    const { health } = aDatabase(Number.POSITIVE_INFINITY);
    const handler = outlastingOutages<'project-assets'>(health, () => Promise.reject(refused()), 300);
    await expect(handler(payload, ctx)).rejects.toThrow('ECONNREFUSED');
  });
});
