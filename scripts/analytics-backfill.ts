/**
 * Brings the analytics read paths up to date after a rolling deploy, for a range of days.
 *   npm run analytics:backfill -- --from 2026-12-01 --to 2026-12-08 [--tenant default]
 * Postgres: recomputes the rollups of migration 0040 (dimension viewer sketches, query totals) for
 * the days in [from, to) from the rollups every version writes, replacing each day; safe to run
 * twice and while the service records (docs/analytics.md, "After a rolling deploy").
 * ClickHouse (CLICKHOUSE_URL): finishes the totals tables' upgrade where a start left it (a start
 * runs it in the background), or says another process is running it; the days are not used (it covers every raw event inserted before its cutoff: docs/analytics-clickhouse.md).
 * Uses the same configuration as the service. With embedded PGlite, stop the service first.
 */
import { z } from 'zod';
import { ClickHouseAnalyticsStore } from '../analytics/clickhouse-analytics-store.js';
import { PostgresAnalyticsStore } from '../analytics/postgres-analytics-store.js';
import { loadConfig } from '../runtime/config.js';
import { analyticsStoreFor } from '../runtime/container.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { parsedArgs } from './lib/args.js';
import { runCli } from './lib/cli.js';

const USAGE = 'npm run analytics:backfill -- --from YYYY-MM-DD --to YYYY-MM-DD [--tenant TENANT]';

const Day = z.iso.date({ error: 'a day as YYYY-MM-DD' }).transform((d) => new Date(`${d}T00:00:00Z`));
const Args = z.object({ from: Day, to: Day, tenant: z.string().min(1).optional() });

runCli(async () => {
  const args = parsedArgs(Args, USAGE, {
    from: { type: 'string' },
    to: { type: 'string' },
    tenant: { type: 'string' },
  });
  const config = loadConfig();
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2 });
  try {
    await migrate(db);
    const store = analyticsStoreFor(config, db);
    try {
      if (store instanceof PostgresAnalyticsStore) {
        const { days } = await store.rebuildReadPaths(
          { from: args.from, to: args.to, ...(args.tenant ? { tenantId: args.tenant } : {}) },
          (day) => console.error(`recomputed ${day.toISOString().slice(0, 10)}`),
        );
        console.error(`recomputed the dimension viewer sketches and query totals of ${days} day(s)`);
      } else if (store instanceof ClickHouseAnalyticsStore) {
        await store.ensureSchema();
        const outcome = await store.totalsUpgrade();
        console.error(
          outcome === 'done'
            ? 'the ClickHouse totals tables are complete'
            : 'another process is upgrading the ClickHouse totals tables; run again once it is done',
        );
      }
    } finally {
      await store.close();
    }
  } finally {
    await db.close();
  }
});
