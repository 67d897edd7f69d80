import type { Database } from '../store/database.js';
import type { HealthRepository } from '../store/health-repository.js';

/** Whether the database is there: lets a job tell a database outage from its own failure. */
export class DatabaseHealthService {
  constructor(private readonly deps: { db: Database; health: HealthRepository }) {}

  /** Whether the error means the database went away, rather than that the work was wrong. */
  isOutage(err: unknown): boolean {
    return this.deps.health.isUnavailable(err);
  }

  /** Whether the database answers now (an error other than an outage counts as an answer). */
  answers(): Promise<boolean> {
    return this.deps.health.ping(this.deps.db).then(
      () => true,
      (err: unknown) => !this.deps.health.isUnavailable(err),
    );
  }
}
