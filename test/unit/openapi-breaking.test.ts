import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { breakingChanges } from '../../scripts/lib/openapi-breaking.js';

type Doc = Record<string, unknown>;

const json = (schema: object) => ({ content: { 'application/json': { schema } } });

/** A small released contract: an asset read, a patch with a body, and a public health check. */
function released(): Doc {
  return {
    openapi: '3.1.0',
    security: [{ apiKey: [] }],
    paths: {
      '/v1/assets/{id}': {
        get: {
          parameters: [
            { in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } },
            {
              in: 'query',
              name: 'limit',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 100 },
            },
          ],
          responses: {
            200: json({ $ref: '#/components/schemas/Asset' }),
            404: { content: { 'application/problem+json': { schema: { type: 'object' } } } },
          },
        },
        patch: {
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/Patch' }) },
          responses: { 200: json({ $ref: '#/components/schemas/Asset' }) },
        },
      },
      '/health': { get: { security: [], responses: { 200: json({ type: 'object' }) } } },
    },
    components: {
      schemas: {
        Asset: {
          type: 'object',
          additionalProperties: false,
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: ['QUEUED', 'PROCESSED'] },
            title: { type: 'string', maxLength: 1000 },
            tags: { type: 'array', items: { type: 'string' } },
            note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
            score: { type: 'number' },
            parent: { $ref: '#/components/schemas/Asset' },
          },
          required: ['id', 'status', 'title', 'tags', 'note'],
        },
        Patch: {
          type: 'object',
          additionalProperties: false,
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 1000 },
            kind: { type: 'string', enum: ['TAG', 'TOPIC'] },
            tags: { type: 'array', items: { type: 'string' }, maxItems: 100 },
          },
        },
      },
    },
  };
}

const after = (change: (doc: Doc) => void): Doc => {
  const doc = released();
  change(doc);
  return doc;
};

/** The object at a path in a fixture, to change it in place. */
function at(doc: Doc, ...path: (string | number)[]): Doc {
  let node: unknown = doc;
  for (const key of path) node = (node as Doc)[key];
  if (typeof node !== 'object' || node === null) throw new Error(`nothing at ${path.join('/')}`);
  return node as Doc;
}
const schema = (doc: Doc, name: string, ...path: string[]) => at(doc, 'components', 'schemas', name, ...path);
const getOp = (doc: Doc) => at(doc, 'paths', '/v1/assets/{id}', 'get');
const param = (doc: Doc, i: number) => at(getOp(doc), 'parameters', i);
const params = (doc: Doc) => getOp(doc).parameters as unknown[];

