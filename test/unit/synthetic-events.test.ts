import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkEventBatch } from '../../domain/interaction-events.js';
import {
  misspell,
  syntheticEvents,
  type EventAsset,
  type SyntheticEvent,
  type SyntheticEventOptions,
} from '../../scripts/lib/synthetic-events.js';
import { seededRandom, syntheticLibrary } from '../../scripts/lib/synthetic-library.js';

/** A library of `n` assets as the generator reads it from the API: ids, titles, tags, types, durations. */
function aLibrary(n: number, seed = 5): EventAsset[] {
  return [...syntheticLibrary({ assets: n, seed })].map((a) => ({
    id: randomUUID(),
    title: a.title,
    tags: a.tags,
    type: a.type,
    durationSeconds: a.technicalMetadata.durationSeconds ?? null,
  }));
}

const END = new Date('2026-12-06T18:00:00Z');
const generate = (assets: EventAsset[], options: Partial<SyntheticEventOptions> = {}) => [
  ...syntheticEvents(assets, { events: 20_000, seed: 1, end: END, ...options }),
];

const library = aLibrary(1_000);
const events = generate(library, { events: 60_000 });
const ofType = (type: string, list: SyntheticEvent[] = events) => list.filter((e) => e.type === type);
/** Starts of plays: every `play` is one (a resume after a pause is a `progress`). */
const views = (list: SyntheticEvent[] = events) => ofType('play', list);

describe('synthetic events', () => {
  it('makes exactly the events asked for, each valid and within the window', () => {
    expect(events).toHaveLength(60_000);
    const { valid, rejected } = checkEventBatch(events, new Set(), END);
    expect(rejected).toEqual([]);
    expect(valid).toHaveLength(events.length);
    const days = 7 * 86_400_000;
    const outside = events.filter((e) => {
      const at = Date.parse(e.occurredAt);
      return at > END.getTime() || at < END.getTime() - days;
    });
    expect(outside).toEqual([]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const ids = new Set(library.map((a) => a.id));
    expect(events.filter((e) => e.assetId && !ids.has(e.assetId))).toEqual([]);
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'impression',
        'click',
        'play',
        'progress',
        'pause',
        'seek',
        'complete',
        'error',
        'search',
        'share',
      ]),
    );
  });

  it('tells the same story for the same seed, and another for another seed', () => {
    const again = generate(library, { events: 5_000 });
    expect(again).toEqual(events.slice(0, 5_000));
    const other = generate(library, { events: 5_000, seed: 2 });
    expect(other.map((e) => e.assetId)).not.toEqual(again.map((e) => e.assetId));
    // Another end moves the times only.
    const later = generate(library, { events: 5_000, end: new Date(END.getTime() + 3 * 3600_000 + 17) });
    expect(later.map((e) => [e.type, e.assetId, e.position])).toEqual(
      again.map((e) => [e.type, e.assetId, e.position]),
    );
  });

  it('concentrates views on a Zipf head, the more the larger the exponent', () => {
    const headShare = (list: SyntheticEvent[]) => {
      const counts = new Map<string, number>();
      for (const v of views(list)) counts.set(v.assetId!, (counts.get(v.assetId!) ?? 0) + 1);
      const sorted = [...counts.values()].sort((a, b) => b - a);
      const total = sorted.reduce((n, c) => n + c, 0);
      return sorted.slice(0, library.length / 100).reduce((n, c) => n + c, 0) / total;
    };
    const steep = headShare(events);
    const flat = headShare(generate(library, { events: 60_000, zipfExponent: 0.6 }));
    // 1% of the assets: far more than 1% of the views.
    expect(steep).toBeGreaterThan(0.2);
    expect(steep).toBeGreaterThan(flat + 0.1);
  });

  it('clicks less the lower a result is ranked, and some searches find nothing', () => {
    const searches = ofType('search');
    const shown = (rank: number) => searches.filter((s) => (s.search?.resultIds?.length ?? 0) >= rank).length;
    const clicks = (rank: number) => ofType('click').filter((c) => c.search?.clickedRank === rank).length;
    const ctr = [1, 2, 4, 8].map((r) => clicks(r) / shown(r));
    for (let i = 1; i < ctr.length; i++) expect(ctr[i]).toBeLessThan(ctr[i - 1]!);
    expect(ctr[0]).toBeGreaterThan(2 * ctr[3]!);

    const zeroResult = searches.filter((s) => s.search?.totalHits === 0).length / searches.length;
    expect(zeroResult).toBeGreaterThan(0.03);
    expect(zeroResult).toBeLessThan(0.25);
    expect(searches.filter((s) => (s.search!.resultIds?.length ?? 0) > s.search!.totalHits!)).toEqual([]);
  });

  it('watches part of most plays, completes some, fails about 1%, within each asset’s length', () => {
    const started = views().length;
    const completed = ofType('complete').length / started;
    const failed = ofType('error').length / started;
    expect(completed).toBeGreaterThan(0.2);
    expect(completed).toBeLessThan(0.5);
    expect(failed).toBeGreaterThan(0.003);
    expect(failed).toBeLessThan(0.03);

    const duration = new Map(library.map((a) => [a.id, (a.durationSeconds ?? 0) * 1000]));
    expect(events.filter((e) => e.position !== undefined && e.position > duration.get(e.assetId!)!)).toEqual(
      [],
    );
    expect(ofType('complete').filter((c) => c.position !== duration.get(c.assetId!))).toEqual([]);
    // Text and images are opened, never played.
    const unplayable = new Set(
      library.filter((a) => a.type === 'TEXT' || a.type === 'IMAGE').map((a) => a.id),
    );
    expect(ofType('play').filter((p) => unplayable.has(p.assetId!))).toEqual([]);
  });

  it('follows a daily cycle, keeps sessions to one person, and leaves some without consent', () => {
    const starts = new Map<string, SyntheticEvent>();
    for (const e of events) if (!starts.has(e.sessionId!)) starts.set(e.sessionId!, e);
    const hours = [...starts.values()].map((e) => new Date(e.occurredAt).getUTCHours());
    const evening = hours.filter((h) => h >= 18 && h <= 21).length;
    const night = hours.filter((h) => h >= 2 && h <= 5).length;
    expect(evening).toBeGreaterThan(3 * night);

    const users = new Map<string, SyntheticEvent[]>();
    for (const e of events) {
      const list = users.get(e.userId!);
      if (list) list.push(e);
      else users.set(e.userId!, [e]);
    }
    const mixed = [...users.values()].filter(
      (list) =>
        new Set(list.map((e) => e.consent)).size > 1 || new Set(list.map((e) => e.context?.country)).size > 1,
    );
    expect(mixed).toEqual([]);
    const withoutConsent = [...users.values()].filter((l) => !l[0]!.consent).length / users.size;
    expect(withoutConsent).toBeGreaterThan(0.01);
    expect(withoutConsent).toBeLessThan(0.12);
    const sessionsPerUser = starts.size / users.size;
    expect(sessionsPerUser).toBeGreaterThan(1.2);
    expect(sessionsPerUser).toBeLessThan(4);
  });

  it('misspells a query by one slip', () => {
    const random = seededRandom(9);
    for (let i = 0; i < 200; i++) {
      const typo = misspell('climate change', random);
      expect(typo).not.toBe('climate change');
      expect(Math.abs(typo.length - 'climate change'.length)).toBeLessThanOrEqual(1);
    }
  });
});
