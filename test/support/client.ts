import type { Role } from '../../domain/permissions.js';
import { createMediaClient, type MediaClient } from '../../openapi/client/src/index.js';
import { createTestApp, type TestApp } from './app.js';

export interface ClientServer {
  t: TestApp;
  baseUrl: string;
  /** The generated client with a new API key of this role in this tenant. */
  clientFor(tenantId: string, role: Role): Promise<MediaClient>;
}

/** The whole service listening on a loopback port, for suites that talk to it as a partner would. */
export async function startClientServer(): Promise<ClientServer> {
  const t = await createTestApp();
  const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    t,
    baseUrl,
    async clientFor(tenantId, role) {
      const { authorization } = await t.keyFor(tenantId, role);
      return createMediaClient({ baseUrl, apiKey: authorization.replace(/^Bearer /, '') });
    },
  };
}
