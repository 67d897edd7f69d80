import { randomUUID } from 'node:crypto';
import { describe, inject, it } from 'vitest';
import { Neo4jGraphStore } from '../../graph/neo4j-graph-store.js';
import { graphStoreContract } from './graph-store.contract.js';

const url = inject('neo4jUrl');

if (url) {
  graphStoreContract('neo4j', async () => {
    const { user, password } = inject('neo4jAuth');
    const store = Neo4jGraphStore.connect(url, user, password);
    await store.ensureSchema();
    const tenants: string[] = [];
    return {
      store,
      newTenant() {
        const id = `t${randomUUID().slice(0, 8)}`;
        tenants.push(id);
        return Promise.resolve(id);
      },
      async close() {
        for (const t of tenants) await store.deleteTenant(t);
        await store.close();
      },
    };
  });
} else {
  describe('GraphStore contract: neo4j', () => {
    it.skip('SKIPPED: no NEO4J_URL and no Docker engine for testcontainers', () => {});
  });
}
