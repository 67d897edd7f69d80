import type { Sql } from './database.js';
import { isDatabaseUnavailable } from '../domain/errors.js';

/** Whether the database answers, and whether an error means it went away. */
export const healthRepository = {
  async ping(sql: Sql): Promise<void> {
    await sql.query('SELECT 1');
  },

  /** The error means the database went away (see isDatabaseUnavailable), not that the work was wrong. */
  isUnavailable(err: unknown): boolean {
    return isDatabaseUnavailable(err);
  },
};

export type HealthRepository = typeof healthRepository;
