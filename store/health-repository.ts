import type { Sql } from './database.js';

/** Whether the database answers at all. */
export const healthRepository = {
  async ping(sql: Sql): Promise<void> {
    await sql.query('SELECT 1');
  },
};

export type HealthRepository = typeof healthRepository;
