import { describe, expect, it } from 'vitest';
import {
  CONTROLLER_CONFIG_SCHEMAS,
  CONTROLLER_KINDS as API_KINDS,
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

  it('sends each kind only fields its configuration schema takes, in the types it takes', () => {
    for (const kind of CONTROLLER_KINDS) {
      const schema = CONTROLLER_CONFIG_SCHEMAS[kind.kind as keyof typeof CONTROLLER_CONFIG_SCHEMAS];
      const filled = Object.fromEntries(
        kind.fields.map((f) => [
          f.name,
          f.type === 'url'
            ? 'https://feeds.example.com/a'
            : f.type === 'number'
              ? '5'
              : f.type === 'select'
                ? f.options![f.options!.length - 1]!.value
                : 'x',
        ]),
      );
      const parsed = schema.safeParse(toConfiguration(kind, filled));
      expect(parsed.error?.issues ?? [], kind.kind).toEqual([]);
      // Left as the form starts (the URL given), the optional fields are not sent: the API's defaults.
      const bare = toConfiguration(kind, { ...initialValues(kind), url: ' https://feeds.example.com/a ' });
      expect(bare).toEqual({ url: 'https://feeds.example.com/a', whenGone: 'keep' });
      expect(schema.safeParse(bare).success).toBe(true);
    }
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
