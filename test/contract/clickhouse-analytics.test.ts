import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import {
  CLICKHOUSE_UNIQ_ERROR,
  ClickHouseAnalyticsStore,
} from '../../analytics/clickhouse-analytics-store.js';
import { analyticsStoreContract } from './analytics-store.contract.js';

const url = process.env.CLICKHOUSE_URL || null;

/** Whether a ClickHouse server answers at the URL (its HTTP interface says "Ok." at /ping). */
async function reachable(base: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/ping', base), { signal: AbortSignal.timeout(3_000) });
    return res.ok;
  } catch {
    return false;
  }
}

const up = url ? await reachable(url) : false;

if (url && up) {
  analyticsStoreContract('clickhouse', () => {
    // A database of its own per suite, dropped at the end.
    const store = new ClickHouseAnalyticsStore({ url, database: `test_${randomUUID().slice(0, 8)}` });
    return Promise.resolve({
      store,
      newTenant: () => Promise.resolve(`t${randomUUID().slice(0, 8)}`),
      uniqueViewersError: CLICKHOUSE_UNIQ_ERROR,
      async close() {
        await store.dropDatabase();
        await store.close();
      },
    });
  });
} else {
  const why = url ? `no ClickHouse answers at CLICKHOUSE_URL (${url})` : 'no CLICKHOUSE_URL';
  console.log(`AnalyticsStore contract: clickhouse SKIPPED (${why})`);
  describe('AnalyticsStore contract: clickhouse', () => {
    it.skip(`SKIPPED: ${why}`, () => {});
  });
}
