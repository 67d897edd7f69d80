import { describe, expect, it } from 'vitest';
import { metricsQuery, parseView, viewParams, viewWindow } from '../../ui/analytics-view.js';
import {
  categoryTable,
  fileName,
  formatValue,
  isEmpty,
  rowsCsv,
  seriesTable,
  toCsv,
  type MetricsAnswer,
} from '../../ui/chart-data.js';

const NOW = new Date('2026-12-07T10:17:00Z');

const answer = (series: MetricsAnswer['series']): MetricsAnswer => ({
  metric: 'views',
  interval: 'day',
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-03T00:00:00.000Z',
  series,
});
const points = (...values: number[]) =>
  values.map((value, i) => ({ t: new Date(Date.UTC(2026, 11, 1 + i)).toISOString(), value }));

describe('the analytics view in the URL', () => {
  it('reads what it wrote: range, interval and filters survive a round trip', () => {
    const view = {
      range: 'custom' as const,
      from: '2026-11-01',
      to: '2026-11-30',
      interval: 'day' as const,
      filters: { tag: ['news', 'sport, live'], type: ['VIDEO'] },
    };
    const params = viewParams(view);
    expect(params.toString()).toBe(
      'range=custom&from=2026-11-01&to=2026-11-30&interval=day&tag=news%2Csport%2C+live&type=VIDEO',
    );
    expect(parseView(params)).toEqual({
      ...view,
      filters: { tag: ['news', 'sport', 'live'], type: ['VIDEO'] },
    });
  });

  it('leaves the defaults out of the URL, and falls back to them on anything malformed', () => {
    expect(viewParams(parseView(new URLSearchParams())).toString()).toBe('');
    expect(parseView(new URLSearchParams('range=1y&interval=week&from=x'))).toEqual({
      range: '30d',
      interval: 'auto',
      filters: {},
    });
    // A custom range with its days the wrong way round is no custom range.
    expect(parseView(new URLSearchParams('range=custom&from=2026-12-02&to=2026-12-01')).range).toBe('30d');
    expect(parseView(new URLSearchParams('type=video&tag=a&tag=a')).filters).toEqual({
      type: ['VIDEO'],
      tag: ['a'],
    });
  });

  it('ends a preset at the next full hour and a custom range after its last day', () => {
    expect(viewWindow(parseView(new URLSearchParams('range=7d')), NOW)).toEqual({
      from: '2026-11-30T11:00:00.000Z',
      to: '2026-12-07T11:00:00.000Z',
    });
    expect(
      viewWindow(parseView(new URLSearchParams('range=custom&from=2026-11-01&to=2026-11-01')), NOW),
    ).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
    });
  });

  it('sends the filters only with the metrics that take them', () => {
    const view = parseView(new URLSearchParams('interval=hour&tag=news&sourceSystem=ted,cms'));
    expect(metricsQuery(view, NOW, 'views', { filtered: true })).toMatchObject({
      metric: 'views',
      interval: 'hour',
      tag: ['news'],
      sourceSystem: ['ted', 'cms'],
    });
    expect(metricsQuery(view, NOW, 'jobs', { groupBy: 'status' })).not.toHaveProperty('tag');
  });
});

describe('chart tables and their CSV', () => {
  it('lays series out as columns over time, and quotes what CSV must quote', () => {
    const table = seriesTable(
      answer([
        { group: 'DE', total: 3, points: points(1, 2) },
        { group: 'a "quoted", name', total: 1, points: points(0, 1) },
      ]),
      (g) => g ?? 'Views',
    );
    expect(toCsv(table)).toBe(
      'time,DE,"a ""quoted"", name"\r\n2026-12-01T00:00:00.000Z,1,0\r\n2026-12-02T00:00:00.000Z,2,1\r\n',
    );
    expect(isEmpty(table)).toBe(false);
  });

  it('is empty with no series or only zeros', () => {
    expect(isEmpty(seriesTable(answer([]), () => 'x'))).toBe(true);
    expect(isEmpty(seriesTable(answer([{ group: null, total: 0, points: points(0, 0) }]), () => 'x'))).toBe(
      true,
    );
  });

  it('orders categories by number: rank 10 after rank 2', () => {
    const table = categoryTable(
      answer([
        { group: '10', total: 0.01, points: [] },
        { group: '1', total: 0.4, points: [] },
        { group: '2', total: 0.2, points: [] },
      ]),
      'rank',
      'CTR',
    );
    expect(table.keys).toEqual(['1', '2', '10']);
    expect(table.columns[0]!.values).toEqual([0.4, 0.2, 0.01]);
    expect(rowsCsv(['q', 'n'], [['a,b', 2]])).toBe('q,n\r\n"a,b",2\r\n');
  });

  it('formats values for people and names files after the chart', () => {
    expect(formatValue(0.4567, 'ratio')).toBe('46%');
    expect(formatValue(0.012, 'ratio')).toBe('1.2%');
    expect(formatValue(3600 * 5, 'seconds')).toBe('5 h');
    expect(formatValue(12345, 'count')).toBe('12,345');
    expect(fileName('Click-through rate by rank', 'csv')).toBe('click-through-rate-by-rank.csv');
  });
});
