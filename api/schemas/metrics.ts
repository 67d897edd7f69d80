import { z } from 'zod';
import { ASSET_TYPES } from '../../domain/asset.js';
import { dateTime } from '../../domain/ranges.js';
import { limitParam } from './common.js';
import {
  bucketCount,
  DEFAULT_RANGE_MS,
  DEFAULT_SERIES,
  defaultInterval,
  FILTERABLE_METRICS,
  GROUP_BYS,
  MAX_BUCKETS,
  MAX_SERIES,
  METRIC_GROUP_BYS_ALLOWED,
  METRIC_INTERVALS,
  METRICS,
  type MetricFilters,
  type MetricInterval,
  type MetricsAnswer,
  MAX_UNHEALTHY_CONNECTORS,
  type ConnectorHealthAnswer,
  type QueueDepthAnswer,
} from '../../services/metrics-service.js';
import { UNREPAIRED_SAMPLES } from '../../services/drift-service.js';
import type { TenantDriftRun } from '../../store/drift-repository.js';

/** A filter: repeated (?country=DE&country=AT) or comma-separated (?country=DE,AT). */
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .preprocess((value: unknown) => {
      const items: unknown = typeof value === 'string' ? value.split(',') : value;
      if (!Array.isArray(items)) return items;
      return items.map((x: unknown) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '');
    }, z.array(item).min(1).max(50))
    .optional();

const FILTERS = ['assetId', 'tag', 'topic', 'speaker', 'sourceSystem', 'type', 'device', 'country'] as const;

/** from, to and interval with their defaults, or an issue when the range is empty or too finely cut. */
function resolveWindow(
  q: { from?: string | undefined; to?: string | undefined; interval?: MetricInterval | undefined },
  ctx: z.core.$RefinementCtx,
): { from: Date; to: Date; interval: MetricInterval } | null {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
  if (from >= to) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    return null;
  }
  const interval = q.interval ?? defaultInterval(from, to);
  const buckets = bucketCount(from, to, interval);
  if (buckets > MAX_BUCKETS) {
    ctx.addIssue({
      code: 'custom',
      path: [q.interval ? 'interval' : 'from'],
      message: `from..to at interval ${interval} is ${buckets} buckets; at most ${MAX_BUCKETS} per series (limit maxBuckets): narrow the range or use a longer interval`,
    });
    return null;
  }
  return { from, to, interval };
}

const windowParams = {
  from: dateTime().optional().describe('Inclusive. Default: `to` minus 7 days.'),
  to: dateTime().optional().describe('Exclusive. Default: now.'),
  interval: z
    .enum(METRIC_INTERVALS)
    .optional()
    .describe('Bucket size. Default: minute up to 6 hours, hour up to 14 days, day beyond.'),
};

