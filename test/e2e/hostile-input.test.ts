import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../api/openapi-document.js';
import { ValidationError } from '../../domain/errors.js';
import { QUERY_LIMITS, type QueryLimit } from '../../domain/query-limits.js';
import { INT4_MAX, MAX_SECONDS } from '../../domain/ranges.js';
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
    // Configured as a deployment with comments is: without MASK_KEY their author filter is a 503.
    t = await createTestApp({ env: { MASK_KEY: 'a-test-masking-key-of-at-least-32-chars' } });
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
    // 25 runs on every GET route: the time grows with the API (57 routes took 31 s on PGlite).
  }, 180_000);

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
    // Every write route with hostile bodies: like the GET test above, its time grows with the API.
  }, 180_000);

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

describe('values outside what the columns hold, and forged cursors', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let ids: Record<'kelp' | 'reef' | 'tide', string>;
  let hookId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.keyFor('ranges', 'ADMIN');
    ids = await ingestNamed(t, admin, {
      kelp: anAssetInput({ title: 'Kelp forests at dawn' }),
      reef: anAssetInput({ title: 'Kelp and reef fish' }),
      tide: anAssetInput({ title: 'Kelp in the tide pools' }),
    });
    const hook = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: admin,
      payload: { url: 'https://example.com/hook', events: ['asset.created'] },
    });
    hookId = hook.json<{ id: string }>().id;
  }, 60_000);
  afterAll(() => t?.close());

  const call = (method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { ...admin, 'content-type': 'application/json' },
      ...(payload === undefined
        ? {}
        : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
  const expectProblem = (res: Awaited<ReturnType<typeof call>>, status: number, label: string) => {
    expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBe(status);
    expect(res.headers['content-type'], label).toContain('application/problem+json');
  };

  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  /** ISO date-times before 1000-01-01 or after 9999-12-31 once in UTC (years 0 to 999, or pushed over by an offset). */
  const outOfRangeDate = fc.oneof(
    fc
      .record({
        year: fc.integer({ min: 0, max: 999 }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
        hour: fc.integer({ min: 0, max: 23 }),
        offset: fc.constantFrom('Z', '+14:00', '-14:00', '+00:00', '-05:30'),
      })
      .map((d) => `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}T${pad(d.hour, 2)}:00:00${d.offset}`),
    fc
      .integer({ min: 1, max: 14 * 60 })
      .chain((minutes) =>
        fc.constantFrom(
          `1000-01-01T00:00:00+${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}`,
          `9999-12-31T23:59:59.999-${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}`,
        ),
      ),
  );

  it('refuses dates outside 1000-01-01 .. 9999-12-31 UTC wherever a date comes in, with a 400 problem', async () => {
    await fc.assert(
      fc.asyncProperty(outOfRangeDate, async (date) => {
        const at = encodeURIComponent(date);
        expectProblem(
          await call('POST', '/v1/assets', { ...anAssetInput(), createdAt: date }),
          400,
          `createdAt ${date}`,
        );
        expectProblem(
          await call('POST', '/v1/assets/batch', { assets: [{ ...anAssetInput(), createdAt: date }] }),
          400,
          `batch createdAt ${date}`,
        );
        for (const url of [
          `/v1/search?q=kelp&createdFrom=${at}`,
          `/v1/search?createdTo=${at}`,
          `/v1/actions?from=${at}`,
          `/v1/actions?to=${at}`,
        ]) {
          expectProblem(await call('GET', url), 400, url);
        }
      }),
      { numRuns: 30 },
    );
    // The edges themselves are in range.
    for (const date of ['1000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '1000-01-01T00:00:00-01:00']) {
      expect((await call('GET', `/v1/search?createdFrom=${encodeURIComponent(date)}`)).statusCode).toBe(200);
    }
  });

  /** A string with an unpaired UTF-16 surrogate somewhere in it. */
  const withLoneSurrogate = fc
    .tuple(
      fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
    )
    .map(([before, unit, after]) => before + String.fromCharCode(unit) + after);
  /** A JSON body with such a string at an arbitrary place: a value or a key, at any depth. */
  const bodyWithLoneSurrogate = fc
    .tuple(
      fc.dictionary(fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 4,
      }),
      fc.array(fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }), fc.nat(3)), {
        minLength: 1,
        maxLength: 4,
      }),
      withLoneSurrogate,
      fc.boolean(),
    )
    .map(([base, path, bad, asKey]) => {
      let value: unknown = asKey ? { [bad]: 1 } : bad;
      for (const step of path.slice(1).reverse()) {
        value = typeof step === 'number' ? [...Array<null>(step).fill(null), value] : { [step]: value };
      }
      return JSON.stringify({ ...base, [String(path[0])]: value });
    })
    // Bodies with these keys are refused as unsafe JSON before anything else looks at them.
    .filter((json) => !/"(__proto__|constructor|prototype)"/.test(json));

  it('refuses a lone surrogate in any string of any JSON body with a 400 problem naming where it is', async () => {
    const spec = JSON.parse(await openApiDocument(t.app)) as Spec;
    const writes = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([method, op]) => method !== 'get' && op.requestBody)
          .map(([method]) => ({ method, path: path.replace(/\{[^}]+\}/g, ids.kelp) })),
      );
    expect(writes.length).toBeGreaterThan(10);
    for (const { method, path } of writes) {
      await fc.assert(
        fc.asyncProperty(bodyWithLoneSurrogate, async (payload) => {
          const res = await call(method.toUpperCase(), path, payload);
          expectProblem(res, 400, `${method} ${path} ${payload}`);
          expect(res.json<{ detail: string }>().detail).toMatch(/^body\b.*lone surrogate/);
        }),
        { numRuns: 10 },
      );
    }
    // The fields the issue found, each named.
    const cases: [string, string, object, string][] = [
      ['POST', '/v1/assets', { ...anAssetInput(), title: 'a\ud800b' }, 'body.title'],
      ['PATCH', `/v1/assets/${ids.kelp}/tags`, { add: [{ name: 'x\udc00' }] }, 'body.add.0.name'],
      ['PUT', `/v1/assets/${ids.kelp}/links/${ids.reef}`, { note: '\udbff!' }, 'body.note'],
    ];
    for (const [method, url, payload, field] of cases) {
      const res = await call(method, url, payload);
      expectProblem(res, 400, url);
      expect(res.json<{ detail: string }>().detail.startsWith(`${field} holds a lone surrogate`)).toBe(true);
    }
  });

  it('refuses numbers outside their column: durations, versions, 32-bit floats', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double(), fc.constantFrom('durationMin', 'durationMax'), async (x, name) => {
        const res = await call('GET', `/v1/search?q=kelp&${name}=${encodeURIComponent(String(x))}`);
        if (x >= 0 && x <= MAX_SECONDS) expect(res.statusCode, `${name}=${x}`).toBe(200);
        else expectProblem(res, 400, `${name}=${x}`);
      }),
      { numRuns: 60 },
    );
    const beyondInt4 = fc.oneof(
      fc.integer({ min: INT4_MAX + 1, max: Number.MAX_SAFE_INTEGER }),
      fc.double({ min: INT4_MAX + 1, noNaN: true }),
    );
    await fc.assert(
      fc.asyncProperty(beyondInt4, async (version) => {
        const patch = await call('PATCH', `/v1/assets/${ids.kelp}/tags`, { add: [{ name: 'x' }], version });
        expectProblem(patch, 400, `version ${version}`);
        const url = `/v1/assets/${ids.kelp}/versions/${encodeURIComponent(String(version))}`;
        expectProblem(await call('GET', url), 400, url);
      }),
      { numRuns: 30 },
    );
    // Seconds a 32-bit float cannot hold (it would underflow): refused before the projection fails on them.
    await fc.assert(
      fc.asyncProperty(fc.double({ min: Number.MIN_VALUE, max: 1e-39, noNaN: true }), async (s) => {
        const input = { ...anAssetInput(), technicalMetadata: { durationSeconds: s } };
        expectProblem(await call('POST', '/v1/assets', input), 400, `durationSeconds ${s}`);
      }),
      { numRuns: 20 },
    );
  });

  const cursorRoutes = () => [
    '/v1/assets',
    '/v1/search?q=kelp',
    '/v1/search?sort=createdAt',
    '/v1/search?sort=popularity',
    `/v1/assets/${ids.kelp}/versions`,
    `/v1/assets/${ids.kelp}/actions`,
    '/v1/actions',
    '/v1/jobs',
    `/v1/webhooks/${hookId}/deliveries`,
  ];
  const uuid = fc.uuid();
  const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e39, -100, 0, 2147483648, -1));
  /** Cursor payloads of every shape the services issue, with values of any range, and anything else. */
  const cursorPayload = fc.oneof(
    fc.record({
      t: fc.oneof(
        outOfRangeDate,
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      id: uuid,
    }),
    fc.record({ v: anyNumber }),
    fc.record({ o: anyNumber }),
    fc.record({ m: fc.constant('c'), t: outOfRangeDate, id: uuid }),
    fc.record({ m: fc.constant('p'), p: anyNumber, id: uuid }),
    fc.record({
      m: fc.constant('r'),
      s: anyNumber,
      id: uuid,
      q: fc.record({
        t: fc.array(fc.constantFrom('kelp', 'forest'), { maxLength: 3 }),
        w: fc.array(anyNumber, { maxLength: 3 }),
        df: fc.array(anyNumber, { maxLength: 3 }),
        n: anyNumber,
        avgdl: anyNumber,
      }),
    }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

  it('refuses every forged cursor on every paged route with a 400 problem', async () => {
    const mac = fc.oneof(
      fc.constant(''),
      fc.base64String({ minLength: 4, maxLength: 24 }).map((s) => `.${s}`),
    );
    for (const route of cursorRoutes()) {
      await fc.assert(
        fc.asyncProperty(cursorPayload, mac, async (payload, suffix) => {
          const sep = route.includes('?') ? '&' : '?';
          const url = `${route}${sep}cursor=${encodeURIComponent(encode(payload) + suffix)}`;
          expectProblem(await call('GET', url), 400, url);
        }),
        { numRuns: 15 },
      );
    }
  });

  it('validates what a cursor decodes to with the schemas of the query string: never past them to SQL', async () => {
    // Behind the signature, as a leaked CURSOR_SECRET would let through: the services' own checks.
    const c = t.container;
    const outcome = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
      }
    };
    await fc.assert(
      fc.asyncProperty(
        cursorPayload,
        fc.constantFrom('relevance', 'createdAt', 'popularity'),
        async (payload, sort) => {
          const cursor = encode(payload);
          // Each answers a page or refuses the cursor as invalid; any other error fails the property.
          await outcome(() => c.discovery.searchAssets('ranges', { q: 'kelp', limit: 2, cursor, sort }));
          await outcome(() => c.assets.list('ranges', { limit: 2, cursor }));
          await outcome(() => c.curation.history('ranges', ids.kelp, { limit: 2, cursor }));
          await outcome(() => c.audit.list('ranges', { limit: 2, cursor }));
          await outcome(() => c.jobs.list('ranges', { limit: 2, cursor }));
          await outcome(() => c.webhooks.deliveries('ranges', hookId, { limit: 2, cursor }));
        },
      ),
      {
        numRuns: 150,
        // Found by a run: a relevance snapshot with df > N took the log of a negative number in SQL.
        examples: [
          [
            {
              m: 'r',
              s: 1,
              id: ids.kelp,
              q: { t: ['kelp'], w: [1], df: [8577784847184766], n: 0, avgdl: 1 },
            },
            'relevance',
          ],
          [
            { m: 'r', s: 1, id: ids.kelp, q: { t: ['kelp'], w: [1.7e308], df: [1], n: 1e308, avgdl: 1 } },
            'relevance',
          ],
        ],
      },
    );
  });

  it('binds a cursor to its query: another query, or an altered cursor, gets a 400; the same query pages on', async () => {
    const first = (await call('GET', '/v1/search?q=kelp&limit=1')).json<{ nextCursor: string }>();
    expect(first.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(first.nextCursor);
    // The same query pages on, with another page size or facets.
    expect((await call('GET', `/v1/search?q=kelp&limit=1&cursor=${cursor}`)).statusCode).toBe(200);
    expect((await call('GET', `/v1/search?q=kelp&limit=2&facets=true&cursor=${cursor}`)).statusCode).toBe(
      200,
    );
    for (const other of ['q=reef', 'q=kelp&type=VIDEO', 'q=kelp&sort=createdAt', 'q=kelp&syntax=plain']) {
      expectProblem(await call('GET', `/v1/search?${other}&limit=1&cursor=${cursor}`), 400, other);
    }
    // On another route, or for another tenant.
    expectProblem(await call('GET', `/v1/assets?cursor=${cursor}`), 400, 'assets');
    const other = await t.keyFor('ranges-other', 'ADMIN');
    const res = await t.app.inject({ url: `/v1/search?q=kelp&limit=1&cursor=${cursor}`, headers: other });
    expect(res.statusCode).toBe(400);
    // Altered by one character, anywhere.
    const signed = first.nextCursor;
    for (let i = 0; i < signed.length; i += Math.ceil(signed.length / 20)) {
      const flipped = signed.slice(0, i) + (signed[i] === 'A' ? 'B' : 'A') + signed.slice(i + 1);
      expectProblem(
        await call('GET', `/v1/search?q=kelp&limit=1&cursor=${encodeURIComponent(flipped)}`),
        400,
        flipped,
      );
    }
  });

  it('lists no entities for a prefix of LIKE wildcards or punctuation only', async () => {
    const all = (await call('GET', '/v1/entities?limit=100')).json<{ items: unknown[] }>();
    expect(all.items.length).toBeGreaterThan(0);
    for (const q of ['%', '_', '%25', '\\', '%_%', '.']) {
      const res = await call('GET', `/v1/entities?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      expect(res.json<{ items: unknown[] }>().items, q).toEqual([]);
    }
  });
});
