/**
 * Learning from clicks (issue 22, docs/clicks.md): search impressions and clicks become per-query
 * document boosts through the position-based click model (PBM), P(click) = P(examine rank) ·
 * P(attractive | query, document), fitted by EM (Chuklin, Markov, de Rijke: "Click Models for Web
 * Search", 2015, ch. 4). Pure: the service feeds it pages of events and stores what it returns.
 *
 * Influence is bounded before the model sees anything: one voter (a user token, or a session's
 * where there is no user) counts one impression and at most one click per shown document and
 * session, and all of a voter's sessions of one query together weigh 1. A document needs several
 * distinct voters before it gets any boost, and each boost is bounded, so no single client (one
 * person clicking one document thousands of times) can move a ranking.
 */

/** The bounds and priors of the click learning. */
export const CLICK_LEARNING = {
  /** Events of this many days before the run are learnt from. */
  windowDays: 30,
  /** Distinct voters a document must have been shown to (for a query) before it gets a boost. */
  minVoters: 3,
  /** …and distinct voters who clicked it, for a positive boost. */
  minClickVoters: 2,
  /** Boosts multiply the score by (1 + boost): at most doubled, at worst halved. */
  maxBoost: 1,
  minBoost: -0.5,
  /** Pseudo-examinations at the query's mean attractiveness (Bayesian shrinkage of thin evidence). */
  priorExaminations: 3,
  /** EM iterations (it converges in far fewer on such data). */
  iterations: 40,
  /** Ranks modelled one by one; deeper ranks share the last one's examination. */
  ranks: 50,
  /** Boosts kept per query: the strongest, both ways. */
  boostsPerQuery: 50,
  /** Bounds on what one run holds in memory; past them further events are skipped (and counted). */
  maxQueries: 20_000,
  maxSessions: 500_000,
  /** A query is suggested once this many distinct voters have searched it (also a privacy floor). */
  suggestMinVoters: 3,
} as const;

/** Queries are keyed by this form: lower case, NFKC, single spaces, at most 500 characters. */
export const QUERY_KEY_MAX = 500;
export function normalizeQuery(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, QUERY_KEY_MAX).trim();
}

/** A search or a click, as the analytics store gives them to the learning (consented, with a voter). */
export interface SearchInteraction {
  id: string;
  type: 'search' | 'click';
  occurredAt: Date;
  userToken: string | null;
  sessionToken: string | null;
  query: string;
  /** A search's results shown, in order. */
  resultIds: string[];
  totalHits: number | null;
  /** A click's 1-based rank and asset. */
  clickedRank: number | null;
  assetId: string | null;
}

/** A query's boost of one document: the score is multiplied by (1 + boost). */
export interface ClickBoost {
  assetId: string;
  boost: number;
}

export interface LearnedBoost extends ClickBoost {
  query: string;
  /** Distinct voters shown the document for the query, and who clicked it. */
  voters: number;
  clickVoters: number;
  /** The model's attractiveness estimate (before shrinkage). */
  attractiveness: number;
}

export interface QueryStats {
  query: string;
  /** The spelling most searched (first seen on ties). */
  display: string;
  searches: number;
  zeroResultSearches: number;
  /** Searches with at least one click (each search counted once). */
  clickedSearches: number;
  voters: number;
}

export interface ClickModelResult {
  boosts: LearnedBoost[];
  queries: QueryStats[];
  /** Examination probability per rank (rank 1 first), as fitted. */
  examination: number[];
  /** Events used, and skipped (no voter, a click on nothing shown, past the memory bounds). */
  used: number;
  skipped: number;
}

interface SessionQuery {
  voter: string;
  query: string;
  /** Each shown document's best (lowest) rank in the session. */
  shown: Map<string, number>;
  clicked: Set<string>;
}

interface QueryAccumulator {
  display: Map<string, number>;
  searches: number;
  zero: number;
  voters: Set<string>;
  /** Searches (by event id) that had a click. */
  clickedSearches: number;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Accumulates pages of interactions in time order, then fits the model (`fit`). Memory is bounded
 * by `CLICK_LEARNING.maxQueries` and `maxSessions`.
 */
export class ClickLog {
  private readonly sessions = new Map<string, SessionQuery>();
  private readonly queries = new Map<string, QueryAccumulator>();
  /** The latest search per session and query: a click is credited to the list it was made on. */
  private readonly lastSearch = new Map<string, { id: string; results: string[]; clicked: boolean }>();
  private used = 0;
  private skipped = 0;

