/**
 * Synthetic interaction events over an existing library: people with a few sessions each, who
 * browse a home row, search and click down a result list, watch part of what they open, pause,
 * seek, sometimes hit an error, sometimes share. Pure and deterministic: the same assets, seed and
 * options give the same events, byte for byte.
 *
 * The models, each a common one in the literature it comes from:
 * - popularity: Zipf over a seeded shuffle of the assets (rank r drawn ∝ 1/r^s, s = 1.1);
 * - clicks: the position-based model, P(click at rank r) = examination(r) · attractiveness(asset),
 *   examination 1/r^0.8, attractiveness rising with the asset's popularity;
 * - watching: a third of plays watched to the end, the rest stopping early (most of them soon),
 *   progress every `progressEverySeconds`, a pause or seek now and then, an error on ~1% of plays;
 * - time: sessions over the last `days` days, more in the evening than at night (a daily cycle).
 * Searches run on a stand-in engine over the assets' titles and tags (all words must match,
 * popular first); typos find nothing unless a fuzzy match saves them, and some queries are noise
 * that matches nothing.
 */
import { seededRandom, zipf } from './synthetic-library.js';
import type { InteractionEvent } from '../../domain/interaction-events.js';

/** What the generator needs of an asset. */
export interface EventAsset {
  id: string;
  title: string;
  tags: readonly string[];
  type?: string;
  /** Playback length; a made-up one by type when unknown. */
  durationSeconds?: number | null;
}

/** An event as `POST /v1/events` takes it, `consent` always given so each line is complete. */
export type SyntheticEvent = InteractionEvent;

export interface SyntheticEventOptions {
  /** How many events in all; the last session is cut there. */
  events: number;
  seed: number;
  /** The events' times fall in the `days` days before `end`. */
  end: Date;
  days?: number;
  /** Zipf exponent of asset popularity (1.1). */
  zipfExponent?: number;
  /** A progress event every this many seconds of playback (30). */
  progressEverySeconds?: number;
  /** Share of people who said no to tracking (0.05): their events carry consent false. */
  noConsentShare?: number;
  /** Examination decay of the click model: examination(r) = 1/r^decay (0.8). */
  rankDecay?: number;
}

/** The click model's range of attractiveness: the most and the least attractive result. */
export const ATTRACTIVENESS = { min: 0.15, max: 0.6 } as const;

/** Examination of the position-based model: 1/rank^decay (decay 0.8 by default). */
export const examination = (rank: number, decay = 0.8) => 1 / Math.pow(rank, decay);

/**
 * The position-based click model on one result list: each result (0-based index i, shown at rank
 * i + 1) is clicked with probability examination(rank) · attractiveness, one draw per result in
 * order. The indices clicked. The generator's searches and `npm run eval:clicks` both click so.
 */
export function pbmClicks(attractiveness: readonly number[], random: () => number, decay = 0.8): number[] {
  return attractiveness.flatMap((a, i) => (random() < examination(i + 1, decay) * a ? [i] : []));
}

/** Results a search shows (one page). */
export const RESULTS_SHOWN = 10;
/** Events this long before `end` at the latest: a session of up to 2 h must still end in the past. */
const SESSION_ROOM_MS = 3 * 3600_000;
/** A play lasts at most this long on the wall clock; the person leaves after that. */
const MAX_PLAY_SECONDS = 2 * 3600;

