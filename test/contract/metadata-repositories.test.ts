import type { MetadataRepository } from '../../domain/metadata.js';
import { RemoteMetadataRepository } from '../../openapi/client/src/index.js';
import { createTestApp } from '../support/app.js';
import { startClientServer } from '../support/client.js';
import { metadataRepositoryContract } from './metadata-repository.contract.js';

// Embedded: the service's implementation on the canonical store (PGlite, or the Postgres server
// with DATABASE_URL). A key is made per tenant only so that the tenant exists.
metadataRepositoryContract('embedded', async () => {
  const t = await createTestApp({ workers: false });
  return {
    async repoFor(tenantId) {
      await t.keyFor(tenantId, 'ADMIN');
      return t.container.metadata.forTenant(tenantId);
    },
    close: () => t.close(),
  };
});

// Remote: the generated client against the whole app on a loopback port.
metadataRepositoryContract('remote (generated client over HTTP)', async () => {
  const server = await startClientServer();
  return {
    async repoFor(tenantId): Promise<MetadataRepository> {
      return new RemoteMetadataRepository(await server.clientFor(tenantId, 'DEVELOPER'));
    },
    close: () => server.t.close(),
  };
});
