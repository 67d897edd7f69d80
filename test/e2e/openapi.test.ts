import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../api/openapi-document.js';
import { CLIENT_SCHEMA_URL, clientSchemaSource } from '../../scripts/lib/client-schema.js';
import { createTestApp, type TestApp } from '../support/app.js';

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}

describe('OpenAPI contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
  });
  afterAll(() => t.close());

  const committed = () => readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');

  it('is committed exactly as the routes generate it (run `npm run openapi` after changing a route)', async () => {
    expect(await openApiDocument(t.app)).toBe(await committed());
  });

  it('is served at /openapi.json exactly as committed', async () => {
    const served = await t.app.inject('/openapi.json');
    expect(JSON.stringify(served.json(), null, 2) + '\n').toBe(await committed());
  });

  it('generates the client types committed in openapi/client (run `npm run openapi:client`)', async () => {
    expect(await clientSchemaSource()).toBe(await readFile(CLIENT_SCHEMA_URL, 'utf8'));
  });

  it('declares security, an operationId and the problem responses on every /v1 operation', async () => {
    const spec = JSON.parse(await openApiDocument(t.app)) as {
      paths: Record<string, Record<string, Operation>>;
    };
    for (const [path, ops] of Object.entries(spec.paths).filter(([p]) => p.startsWith('/v1/'))) {
      for (const [method, op] of Object.entries(ops)) {
        // The metrics routes take a partner's JWT as well (docs/security.md).
        const security = path.startsWith('/v1/metrics') ? [{ apiKey: [] }, { jwt: [] }] : [{ apiKey: [] }];
        expect(op.security, `${method} ${path}`).toEqual(security);
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(['400', '401', '403', '429', '500']),
        );
        // What the error handler sends: application/problem+json, never plain JSON.
        for (const [status, response] of Object.entries(op.responses).filter(([s]) => Number(s) >= 400)) {
          expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual([
            'application/problem+json',
          ]);
        }
      }
    }
  });
});