describe('breaking changes between OpenAPI documents', () => {
  it('finds none between a document and itself, nor in the committed release', () => {
    expect(breakingChanges(released(), released())).toEqual([]);
    const spec = JSON.parse(
      readFileSync(new URL('../../openapi/released/v1.json', import.meta.url), 'utf8'),
    ) as Doc;
    expect(breakingChanges(spec, spec)).toEqual([]);
  });

  it.each<[string, (doc: Doc) => void, string]>([
    [
      'an operation removed',
      (d) => delete at(d, 'paths', '/v1/assets/{id}').patch,
      'PATCH /v1/assets/{id}: the operation was removed',
    ],
    [
      'a public operation now needing a key',
      (d) => delete at(d, 'paths', '/health', 'get').security,
      'GET /health: security {} is no longer accepted',
    ],
    ['a parameter removed', (d) => params(d).pop(), 'query parameter limit: removed'],
    [
      'an optional parameter made required',
      (d) => (param(d, 1).required = true),
      'query parameter limit: now required',
    ],
    [
      'a new required parameter',
      (d) =>
        params(d).push({
          in: 'header',
          name: 'X-Tenant',
          required: true,
          schema: { type: 'string' },
        }),
      'new required header parameter x-tenant',
    ],
    [
      'a parameter bound tightened',
      (d) => (at(param(d, 1), 'schema').maximum = 50),
      'query parameter limit: maximum 100 → 50',
    ],
    [
      'a request property made required',
      (d) => (schema(d, 'Patch').required = ['title']),
      'property title is now required',
    ],
    [
      'a request enum value removed',
      (d) => (schema(d, 'Patch', 'properties', 'kind').enum = ['TAG']),
      '.kind: no longer accepts "TOPIC"',
    ],
    [
      'a request length limit lowered',
      (d) => (schema(d, 'Patch', 'properties', 'title').maxLength = 200),
      '.title: maxLength 1000 → 200',
    ],
    [
      'a request minimum raised',
      (d) => (schema(d, 'Patch', 'properties', 'title').minLength = 3),
      '.title: minLength 1 → 3',
    ],
    [
      'a request property dropped from a closed object',
      (d) => delete schema(d, 'Patch', 'properties').kind,
      'property kind is no longer accepted',
    ],
    [
      'a request type changed',
      (d) => (schema(d, 'Patch', 'properties', 'tags').items = { type: 'integer' }),
      '.tags[]: type "string" → "integer"',
    ],
    [
      'a request pattern added',
      (d) => (schema(d, 'Patch', 'properties', 'title').pattern = '^[A-Z]'),
      '.title: pattern none → "^[A-Z]"',
    ],
    [
      'a body required where it was optional',
      (d) => (at(d, 'paths', '/health', 'get').requestBody = { required: true, ...json({}) }),
      'GET /health: a request body is now required',
    ],
    [
      'a required response property removed',
      (d) => {
        delete schema(d, 'Asset', 'properties').title;
        schema(d, 'Asset').required = ['id', 'status', 'tags', 'note'];
      },
      'property title may be missing',
    ],
    [
      'a response property no longer required',
      (d) => (schema(d, 'Asset').required = ['id', 'status', 'tags', 'note']),
      'property title may be missing',
    ],
    [
      'a response enum value added',
      (d) => (schema(d, 'Asset', 'properties', 'status').enum = ['QUEUED', 'PROCESSED', 'FAILED']),
      '.status: may now answer "FAILED"',
    ],
    [
      'a response property made nullable',
      (d) => (schema(d, 'Asset', 'properties').score = { type: ['number', 'null'] }),
      '.score: type "number" → ["number","null"] (may now answer null)',
    ],
    [
      'a response nullable through anyOf',
      (d) => (schema(d, 'Asset', 'properties').id = { anyOf: [{ type: 'string' }, { type: 'null' }] }),
      '.id: type "string" → "null"',
    ],
    [
      'a response type widened',
      (d) => (schema(d, 'Asset', 'properties', 'tags').items = {}),
      '.tags[]: no longer constrained',
    ],
    [
      'a success status added',
      (d) => (at(getOp(d), 'responses')[202] = json({ type: 'object' })),
      'GET /v1/assets/{id}: new success response 202',
    ],
    [
      'a success status removed',
      (d) => delete at(d, 'paths', '/v1/assets/{id}', 'patch', 'responses')[200],
      'PATCH /v1/assets/{id}: response 200 removed',
    ],
    [
      'a response media type changed',
      (d) => (at(getOp(d), 'responses')[404] = json({ type: 'object' })),
      'response 404: media type application/problem+json removed',
    ],
  ])('reports %s', (_name, change, expected) => {
    const found = breakingChanges(released(), after(change));
    expect(
      found.some((line) => line.includes(expected)),
      found.join('\n'),
    ).toBe(true);
  });

  it.each<[string, (doc: Doc) => void]>([
    [
      'a new operation',
      (d) => (at(d, 'paths')['/v1/assets'] = { get: { responses: { 200: json({ type: 'object' }) } } }),
    ],
    [
      'a new optional parameter',
      (d) => params(d).push({ in: 'query', name: 'q', schema: { type: 'string' } }),
    ],
    [
      'a renamed path parameter',
      (d) => {
        param(d, 0).name = 'assetId';
        const paths = at(d, 'paths');
        paths['/v1/assets/{assetId}'] = paths['/v1/assets/{id}'];
        delete paths['/v1/assets/{id}'];
      },
    ],
    ['a new optional request property', (d) => (schema(d, 'Patch', 'properties').note = { type: 'string' })],
    [
      'a request enum value added',
      (d) => (schema(d, 'Patch', 'properties', 'kind').enum = ['TAG', 'TOPIC', 'SPEAKER']),
    ],
    ['a request limit raised', (d) => (schema(d, 'Patch', 'properties', 'tags').maxItems = 1000)],
    [
      'a request property made nullable',
      (d) =>
        (schema(d, 'Patch', 'properties').title = {
          anyOf: [{ type: 'string', minLength: 1, maxLength: 1000 }, { type: 'null' }],
        }),
    ],
    ['a new response property', (d) => (schema(d, 'Asset', 'properties').views = { type: 'integer' })],
    ['an optional response property dropped', (d) => delete schema(d, 'Asset', 'properties').score],
    [
      'a response enum value dropped',
      (d) => (schema(d, 'Asset', 'properties', 'status').enum = ['PROCESSED']),
    ],
    ['a response no longer nullable', (d) => (schema(d, 'Asset', 'properties').note = { type: 'string' })],
    [
      'a new error status',
      (d) =>
        (at(getOp(d), 'responses')[429] = {
          content: { 'application/problem+json': { schema: { type: 'object' } } },
        }),
    ],
    [
      'descriptions and examples',
      (d) => Object.assign(schema(d, 'Asset'), { description: 'An asset', examples: [{ id: 'x' }] }),
    ],
  ])('accepts %s', (_name, change) => {
    expect(breakingChanges(released(), after(change))).toEqual([]);
  });
});
