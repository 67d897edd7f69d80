import { randomUUID } from 'node:crypto';
import { PostgresGraphStore } from '../../graph/postgres-graph-store.js';
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { backendName, createTestDatabase } from '../support/database.js';
import { graphStoreContract } from './graph-store.contract.js';
import { searchIndexContract } from './search-index.contract.js';

async function fixture() {
  const db = await createTestDatabase();
  return {
    db,
    async newTenant() {
      const id = `t${randomUUID().slice(0, 8)}`;
      await tenantsRepository.ensure(db, id);
      return id;
    },
    close: () => db.close(),
  };
}

searchIndexContract(`postgres (${backendName()})`, async () => {
  const fx = await fixture();
  return { ...fx, index: new PostgresSearchIndex(fx.db) };
});

graphStoreContract(`postgres (${backendName()})`, async () => {
  const fx = await fixture();
  return { ...fx, store: new PostgresGraphStore(fx.db) };
});