export const MetricsQuerySchema = z
  .object({
    metric: z.enum(METRICS).describe('What to measure (docs/metrics.md defines each).'),
    ...windowParams,
    groupBy: z
      .enum(GROUP_BYS)
      .optional()
      .describe('One series per value of this dimension; which a metric takes is in docs/metrics.md.'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_SERIES)
      .default(DEFAULT_SERIES)
      .describe(`With groupBy and for rankings: the series with the largest totals, at most ${MAX_SERIES}.`),
    assetId: list(z.uuid()),
    tag: list(z.string().max(200)),
    topic: list(z.string().max(200)),
    speaker: list(z.string().max(200)),
    sourceSystem: list(z.string().max(100)),
    type: list(
      z.preprocess((v: string) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(ASSET_TYPES)),
    ),
    device: list(z.string().max(100)),
    country: list(
      z
        .string()
        .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE')
        .transform((c) => c.toUpperCase()),
    ),
  })
  .transform((q, ctx) => {
    const window = resolveWindow(q, ctx);
    if (!window) return z.NEVER;
    const { from, to, interval } = window;
    const allowed = METRIC_GROUP_BYS_ALLOWED[q.metric];
    if (q.groupBy && !allowed.includes(q.groupBy)) {
      ctx.addIssue({
        code: 'custom',
        path: ['groupBy'],
        message:
          allowed.length === 0
            ? `${q.metric} takes no groupBy`
            : `${q.metric} is grouped by ${allowed.join(', ')} only`,
      });
      return z.NEVER;
    }
    const filters: MetricFilters = {};
    for (const name of FILTERS) {
      const values = q[name];
      if (!values) continue;
      if (!FILTERABLE_METRICS.has(q.metric)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${q.metric} takes no filters` });
        return z.NEVER;
      }
      filters[name] = values;
    }
    return {
      metric: q.metric,
      from,
      to,
      interval,
      ...(q.groupBy ? { groupBy: q.groupBy } : {}),
      filters,
      limit: q.limit,
    };
  });

const point = z.object({
  t: z.iso.datetime().describe("The bucket's start (UTC)."),
  value: z.number(),
});

export const MetricsSchema = z
  .object({
    metric: z.enum(METRICS),
    interval: z.enum(METRIC_INTERVALS),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    series: z
      .array(
        z.object({
          group: z
            .string()
            .nullable()
            .describe(
              'The group (asset id, country, status, p95…); null for the one series without groupBy.',
            ),
          total: z.number().describe('Over the whole range: a sum, or for a rate the rate over the range.'),
          points: z
            .array(point)
            .describe('Every bucket of the range, oldest first; 0 where nothing happened.'),
        }),
      )
      .describe('Largest total first.'),
    approximate: z
      .literal(true)
      .optional()
      .describe(
        'The values are estimates, not exact counts: unique viewers are approximate on every store (Postgres: PCSA sketches, about 4.9 % relative standard error; ClickHouse: `uniq`, under 1 %, and `uniqHLL12`, 1.63 %, for series without groups or filters and those grouped by topic, speaker, source system or type). docs/metrics.md says more.',
      ),
  })
  .meta({
    id: 'Metrics',
    examples: [
      {
        metric: 'views',
        interval: 'day',
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-03T00:00:00.000Z',
        series: [
          {
            group: 'DE',
            total: 1520,
            points: [
              { t: '2026-11-01T00:00:00.000Z', value: 700 },
              { t: '2026-11-02T00:00:00.000Z', value: 820 },
            ],
          },
        ],
      },
    ],
  });

export const metricsDto = (m: MetricsAnswer): z.output<typeof MetricsSchema> => ({
  metric: m.metric,
  interval: m.interval,
  from: m.from.toISOString(),
  to: m.to.toISOString(),
  series: m.series.map((s) => ({
    group: s.group,
    total: s.total,
    points: s.points.map((p) => ({ t: p.t.toISOString(), value: p.value })),
  })),
  ...(m.approximate ? { approximate: true as const } : {}),
});

/** GET /v1/metrics/queries: queries for curators (docs/clicks.md). */
export const CURATOR_QUERY_KINDS = ['zero-results', 'low-clicks'] as const;

export const CuratorQueriesQuerySchema = z.object({
  kind: z
    .enum(CURATOR_QUERY_KINDS)
    .describe(
      '`zero-results`: searches that found nothing, most such searches first; `low-clicks`: queries searched at least 5 times whose results were least often clicked.',
    ),
  limit: limitParam(50),
});

export const CuratorQueriesSchema = z
  .object({
    kind: z.enum(CURATOR_QUERY_KINDS),
    /** When the click learning last ran for the tenant; null: never (the list is then empty). */
    computedAt: z.iso.datetime().nullable().describe('When the lists were last recomputed; null: never.'),
    queries: z.array(
      z.object({
        query: z.string().describe('The query as most often spelled.'),
        searches: z.number().int(),
        zeroResultSearches: z.number().int(),
        clickedSearches: z.number().int().describe('Searches with at least one click on a result.'),
        people: z.number().int().describe('Distinct people (user or session tokens) who searched it.'),
      }),
    ),
  })
  .meta({ id: 'CuratorQueries' });

/** GET /v1/metrics/queue-depth: the range and interval of GET /v1/metrics, with the same limits. */
export const QueueDepthQuerySchema = z
  .object(windowParams)
  .transform((q, ctx) => resolveWindow(q, ctx) ?? z.NEVER);

export const QueueDepthSchema = z
  .object({
    interval: z.enum(METRIC_INTERVALS),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    total: z.number().int().min(0).describe('The depth at the end of the range.'),
    points: z
      .array(point)
      .describe('Every bucket of the range, oldest first: the runs not yet ended at its close.'),
  })
  .meta({
    id: 'QueueDepth',
    examples: [
      {
        interval: 'hour',
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-01T02:00:00.000Z',
        total: 3,
        points: [
          { t: '2026-11-01T00:00:00.000Z', value: 120 },
          { t: '2026-11-01T01:00:00.000Z', value: 3 },
        ],
      },
    ],
  });

export const queueDepthDto = (d: QueueDepthAnswer): z.output<typeof QueueDepthSchema> => ({
  interval: d.interval,
  from: d.from.toISOString(),
  to: d.to.toISOString(),
  total: d.total,
  points: d.points.map((p) => ({ t: p.t.toISOString(), value: p.value })),
});

const kinds = z.object({
  missing: z.number().int().min(0).describe('Assets the projection lacks.'),
  stale: z.number().int().min(0).describe('Assets it holds at another version than the canonical one.'),
  orphaned: z.number().int().min(0).describe('Assets it holds that the canonical store no longer has.'),
});

/** GET /v1/metrics/drift. */
export const DriftSchema = z
  .object({
    checkedAt: z.iso
      .datetime()
      .nullable()
      .describe('When the latest drift check that covered the tenant finished; null before the first.'),
    repaired: z.boolean().describe('Whether that check was asked to repair what it found.'),
    projections: z
      .array(kinds.extend({ projection: z.string().describe('search, graph or coViews.') }))
      .describe("The tenant's drift by projection and kind, as the check found it (before any repair)."),
    stuck: z
      .number()
      .int()
      .min(0)
      .describe('Assets stuck in QUEUED or PROCESSING past the grace period, with no job moving them on.'),
    unrepaired: z
      .number()
      .int()
      .min(0)
      .describe('Drifted assets the check was asked to repair and could not (0 when it did not repair).'),
    unrepairedAssets: z
      .array(
        z.object({
          assetId: z.uuid(),
          projections: z.array(z.string()).describe('The projections that refused it.'),
          error: z.string().describe('What they answered, cut to 500 characters.'),
        }),
      )
      .describe(`The first ${UNREPAIRED_SAMPLES} of them.`),
  })
  .meta({
    id: 'ProjectionDrift',
    examples: [
      {
        checkedAt: '2026-11-01T03:00:12.000Z',
        repaired: true,
        projections: [
          { projection: 'search', missing: 1, stale: 0, orphaned: 0 },
          { projection: 'graph', missing: 0, stale: 0, orphaned: 0 },
        ],
        stuck: 0,
        unrepaired: 1,
        unrepairedAssets: [
          {
            assetId: '0b7f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d',
            projections: ['search'],
            error: 'the search index refused the document',
          },
        ],
      },
    ],
  });

export const driftDto = (d: TenantDriftRun | null): z.output<typeof DriftSchema> => ({
  checkedAt: d ? d.finishedAt.toISOString() : null,
  repaired: d?.repaired ?? false,
  projections: Object.entries(d?.counts ?? {}).map(([projection, c]) => ({ projection, ...c })),
  stuck: d?.stuck ?? 0,
  unrepaired: d?.unrepaired ?? 0,
  unrepairedAssets: d?.unrepairedSamples ?? [],
});

/** GET /v1/metrics/connectors. */
export const ConnectorHealthSchema = z
  .object({
    healthy: z.number().int().min(0).describe('Enabled controllers whose last run succeeded.'),
    unhealthy: z.number().int().min(0).describe('Enabled controllers whose last run failed.'),
    unknown: z.number().int().min(0).describe('Enabled controllers not run yet.'),
    disabled: z.number().int().min(0).describe('Disabled controllers, whatever their last run said.'),
    unhealthyControllers: z
      .array(
        z.object({
          id: z.uuid(),
          name: z.string(),
          kind: z.string().describe('The feed kind (GET /v1/controllers/{id} has its configuration).'),
          lastError: z.string().nullable().describe('What its last run failed with.'),
          lastRunAt: z.iso.datetime().nullable(),
          lastSyncAt: z.iso
            .datetime()
            .nullable()
            .describe('Its last successful sync; null when it never had one.'),
        }),
      )
      .describe(
        `The unhealthy ones, longest failing first (never synced first), at most ${MAX_UNHEALTHY_CONNECTORS}.`,
      ),
  })
  .meta({
    id: 'ConnectorHealth',
    examples: [
      {
        healthy: 3,
        unhealthy: 1,
        unknown: 0,
        disabled: 1,
        unhealthyControllers: [
          {
            id: '6a1f0c2e-3b4d-4e5f-9a0b-1c2d3e4f5a6b',
            name: 'TED talks feed',
            kind: 'mrss',
            lastError: 'the feed is not well-formed XML',
            lastRunAt: '2026-11-01T03:00:00.000Z',
            lastSyncAt: '2026-10-31T03:00:00.000Z',
          },
        ],
      },
    ],
  });

export const connectorHealthDto = (c: ConnectorHealthAnswer): z.output<typeof ConnectorHealthSchema> => ({
  ...c.counts,
  unhealthyControllers: c.unhealthy.map((u) => ({
    id: u.id,
    name: u.name,
    kind: u.kind,
    lastError: u.lastError,
    lastRunAt: u.lastRunAt?.toISOString() ?? null,
    lastSyncAt: u.lastSyncAt?.toISOString() ?? null,
  })),
});