  constructor(
    private readonly bounds: Pick<typeof CLICK_LEARNING, 'maxQueries' | 'maxSessions'> = CLICK_LEARNING,
  ) {}

  add(events: readonly SearchInteraction[]): void {
    for (const e of events) this.addOne(e);
  }

  private addOne(e: SearchInteraction): void {
    const voter = e.userToken ? `u:${e.userToken}` : e.sessionToken ? `s:${e.sessionToken}` : null;
    const query = normalizeQuery(e.query);
    // Anonymous events (no consent, or neither token) cannot be capped per person: not learnt from.
    if (!voter || !query) return void this.skipped++;
    const session = `${voter}\u0000${e.sessionToken ?? ''}`;
    const key = `${session}\u0000${query}`;
    if (e.type === 'search') {
      let q = this.queries.get(query);
      if (!q) {
        if (this.queries.size >= this.bounds.maxQueries) return void this.skipped++;
        q = { display: new Map(), searches: 0, zero: 0, voters: new Set(), clickedSearches: 0 };
        this.queries.set(query, q);
      }
      const spelled = e.query.trim().replace(/\s+/g, ' ').slice(0, QUERY_KEY_MAX);
      q.display.set(spelled, (q.display.get(spelled) ?? 0) + 1);
      q.searches++;
      if (e.totalHits === 0) q.zero++;
      q.voters.add(voter);
      this.lastSearch.set(key, { id: e.id, results: e.resultIds, clicked: false });
      let s = this.sessions.get(key);
      if (!s) {
        if (this.sessions.size >= this.bounds.maxSessions) return void this.skipped++;
        s = { voter, query, shown: new Map(), clicked: new Set() };
        this.sessions.set(key, s);
      }
      e.resultIds.forEach((id, i) => {
        const rank = i + 1;
        if ((s.shown.get(id) ?? Infinity) > rank) s.shown.set(id, rank);
      });
      this.used++;
      return;
    }
    const last = this.lastSearch.get(key);
    const s = this.sessions.get(key);
    // A click on nothing this session was shown for the query teaches nothing (and cannot be capped).
    if (!last || !s || !e.assetId) return void this.skipped++;
    const at = e.clickedRank !== null && last.results[e.clickedRank - 1] === e.assetId;
    if (!at && !last.results.includes(e.assetId)) return void this.skipped++;
    s.clicked.add(e.assetId);
    if (!last.clicked) {
      last.clicked = true;
      this.queries.get(query)!.clickedSearches++;
    }
    this.used++;
  }

