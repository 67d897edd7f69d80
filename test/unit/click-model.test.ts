import { describe, expect, it } from 'vitest';
import {
  CLICK_LEARNING,
  ClickLog,
  normalizeQuery,
  type SearchInteraction,
} from '../../domain/click-model.js';
import { seededRandom } from '../../scripts/lib/synthetic-library.js';
import { examination, pbmClicks } from '../../scripts/lib/synthetic-events.js';

const doc = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Builds the events of sessions: a search of `shown`, then clicks on the given ranks (1-based). */
function sessions() {
  const events: SearchInteraction[] = [];
  let t = Date.UTC(2026, 11, 1);
  const add = (
    query: string,
    shown: string[],
    clickedRanks: number[],
    who: { user?: string | null; session?: string | null },
  ) => {
    const base = {
      userToken: who.user ?? null,
      sessionToken: who.session ?? null,
      query,
      totalHits: shown.length,
    };
    events.push({
      ...base,
      id: `e${events.length}`,
      type: 'search',
      occurredAt: new Date(t++),
      resultIds: shown,
      clickedRank: null,
      assetId: null,
    });
    for (const rank of clickedRanks)
      events.push({
        ...base,
        id: `e${events.length}`,
        type: 'click',
        occurredAt: new Date(t++),
        resultIds: [],
        clickedRank: rank,
        assetId: shown[rank - 1]!,
      });
  };
  return { events, add };
}

