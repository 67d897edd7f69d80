import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { describe, inject, it } from 'vitest';
import { ElasticsearchSearchIndex } from '../../search/elasticsearch-search-index.js';
import { searchIndexContract } from './search-index.contract.js';

const url = inject('elasticsearchUrl');

if (url) {
  searchIndexContract('elasticsearch', async () => {
    const client = new Client({ node: url });
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const index = new ElasticsearchSearchIndex(client, prefix);
    await index.ensureIndex();
    return {
      index,
      newTenant: () => Promise.resolve(`t${randomUUID().slice(0, 8)}`),
      async close() {
        // By name: Elasticsearch refuses wildcard deletes (action.destructive_requires_name).
        await index.deleteIndices();
        await index.close();
      },
    };
  });
} else {
  describe('SearchIndex contract: elasticsearch', () => {
    it.skip('SKIPPED: no ELASTICSEARCH_URL and no Docker engine for testcontainers', () => {});
  });
}
