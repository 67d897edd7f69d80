import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../api/openapi-document.js';
import { QUERY_LIMITS, type QueryLimit } from '../../domain/query-limits.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface JsonSchema {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
}
interface Operation {
  parameters?: { in: string; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Strings attackers and fuzzers send: injections, traversal, odd unicode, sizes. */
const hostileString = fc.oneof(
  fc.constantFrom(
    "' OR '1'='1",
    "'; DROP TABLE assets; --",
    '") RETURN 1 UNION MATCH (n) DETACH DELETE n //',
    '$tenantId',
    '../../../../etc/passwd',
    '..%2f..%2fetc%2fpasswd',
    '%00',
    '\u0000',
    '\ud800',
    '\u202e\u0631\u0644',
    'Z\u0351\u0352\u0353\u0354',
    '😀'.repeat(50),
    '<script>alert(1)</script>',
    '{"$where": "1"}',
    'tag:',
    '"',
    '-',
    '*:*',
    'NaN',
    '-1',
    '1e309',
    'x'.repeat(100_000),
  ),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
);

/** A search word: one the corpus has, a made-up one (a suspected typo), or punctuation and digits. */
const queryWord = fc.oneof(
  fc.constantFrom('kelp', 'forests', 'forest', 'klep', 'the', 'and', 'kelp-forest', 'état', '2024'),
  fc.stringMatching(/^[a-z]{4,12}$/),
  fc.stringMatching(/^[a-z0-9.'_]{1,8}$/),
);

/** A search clause: mostly words, and the operators a query may have. */
const queryClause = fc.oneof(
  { weight: 6, arbitrary: queryWord },
  { weight: 1, arbitrary: queryWord.map((w) => `-${w}`) },
  { weight: 1, arbitrary: fc.tuple(queryWord, queryWord).map(([a, b]) => `"${a} ${b}"`) },
  { weight: 1, arbitrary: fc.tuple(queryWord, queryWord).map(([a, b]) => `-"${a} ${b}"`) },
  { weight: 1, arbitrary: queryWord.map((w) => `tag:${w}`) },
  { weight: 1, arbitrary: fc.constantFrom('type:video', 'status:processed', 'speaker:"Sylvia Earle"') },
);

/**
 * Queries of every size the API takes: a few words, hundreds, hundreds of operators, the same word
 * again and again.
 */
const costlyQuery = fc.oneof(
  fc.array(queryClause, { maxLength: 40 }).map((c) => c.join(' ')),
  fc.array(queryClause, { minLength: 300, maxLength: 700 }).map((c) => c.join(' ')),
  fc.array(queryWord, { minLength: 300, maxLength: 700 }).map((c) => c.join(' ')),
  fc.tuple(queryWord, fc.integer({ min: 100, max: 800 })).map(([w, n]) => `${w} `.repeat(n)),
);

/** JSON text nested far deeper than any route accepts (kept as text, so reports stay printable). */
const deepJsonText = fc
  .integer({ min: 50, max: 5_000 })
  .map((depth) => '{"a":['.repeat(depth) + '"x"' + ']}'.repeat(depth));

/** URL parts: hostile strings percent-encoded, and encodings that are themselves broken. */
const hostileUrlPart = fc.oneof(
  hostileString.map((s) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return '%ED%A0%80'; // a lone surrogate, as UTF-8 bytes no decoder accepts
    }
  }),
  fc.constantFrom('%FF%FE', '%C0%AF', '%', '%%41', '%2e%2e%2f%2e%2e%2f', '..', '.'),
);

/** A value of another JSON type than the schema asks for. */
function wrongTypeFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type ?? 'object') {
    case 'string':
      return fc.oneof(fc.integer(), fc.constant({ nested: true }), fc.constant([1, 2]));
    case 'integer':
    case 'number':
      return fc.oneof(
        hostileString.map((s) => `${s}x`),
        fc.constant({}),
        fc.constant([]),
      );
    case 'array':
      return fc.oneof(fc.constant({ not: 'a list' }), fc.integer(), fc.constant('[]'));
    case 'boolean':
      return fc.oneof(fc.constant('maybe'), fc.integer({ min: 2 }));
    default:
      return fc.oneof(fc.constant('not an object'), fc.integer(), fc.constant([]));
  }
}

