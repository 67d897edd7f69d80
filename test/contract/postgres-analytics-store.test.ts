import { randomUUID } from 'node:crypto';
import { PostgresAnalyticsStore } from '../../analytics/postgres-analytics-store.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { backendName, createTestDatabase } from '../support/database.js';
import { analyticsStoreContract } from './analytics-store.contract.js';

analyticsStoreContract(`postgres (${backendName()})`, async () => {
  const db = await createTestDatabase();
  return {
    store: new PostgresAnalyticsStore(db),
    async newTenant() {
      const id = `t${randomUUID().slice(0, 8)}`;
      await tenantsRepository.ensure(db, id);
      return id;
    },
    uniqueViewersError: PostgresAnalyticsStore.uniqueViewersError,
    close: () => db.close(),
  };
});