type Weighted<T> = readonly (readonly [T, number])[];
const DEVICES: Weighted<{ device: string; app: string }> = [
  [{ device: 'mobile', app: 'android' }, 0.27],
  [{ device: 'mobile', app: 'ios' }, 0.18],
  [{ device: 'desktop', app: 'web' }, 0.3],
  [{ device: 'tv', app: 'tv-app' }, 0.15],
  [{ device: 'tablet', app: 'ios' }, 0.06],
  [{ device: 'tablet', app: 'android' }, 0.04],
];
const NETWORKS: Weighted<string> = [
  ['wifi', 0.6],
  ['4g', 0.18],
  ['5g', 0.1],
  ['ethernet', 0.09],
  ['3g', 0.03],
];
const FIXED_NETWORKS: Weighted<string> = [
  ['wifi', 0.6],
  ['ethernet', 0.4],
];
const COUNTRIES: Weighted<string> = [
  ['US', 0.3],
  ['DE', 0.1],
  ['GB', 0.1],
  ['IN', 0.1],
  ['BR', 0.08],
  ['FR', 0.07],
  ['JP', 0.06],
  ['CA', 0.05],
  ['ES', 0.04],
  ['NL', 0.03],
  ['MX', 0.03],
  ['AU', 0.02],
  ['SE', 0.02],
];
const REFERRERS: Weighted<string | undefined> = [
  [undefined, 0.55],
  ['https://www.google.com/', 0.2],
  ['https://t.co/', 0.08],
  ['https://www.facebook.com/', 0.07],
  ['https://news.ycombinator.com/', 0.03],
  ['https://newsletter.example.com/', 0.07],
];
const SHARE_CHANNELS: Weighted<string> = [
  ['copy-link', 0.4],
  ['whatsapp', 0.25],
  ['email', 0.15],
  ['x', 0.1],
  ['facebook', 0.1],
];
const ERROR_CODES: Weighted<string> = [
  ['MEDIA_ERR_NETWORK', 0.55],
  ['MEDIA_ERR_DECODE', 0.2],
  ['MEDIA_ERR_SRC_NOT_SUPPORTED', 0.1],
  ['DRM_LICENSE_FAILED', 0.15],
];
/** Sessions starting in each UTC hour, relative: low at night, a peak in the evening. */
const HOURLY = [
  1.5, 1, 0.7, 0.5, 0.5, 0.7, 1.2, 2, 2.6, 2.8, 3, 3.2, 3.5, 3.4, 3.2, 3.2, 3.5, 4, 4.8, 5.6, 6, 5.6, 4.2,
  2.6,
];
const STOPWORDS = new Set(
  'a an and are as at be but by for from how i in is it its of on or that the this to was we what when where who why will with you your'.split(
    ' ',
  ),
);
const PLAYABLE_DURATION: Record<string, number> = { VIDEO: 720, AUDIO: 1_800 };

const tokens = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** A query's tokens, the way the stand-in engine matches them. */
export function queryTokens(query: string): string[] {
  return tokens(query).filter((t) => !STOPWORDS.has(t));
}

/** The stand-in search engine: popularity ranks of the assets holding every token, most popular first. */
class Engine {
  private readonly index = new Map<string, number[]>();

  constructor(byRank: readonly EventAsset[]) {
    byRank.forEach((asset, rank) => {
      const words = new Set([...tokens(asset.title), ...asset.tags.flatMap(tokens)]);
      for (const w of words) {
        const list = this.index.get(w);
        if (list) list.push(rank);
        else this.index.set(w, [rank]);
      }
    });
  }

  /** Ranks sorted ascending (most popular first); all of them, for `totalHits`. */
  search(query: string): number[] {
    const words = queryTokens(query);
    if (words.length === 0) return [];
    const lists = words.map((w) => this.index.get(w) ?? []).sort((a, b) => a.length - b.length);
    const [shortest, ...rest] = lists;
    const others = rest.map((l) => new Set(l));
    return shortest!.filter((r) => others.every((s) => s.has(r)));
  }
}

/**
 * The generator. Each event is valid against InteractionEventSchema; an asset list of any order
 * works (its popularity order is a seeded shuffle of it).
 */
