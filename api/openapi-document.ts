import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sorted(v)]),
    );
  }
  return value;
}

/**
 * Object keys sorted at every level (arrays keep their order: it is meaningful), so the document
 * does not depend on the order routes, plugins or schemas happened to register in.
 */
export const sortKeys = <T>(value: T): T => sorted(value) as T;

const SCHEMA_REF = '#/components/schemas/';

function collectRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collectRefs(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF))
        into.add(v.slice(SCHEMA_REF.length));
      else collectRefs(v, into);
    }
  }
}

/**
 * Drops the component schemas no operation reaches. The zod type provider registers every named
 * schema twice, as `X` (responses) and `XInput` (requests), and emits both whether used or not.
 */
export function withoutUnusedSchemas<T extends object>(doc: T): T {
  const { components } = doc as { components?: { schemas?: Record<string, unknown> } };
  const schemas = components?.schemas;
  if (!schemas) return doc;
  const reached = new Set<string>();
  collectRefs({ ...doc, components: { ...components, schemas: {} } }, reached);
  // Follow references between schemas until nothing new is reached.
  for (let frontier = [...reached]; frontier.length > 0;) {
    const next = new Set<string>();
    for (const name of frontier) collectRefs(schemas[name], next);
    frontier = [...next].filter((n) => !reached.has(n));
    for (const n of frontier) reached.add(n);
  }
  const used = Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
  return { ...doc, components: { ...components, schemas: used } };
}

/**
 * Puts back the examples of request schemas that transform. zod leaves `examples` out of the input
 * side of any schema with a transform (NewAsset lowercases fileHash), as an output example need
 * not be valid input; these are written as input, and the linter checks them against the schema.
 */
export function withInputExamples<T extends object>(doc: T, schemas: z.ZodType[]): T {
  const { components } = doc as { components?: { schemas?: Record<string, Record<string, unknown>> } };
  const all = { ...components?.schemas };
  for (const schema of schemas) {
    const meta = schema.meta();
    const name = `${meta?.id}Input`;
    if (!meta?.id || !meta.examples || !all[name]) throw new Error(`no input schema ${name} with examples`);
    all[name] = { ...all[name], examples: meta.examples };
  }
  return { ...doc, components: { ...components, schemas: all } };
}

/** The OpenAPI document as served at /openapi.json and committed in openapi/openapi.json. */
export async function openApiDocument(app: FastifyInstance): Promise<string> {
  await app.ready();
  return JSON.stringify(app.swagger(), null, 2) + '\n';
}