describe('hostile input on every route', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let spec: Spec;
  let assetId: string;
  /**
   * The tenant's data: row counts of every tenant table and a hash of its assets. The audit trail is
   * left out: refusals and sensitive reads (exports, token lookups) are recorded there, as they should be.
   */
  const fingerprint = async () => {
    const tables = await t.container.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name <> 'action_records'
       ORDER BY table_name`,
    );
    const counts: string[] = [];
    for (const { table_name } of tables) {
      const [row] = await t.container.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE tenant_id = 'hostile'`,
      );
      counts.push(`${table_name}=${row!.n}`);
    }
    const [assets] = await t.container.db.query<{ h: string }>(
      `SELECT md5(string_agg(id::text || version || title, ',' ORDER BY id)) AS h FROM assets WHERE tenant_id = 'hostile'`,
    );
    return [...counts, `assets=${assets!.h}`].join('\n');
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.keyFor('hostile', 'ADMIN');
    ({ assetId } = await ingestNamed(t, admin, { assetId: anAssetInput({ title: 'Kelp forests' }) }));
    spec = JSON.parse(await openApiDocument(t.app)) as Spec;
  }, 60_000);
  afterAll(() => t?.close());

  const resolve = (s: JsonSchema): JsonSchema =>
    s.$ref ? resolve(spec.components.schemas[s.$ref.split('/').pop()!]!) : s;

  const operations = () =>
    Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

  /** A path with each {param} filled: a hostile string, a random uuid, or the real asset's id. */
  const pathFor = (path: string, hostile: boolean) =>
    fc
      .array(
        hostile
          ? fc.oneof(hostileUrlPart, fc.uuid())
          : fc.oneof(fc.constant(assetId), fc.uuid(), fc.constantFrom('TAG', 'SPEAKER')),
        { minLength: 5, maxLength: 5 },
      )
      .map((values) => {
        let i = 0;
        return path.replace(/\{[^}]+\}/g, () => values[i++]!);
      });

  it('answers every GET with hostile path and query values below 500, changing nothing', async () => {
    const before = await fingerprint();
    for (const { path, method, op } of operations().filter((o) => o.method === 'get')) {
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      await fc.assert(
        fc.asyncProperty(
          pathFor(path, true),
          fc.dictionary(fc.constantFrom('cursor', ...queryParams, 'x'), hostileUrlPart, { maxKeys: 3 }),
          async (url, query) => {
            const qs = Object.entries(query)
              .map(([k, v]) => `${k}=${v}`)
              .join('&');
            const res = await t.app.inject({ method: 'GET', url: qs ? `${url}?${qs}` : url, headers: admin });
            expect(res.statusCode, `${method} ${url}?${qs}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
            if (res.statusCode >= 400)
              expect(res.headers['content-type']).toContain('application/problem+json');
          },
        ),
        { numRuns: 25 },
      );
    }
    expect(await fingerprint()).toBe(before);
  });

  it('refuses every write with a malformed, mistyped or hostile body with a 4xx problem, changing nothing', async () => {
    const before = await fingerprint();
    // A route without a body is attacked through its path; one with neither (train) has nothing to refuse.
    const writes = operations().filter(
      (o) => o.method !== 'get' && (o.op.requestBody || o.path.includes('{')),
    );
    expect(writes.length).toBeGreaterThan(15);
    for (const { path, method, op } of writes) {
      const schema = op.requestBody ? resolve(op.requestBody.content['application/json']!.schema) : null;
      const props = Object.entries(schema?.properties ?? {});
      const body = fc.oneof(
        // Not an object at all, or far too deep.
        fc
          .oneof(fc.integer(), hostileString, fc.constant(null), fc.array(fc.integer()))
          .map((v) => JSON.stringify(v)),
        deepJsonText,
        // Every declared field present with the wrong type.
        (props.length > 0
          ? fc.record(Object.fromEntries(props.map(([k, s]) => [k, wrongTypeFor(resolve(s))])))
          : fc.constant([])
        ).map((v) => JSON.stringify(v)),
      );
      await fc.assert(
        fc.asyncProperty(pathFor(path, !op.requestBody), body, async (url, payload) => {
          const res = await t.app.inject({
            method: method.toUpperCase() as 'POST',
            url,
            headers: { ...admin, 'content-type': 'application/json', 'if-match': '"1"' },
            payload,
          });
          const label = `${method} ${url} ${payload.slice(0, 200)}: ${res.body.slice(0, 300)}`;
          expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, label).toBeLessThan(500);
          expect(res.headers['content-type'], label).toContain('application/problem+json');
        }),
        { numRuns: 15 },
      );
    }
    expect(await fingerprint()).toBe(before);
  });

  it('answers any search, however long or full of operators, with hits or a 400 naming the limit it passed', async () => {
    await fc.assert(
      fc.asyncProperty(
        costlyQuery,
        fc.constantFrom('query', 'plain'),
        fc.boolean(),
        fc.constantFrom('', '&blend=none'),
        async (q, syntax, costly, blend) => {
          const extras = costly ? '&facets=true&explain=true' : '';
          const url = `/v1/search?syntax=${syntax}${extras}${blend}&q=${encodeURIComponent(q)}`;
          const res = await t.app.inject({ url, headers: admin });
          const label = `${syntax} ${q.length} characters ${q.slice(0, 120)}: ${res.body.slice(0, 300)}`;
          if (res.statusCode === 200) return;
          expect(res.statusCode, label).toBe(400);
          expect(res.headers['content-type'], label).toContain('application/problem+json');
          const problem = res.json<{ detail: string; limit?: QueryLimit; maximum?: number }>();
          if (q.length > QUERY_LIMITS.maxLength) {
            // The schema says so first, in the same words as any too long field.
            expect(problem.detail, label).toContain(String(QUERY_LIMITS.maxLength));
            return;
          }
          expect(Object.keys(QUERY_LIMITS), label).toContain(problem.limit);
          expect(problem.maximum, label).toBe(QUERY_LIMITS[problem.limit!]);
          expect(problem.detail, label).toContain(`limit ${problem.limit}: ${problem.maximum}`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('answers a query of hundreds of unknown words, and refuses one past a hard limit naming it', async () => {
    const madeUp = Array.from({ length: 330 }, (_, i) => `zq${(i * 7919).toString(36)}x`);
    const search = (q: string) =>
      t.app.inject({ url: `/v1/search?facets=true&explain=true&q=${encodeURIComponent(q)}`, headers: admin });
    expect((await search(madeUp.join(' '))).statusCode).toBe(200);
    const operators = await search(
      `kelp ${madeUp
        .slice(0, QUERY_LIMITS.maxOperators + 1)
        .map((w) => `-${w}`)
        .join(' ')}`,
    );
    expect(operators.statusCode).toBe(400);
    expect(operators.json()).toMatchObject({ limit: 'maxOperators', maximum: QUERY_LIMITS.maxOperators });
    const clauses = await search('kelp '.repeat(QUERY_LIMITS.maxClauses + 1));
    expect(clauses.statusCode).toBe(400);
    expect(clauses.json()).toMatchObject({ limit: 'maxClauses', maximum: QUERY_LIMITS.maxClauses });
  });

  it('refuses NUL characters anywhere in a request with a 400, writing nothing', async () => {
    const before = await fingerprint();
    const cases: [string, string, object?][] = [
      ['GET', '/v1/suggest?q=%00'],
      ['GET', '/v1/search?q=kelp%00'],
      ['GET', '/v1/entities/TAG/a%00b/assets'],
      ['POST', '/v1/assets', { type: 'TEXT', title: 'nul \u0000 inside' }],
      ['PATCH', `/v1/assets/${assetId}/tags`, { add: [{ name: 'a\u0000' }] }],
    ];
    for (const [method, url, payload] of cases) {
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: admin,
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(400);
      expect(res.json<{ detail: string }>().detail).toMatch(/NUL/);
    }
    expect(await fingerprint()).toBe(before);
  });

  it('refuses bodies that are not JSON, and JSON that is not well formed', async () => {
    const before = await fingerprint();
    for (const payload of ['{"title": ', '\u0000', '{"a":1}}', 'title=x', '[' + '['.repeat(10_000)]) {
      for (const contentType of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/assets',
          headers: { ...admin, 'content-type': contentType },
          payload,
        });
        expect(res.statusCode, `${contentType} ${payload.slice(0, 20)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
      }
    }
    expect(await fingerprint()).toBe(before);
  });
});
