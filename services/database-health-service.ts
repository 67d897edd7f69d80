import { isDatabaseUnavailable, type Database } from '../store/db.js';
import type { HealthRepository } from '../store/health-repository.js';

/** Whether the database is there: lets a job tell a database outage from its own failure. */
export class DatabaseHealthService {
  constructor(private readonly deps: { db: Database; health: Pick<HealthRepository, 'ping'> }) {}

  /** Whether the error means the database went away, rather than that the work was wrong. */
  isOutage(err: unknown): boolean {
    return isDatabaseUnavailable(err);
  }

  /** Whether the database answers now (an error other than an outage counts as an answer). */
  answers(): Promise<boolean> {
    return this.deps.health.ping(this.deps.db).then(
      () => true,
      (err: unknown) => !isDatabaseUnavailable(err),
    );
  }
}
