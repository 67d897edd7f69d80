import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CONTROLLER_CONFIG_SCHEMAS,
  CONTROLLER_KINDS as API_KINDS,
  directionOf,
  LOGGING_LEVELS as API_LOGGING_LEVELS,
  MAX_SYNC_INTERVAL_MINUTES as API_MAX_INTERVAL,
  WHEN_GONE as API_WHEN_GONE,
} from '../../domain/controllers.js';
import { ApiError, fieldErrors } from '../../ui/api.js';
import {
  CONTROLLER_KINDS,
  LOGGING_LEVELS,
  MAX_SYNC_INTERVAL_MINUTES,
  WHEN_GONE,
  WHEN_GONE_FIELD,
  configurationRows,
  formatInterval,
  initialValues,
  runCounts,
  toConfiguration,
} from '../../ui/controller-kinds.js';
import { relativeTime } from '../../ui/format.js';

/**
 * The Controllers pages' table of kinds says what the API takes (domain/controllers.ts): a kind
 * added there without a form here, or a field the API would refuse, fails here rather than in a
 * browser.
 */
describe("the web UI's controller kinds", () => {
  it('offers a form for every kind the API knows, and only those', () => {
    expect(CONTROLLER_KINDS.map((k) => k.kind).sort()).toEqual([...API_KINDS].sort());
  });

  it('sends each kind only fields its configuration schema takes, in the types and bounds it takes', () => {
    for (const kind of CONTROLLER_KINDS) {
      const schema = CONTROLLER_CONFIG_SCHEMAS[kind.kind as keyof typeof CONTROLLER_CONFIG_SCHEMAS];
      // Every field filled, numbers at the form's least and then its greatest value.
      for (const bound of ['min', 'max'] as const) {
        const filled = Object.fromEntries(
          kind.fields.map((f) => [
            f.name,
            f.type === 'url'
              ? 'https://feeds.example.com/a'
              : f.type === 'number'
                ? String(f[bound] ?? 5)
                : f.type === 'select'
                  ? f.options![f.options!.length - 1]!.value
                  : 'x',
          ]),
        );
        const parsed = schema.safeParse(toConfiguration(kind, filled));
        expect(parsed.error?.issues ?? [], `${kind.kind}, numbers at ${bound}`).toEqual([]);
      }
      // The form's bounds are the schema's: one past either is refused.
      for (const f of kind.fields.filter((f) => f.type === 'number')) {
        expect(f.min, `${kind.kind}.${f.name}`).toBeDefined();
        expect(f.max, `${kind.kind}.${f.name}`).toBeDefined();
        for (const wrong of [f.min! - 1, f.max! + 1]) {
          const field = schema.shape[f.name as keyof typeof schema.shape] as z.ZodType;
          expect(field.safeParse(wrong).success, `${kind.kind}.${f.name} = ${wrong}`).toBe(false);
        }
      }
    }
  });

  it('asks for what each kind requires, and leaves the rest to the API’s defaults', () => {
    for (const kind of CONTROLLER_KINDS) {
      const schema = CONTROLLER_CONFIG_SCHEMAS[kind.kind as keyof typeof CONTROLLER_CONFIG_SCHEMAS];
      const shape = schema.shape as Record<string, z.ZodType>;
      // A property is required when the schema refuses it absent (no default, not optional).
      const required = Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);
      expect(
        kind.fields.filter((f) => f.required).map((f) => f.name),
        kind.kind,
      ).toEqual(required);
      // The form asks for every property of the schema, and no other.
      expect(kind.fields.map((f) => f.name).sort(), kind.kind).toEqual(Object.keys(shape).sort());
      // Left as the form starts (the required fields given), the optional fields are not sent; a
      // select starts at its default (whenGone: keep) and is sent as such.
      const given: Record<string, string> = {};
      for (const f of kind.fields.filter((f) => f.required))
        given[f.name] = f.type === 'url' ? ' https://feeds.example.com/a ' : ' inbox ';
      const bare = toConfiguration(kind, { ...initialValues(kind), ...given });
      const expected: Record<string, string> = {};
      for (const name of required) expected[name] = given[name]!.trim();
      if ('whenGone' in shape) expected.whenGone = 'keep';
      expect(bare, kind.kind).toEqual(expected);
      expect(schema.safeParse(bare).success, kind.kind).toBe(true);
    }
  });

  it('knows each kind’s direction, and shows its runs by the counts it makes', () => {
    for (const kind of CONTROLLER_KINDS)
      expect(kind.direction, kind.kind).toBe(directionOf(kind.kind as (typeof API_KINDS)[number]));
    expect(runCounts({ kind: 'partner-push', direction: 'egress' })).toEqual(['pushed', 'failed']);
    expect(runCounts({ kind: 'sidecar-folder', direction: 'egress' })).toEqual(['written', 'failed']);
    for (const kind of ['mrss', 'json-feed', 'rest-listing', 'watched-folder']) {
      const counts = runCounts({ kind, direction: 'ingress' });
      expect(counts).toContain('new');
      expect(counts).not.toContain('pushed');
      expect(counts).not.toContain('written');
    }
    // A kind of a newer server: by its direction.
    expect(runCounts({ kind: 'future-push', direction: 'egress' })).toEqual(['pushed', 'written', 'failed']);
    expect(runCounts({ kind: 'future-feed', direction: 'ingress' })).toContain('new');
    // Only the partner push answers a secret on creation.
    expect(CONTROLLER_KINDS.filter((k) => k.secret).map((k) => k.kind)).toEqual(['partner-push']);
  });

  it('offers the logging levels, whenGone choices and interval the API takes', () => {
    expect(LOGGING_LEVELS).toEqual(API_LOGGING_LEVELS);
    expect(WHEN_GONE).toEqual(API_WHEN_GONE);
    expect(WHEN_GONE_FIELD.options!.map((o) => o.value)).toEqual([...API_WHEN_GONE]);
    expect(MAX_SYNC_INTERVAL_MINUTES).toBe(API_MAX_INTERVAL);
  });

  it('says a configuration in words, and a kind it does not know property by property', () => {
    expect(
      configurationRows({
        kind: 'mrss',
        configuration: { url: 'https://a.example/f.rss', whenGone: 'archive' },
      }),
    ).toEqual([
      ['Feed URL', 'https://a.example/f.rss'],
      ['Source system', '—'],
      ['When an item leaves the feed', 'Archive its asset'],
    ]);
    expect(
      configurationRows({
        kind: 'partner-push',
        configuration: { url: 'https://p.example/in', batchSize: 100, maxBatches: 50, attempts: 3 },
      }),
    ).toEqual([
      ['Partner endpoint URL', 'https://p.example/in'],
      ['Assets per batch', '100'],
      ['Batches sent at most per sync', '50'],
      ['Attempts per batch', '3'],
    ]);
    expect(configurationRows({ kind: 'future-kind', configuration: { path: '/in', depth: 2 } })).toEqual([
      ['path', '/in'],
      ['depth', '2'],
    ]);
  });

  it('says intervals and moments as people do', () => {
    expect(formatInterval(15)).toBe('every 15 min');
    expect(formatInterval(60)).toBe('every 1 h');
    expect(formatInterval(90)).toBe('every 1 h 30 min');
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(relativeTime('2026-12-07T11:59:58Z', now)).toBe('just now');
    expect(relativeTime('2026-12-07T11:57:00Z', now)).toMatch(/3 minutes ago/);
    expect(relativeTime('2026-12-05T12:00:00Z', now)).toMatch(/2 days ago/);
  });
});

describe('per-field problems of a refused write', () => {
  const refused = (errors?: { field: string; message: string }[]) =>
    new ApiError({
      type: 'https://example.com/problems/invalid-request',
      title: 'Bad Request',
      status: 400,
      detail: 'body.configuration.url: must be http or https',
      ...(errors ? { errors: errors.map((e) => ({ location: 'body', ...e })) } : {}),
    });

  it('puts each message by its field, the first one per field', () => {
    const error = refused([
      { field: 'configuration.url', message: 'must be http or https' },
      { field: 'configuration.url', message: 'second' },
      { field: 'name', message: 'too short' },
    ]);
    expect(fieldErrors(error, ['name', 'configuration.url'])).toEqual({
      byField: { 'configuration.url': 'must be http or https', name: 'too short' },
      rest: false,
    });
  });

  it('says when a problem has no field on the form, or the refusal names none', () => {
    expect(fieldErrors(refused([{ field: '(root)', message: 'x' }]), ['name']).rest).toBe(true);
    expect(fieldErrors(refused(), ['name'])).toEqual({ byField: {}, rest: true });
    expect(fieldErrors(null, ['name'])).toEqual({ byField: {}, rest: false });
  });
});
