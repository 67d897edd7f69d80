import type { FastifyInstance } from 'fastify';

/** Object keys sorted at every level, so the committed spec only changes when the API does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** The OpenAPI document as committed in openapi/openapi.json. */
export async function openApiDocument(app: FastifyInstance): Promise<string> {
  await app.ready();
  return JSON.stringify(sortKeys(app.swagger()), null, 2) + '\n';
}
