import { describe, expect, it } from 'vitest';
import { compatibilityBreaches, parsePathFilter, parseSemver } from '../../domain/metadata.js';
import { BUILT_IN_KINDS } from '../../domain/metadata-kinds.js';

const base = {
  type: 'object',
  required: ['n'],
  properties: {
    n: { type: 'number' },
    s: { type: 'string', enum: ['a', 'b'] },
    list: { type: 'array', items: { type: 'object', properties: { x: { type: 'string' } } } },
  },
};

describe('the compatibility rule of kind schemas', () => {
  it('accepts a new optional property, a widened type and a grown enum', () => {
    const next = {
      ...base,
      properties: {
        ...base.properties,
        extra: { type: 'boolean' },
        s: { type: ['string', 'null'], enum: ['a', 'b', 'c'] },
      },
    };
    expect(compatibilityBreaches(base, next)).toEqual([]);
    // integer -> number widens.
    expect(compatibilityBreaches({ type: 'integer' }, { type: 'number' })).toEqual([]);
  });

  it('refuses a newly required field, a removed property, a narrowed type or enum, closed objects', () => {
    expect(compatibilityBreaches(base, { ...base, required: ['n', 's'] })).toEqual(['$.s: newly required']);
    const { s: _s, ...withoutS } = base.properties;
    expect(compatibilityBreaches(base, { ...base, properties: withoutS })).toEqual(['$.s: property removed']);
    expect(compatibilityBreaches({ type: 'number' }, { type: 'integer' })).toEqual([
      '$: type narrowed (no longer number)',
    ]);
    expect(compatibilityBreaches({}, { type: 'string' })).toEqual(['$: a type was added (string)']);
    expect(
      compatibilityBreaches(base, {
        ...base,
        properties: { ...base.properties, s: { type: 'string', enum: ['a'] } },
      }),
    ).toEqual(['$.s: enum narrowed (no longer "b")']);
    expect(compatibilityBreaches(base, { ...base, additionalProperties: false })).toEqual([
      '$: additionalProperties closed',
    ]);
    // Nested in array items too.
    const nested = {
      ...base,
      properties: {
        ...base.properties,
        list: { type: 'array', items: { type: 'object', properties: { x: { type: 'integer' } } } },
      },
    };
    expect(compatibilityBreaches(base, nested)).toEqual(['$.list[].x: type narrowed (no longer string)']);
  });
});

describe('payload path filters', () => {
  it('parses the whitelisted syntax and types the value', () => {
    expect(parsePathFilter('extras.window_start:gte:2026-12-01T00:00:00Z')).toEqual({
      root: 'extras',
      path: ['window_start'],
      op: 'gte',
      value: '2026-12-01T00:00:00Z',
    });
    expect(parsePathFilter('payload.a.b:lt:10')).toMatchObject({ path: ['a', 'b'], value: 10 });
    expect(parsePathFilter('payload.ok:eq:true')).toMatchObject({ value: true });
  });

  it('refuses anything outside it', () => {
    for (const bad of [
      'context.x:eq:1',
      'payload:eq:1',
      "payload.a'b:eq:1",
      'payload.a b:eq:1',
      'payload.a.b.c.d.e.f:eq:1',
      'payload.a:like:1',
      'payload.a',
    ]) {
      expect(typeof parsePathFilter(bad), bad).toBe('string');
    }
  });

  it('reads semantic versions only', () => {
    expect(parseSemver('1.2.3')).toEqual([1, 2, 3]);
    expect(parseSemver('01.2.3')).toBeNull();
    expect(parseSemver('1.2')).toBeNull();
  });

  it("keeps each built-in kind's newest schema backward compatible with its 1.0.0", () => {
    const int = { type: 'integer', minimum: 0 };
    const ms = { type: 'number', minimum: 0 };
    // The schemas as first released (docs/metadata.md before the producers' fields were added).
    const first: Record<string, object> = {
      projection_run: {
        type: 'object',
        required: ['assets', 'durationMs'],
        properties: { assets: int, removed: int, durationMs: ms, searchMs: ms, graphMs: ms },
      },
      drift_report: {
        type: 'object',
        required: ['checked'],
        properties: { checked: int, missing: int, stale: int, extra: int, stuck: int, repaired: int },
      },
      sync_result: {
        type: 'object',
        required: ['status', 'itemCount'],
        properties: {
          status: { type: 'string' },
          itemCount: int,
          ingested: int,
          failed: int,
          durationMs: ms,
        },
      },
      rebuild_result: {
        type: 'object',
        required: ['status'],
        properties: { status: { type: 'string' }, documents: int, durationMs: ms },
      },
    };
    for (const [kind, schema] of Object.entries(first)) {
      const now = BUILT_IN_KINDS.find((k) => k.kind === kind)!;
      expect(parseSemver(now.version)![1], kind).toBeGreaterThan(0);
      expect(compatibilityBreaches(schema, now.schema), kind).toEqual([]);
    }
  });
});
