import { describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../analytics/analytics-store.js';
import { pickSource, seriesStatements } from '../../analytics/clickhouse/series.js';

// Which table answers a series on ClickHouse (docs/analytics-clickhouse.md, "Which table answers a
// series"): the totals tables where they hold the group, the filters and the metric.

const DAY = 86_400_000;
const from = new Date(Date.UTC(2026, 10, 1));
const q = (more: Partial<MetricQuery>): MetricQuery => ({
  tenantId: 't1',
  metric: 'views',
  from,
  to: new Date(from.getTime() + 30 * DAY),
  interval: 'day',
  filters: {},
  limit: 10,
  ...more,
});

describe('ClickHouse series source', () => {
  it('reads the per-day totals for top assets and tags and for search metrics by country or device', () => {
    for (const metric of ['views', 'uniqueViewers', 'watchTime', 'completionRate', 'errors'] as const) {
      expect(pickSource(q({ metric, groupBy: 'asset' }))).toEqual({
        kind: 'totals',
        table: 'asset_totals_daily',
      });
      expect(pickSource(q({ metric, groupBy: 'tag' }))).toEqual({
        kind: 'totals',
        table: 'tag_totals_daily',
      });
      expect(pickSource(q({ metric, filters: { assetId: ['a'] } }))).toEqual({
        kind: 'totals',
        table: 'asset_totals_daily',
      });
      for (const [groupBy, table] of [
        ['topic', 'topic_totals_daily'],
        ['speaker', 'speaker_totals_daily'],
        ['sourceSystem', 'source_totals_daily'],
        ['type', 'type_totals_daily'],
      ] as const)
        expect(pickSource(q({ metric, groupBy })), groupBy).toEqual({ kind: 'totals', table });
      expect(pickSource(q({ metric, groupBy: 'asset', filters: { type: ['video'] } }))).toEqual({
        kind: 'rollup',
        family: 'assets',
        grain: 'daily',
      });
      expect(pickSource(q({ metric, filters: { sourceSystem: ['s'] } }))).toEqual({
        kind: 'totals',
        table: 'source_totals_daily',
      });
    }
    for (const metric of ['searches', 'zeroResultSearches', 'zeroResultRate', 'clickThroughRate'] as const)
      expect(pickSource(q({ metric, groupBy: 'query' }))).toEqual({
        kind: 'totals',
        table: 'search_query_daily',
      });
    // Search counts by country stay on the context family, which holds the whole history.
    expect(pickSource(q({ metric: 'searches', groupBy: 'country' }))).toEqual({
      kind: 'rollup',
      family: 'context',
      grain: 'daily',
    });
    for (const metric of ['zeroResultSearches', 'zeroResultRate', 'clickThroughRate'] as const) {
      expect(pickSource(q({ metric, groupBy: 'country' }))).toEqual({
        kind: 'totals',
        table: 'search_context_daily',
      });
      expect(pickSource(q({ metric, filters: { device: ['tv'] } }))).toEqual({
        kind: 'totals',
        table: 'search_context_daily',
      });
    }
  });

  it('keeps to the families or the raw events where the totals lack a column or the grain', () => {
    // Hour series, and series the smaller families hold.
    expect(pickSource(q({ groupBy: 'asset', interval: 'hour' }))).toEqual({
      kind: 'rollup',
      family: 'assets',
      grain: 'hourly',
    });
    expect(pickSource(q({}))).toEqual({ kind: 'rollup', family: 'context', grain: 'daily' });
    expect(pickSource(q({ groupBy: 'country' }))).toEqual({
      kind: 'rollup',
      family: 'context',
      grain: 'daily',
    });
    expect(pickSource(q({ metric: 'searches', groupBy: 'query', interval: 'hour' }))).toEqual({
      kind: 'rollup',
      family: 'searches',
      grain: 'hourly',
    });
    // A filter the totals table does not hold.
    expect(pickSource(q({ groupBy: 'asset', filters: { tag: ['x'] } }))).toEqual({
      kind: 'rollup',
      family: 'assets',
      grain: 'daily',
    });
    expect(pickSource(q({ groupBy: 'tag', filters: { assetId: ['a'] } }))).toEqual({
      kind: 'rollup',
      family: 'assets',
      grain: 'daily',
    });
    // Click-through by rank divides two parts, neither of them in the totals.
    expect(pickSource(q({ metric: 'clickThroughRate', groupBy: 'rank' }), 'rankedClicks')).toEqual({
      kind: 'rollup',
      family: 'searches',
      grain: 'daily',
    });
    // Off the day boundary: raw.
    expect(pickSource(q({ groupBy: 'asset', to: new Date(from.getTime() + 30 * DAY + 1) }))).toEqual({
      kind: 'raw',
    });
  });

  it('groups the totals by an array element by their plain column and keeps the tenant key', () => {
    for (const [groupBy, table, array] of [
      ['tag', 'tag_totals_daily', 'tags'],
      ['topic', 'topic_totals_daily', 'topics'],
      ['speaker', 'speaker_totals_daily', 'speakers'],
    ] as const) {
      const { totals, points, top } = seriesStatements('db', q({ groupBy }));
      for (const sql of [totals, points, top]) {
        expect(sql).toContain(`FROM db.${table}`);
        expect(sql).toContain('tenant_id = {tenantId:String}');
        expect(sql).not.toContain(`arrayJoin(${array})`);
      }
    }
  });

  it('merges unique viewers with the function each totals table keeps them in', () => {
    const merged = (groupBy: MetricQuery['groupBy']) =>
      seriesStatements('db', q({ metric: 'uniqueViewers', groupBy })).metric.num;
    expect(merged('asset')).toBe('uniqMerge(viewers)');
    expect(merged('tag')).toBe('uniqMerge(viewers)');
    for (const groupBy of ['topic', 'speaker', 'sourceSystem', 'type'] as const)
      expect(merged(groupBy), groupBy).toBe('uniqHLL12Merge(viewers)');
  });

  it('reads a totals table only where its generation covers the range', () => {
    const query = q({ groupBy: 'topic' });
    const covered = (first: number | null) => (table: string) => (table === 'topic_totals_daily' ? first : 0);
    expect(pickSource(query, 'metric', undefined, covered(null))).toEqual({
      kind: 'rollup',
      family: 'assets',
      grain: 'daily',
    });
    expect(pickSource(query, 'metric', undefined, covered(from.getTime() / 1000 + DAY / 1000))).toEqual({
      kind: 'rollup',
      family: 'assets',
      grain: 'daily',
    });
    expect(pickSource(query, 'metric', undefined, covered(from.getTime() / 1000))).toEqual({
      kind: 'totals',
      table: 'topic_totals_daily',
    });
    // Another generation's coverage does not matter.
    expect(pickSource(q({ groupBy: 'tag' }), 'metric', undefined, covered(null))).toEqual({
      kind: 'totals',
      table: 'tag_totals_daily',
    });
  });
});