export function* syntheticEvents(
  assets: readonly EventAsset[],
  options: SyntheticEventOptions,
): Generator<SyntheticEvent> {
  if (assets.length === 0) throw new Error('no assets to simulate events over');
  const random = seededRandom(options.seed);
  // Ids from a stream of their own: the story a seed tells does not depend on how ids are made.
  const idRandom = seededRandom(options.seed ^ 0x2545f491);
  const days = options.days ?? 7;
  const progressEvery = options.progressEverySeconds ?? 30;
  const decay = options.rankDecay ?? 0.8;
  const noConsent = options.noConsentShare ?? 0.05;
  const endMs = options.end.getTime() - SESSION_ROOM_MS;
  const startMs = options.end.getTime() - days * 86_400_000;

  const byRank = shuffled(assets, random);
  const popular = zipf(byRank.length, options.zipfExponent ?? 1.1, random);
  const engine = new Engine(byRank);
  /** Attractiveness of the asset at popularity rank r: 0.6 for the head, towards 0.15 in the tail. */
  const attractiveness = (r: number) =>
    ATTRACTIVENESS.min + (ATTRACTIVENESS.max - ATTRACTIVENESS.min) * Math.pow(1 / (r + 1), 0.25);
  const hours = HOURLY.map((w, h) => [h, w] as const);
  const hourOf = () => pick(hours, random);
  // Device clocks run a little late at most: nothing after a minute before `end`.
  const latestMs = options.end.getTime() - 60_000;

  let left = options.events;

  for (let user = 0; left > 0; user++) {
    const userId = `u-${options.seed}-${user}`;
    const { device, app } = pick(DEVICES, random);
    const country = pick(COUNTRIES, random);
    const consent = random() >= noConsent;
    // 1 to 6 sessions, most people one or two.
    const sessions = 1 + Math.min(5, Math.floor(-Math.log(1 - random()) * 1.3));
    for (let s = 0; s < sessions && left > 0; s++) {
      const sessionId = `s-${options.seed}-${user}-${s}`;
      const network = pick(device === 'desktop' || device === 'tv' ? FIXED_NETWORKS : NETWORKS, random);
      const referrer = app === 'web' ? pick(REFERRERS, random) : undefined;
      const context = { device, app, network, country, ...(referrer ? { referrer } : {}) };
      let clock = sessionStart(random, hourOf, startMs, endMs);
      const base = (type: string, extra: Partial<SyntheticEvent> = {}): SyntheticEvent => ({
        id: uuid(idRandom),
        type,
        userId,
        sessionId,
        occurredAt: new Date(Math.min(clock, latestMs)).toISOString(),
        context,
        consent,
        ...extra,
      });
      const after = (minSeconds: number, maxSeconds: number) =>
        (clock += Math.round((minSeconds + random() * (maxSeconds - minSeconds)) * 1000));

      // A play of the asset at popularity rank r, with its progress, pauses, seeks, end or error.
      const play = function* (r: number): Generator<SyntheticEvent> {
        const asset = byRank[r]!;
        const duration = durationOf(asset);
        if (duration === undefined) return; // an image or a text: opened, not played
        const assetId = asset.id;
        const watch = random() < 0.33 ? 1 : 0.95 * Math.pow(random(), 1.8);
        const target = Math.min(duration, MAX_PLAY_SECONDS) * watch;
        // Where an error (about 1% of plays) stops it: anywhere up to where the person would stop.
        const failsAt = random() < 0.01 ? random() * target : Infinity;
        let pos = 0;
        after(0.5, 3);
        yield base('play', { assetId, position: 0 });
        let watched = 0;
        while (pos < target || pos >= failsAt) {
          const next = Math.min(target, pos + progressEvery);
          const step = next - pos;
          if (next >= failsAt) {
            const at = Math.max(pos, failsAt);
            after(0, at - pos);
            yield base('error', {
              assetId,
              position: Math.round(at * 1000),
              properties: { code: pick(ERROR_CODES, random) },
            });
            return;
          }
          pos = next;
          watched += step;
          after(step, step);
          if (pos >= duration) break;
          if (pos < target) yield base('progress', { assetId, position: Math.round(pos * 1000) });
          const roll = random();
          if (roll < 0.02) {
            yield base('pause', { assetId, position: Math.round(pos * 1000) });
            after(5, 300);
            // A resume reports where playback is; `play` marks a start, and each start is a view.
            yield base('progress', { assetId, position: Math.round(pos * 1000) });
          } else if (roll < 0.035) {
            // Forward more often than back; a forward seek skips part of what was to be watched.
            const to = Math.max(
              0,
              Math.min(duration - 1, pos + (random() < 0.7 ? 10 + random() * 110 : -(10 + random() * 20))),
            );
            yield base('seek', {
              assetId,
              position: Math.round(to * 1000),
              properties: { from: Math.round(pos * 1000) },
            });
            pos = to;
          }
        }
        if (pos >= duration) yield base('complete', { assetId, position: Math.round(duration * 1000) });
        if (watched / duration > 0.5 && random() < 0.04) {
          after(1, 20);
          yield base('share', { assetId, properties: { channel: pick(SHARE_CHANNELS, random) } });
        }
      };

      // Clicks down a list by the position-based model, then a play of each click, in rank order.
      const clicks = function* (
        shown: readonly number[],
        detail: (rank: number) => Partial<SyntheticEvent>,
      ): Generator<SyntheticEvent> {
        const clicked = pbmClicks(shown.map(attractiveness), random, decay).map((i) => ({
          r: shown[i]!,
          rank: i + 1,
        }));
        for (const { r, rank } of clicked.slice(0, 3)) {
          after(2, 15);
          yield base('click', { assetId: byRank[r]!.id, ...detail(rank) });
          yield* play(r);
        }
      };

      const steps: Generator<SyntheticEvent>[] = [];
      // The home row: a few popular assets, each an impression.
      if (random() < 0.6) {
        const row = distinct(6, () => popular(), byRank.length);
        steps.push(
          (function* () {
            for (const [i, r] of row.entries())
              yield base('impression', {
                assetId: byRank[r]!.id,
                properties: { surface: 'home', rank: i + 1 },
              });
            yield* clicks(row, (rank) => ({ properties: { surface: 'home', rank } }));
          })(),
        );
      }
      const searches = pick(
        [
          [0, 0.3],
          [1, 0.35],
          [2, 0.2],
          [3, 0.1],
          [4, 0.05],
        ],
        random,
      );
      for (let q = 0; q < searches; q++) {
        steps.push(
          (function* () {
            after(3, 60);
            const query = makeQuery(byRank, popular, random);
            const hits = engine.search(query.text);
            const found = hits.length === 0 && query.intended ? engine.search(query.intended) : hits;
            const ranked = reRank(found.slice(0, 3 * RESULTS_SHOWN), random).slice(0, RESULTS_SHOWN);
            const shown = ranked.map((r) => byRank[r]!.id);
            yield base('search', {
              search: {
                query: query.text,
                ...(shown.length > 0 ? { resultIds: shown } : {}),
                totalHits: found.length,
              },
            });
            yield* clicks(ranked, (rank) => ({ search: { query: query.text, clickedRank: rank } }));
          })(),
        );
      }
      // A deep link: straight into a play, from outside.
      if (random() < 0.3) steps.push(play(popular()));

      for (const step of steps)
        for (const event of step) {
          if (left <= 0) return;
          left--;
          yield event;
        }
    }
  }
}

