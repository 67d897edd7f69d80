import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { sortKeys, withInputExamples, withoutUnusedSchemas } from '../openapi-document.js';
import { AssetInput, BatchBody } from '../schemas/assets.js';

export const API_VERSION = '1.7.0';

/**
 * The CSP hashes of the <style> elements Swagger UI's scripts create (its logo carries one). Read
 * from the files served, so an upgrade that changes them keeps working: the page gets exactly those
 * inline styles and no others ('unsafe-inline' would allow any).
 */
function swaggerUiStyleHashes(): string[] {
  const preset = createRequire(import.meta.url).resolve(
    '@fastify/swagger-ui/static/swagger-ui-standalone-preset.js',
  );
  const source = readFileSync(preset, 'utf8');
  return [...source.matchAll(/createElement\("style",null,("(?:[^"\\]|\\.)*")\)/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(JSON.parse(m[1]!) as string)
        .digest('base64')}'`,
  );
}

/** Helmet's policy for the Swagger UI page, plus the hashes of its inline styles. */
const docsCsp = () =>
  [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self' https: data:",
    "frame-ancestors 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    `style-src 'self' https: ${swaggerUiStyleHashes().join(' ')}`,
    'upgrade-insecure-requests',
  ].join('; ');

/** The document's tags, in the order /docs lists them. */
const TAGS = [
  { name: 'assets', description: 'Ingest and read canonical assets' },
  { name: 'discovery', description: 'Search and related content' },
  { name: 'curation', description: "Editors' changes to assets: links between related assets" },
  {
    name: 'history',
    description: 'Asset versions, field-level diffs, rollback, and the audit trail',
  },
  { name: 'graph', description: 'Entities, paths and neighbourhoods of the asset graph' },
  { name: 'jobs', description: 'Enrichment runs, retries, dead letters and background jobs' },
  { name: 'enrichment', description: 'Taxonomy, brands, workflows and classifier training' },
  { name: 'keys', description: "The tenant's API keys" },
  { name: 'exports', description: 'Search results as files: CSV, streamed' },
  { name: 'masking', description: 'Tokens that stand for masked metadata, and resolving them' },
  {
    name: 'webhooks',
    description: 'Webhooks: asset events POSTed to your URL, signed, with a delivery log',
  },
  {
    name: 'lifecycle-rules',
    description:
      'Rules that archive and delete assets by age: their dry run, and runs on demand or on schedule',
  },
  { name: 'saved-searches', description: "The tenant's saved searches, shared by its keys" },
  {
    name: 'comments',
    description:
      'Comments and time-coded feedback on assets: threads, reactions, the review workflow, live updates',
  },
  {
    name: 'controllers',
    description: 'Ingress controllers: Media RSS, JSON Feed and REST listings synced on a schedule',
  },
  { name: 'metrics', description: 'Interaction and pipeline metrics of the tenant, as time series' },
  {
    name: 'events',
    description: "Interaction events in (playback, search, clicks), and the tenant's custom event types",
  },
  {
    name: 'metadata',
    description: "Metadata records about the service's work, their kinds' schemas, and the log to tail",
  },
  { name: 'system', description: 'Health and metadata' },
];

interface OpenApiDoc {
  tags?: { name: string }[];
  paths?: Record<string, Record<string, { tags?: string[] }>>;
}

/**
 * The document cut down to one tag: its operations, and the component schemas they reach. Swagger UI
 * parses and resolves an OpenAPI 3.1 document as a whole, on load and again on every operation
 * opened (swagger-api/swagger-ui#10748), so the page is slow in proportion to the whole document;
 * one tag at a time keeps it quick (docs/api-docs-page.md).
 */
export function documentForTag<T extends OpenApiDoc>(doc: T, tag: string): T {
  const paths: NonNullable<OpenApiDoc['paths']> = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const ops = Object.entries(item).filter(([, op]) => op.tags?.includes(tag));
    if (ops.length > 0) paths[path] = Object.fromEntries(ops);
  }
  return withoutUnusedSchemas({ ...doc, tags: (doc.tags ?? []).filter((t) => t.name === tag), paths });
}

/** The OpenAPI document, generated from the routes' zod schemas; served at /openapi.json and /docs. */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Media discovery API',
          description: 'Search media assets and find related content, with the reasons they are related.',
          version: API_VERSION,
        },
        // Relative: the API is wherever this document is served from.
        servers: [{ url: '/', description: 'The server this document is served from' }],
        // Every route needs a key unless it says otherwise (only /health does).
        security: [{ apiKey: [] }],
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer', description: 'An API key as a bearer token.' },
            jwt: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description:
                'A JWT of the configured issuer (JWT_ISSUER, JWT_JWKS_URL) whose scope holds metrics:read; accepted on the metrics routes only.',
            },
          },
        },
        tags: TAGS,
      },
      transform: jsonSchemaTransform,
      // Unused schemas dropped and keys sorted: what /openapi.json serves is byte for byte what is
      // committed, and it only changes when the API does.
      transformObject: (doc) =>
        sortKeys(
          withoutUnusedSchemas(withInputExamples(jsonSchemaTransformObject(doc), [AssetInput, BatchBody])),
        ),
    });
    // The page shows one tag's document at a time (a menu at the top switches), with the schemas
    // section hidden: each operation shows its own. The whole document stays at /openapi.json.
    const tags = TAGS.map((t) => t.name);
    const perTag = new Map<string, unknown>();
    const tagDocument = (tag: string) => {
      if (!perTag.has(tag)) perTag.set(tag, documentForTag(app.swagger() as OpenApiDoc, tag));
      return perTag.get(tag);
    };
    // The page's own CSP (the plugin's staticCSP: true lists no hashes, so the logo's inline style
    // was refused and logged).
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: docsCsp(),
      uiConfig: {
        // Relative to the page (the plugin resolves its own ./json the same way).
        urls: tags.map((name) => ({ name, url: `./tags/${name}.json` })),
        'urls.primaryName': 'assets',
        defaultModelsExpandDepth: -1,
      } as Record<string, unknown>,
    });
    app.get<{ Params: { tag: string } }>(
      '/docs/tags/:tag.json',
      { schema: { hide: true } },
      async (request, reply) => {
        if (!tags.includes(request.params.tag)) return reply.callNotFound();
        return tagDocument(request.params.tag);
      },
    );
    app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  },
  { name: 'swagger' },
);