  /** Fits the PBM on what was added and returns the bounded boosts and the query statistics. */
  fit(options: Partial<typeof CLICK_LEARNING> = {}): ClickModelResult {
    const o = { ...CLICK_LEARNING, ...options };
    // Each voter's sessions of a query together weigh 1.
    const sessionsOf = new Map<string, number>();
    for (const s of this.sessions.values()) {
      const k = `${s.voter}\u0000${s.query}`;
      sessionsOf.set(k, (sessionsOf.get(k) ?? 0) + 1);
    }
    // Cells: (query, document, rank) with the weight shown there and the weight clicked there.
    interface Pair {
      query: string;
      assetId: string;
      voters: Set<string>;
      clickVoters: Set<string>;
      cells: Map<number, { w: number; c: number }>;
      alpha: number;
    }
    const pairs = new Map<string, Pair>();
    for (const s of this.sessions.values()) {
      const weight = 1 / sessionsOf.get(`${s.voter}\u0000${s.query}`)!;
      for (const [assetId, shownRank] of s.shown) {
        const rank = Math.min(shownRank, o.ranks);
        const k = `${s.query}\u0000${assetId}`;
        let p = pairs.get(k);
        if (!p) {
          p = {
            query: s.query,
            assetId,
            voters: new Set(),
            clickVoters: new Set(),
            cells: new Map(),
            alpha: 0.2,
          };
          pairs.set(k, p);
        }
        p.voters.add(s.voter);
        const clicked = s.clicked.has(assetId);
        if (clicked) p.clickVoters.add(s.voter);
        const cell = p.cells.get(rank) ?? { w: 0, c: 0 };
        cell.w += weight;
        if (clicked) cell.c += weight;
        p.cells.set(rank, cell);
      }
    }
    const examination = fitPbm([...pairs.values()], o.ranks, o.iterations);
    const boosts: LearnedBoost[] = [];
    const byQuery = new Map<string, Pair[]>();
    for (const p of pairs.values()) {
      const list = byQuery.get(p.query);
      if (list) list.push(p);
      else byQuery.set(p.query, [p]);
    }
    for (const [query, list] of byQuery) {
      // The query's mean attractiveness, weighted by examinations: what thin evidence shrinks to.
      let num = 0;
      let den = 0;
      const exams = new Map<Pair, number>();
      for (const p of list) {
        let e = 0;
        for (const [rank, cell] of p.cells) e += cell.w * examination[rank - 1]!;
        exams.set(p, e);
        num += p.alpha * e;
        den += e;
      }
      if (den === 0) continue;
      const mean = num / den;
      const floor = Math.max(mean, 0.05);
      const learned: LearnedBoost[] = [];
      for (const p of list) {
        if (p.voters.size < o.minVoters) continue;
        const e = exams.get(p)!;
        const shrunk = (p.alpha * e + mean * o.priorExaminations) / (e + o.priorExaminations);
        let boost = clamp((shrunk - mean) / floor, o.minBoost, o.maxBoost);
        if (boost > 0 && p.clickVoters.size < o.minClickVoters) boost = 0;
        boost = Math.round(boost * 1000) / 1000;
        if (boost === 0) continue;
        learned.push({
          query,
          assetId: p.assetId,
          boost,
          voters: p.voters.size,
          clickVoters: p.clickVoters.size,
          attractiveness: Math.round(p.alpha * 10_000) / 10_000,
        });
      }
      learned.sort((a, b) => Math.abs(b.boost) - Math.abs(a.boost) || a.assetId.localeCompare(b.assetId));
      boosts.push(...learned.slice(0, o.boostsPerQuery));
    }
    const queries: QueryStats[] = [...this.queries].map(([query, q]) => ({
      query,
      display: [...q.display].reduce((best, x) => (x[1] > best[1] ? x : best))[0],
      searches: q.searches,
      zeroResultSearches: q.zero,
      clickedSearches: q.clickedSearches,
      voters: q.voters.size,
    }));
    return { boosts, queries, examination, used: this.used, skipped: this.skipped };
  }
}

/**
 * EM for the PBM on weighted cells. Sets each pair's `alpha`; returns the examination per rank,
 * anchored at rank 1 = 1 (the model is identified only up to that scale). Examination starts at the
 * DCG discount 1/log2(r + 1) and moves where the same document was shown at several ranks.
 */
export function fitPbm(
  pairs: { cells: Map<number, { w: number; c: number }>; alpha: number }[],
  ranks: number,
  iterations: number,
): number[] {
  let theta = Array.from({ length: ranks }, (_, i) => 1 / Math.log2(i + 2));
  for (const p of pairs) p.alpha = 0.2;
  const eps = 1e-6;
  for (let it = 0; it < iterations; it++) {
    const thetaNum = new Array<number>(ranks).fill(0);
    const thetaDen = new Array<number>(ranks).fill(0);
    for (const p of pairs) {
      let aNum = 0;
      let aDen = 0;
      const a = p.alpha;
      for (const [rank, { w, c }] of p.cells) {
        const t = theta[rank - 1]!;
        const miss = w - c;
        const denom = Math.max(1 - t * a, eps);
        aNum += c + (miss * (1 - t) * a) / denom;
        aDen += w;
        thetaNum[rank - 1]! += c + (miss * t * (1 - a)) / denom;
        thetaDen[rank - 1]! += w;
      }
      p.alpha = aDen > 0 ? clamp(aNum / aDen, eps, 1 - eps) : a;
    }
    const next = theta.map((t, i) => (thetaDen[i]! > 0 ? clamp(thetaNum[i]! / thetaDen[i]!, eps, 1) : t));
    // Anchor: rank 1 is examined. Attractiveness takes the scale the anchor removes.
    const top = next[0]!;
    theta = next.map((t) => clamp(t / top, eps, 1));
    for (const p of pairs) p.alpha = clamp(p.alpha * top, eps, 1 - eps);
  }
  return theta;
}
