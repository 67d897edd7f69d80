import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../api/openapi-document.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { embeddedIpv4Forms, notPublicIpv4 } from '../support/addresses.js';
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

/** JSON text nested far deeper than any route accepts (kept as text, so reports stay printable). */
const deepJsonText = fc
  .integer({ min: 50, max: 5_000 })
  .map((depth) => '{"a":['.repeat(depth) + '"x"' + ']}'.repeat(depth));

/** JSON text with more values than any route takes: a flat array, or an object of many members. */
const wideJsonText = fc
  .integer({ min: 500_000, max: 600_000 })
  .chain((n) => fc.constantFrom(`[${'0,'.repeat(n)}0]`, `{${'"a":0,'.repeat(n)}"b":0}`));

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
        wideJsonText,
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

  it('refuses bodies nested too deep or holding too many values with a 400 naming the limit', async () => {
    const bodies = [
      // The attack of issue 18: 5.2 million nested brackets, 10 MB, then a flat array of 5 million.
      '['.repeat(5_200_000),
      `{"assets":[${'0,'.repeat(4_999_999)}0]}`,
      `{"assets":[${'{"a":'.repeat(40)}1${'}'.repeat(40)}]}`,
    ];
    for (const payload of bodies) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/assets/batch',
        headers: { ...admin, 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
      expect(res.json<{ detail: string }>().detail).toMatch(
        /nested deeper than 32 levels|more than 500000 values/,
      );
    }
  });

  it('reads at most 1 MiB of a body on routes that take no assets, gazetteers or taxonomies', async () => {
    const big = JSON.stringify({
      url: `https://example.com/${'x'.repeat(2_000_000)}`,
      events: ['asset.created'],
    });
    const hook = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: big,
    });
    expect(hook.statusCode).toBe(413);
    // A 1.5 MB batch is read and parsed: its (deliberately) invalid type is what it is refused for.
    const batch = JSON.stringify({
      assets: [{ ...anAssetInput(), type: 'FILM', transcript: 'word '.repeat(300_000) }],
    });
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: batch,
    });
    expect(ingest.statusCode, ingest.body.slice(0, 300)).toBe(400);
    expect(ingest.json<{ detail: string }>().detail).toMatch(/type/);
  });

  it('refuses webhooks to private addresses hidden in IPv6, in every embedding, writing nothing', async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(notPublicIpv4.chain(embeddedIpv4Forms), async ([form, address]) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/webhooks',
          headers: admin,
          payload: { url: `http://[${address}]/h`, events: ['asset.created'] },
        });
        expect(res.statusCode, `${form} ${address}: ${res.body}`).toBe(400);
      }),
      { numRuns: 100 },
    );
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