describe('click model (position-based, EM)', () => {
  it('normalizes queries: case, width, white space, at most 500 characters', () => {
    expect(normalizeQuery('  Ｓchools   KILL\tcreativity ')).toBe('schools kill creativity');
    expect(normalizeQuery('x'.repeat(900))).toHaveLength(500);
  });

  it('recovers the true attractiveness from position-biased clicks when positions vary', () => {
    // Ten documents of one query with known attractiveness, shown in a random order per session
    // (as rankings change over time); clicks by the generator's PBM (examination 1/r^0.8).
    const truth = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1];
    const random = seededRandom(7);
    const { events, add } = sessions();
    for (let s = 0; s < 3_000; s++) {
      const order = truth.map((_, i) => i).sort(() => random() - 0.5);
      const clicked = pbmClicks(
        order.map((i) => truth[i]!),
        random,
      );
      add(
        'q',
        order.map(doc),
        clicked.map((i) => i + 1),
        { user: `u${s}`, session: `s${s}` },
      );
    }
    const log = new ClickLog();
    log.add(events);
    const result = log.fit();
    // Examination is identified up to rank 1's (anchored at 1): the fitted curve follows 1/r^0.8.
    for (const rank of [2, 5, 10]) expect(result.examination[rank - 1]).toBeCloseTo(examination(rank), 1);
    const alpha = new Map(result.boosts.map((b) => [b.assetId, b.attractiveness]));
    truth.forEach((a, i) => {
      if (alpha.has(doc(i))) expect(Math.abs(alpha.get(doc(i))! - a)).toBeLessThan(0.08);
    });
    // The most attractive are boosted up, the least down, in the order of their attractiveness.
    const boost = new Map(result.boosts.map((b) => [b.assetId, b.boost]));
    expect(boost.get(doc(0))).toBeGreaterThan(0);
    expect(boost.get(doc(9))).toBeLessThan(0);
    expect(boost.get(doc(0))!).toBeGreaterThanOrEqual(boost.get(doc(1))!);
  });

  it('corrects for position: a document clicked as often at rank 5 as another at rank 1 is the more attractive', () => {
    const { events, add } = sessions();
    const random = seededRandom(3);
    // A at rank 1 (attractiveness 0.3), B at rank 5 (0.8): raw click rates about equal.
    for (let s = 0; s < 400; s++) {
      const shown = [doc(1), doc(2), doc(3), doc(4), doc(5)];
      const a = [0.3, 0.1, 0.1, 0.1, 0.8];
      // Half the sessions show a reordering, so the examination of each rank is identified.
      const swapped = s % 2 === 1;
      const order = swapped ? [4, 1, 2, 3, 0] : [0, 1, 2, 3, 4];
      const clicked = pbmClicks(
        order.map((i) => a[i]!),
        random,
      );
      add(
        'q',
        order.map((i) => shown[i]!),
        clicked.map((i) => i + 1),
        { user: `u${s}` },
      );
    }
    const log = new ClickLog();
    log.add(events);
    const boosts = new Map(log.fit().boosts.map((b) => [b.assetId, b.boost]));
    expect(boosts.get(doc(5)) ?? 0).toBeGreaterThan(boosts.get(doc(1)) ?? 0);
  });

  it('counts one person once however often they click: one client alone moves nothing', () => {
    const { events, add } = sessions();
    const shown = [doc(1), doc(2), doc(3), doc(4), doc(5)];
    for (let i = 0; i < 5_000; i++) add('q', shown, [5], { user: 'spammer', session: `s${i % 50}` });
    const log = new ClickLog();
    log.add(events);
    const result = log.fit();
    expect(result.boosts).toEqual([]);
    expect(result.queries).toEqual([
      expect.objectContaining({ query: 'q', searches: 5_000, voters: 1, clickedSearches: 5_000 }),
    ]);
  });

  it('bounds one person’s weight among others to one vote', () => {
    const honest = () => {
      const s = sessions();
      // Ten people: doc 1 at rank 1 clicked by 6, doc 2 at rank 2 by 3.
      for (let u = 0; u < 10; u++)
        s.add('q', [doc(1), doc(2), doc(3)], u < 6 ? [1] : u < 9 ? [2] : [], { user: `u${u}` });
      return s;
    };
    const clean = honest();
    const cleanBoosts = new ClickLog();
    cleanBoosts.add(clean.events);
    const withSpam = honest();
    for (let i = 0; i < 10_000; i++) withSpam.add('q', [doc(1), doc(2), doc(3)], [3], { user: 'spammer' });
    const spammed = new ClickLog();
    spammed.add(withSpam.events);
    const of = (log: ClickLog) => new Map(log.fit().boosts.map((b) => [b.assetId, b.boost]));
    const [before, after] = [of(cleanBoosts), of(spammed)];
    // Doc 3 had no click: one person's 10,000 clicks are one click, from one person: no boost up.
    expect(after.get(doc(3)) ?? 0).toBeLessThanOrEqual(0);
    // And the order of the boosts stays as the ten people made it.
    expect((after.get(doc(1)) ?? 0) > (after.get(doc(2)) ?? 0)).toBe(
      (before.get(doc(1)) ?? 0) > (before.get(doc(2)) ?? 0),
    );
  });

  it('learns nothing from events without a person, or clicks on what was not shown', () => {
    const { events, add } = sessions();
    for (let i = 0; i < 20; i++) add('q', [doc(1), doc(2)], [2], { user: null, session: null });
    events.push({
      id: 'stray',
      type: 'click',
      occurredAt: new Date(Date.UTC(2026, 11, 2)),
      userToken: 'u1',
      sessionToken: null,
      query: 'q',
      resultIds: [],
      totalHits: null,
      clickedRank: 1,
      assetId: doc(9),
    });
    const log = new ClickLog();
    log.add(events);
    const result = log.fit();
    expect(result.used).toBe(0);
    expect(result.skipped).toBe(events.length);
    expect(result.boosts).toEqual([]);
  });

  it('keeps every boost within its bounds and needs several people', () => {
    const { events, add } = sessions();
    // Two people only: not enough for any boost.
    for (let u = 0; u < CLICK_LEARNING.minVoters - 1; u++) add('q', [doc(1), doc(2)], [2], { user: `u${u}` });
    // Many people on another query, all clicking rank 2, none rank 1.
    for (let u = 0; u < 200; u++) add('r', [doc(1), doc(2)], [2], { user: `v${u}` });
    const log = new ClickLog();
    log.add(events);
    const { boosts } = log.fit();
    expect(boosts.filter((b) => b.query === 'q')).toEqual([]);
    const r = new Map(boosts.filter((b) => b.query === 'r').map((b) => [b.assetId, b.boost]));
    expect(r.get(doc(2))).toBeGreaterThan(0);
    expect(r.get(doc(1))).toBeLessThan(0);
    for (const b of boosts) {
      expect(b.boost).toBeLessThanOrEqual(CLICK_LEARNING.maxBoost);
      expect(b.boost).toBeGreaterThanOrEqual(CLICK_LEARNING.minBoost);
    }
  });
});
