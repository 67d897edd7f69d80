import { describe, expect, it } from 'vitest';
import { compatibilityBreaches, parsePathFilter, parseSemver } from '../../domain/metadata.js';

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
});
