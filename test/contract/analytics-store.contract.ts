import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVENT_METRICS,
  METRIC_GROUP_BYS,
  type AnalyticsStore,
  type EventMetric,
  type MetricQuery,
  type MetricResult,
} from '../../analytics/analytics-store.js';
import type { StoredEvent } from '../../domain/interaction-events.js';
import { aStoredEvent, anEventAsset } from '../support/factories.js';

export interface AnalyticsStoreFixture {
  store: AnalyticsStore;
  /** A tenant of its own for one test. */
  newTenant(): Promise<string>;
  /**
   * The adapter's documented relative standard error of `uniqueViewers` (0 when exact). Estimates
   * must fall within four of it (plus one viewer).
   */
  uniqueViewersError: number;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A fixed UTC midnight: every test places its events relative to it. */
const DAY0 = new Date(Date.UTC(2026, 10, 2));
const at = (ms: number) => new Date(DAY0.getTime() + ms);

/**
 * The behaviour every AnalyticsStore adapter must have, asserted through the port only.
 *
 * Definitions the suite holds adapters to (docs/analytics.md):
 * - views: `play` events; errors: `error` events; searches: `search` events.
 * - uniqueViewers: distinct user tokens among `play` events with consent (approximate).
 * - watchTime: seconds; per session and asset, the furthest position reported by `progress`,
 *   `pause` and `complete` events, each increase counted once in the bucket of the event that made
 *   it (going back and replaying adds nothing). An event without a session counts its position.
 * - completionRate: `complete` / `play`; zeroResultRate: searches with totalHits 0 / searches;
 *   clickThroughRate: `click` events with a clicked rank / searches (by rank: that rank's clicks
 *   over all searches). A rate is 0 where its denominator is; a total is the rate over the range.
 * - groupBy query uses the search text trimmed, lower-cased and with runs of spaces made one.
 * - Asset dimensions group by each of an event's values (an event with two tags counts in both).
 * - Series are ordered by total, largest first, then by group; a bucket is [t, t + interval).
 */
export function analyticsStoreContract(backend: string, create: () => Promise<AnalyticsStoreFixture>) {
  describe(`AnalyticsStore contract: ${backend}`, () => {
    let fx: AnalyticsStoreFixture;
    beforeAll(async () => {
      fx = await create();
      await fx.store.ensureSchema();
    });
    afterAll(() => fx.close());

    const record = async (tenantId: string, events: Partial<StoredEvent>[]) => {
      const full = events.map((e) => aStoredEvent({ tenantId, ...e }));
      for (let i = 0; i < full.length; i += 1_000) await fx.store.record(full.slice(i, i + 1_000));
      return full;
    };
    const query = (tenantId: string, metric: EventMetric, more: Partial<MetricQuery> = {}) =>
      fx.store.series({
        tenantId,
        metric,
        from: DAY0,
        to: at(3 * DAY),
        interval: 'day',
        filters: {},
        limit: 10,
        ...more,
      });
    const only = (result: MetricResult) => {
      expect(result.series).toHaveLength(1);
      return result.series[0]!;
    };
    const values = (result: MetricResult) => only(result).points.map((p) => p.value);
    const byGroup = (result: MetricResult): Record<string, number> =>
      Object.fromEntries(result.series.map((s) => [String(s.group), s.total]));

    describe('record', () => {
      it('counts an event once per tenant and id, within a batch and across calls', async () => {
        const t = await fx.newTenant();
        const [a, b] = [aStoredEvent({ tenantId: t, occurredAt: at(HOUR) }), aStoredEvent({ tenantId: t })];
        const first = await fx.store.record([a, a, b]);
        expect(first.recorded.sort()).toEqual([a.id, b.id].sort());
        expect(first.duplicates).toBe(1);
        const c = aStoredEvent({ tenantId: t, occurredAt: at(2 * HOUR) });
        const again = await fx.store.record([a, c]);
        expect(again).toEqual({ recorded: [c.id], duplicates: 1 });
        expect(await fx.store.record([])).toEqual({ recorded: [], duplicates: 0 });
        const views = await query(t, 'views', { to: at(DAY) });
        expect(only(views).total).toBe(2);

        // The same id in another tenant is another event.
        const other = await fx.newTenant();
        expect(await fx.store.record([{ ...a, tenantId: other }])).toEqual({
          recorded: [a.id],
          duplicates: 0,
        });
        expect(only(await query(t, 'views', { to: at(DAY) })).total).toBe(2);
      });

      it('answers ping while open', async () => {
        await expect(fx.store.ping()).resolves.toBeUndefined();
      });
    });

    describe('series: buckets and ranges', () => {
      it('zero-fills day buckets starting at UTC midnight; from is inclusive and to exclusive', async () => {
        const t = await fx.newTenant();
        await record(t, [
          { occurredAt: at(0) },
          { occurredAt: at(5 * HOUR) },
          { occurredAt: at(2 * DAY + 23 * HOUR + 59 * 60_000) },
          { occurredAt: at(3 * DAY) },
          { occurredAt: at(-1) },
        ]);
        const result = await query(t, 'views');
        const series = only(result);
        expect(series.group).toBeNull();
        expect(series.total).toBe(3);
        expect(series.points).toEqual([
          { t: at(0), value: 2 },
          { t: at(DAY), value: 0 },
          { t: at(2 * DAY), value: 1 },
        ]);
      });

      it('buckets by hour and by minute', async () => {
        const t = await fx.newTenant();
        await record(t, [
          { occurredAt: at(HOUR + 60_000) },
          { occurredAt: at(HOUR + 61_000) },
          { occurredAt: at(HOUR + 3 * 60_000 + 59_999) },
          { occurredAt: at(3 * HOUR) },
        ]);
        const hours = await query(t, 'views', { to: at(4 * HOUR), interval: 'hour' });
        expect(only(hours).points).toEqual([
          { t: at(0), value: 0 },
          { t: at(HOUR), value: 3 },
          { t: at(2 * HOUR), value: 0 },
          { t: at(3 * HOUR), value: 1 },
        ]);
        const minutes = await query(t, 'views', {
          from: at(HOUR),
          to: at(HOUR + 5 * 60_000),
          interval: 'minute',
        });
        expect(only(minutes).points).toEqual([
          { t: at(HOUR), value: 0 },
          { t: at(HOUR + 60_000), value: 2 },
          { t: at(HOUR + 2 * 60_000), value: 0 },
          { t: at(HOUR + 3 * 60_000), value: 1 },
          { t: at(HOUR + 4 * 60_000), value: 0 },
        ]);
      });

      it('starts at the bucket holding from and counts only what falls in the range', async () => {
        const t = await fx.newTenant();
        await record(t, [
          { occurredAt: at(HOUR + 10 * 60_000) },
          { occurredAt: at(HOUR + 40 * 60_000) },
          { occurredAt: at(2 * HOUR + 50 * 60_000) },
          { occurredAt: at(3 * HOUR + 20 * 60_000) },
        ]);
        const hours = await query(t, 'views', {
          from: at(HOUR + 30 * 60_000),
          to: at(3 * HOUR + 10 * 60_000),
          interval: 'hour',
        });
        expect(only(hours)).toEqual({
          group: null,
          total: 2,
          points: [
            { t: at(HOUR), value: 1 },
            { t: at(2 * HOUR), value: 1 },
            { t: at(3 * HOUR), value: 0 },
          ],
        });
      });

      it('answers one series of zeros for a tenant without events, and none for an empty group', async () => {
        const t = await fx.newTenant();
        expect(only(await query(t, 'views', { to: at(2 * DAY) }))).toEqual({
          group: null,
          total: 0,
          points: [
            { t: at(0), value: 0 },
            { t: at(DAY), value: 0 },
          ],
        });
        expect((await query(t, 'views', { groupBy: 'asset' })).series).toEqual([]);
      });
    });

    describe('series: metrics', () => {
      it('covers every metric the port names', () => {
        const tested: EventMetric[] = [
          'views',
          'uniqueViewers',
          'watchTime',
          'completionRate',
          'errors',
          'searches',
          'zeroResultSearches',
          'zeroResultRate',
          'clickThroughRate',
        ];
        expect([...tested].sort()).toEqual([...EVENT_METRICS].sort());
      });

      it('counts views, errors and unique viewers (with consent only)', async () => {
        const t = await fx.newTenant();
        const asset = randomUUID();
        await record(t, [
          { assetId: asset, userToken: 'u1', occurredAt: at(HOUR) },
          { assetId: asset, userToken: 'u1', occurredAt: at(2 * HOUR) },
          { assetId: asset, userToken: 'u2', occurredAt: at(DAY + HOUR) },
          { assetId: asset, userToken: 'u3', occurredAt: at(DAY + 2 * HOUR) },
          // Without consent: a view, never a viewer, even if a token slipped through.
          { assetId: asset, userToken: null, sessionToken: null, consent: false, occurredAt: at(HOUR) },
          { assetId: asset, userToken: 'u9', consent: false, occurredAt: at(DAY + HOUR) },
          { type: 'error', assetId: asset, userToken: 'u4', occurredAt: at(DAY + 3 * HOUR) },
          { type: 'error', assetId: asset, userToken: 'u4', occurredAt: at(DAY + 3 * HOUR) },
        ]);
        expect(values(await query(t, 'views'))).toEqual([3, 3, 0]);
        expect(values(await query(t, 'errors'))).toEqual([0, 2, 0]);
        const viewers = only(await query(t, 'uniqueViewers'));
        expect(viewers.points.map((p) => p.value)).toEqual([1, 2, 0]);
        expect(viewers.total).toBe(3);
        const hourly = only(await query(t, 'uniqueViewers', { to: at(DAY + 3 * HOUR), interval: 'hour' }));
        expect(hourly.total).toBe(3);
        expect(hourly.points.filter((p) => p.value > 0)).toEqual([
          { t: at(HOUR), value: 1 },
          { t: at(2 * HOUR), value: 1 },
          { t: at(DAY + HOUR), value: 1 },
          { t: at(DAY + 2 * HOUR), value: 1 },
        ]);
        const byAsset = await query(t, 'uniqueViewers', { groupBy: 'asset' });
        expect(byGroup(byAsset)).toEqual({ [asset]: 3 });
      });

      it('adds watch time per session and asset from the furthest position, across calls', async () => {
        const t = await fx.newTenant();
        const [a, b] = [randomUUID(), randomUUID()];
        const watch = (
          type: string,
          sessionToken: string | null,
          assetId: string,
          position: number,
          ms: number,
        ) => ({
          type,
          sessionToken,
          assetId,
          position,
          occurredAt: at(HOUR + ms),
        });
        await record(t, [
          { assetId: a, sessionToken: 's1', occurredAt: at(HOUR) },
          watch('progress', 's1', a, 30_000, 30_000),
          watch('pause', 's1', a, 90_000, 90_000),
          watch('seek', 's1', a, 10_000, 100_000),
        ]);
        await record(t, [
          watch('progress', 's1', a, 60_000, 150_000),
          watch('complete', 's1', a, 120_000, 210_000),
          watch('progress', 's2', a, 45_000, 45_000),
          watch('progress', 's1', b, 20_000, 30_000),
          watch('pause', null, b, 5_000, 10_000),
        ]);
        expect(only(await query(t, 'watchTime', { to: at(DAY) })).total).toBe(120 + 45 + 20 + 5);
        const perAsset = await query(t, 'watchTime', { groupBy: 'asset', to: at(DAY) });
        expect(perAsset.series.map((s) => [s.group, s.total])).toEqual([
          [a, 165],
          [b, 25],
        ]);
        // Each increase lands in the bucket of the event that made it.
        await record(t, [watch('progress', 's1', a, 180_000, HOUR + 60_000)]);
        const hours = await query(t, 'watchTime', { to: at(3 * HOUR), interval: 'hour' });
        expect(values(hours)).toEqual([0, 190, 60]);
      });

      it('computes rates over the range, not as sums of the buckets', async () => {
        const t = await fx.newTenant();
        const asset = randomUUID();
        await record(t, [
          { assetId: asset, occurredAt: at(HOUR) },
          { type: 'complete', assetId: asset, position: 600_000, occurredAt: at(2 * HOUR) },
          { assetId: asset, occurredAt: at(DAY + HOUR) },
          { assetId: asset, occurredAt: at(DAY + HOUR) },
          { assetId: asset, occurredAt: at(DAY + HOUR) },
        ]);
        const rate = only(await query(t, 'completionRate'));
        expect(rate.points.map((p) => p.value)).toEqual([1, 0, 0]);
        expect(rate.total).toBeCloseTo(0.25, 10);
      });

      it('counts searches, zero-result searches and their rate, and click-through by rank', async () => {
        const t = await fx.newTenant();
        const search = (query: string, totalHits: number, ms = HOUR) => ({
          type: 'search',
          assetId: null,
          asset: null,
          search: { query, totalHits },
          occurredAt: at(ms),
        });
        const click = (query: string, clickedRank: number) => ({
          type: 'click',
          search: { query, clickedRank },
          occurredAt: at(2 * HOUR),
        });
        await record(t, [
          search('Volcano', 0),
          search('  volcano   eruption ', 12),
          search('volcano ERUPTION', 3, DAY + HOUR),
          search('volcano', 0, DAY + HOUR),
          search('kelp', 0, DAY + 2 * HOUR),
          click('volcano eruption', 1),
          click('volcano eruption', 1),
          click('volcano eruption', 3),
          // A click without a rank is no click-through.
          { type: 'click', occurredAt: at(2 * HOUR) },
        ]);
        expect(values(await query(t, 'searches'))).toEqual([2, 3, 0]);
        expect(values(await query(t, 'zeroResultSearches'))).toEqual([1, 2, 0]);
        const zeroRate = only(await query(t, 'zeroResultRate'));
        expect(zeroRate.points.map((p) => p.value)).toEqual(
          [0.5, 2 / 3, 0].map((v) => expect.closeTo(v, 10) as unknown),
        );
        expect(zeroRate.total).toBeCloseTo(3 / 5, 10);
        const ctr = only(await query(t, 'clickThroughRate'));
        expect(ctr.total).toBeCloseTo(3 / 5, 10);
        expect(ctr.points.map((p) => p.value)).toEqual(
          [1.5, 0, 0].map((v) => expect.closeTo(v, 10) as unknown),
        );

        const zeroQueries = await query(t, 'zeroResultSearches', { groupBy: 'query' });
        expect(zeroQueries.series.map((s) => [s.group, s.total])).toEqual([
          ['volcano', 2],
          ['kelp', 1],
        ]);
        expect(zeroQueries.series[0]!.points.map((p) => p.value)).toEqual([1, 1, 0]);
        const topQueries = await query(t, 'searches', { groupBy: 'query', limit: 2 });
        expect(topQueries.series.map((s) => [s.group, s.total])).toEqual([
          ['volcano', 2],
          ['volcano eruption', 2],
        ]);
        const byRank = await query(t, 'clickThroughRate', { groupBy: 'rank' });
        expect(byRank.series.map((s) => s.group)).toEqual(['1', '3']);
        expect(byRank.series.map((s) => s.total)).toEqual(
          [2 / 5, 1 / 5].map((v) => expect.closeTo(v, 10) as unknown),
        );
        const ctrByQuery = await query(t, 'clickThroughRate', { groupBy: 'query' });
        expect(byGroup(ctrByQuery)['volcano eruption']).toBeCloseTo(3 / 2, 10);
      });
    });

    describe('series: groups, filters and limits', () => {
      const red = anEventAsset({
        type: 'VIDEO',
        sourceSystem: 'archive',
        tags: ['red', 'warm'],
        topics: ['Art'],
        speakers: ['Ada'],
      });
      const blue = anEventAsset({
        type: 'AUDIO',
        sourceSystem: 'radio',
        tags: ['blue'],
        topics: ['Art', 'Sea'],
        speakers: [],
      });
      const plays = (assetId: string, asset: typeof red, n: number, context: StoredEvent['context']) =>
        Array.from({ length: n }, (_, i) => ({ assetId, asset, context, occurredAt: at(i * HOUR) }));

      it('groups by every dimension the port names, each event in each of its values', async () => {
        const t = await fx.newTenant();
        const [r, b] = [randomUUID(), randomUUID()];
        await record(t, [
          ...plays(r, red, 3, { device: 'mobile', country: 'DE' }),
          ...plays(b, blue, 2, { device: 'tv', country: 'FR' }),
          ...plays(b, blue, 1, { device: 'mobile' }),
          {
            type: 'search',
            assetId: null,
            asset: null,
            search: { query: 'art', totalHits: 4 },
            occurredAt: at(HOUR),
          },
          {
            type: 'click',
            assetId: b,
            asset: blue,
            search: { query: 'art', clickedRank: 2 },
            occurredAt: at(HOUR),
          },
        ]);
        const expected: Record<(typeof METRIC_GROUP_BYS)[number], [EventMetric, Record<string, number>]> = {
          asset: ['views', { [r]: 3, [b]: 3 }],
          tag: ['views', { red: 3, warm: 3, blue: 3 }],
          topic: ['views', { Art: 6, Sea: 3 }],
          speaker: ['views', { Ada: 3 }],
          sourceSystem: ['views', { archive: 3, radio: 3 }],
          type: ['views', { VIDEO: 3, AUDIO: 3 }],
          device: ['views', { mobile: 4, tv: 2 }],
          country: ['views', { DE: 3, FR: 2 }],
          query: ['searches', { art: 1 }],
          rank: ['clickThroughRate', { '2': 1 }],
        };
        for (const groupBy of METRIC_GROUP_BYS) {
          const [metric, totals] = expected[groupBy];
          const result = await query(t, metric, { groupBy });
          expect(byGroup(result), groupBy).toEqual(totals);
          for (const s of result.series) expect(s.points, groupBy).toHaveLength(3);
        }
        // Ordered by total, then by group.
        const topics = await query(t, 'views', { groupBy: 'topic' });
        expect(topics.series.map((s) => s.group)).toEqual(['Art', 'Sea']);
        expect(topics.series[0]!.points.map((p) => p.value)).toEqual([6, 0, 0]);
      });

      it('answers every metric by each asset dimension and the search metrics by query', async () => {
        const t = await fx.newTenant();
        const [r, b] = [randomUUID(), randomUUID()];
        await record(t, [
          ...['u1', 'u2', 'u1'].map((u, i) => ({
            assetId: r,
            asset: red,
            userToken: u,
            occurredAt: at(i * HOUR),
          })),
          ...['u1', 'u3'].map((u) => ({ assetId: b, asset: blue, userToken: u, occurredAt: at(DAY) })),
          { type: 'complete', assetId: r, asset: red, userToken: 'u1', occurredAt: at(3 * HOUR) },
          { type: 'error', assetId: b, asset: blue, userToken: 'u3', occurredAt: at(DAY + HOUR) },
          ...[4, 0, 2].map((totalHits, i) => ({
            type: 'search',
            assetId: null,
            asset: null,
            search: { query: i < 2 ? 'Art' : 'sea', totalHits },
            occurredAt: at(2 * DAY + i * HOUR),
          })),
        ]);
        const grouped = async (metric: EventMetric, groupBy: MetricQuery['groupBy']) =>
          byGroup(await query(t, metric, { groupBy }));
        expect(await grouped('uniqueViewers', 'topic')).toEqual({ Art: 3, Sea: 2 });
        expect(await grouped('uniqueViewers', 'speaker')).toEqual({ Ada: 2 });
        expect(await grouped('uniqueViewers', 'type')).toEqual({ VIDEO: 2, AUDIO: 2 });
        expect(await grouped('completionRate', 'sourceSystem')).toEqual({ archive: 1 / 3, radio: 0 });
        expect(await grouped('completionRate', 'topic')).toEqual({ Art: 1 / 5, Sea: 0 });
        expect(await grouped('errors', 'type')).toEqual({ AUDIO: 1 });
        expect(await grouped('errors', 'speaker')).toEqual({});
        expect(await grouped('views', 'sourceSystem')).toEqual({ archive: 3, radio: 2 });
        expect(await grouped('searches', 'query')).toEqual({ art: 2, sea: 1 });
        expect(await grouped('zeroResultSearches', 'query')).toEqual({ art: 1 });
        expect(await grouped('zeroResultRate', 'query')).toEqual({ art: 0.5, sea: 0 });
        // Filtered by source system or type, without a group.
        expect(only(await query(t, 'views', { filters: { sourceSystem: ['radio'] } })).total).toBe(2);
        expect(only(await query(t, 'uniqueViewers', { filters: { type: ['VIDEO'] } })).total).toBe(2);
      });

      it('filters: values within a filter are alternatives, filters combine with AND', async () => {
        const t = await fx.newTenant();
        const [r, b] = [randomUUID(), randomUUID()];
        await record(t, [
          ...plays(r, red, 3, { device: 'mobile', country: 'DE' }),
          ...plays(b, blue, 2, { device: 'tv', country: 'FR' }),
          ...plays(b, blue, 1, { device: 'mobile', country: 'FR' }),
        ]);
        const total = async (filters: MetricQuery['filters'], groupBy?: MetricQuery['groupBy']) => {
          const result = await query(t, 'views', { filters, ...(groupBy ? { groupBy } : {}) });
          return groupBy ? byGroup(result) : only(result).total;
        };
        expect(await total({ assetId: [r] })).toBe(3);
        expect(await total({ assetId: [r, b] })).toBe(6);
        expect(await total({ tag: ['warm'] })).toBe(3);
        expect(await total({ tag: ['warm', 'blue'] })).toBe(6);
        expect(await total({ topic: ['Sea'] })).toBe(3);
        expect(await total({ speaker: ['Ada'] })).toBe(3);
        expect(await total({ sourceSystem: ['radio'] })).toBe(3);
        expect(await total({ type: ['AUDIO'] })).toBe(3);
        expect(await total({ device: ['mobile'] })).toBe(4);
        expect(await total({ country: ['FR'] })).toBe(3);
        expect(await total({ country: ['FR'], device: ['mobile'] })).toBe(1);
        expect(await total({ type: ['AUDIO'], device: ['tv'] })).toBe(2);
        expect(await total({ tag: ['nothing'] })).toBe(0);
        expect(await total({ device: ['mobile'] }, 'asset')).toEqual({ [r]: 3, [b]: 1 });
        expect(await total({ topic: ['Art'] }, 'country')).toEqual({ DE: 3, FR: 3 });
        expect(await total({ type: ['VIDEO'] }, 'tag')).toEqual({ red: 3, warm: 3 });
      });

      it('keeps the groups with the largest totals, at most limit of them', async () => {
        const t = await fx.newTenant();
        const assets = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
        await record(t, [
          ...plays(assets[0]!, red, 1, {}),
          ...plays(assets[1]!, red, 5, {}),
          ...plays(assets[2]!, red, 3, {}),
          ...plays(assets[3]!, red, 4, {}),
        ]);
        const top = await query(t, 'views', { groupBy: 'asset', limit: 3 });
        expect(top.series.map((s) => [s.group, s.total])).toEqual([
          [assets[1], 5],
          [assets[3], 4],
          [assets[2], 3],
        ]);
        expect((await query(t, 'views', { groupBy: 'asset', limit: 1 })).series.map((s) => s.group)).toEqual([
          assets[1],
        ]);
      });
    });

    describe('tenants', () => {
      it("never shows one tenant another's events, nor erases or expires them", async () => {
        const [t1, t2] = [await fx.newTenant(), await fx.newTenant()];
        const shared = { assetId: randomUUID(), userToken: 'same-person', context: { country: 'DE' } };
        const mine = await record(t1, [{ ...shared, occurredAt: at(HOUR) }]);
        await record(t2, [
          { ...mine[0]!, tenantId: t2 },
          { ...shared, occurredAt: at(HOUR) },
          { ...shared, type: 'search', search: { query: 'secret', totalHits: 0 }, occurredAt: at(HOUR) },
        ]);
        expect(only(await query(t1, 'views')).total).toBe(1);
        expect(only(await query(t1, 'views', { interval: 'minute', to: at(2 * HOUR) })).total).toBe(1);
        expect(only(await query(t1, 'uniqueViewers')).total).toBe(1);
        expect((await query(t1, 'zeroResultSearches', { groupBy: 'query' })).series).toEqual([]);
        expect(byGroup(await query(t1, 'views', { groupBy: 'country' }))).toEqual({ DE: 1 });
        expect(
          (
            await fx.store.trending({
              tenantId: t1,
              at: at(2 * HOUR),
              recentHours: 2,
              baselineDays: 1,
              limit: 5,
            })
          ).map((a) => a.recentViews),
        ).toEqual([1]);
        expect(await fx.store.eraseUser(t1, 'same-person')).toBe(1);
        expect(await fx.store.eraseUser(t2, 'same-person')).toBe(3);
        const [t3, t4] = [await fx.newTenant(), await fx.newTenant()];
        await record(t3, [{ occurredAt: at(HOUR) }]);
        await record(t4, [{ occurredAt: at(HOUR) }, { occurredAt: at(2 * HOUR) }]);
        expect(await fx.store.expireRaw(t3, at(DAY))).toBe(1);
        expect(await fx.store.expireRaw(t4, at(DAY))).toBe(2);
      });
    });

    describe('search interactions (click learning)', () => {
      it('pages the window\u2019s searches and clicks in time order, only those with a consenting person', async () => {
        const [t, other] = [await fx.newTenant(), await fx.newTenant()];
        const [a, b] = [randomUUID(), randomUUID()];
        const person = { userToken: 'tok_p', sessionToken: 'sess_p' };
        await record(t, [
          {
            ...person,
            type: 'search',
            occurredAt: at(HOUR),
            search: { query: 'Ocean  Waves', resultIds: [a, b], totalHits: 2 },
          },
          {
            ...person,
            type: 'click',
            occurredAt: at(HOUR + 1_000),
            assetId: b,
            search: { query: 'Ocean  Waves', clickedRank: 2 },
          },
          // Same millisecond: ordered by id after time.
          {
            userToken: null,
            sessionToken: 'sess_q',
            type: 'search',
            occurredAt: at(HOUR + 2_000),
            search: { query: 'reef', totalHits: 0 },
          },
          {
            userToken: null,
            sessionToken: 'sess_q',
            type: 'search',
            occurredAt: at(HOUR + 2_000),
            search: { query: 'reef', totalHits: 0 },
          },
          // Left out: no consent, no person, a click without a rank, another type, out of the window.
          { type: 'search', consent: false, occurredAt: at(HOUR), search: { query: 'x', totalHits: 1 } },
          {
            userToken: null,
            sessionToken: null,
            type: 'search',
            occurredAt: at(HOUR),
            search: { query: 'x', totalHits: 1 },
          },
          { ...person, type: 'click', occurredAt: at(HOUR), assetId: a, search: { query: 'x' } },
          { ...person, type: 'play', occurredAt: at(HOUR), assetId: a },
          { ...person, type: 'search', occurredAt: at(3 * HOUR), search: { query: 'late', totalHits: 1 } },
        ]);
        await record(other, [
          { ...person, type: 'search', occurredAt: at(HOUR), search: { query: 'theirs', totalHits: 1 } },
        ]);
        const window = { tenantId: t, from: at(0), to: at(2 * HOUR) };
        const all = await fx.store.searchInteractions({ ...window, after: null, limit: 100 });
        expect(all.next).toBeNull();
        expect(all.interactions.map((i) => [i.type, i.query])).toEqual([
          ['search', 'Ocean  Waves'],
          ['click', 'Ocean  Waves'],
          ['search', 'reef'],
          ['search', 'reef'],
        ]);
        expect(all.interactions[0]).toMatchObject({
          userToken: 'tok_p',
          sessionToken: 'sess_p',
          resultIds: [a, b],
          totalHits: 2,
          clickedRank: null,
          occurredAt: at(HOUR),
        });
        expect(all.interactions[1]).toMatchObject({ assetId: b, clickedRank: 2 });
        expect(all.interactions[2]).toMatchObject({ userToken: null, sessionToken: 'sess_q', totalHits: 0 });
        const ids = all.interactions.slice(2).map((i) => i.id);
        expect(ids).toEqual([...ids].sort());
        // Pages of one: the same events, none twice, the last page without a cursor after it.
        const paged: string[] = [];
        let after = null;
        for (let i = 0; i < 10; i++) {
          const page: Awaited<ReturnType<typeof fx.store.searchInteractions>> =
            await fx.store.searchInteractions({
              ...window,
              after,
              limit: 1,
            });
          paged.push(...page.interactions.map((x) => x.id));
          after = page.next;
          if (!after) break;
        }
        expect(paged).toEqual(all.interactions.map((i) => i.id));
      });
    });

    describe('trending', () => {
      it('ranks assets by recent views against their own baseline', async () => {
        const t = await fx.newTenant();
        const [steady, spiking, gone] = [randomUUID(), randomUUID(), randomUUID()];
        const now = at(3 * DAY);
        await record(t, [
          // Two days of one view an hour, then the same in the last two hours.
          ...Array.from({ length: 50 }, (_, i) => ({
            assetId: steady,
            occurredAt: at(DAY - 2 * HOUR + i * HOUR),
          })),
          // Nothing before, ten views in the last two hours.
          ...Array.from({ length: 10 }, (_, i) => ({
            assetId: spiking,
            occurredAt: at(3 * DAY - HOUR - i * 60_000),
          })),
          ...Array.from({ length: 30 }, (_, i) => ({ assetId: gone, occurredAt: at(DAY + i * HOUR) })),
          // At the end of the window: not in it.
          { assetId: gone, occurredAt: now },
          { assetId: gone, type: 'error', occurredAt: at(3 * DAY - HOUR) },
        ]);
        const trending = await fx.store.trending({
          tenantId: t,
          at: now,
          recentHours: 2,
          baselineDays: 2,
          limit: 5,
        });
        expect(trending.map((a) => [a.assetId, a.recentViews, a.baselineViewsPerHour])).toEqual([
          [spiking, 10, 0],
          [steady, 2, 1],
        ]);
        expect(trending[0]!.score).toBeGreaterThan(trending[1]!.score);
        const top = await fx.store.trending({
          tenantId: t,
          at: now,
          recentHours: 2,
          baselineDays: 2,
          limit: 1,
        });
        expect(top.map((a) => a.assetId)).toEqual([spiking]);
      });
    });

    describe('asset activity (popularity)', () => {
      it('answers views and watch seconds per asset and UTC day, in pages of assets by id', async () => {
        const t = await fx.newTenant();
        const ids = [randomUUID(), randomUUID(), randomUUID()].sort();
        const [a, b, c] = ids as [string, string, string];
        await record(t, [
          { assetId: a, sessionToken: 'sa', occurredAt: at(HOUR) },
          { assetId: a, occurredAt: at(2 * HOUR) },
          { assetId: a, type: 'progress', sessionToken: 'sa', position: 90_000, occurredAt: at(3 * HOUR) },
          { assetId: a, occurredAt: at(DAY + HOUR) },
          { assetId: b, occurredAt: at(DAY + 5 * HOUR) },
          { assetId: c, occurredAt: at(2 * DAY + HOUR) },
          // Before the range and at its end: not in it.
          { assetId: b, occurredAt: at(-HOUR) },
          { assetId: c, occurredAt: at(3 * DAY) },
        ]);
        const page = (afterAssetId: string | null, assets: number) =>
          fx.store.assetActivity({ tenantId: t, from: DAY0, to: at(3 * DAY), afterAssetId, assets });
        const rows = (await page(null, 10)).map((r) => [r.assetId, r.day.getTime(), r.views, r.watchSeconds]);
        expect(rows).toEqual([
          [a, DAY0.getTime(), 2, 90],
          [a, DAY0.getTime() + DAY, 1, 0],
          [b, DAY0.getTime() + DAY, 1, 0],
          [c, DAY0.getTime() + 2 * DAY, 1, 0],
        ]);
        const first = await page(null, 1);
        expect(new Set(first.map((r) => r.assetId))).toEqual(new Set([a]));
        const second = await page(a, 2);
        expect(second.map((r) => r.assetId)).toEqual([b, c]);
        expect(await page(c, 10)).toEqual([]);
        const other = await fx.newTenant();
        expect(
          await fx.store.assetActivity({
            tenantId: other,
            from: DAY0,
            to: at(3 * DAY),
            afterAssetId: null,
            assets: 10,
          }),
        ).toEqual([]);
      });
    });

    describe('privacy and retention', () => {
      it('erases one person’s raw events and keeps the rollups’ counts', async () => {
        const t = await fx.newTenant();
        await record(t, [
          { userToken: 'alice', occurredAt: at(HOUR) },
          { userToken: 'alice', type: 'search', search: { query: 'x', totalHits: 0 }, occurredAt: at(DAY) },
          { userToken: 'bob', occurredAt: at(HOUR) },
        ]);
        expect(await fx.store.eraseUser(t, 'alice')).toBe(2);
        expect(await fx.store.eraseUser(t, 'alice')).toBe(0);
        expect(values(await query(t, 'views'))).toEqual([2, 0, 0]);
        expect(values(await query(t, 'searches'))).toEqual([0, 1, 0]);
        expect(only(await query(t, 'uniqueViewers')).total).toBe(2);
        expect(await fx.store.eraseUser(t, 'bob')).toBe(1);
      });

      it('erases a person’s name from the dimensions at every grain, keeping every count', async () => {
        const t = await fx.newTenant();
        const other = await fx.newTenant();
        const named = anEventAsset({
          tags: ['Ken Robinson', 'schools'],
          topics: ['Sir Ken Robinson', 'Education'],
          speakers: ['Ken Robinson', 'Ada'],
        });
        const plain = anEventAsset({ tags: ['robinson'], topics: ['Education'], speakers: ['Ada'] });
        const [a, b] = [randomUUID(), randomUUID()];
        const events = [
          ...[0, 1, DAY].map((ms) => ({ assetId: a, asset: named, userToken: `u${ms}`, occurredAt: at(ms) })),
          { assetId: b, asset: plain, userToken: 'u9', occurredAt: at(HOUR) },
        ];
        await record(t, events);
        await record(other, events);
        // The matcher decides; the pre-filter only has to let the person's values through.
        const matcher = {
          sqlPattern: '[Rr][Oo][Bb][Ii][Nn][Ss][Oo][Nn]',
          isPerson: (v: string) => / ken robinson$/.test(` ${v.toLowerCase()}`),
        };
        const ranges = [
          { interval: 'day' as const },
          { interval: 'hour' as const, to: at(2 * DAY) },
          { interval: 'minute' as const, to: at(2 * HOUR) },
        ];
        const views = (tenant: string, more: Partial<MetricQuery>) => query(tenant, 'views', more);
        const readAll = async () => {
          const out: Record<string, Record<string, number>> = {};
          for (const range of ranges)
            for (const metric of ['views', 'uniqueViewers'] as const)
              for (const groupBy of ['speaker', 'tag', 'topic', 'asset'] as const)
                out[`${metric} by ${groupBy}, ${range.interval}`] = byGroup(
                  await query(t, metric, { groupBy, ...range }),
                );
          return out;
        };
        const before = await readAll();
        expect(before['views by speaker, day']).toEqual({ 'Ken Robinson': 3, Ada: 4 });
        expect(await fx.store.eraseDimensionValues(t, matcher)).toEqual({ values: 2 });
        const after = await readAll();
        const erased = new Set(['Ken Robinson', 'Sir Ken Robinson']);
        for (const [name, groups] of Object.entries(before)) {
          const expected = Object.fromEntries(Object.entries(groups).filter(([k]) => !erased.has(k)));
          expect(after[name], name).toEqual(expected);
        }
        expect(after['views by speaker, day']).toEqual({ Ada: 4 });
        expect(after['views by tag, day']).toEqual({ schools: 3, robinson: 1 });
        for (const range of ranges) {
          const filtered = await views(t, { filters: { speaker: ['Ken Robinson'] }, ...range });
          expect(only(filtered).total, `filtered, ${range.interval}`).toBe(0);
          const topic = await views(t, { filters: { topic: ['Sir Ken Robinson'] }, ...range });
          expect(only(topic).total, `filtered by topic, ${range.interval}`).toBe(0);
          const all = await views(t, range);
          expect(only(all).total, `every view, ${range.interval}`).toBe(range.interval === 'minute' ? 3 : 4);
        }
        // Another tenant keeps its own; a repeat finds nothing.
        expect(byGroup(await query(other, 'views', { groupBy: 'speaker' }))).toEqual({
          'Ken Robinson': 3,
          Ada: 4,
        });
        expect(await fx.store.eraseDimensionValues(t, matcher)).toEqual({ values: 0 });
        // Events recorded later count in the values that stayed.
        await record(t, [{ assetId: a, asset: named, occurredAt: at(2 * DAY) }]);
        expect(byGroup(await query(t, 'views', { groupBy: 'speaker' }))).toMatchObject({ Ada: 5 });
      });

      it('expires raw events before a time and keeps the rollups’ counts', async () => {
        const t = await fx.newTenant();
        await record(t, [
          { occurredAt: at(HOUR) },
          { occurredAt: at(DAY + HOUR) },
          { occurredAt: at(2 * DAY - 1) },
          { occurredAt: at(2 * DAY) },
        ]);
        expect(await fx.store.expireRaw(t, at(2 * DAY))).toBe(3);
        expect(await fx.store.expireRaw(t, at(2 * DAY))).toBe(0);
        expect(values(await query(t, 'views'))).toEqual([1, 2, 1]);
        expect(await fx.store.eraseUser(t, 'nobody')).toBe(0);
        expect(await fx.store.expireRaw(t, at(4 * DAY))).toBe(1);
      });
    });

    describe('unique viewers at scale', () => {
      it('estimates distinct viewers within the documented error, merging (not summing) buckets', async () => {
        const t = await fx.newTenant();
        const n = 3_000;
        const assets = [randomUUID(), randomUUID()];
        const events: Partial<StoredEvent>[] = [];
        for (let u = 0; u < n; u += 1) {
          // Every viewer on both days; the first third also on the second asset.
          events.push({ assetId: assets[0]!, userToken: `viewer-${u}`, occurredAt: at((u % 24) * HOUR) });
          events.push({
            assetId: assets[0]!,
            userToken: `viewer-${u}`,
            occurredAt: at(DAY + (u % 24) * HOUR),
          });
          if (u < n / 3) events.push({ assetId: assets[1]!, userToken: `viewer-${u}`, occurredAt: at(DAY) });
        }
        await record(t, events);
        const within = (estimate: number, exact: number) => {
          expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(4 * fx.uniqueViewersError * exact + 1);
        };
        const viewers = only(await query(t, 'uniqueViewers'));
        within(viewers.total, n);
        within(viewers.points[0]!.value, n);
        within(viewers.points[1]!.value, n);
        expect(viewers.points[2]!.value).toBe(0);
        const perAsset = await query(t, 'uniqueViewers', { groupBy: 'asset' });
        expect(perAsset.series.map((s) => s.group)).toEqual(assets);
        within(perAsset.series[0]!.total, n);
        within(perAsset.series[1]!.total, n / 3);
      });
    });

    describe('coViewCounts', () => {
      // Sorted, so that the page order is known.
      const ids = () => Array.from({ length: 8 }, () => randomUUID()).sort();
      const session = (sessionToken: string, assets: string[], more: Partial<StoredEvent> = {}) =>
        assets.map((assetId, i) => ({ sessionToken, assetId, occurredAt: at(DAY + i * 60_000), ...more }));
      const window = { from: at(DAY), to: at(2 * DAY), maxAssetsPerSession: 4 };

      it('counts sessions per pair and per asset, each session once, without sessions over the cap', async () => {
        const [t, other] = [await fx.newTenant(), await fx.newTenant()];
        const [a, b, c, d, e, f, g] = ids();
        await record(t, [
          // Three sessions play a and b (one of them twice, and completes a); one also plays c.
          ...session('s1', [a!, b!, c!]),
          ...session('s2', [a!, b!, a!]),
          ...session('s3', [b!], { type: 'complete' }),
          ...session('s3', [a!]),
          // Five assets: over the cap of 4, so it counts for nothing (not even d's own count).
          ...session('s5', [a!, b!, c!, d!, e!]),
          // Outside the window, no session, or not a play: not counted.
          ...session('s6', [a!, c!], { occurredAt: at(2 * DAY) }),
          { assetId: f!, sessionToken: null, occurredAt: at(DAY) },
          { assetId: a!, sessionToken: 's7', type: 'pause', occurredAt: at(DAY) },
          { assetId: c!, sessionToken: 's7', type: 'error', occurredAt: at(DAY) },
        ]);
        // Another tenant's sessions with the same tokens relate nothing of this one.
        await record(other, [
          ...session('s1', [a!, c!]),
          ...session('s2', [a!, c!]),
          ...session('s3', [g!, c!]),
        ]);

        const all = await fx.store.coViewCounts({
          tenantId: t,
          ...window,
          afterAssetId: null,
          assetLimit: 10,
          minSessions: 1,
          pairsPerAsset: 10,
        });
        expect(all.anchors).toEqual([a, b, c]);
        const pairs = (r: typeof all) =>
          r.pairs.map((p) => `${p.assetId}>${p.relatedId}:${p.sessions}`).sort();
        expect(pairs(all)).toEqual(
          [`${a}>${b}:3`, `${a}>${c}:1`, `${b}>${a}:3`, `${b}>${c}:1`, `${c}>${a}:1`, `${c}>${b}:1`].sort(),
        );
        expect(Object.fromEntries(all.sessionsPerAsset)).toEqual({ [a!]: 3, [b!]: 3, [c!]: 1 });

        // Minimum support, and the best pairs per anchor only.
        const strong = await fx.store.coViewCounts({
          tenantId: t,
          ...window,
          afterAssetId: null,
          assetLimit: 10,
          minSessions: 2,
          pairsPerAsset: 10,
        });
        expect(pairs(strong)).toEqual([`${a}>${b}:3`, `${b}>${a}:3`].sort());
        expect(Object.fromEntries(strong.sessionsPerAsset)).toEqual({ [a!]: 3, [b!]: 3, [c!]: 1 });
        const best = await fx.store.coViewCounts({
          tenantId: t,
          ...window,
          afterAssetId: null,
          assetLimit: 10,
          minSessions: 1,
          pairsPerAsset: 1,
        });
        expect(pairs(best)).toEqual([`${a}>${b}:3`, `${b}>${a}:3`, `${c}>${a}:1`].sort());

        // Pages of anchors in id order.
        const first = await fx.store.coViewCounts({
          tenantId: t,
          ...window,
          afterAssetId: null,
          assetLimit: 2,
          minSessions: 1,
          pairsPerAsset: 10,
        });
        expect(first.anchors).toEqual([a, b]);
        expect(pairs(first)).toEqual([`${a}>${b}:3`, `${a}>${c}:1`, `${b}>${a}:3`, `${b}>${c}:1`].sort());
        const rest = await fx.store.coViewCounts({
          tenantId: t,
          ...window,
          afterAssetId: b!,
          assetLimit: 2,
          minSessions: 1,
          pairsPerAsset: 10,
        });
        expect(rest.anchors).toEqual([c]);
        expect(pairs(rest)).toEqual([`${c}>${a}:1`, `${c}>${b}:1`].sort());
        expect(Object.fromEntries(rest.sessionsPerAsset)).toEqual({ [a!]: 3, [b!]: 3, [c!]: 1 });
      });

      it('answers nothing for a tenant without sessions', async () => {
        const t = await fx.newTenant();
        await record(t, [{ assetId: randomUUID(), sessionToken: null, occurredAt: at(DAY) }]);
        const r = await fx.store.coViewCounts({
          tenantId: t,
          ...window,
          afterAssetId: null,
          assetLimit: 10,
          minSessions: 1,
          pairsPerAsset: 10,
        });
        expect(r).toEqual({ anchors: [], pairs: [], sessionsPerAsset: new Map() });
      });
    });
  });
}