/** Results near in popularity trade places a little: relevance is not popularity alone. */
function reRank(ranks: readonly number[], random: () => number): number[] {
  return ranks
    .map((r, i) => ({ r, key: i + 3 * gumbel(random) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.r);
}

const gumbel = (random: () => number) => -Math.log(-Math.log(Math.max(1e-12, random())));

interface Query {
  text: string;
  /** What a mistyped query meant, when a fuzzy match rescues it (60% of typos). */
  intended?: string;
}

/** A query: words from a popular asset's title or one of its tags; some mistyped, some noise. */
function makeQuery(byRank: readonly EventAsset[], popular: () => number, random: () => number): Query {
  const roll = random();
  if (roll < 0.05) {
    // Noise nobody's library holds: a zero-result query.
    const letters = 'bcdfghjklmnpqrstvwxz';
    const word = Array.from(
      { length: 6 + Math.floor(random() * 4) },
      () => letters[Math.floor(random() * letters.length)],
    );
    return { text: `${word.join('')}q` };
  }
  const asset = byRank[popular()]!;
  const titleWords = queryTokens(asset.title);
  let text: string;
  if ((random() < 0.4 && asset.tags.length > 0) || titleWords.length === 0) {
    text = (asset.tags[Math.floor(random() * asset.tags.length)] ?? asset.title).toLowerCase();
  } else {
    const n = Math.min(titleWords.length, 1 + Math.floor(random() * 3));
    const from = Math.floor(random() * (titleWords.length - n + 1));
    text = titleWords.slice(from, from + n).join(' ');
  }
  text = text.slice(0, 200);
  if (roll < 0.15) {
    const typo = misspell(text, random);
    return random() < 0.6 ? { text: typo, intended: text } : { text: typo };
  }
  return { text };
}

/** One slip of the finger: a letter dropped, doubled, swapped with the next, or replaced. */
export function misspell(text: string, random: () => number): string {
  const letters = [...text];
  const at = letters.findIndex(
    (_, i) => i >= Math.floor(random() * letters.length) && /\p{L}/u.test(letters[i]!),
  );
  const i = at === -1 ? 0 : at;
  switch (Math.floor(random() * 4)) {
    case 0:
      letters.splice(i, 1);
      break;
    case 1:
      letters.splice(i, 0, letters[i]!);
      break;
    case 2:
      if (i + 1 < letters.length) [letters[i], letters[i + 1]] = [letters[i + 1]!, letters[i]!];
      else letters.splice(i, 1);
      break;
    default:
      letters[i] = 'qxzj'[Math.floor(random() * 4)]!;
  }
  const typo = letters.join('').trim();
  return typo === text || typo === '' ? `${text}x` : typo;
}

function durationOf(asset: EventAsset): number | undefined {
  if (asset.durationSeconds && asset.durationSeconds > 0) return asset.durationSeconds;
  if (asset.type === undefined) return PLAYABLE_DURATION.VIDEO;
  return PLAYABLE_DURATION[asset.type];
}

/**
 * A start in [startMs, endMs]: a day, then an hour by the daily cycle. Always three draws, so the
 * same seed tells the same story whatever `end` is; only the times move.
 */
function sessionStart(random: () => number, hourOf: () => number, startMs: number, endMs: number): number {
  const DAY = 86_400_000;
  const span = Math.max(1, Math.ceil((endMs - startMs) / DAY));
  const day = Math.floor(startMs / DAY) * DAY + Math.floor(random() * span) * DAY;
  let t = day + hourOf() * 3600_000 + Math.floor(random() * 3600_000);
  // The first calendar day is partial: its hours before the window are the last day's, a window's
  // length later (moving them one day on gave the second day two days' sessions).
  if (t < startMs) t += span * DAY;
  if (t > endMs) t -= span * DAY;
  return Math.min(endMs, Math.max(startMs, t));
}

function pick<T>(list: Weighted<T>, random: () => number): T {
  const total = list.reduce((n, [, w]) => n + w, 0);
  let x = random() * total;
  for (const [value, w] of list) if ((x -= w) < 0) return value;
  return list[list.length - 1]![0];
}

function distinct(n: number, draw: () => number, size: number): number[] {
  const seen = new Set<number>();
  for (let tries = 0; seen.size < Math.min(n, size) && tries < n * 20; tries++) seen.add(draw());
  return [...seen];
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A version-4 uuid from the seeded stream. */
function uuid(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
