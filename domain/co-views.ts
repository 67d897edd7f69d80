/*
 * "Viewers also watched": item-to-item co-occurrence within sessions, normalised so that a
 * blockbuster does not relate to everything. The analytics store counts (sessions per asset, sessions
 * per pair, under the caps below); these pure functions turn the counts into each asset's partners.
 */

export const CO_VIEW = {
  /** Sessions whose plays and completes fall in the last `windowDays` count. */
  windowDays: 30,
  /** A pair needs at least this many sessions: two people's habits are no relation. */
  minSessions: 3,
  /**
   * A session that played more distinct assets than this is skipped (a crawler, a kiosk, an
   * autoplay loop): like a supernode, it would relate everything it touched to everything else.
   * It also bounds the pairs one session adds to maxAssetsPerSession² / 2.
   */
  maxAssetsPerSession: 50,
  /** Each asset keeps its `partnersPerAsset` best partners (top K). */
  partnersPerAsset: 20,
  /**
   * Shrinkage λ: the cosine is multiplied by n / (n + λ), so 3 sessions keep 37 % of it and 50
   * sessions 91 %: a pair seen rarely but only together does not outrank a pair seen often.
   */
  shrinkage: 5,
  /** Anchor assets per page of a recomputation (one analytics query and one transaction each). */
  assetsPerPage: 200,
  /** Pages per tenant per scheduled run: bounded work per run; the next run continues. */
  pagesPerRun: 20,
} as const;

export interface CoViewOptions {
  minSessions: number;
  partnersPerAsset: number;
  shrinkage: number;
}

/** A pair of assets played in the same sessions, counted once per session. */
export interface CoViewPair {
  assetId: string;
  relatedId: string;
  sessions: number;
}

/** An asset's partner: how many sessions played both, and the normalised score in (0, 1]. */
export interface CoViewPartner {
  relatedId: string;
  sessions: number;
  score: number;
}

const round = (x: number) => Math.round(x * 1_000_000) / 1_000_000;

/**
 * Cosine of the two assets' session sets, `both / √(a · b)`, shrunk by `both / (both + λ)`. A
 * blockbuster played in every session has a large `a`, so co-occurring with it says little.
 */
export function coViewScore(both: number, a: number, b: number, shrinkage: number): number {
  if (!(both > 0) || !(a > 0) || !(b > 0)) return 0;
  const cosine = Math.min(1, both / Math.sqrt(a * b));
  return round(cosine * (both / (both + shrinkage)));
}

/**
 * Each anchor's partners: pairs under the minimum support dropped, the rest scored (`coViewScore`
 * with each asset's session count) and the best `partnersPerAsset` kept, best first (ties: more
 * sessions, then the smaller id). An anchor without partners maps to an empty list.
 */
export function coViewPartners(
  anchors: string[],
  pairs: CoViewPair[],
  sessionsPerAsset: ReadonlyMap<string, number>,
  options: CoViewOptions,
): Map<string, CoViewPartner[]> {
  const out = new Map<string, CoViewPartner[]>(anchors.map((id) => [id, []]));
  for (const p of pairs) {
    const list = out.get(p.assetId);
    if (!list || p.relatedId === p.assetId || p.sessions < options.minSessions) continue;
    const score = coViewScore(
      p.sessions,
      sessionsPerAsset.get(p.assetId) ?? 0,
      sessionsPerAsset.get(p.relatedId) ?? 0,
      options.shrinkage,
    );
    if (score > 0) list.push({ relatedId: p.relatedId, sessions: p.sessions, score });
  }
  for (const [id, list] of out) {
    list.sort((x, y) => y.score - x.score || y.sessions - x.sessions || (x.relatedId < y.relatedId ? -1 : 1));
    out.set(id, list.slice(0, options.partnersPerAsset));
  }
  return out;
}

/**
 * The counts an analytics store answers with, computed in memory from each session's assets: the
 * definition every adapter's SQL follows (the contract suite compares them). Sessions with more
 * than `maxAssetsPerSession` distinct assets are skipped; an asset's count is its sessions.
 */
export function countCoViews(
  sessions: Iterable<Iterable<string>>,
  maxAssetsPerSession: number,
): { pairs: CoViewPair[]; sessionsPerAsset: Map<string, number> } {
  const perAsset = new Map<string, number>();
  const perPair = new Map<string, CoViewPair>();
  for (const session of sessions) {
    const assets = [...new Set(session)].sort();
    if (assets.length > maxAssetsPerSession) continue;
    for (const a of assets) perAsset.set(a, (perAsset.get(a) ?? 0) + 1);
    for (const a of assets)
      for (const b of assets) {
        if (a === b) continue;
        const key = `${a} ${b}`;
        const pair = perPair.get(key) ?? { assetId: a, relatedId: b, sessions: 0 };
        pair.sessions++;
        perPair.set(key, pair);
      }
  }
  return { pairs: [...perPair.values()], sessionsPerAsset: perAsset };
}

/** The words a co-view reason shows: "12 sessions watched both". */
export const coViewReasonName = (sessions: number) =>
  `${sessions} ${sessions === 1 ? 'session' : 'sessions'} watched both`;
