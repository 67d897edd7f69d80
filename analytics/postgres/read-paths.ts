import { ValidationError } from '../../domain/errors.js';
import { run, type Database } from '../../store/database.js';
import { SQL } from './statements.js';

const DAY_MS = 86_400_000;
/** The longest range one call recomputes: ten years of days. */
export const READ_PATHS_MAX_DAYS = 3_660;

export interface ReadPathsRange {
  /** A UTC midnight: the first day recomputed. */
  from: Date;
  /** A UTC midnight after `from`: the day after the last one. */
  to: Date;
  /** One tenant; every tenant when absent. */
  tenantId?: string;
}

/**
 * Recomputes the rollups of migration 0040 (per-dimension viewer sketches, per-query totals) for a
 * range of days from the rollups they are derived from (the asset sketches and the query rollups),
 * which every version of `record` writes: a process older than 0040 that recorded after the
 * migration left those buckets low. Each day is replaced, not added to (DELETE, then INSERT from the
 * sources), in a transaction that holds `record` off the two tables, so running it twice, beside
 * another run or while events arrive gives the same rows as `record` alone would have. The sources
 * are rollups, not raw events: they keep what erasure and retention removed from the raw table.
 */
export async function rebuildReadPaths(
  db: Database,
  range: ReadPathsRange,
  onDay?: (day: Date) => void,
): Promise<{ days: number }> {
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (from % DAY_MS !== 0 || to % DAY_MS !== 0)
    throw new ValidationError('from and to must be UTC midnights');
  if (to <= from) throw new ValidationError('to must be after from');
  if ((to - from) / DAY_MS > READ_PATHS_MAX_DAYS)
    throw new ValidationError(`at most ${READ_PATHS_MAX_DAYS} days at a time`);
  let days = 0;
  // A day per transaction: the lock holds `record` off these tables for one day's statements.
  for (let day = from; day < to; day += DAY_MS) {
    const params = { tenantId: range.tenantId ?? null, from: new Date(day), to: new Date(day + DAY_MS) };
    await db.transaction(async (tx) => {
      await run(tx, SQL.lockReadPaths, {});
      for (const st of [SQL.clearQueryTotals, SQL.fillQueryTotals, SQL.clearDimViewers, SQL.fillDimViewers])
        await run(tx, st, params);
    });
    days += 1;
    onDay?.(new Date(day));
  }
  return { days };
}
