import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { dateTime, real } from '../../domain/ranges.js';
import type { SearchSort } from '../search-index.js';

// Relevance cursor: the last hit's score and id; browse cursor: its creation time and id.
const CursorSchema = z.union([
  z.object({
    m: z.literal('r'),
    s: z.number(),
    id: z.uuid(),
    // The statistics page one was scored with, so that later pages score the same way while
    // assets keep arriving: terms, their query weights and document frequencies, N, avgdl.
    // Bounded as the statistics are (0 ≤ N, df ≤ 2^53; avgdl ≥ 1; a term's weight a small count),
    // so idf and BM25 stay defined and finite in float8 (idfSql floors N − df at 0).
    q: z.object({
      t: z.array(z.string()).max(1024),
      w: z.array(z.number().min(0).max(1e6)).max(1024),
      df: z.array(z.number().min(0).max(Number.MAX_SAFE_INTEGER)).max(1024),
      n: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      avgdl: z.number().min(1).max(Number.MAX_SAFE_INTEGER),
      // Ranking features page one applied (ranking-features.ts): `o`, the query's own terms (the
      // first `o`; the rest came from feedback; absent: all); `x`, proximity rescoring.
      o: z.number().int().min(0).max(1024).optional(),
      x: z.boolean().optional(),
    }),
  }),
  z.object({ m: z.literal('c'), t: dateTime(), id: z.uuid() }),
  // Popularity: learned popularity (l; absent in cursors made before it existed: 0), the source's views, id.
  z.object({ m: z.literal('p'), p: real(), id: z.uuid(), l: z.number().optional() }),
  // Trending: trending, learned popularity, the source's views, id.
  z.object({ m: z.literal('t'), t: z.number(), l: z.number(), p: real(), id: z.uuid() }),
]);
export type Cursor = z.infer<typeof CursorSchema>;

/** The query's terms, their weights and the statistics a ranking scores them with. */
export type RankSnapshot = Extract<Cursor, { m: 'r' }>['q'];

/** A cursor from a previous page; a foreign or altered one is a ValidationError. */
export function readCursor(cursor: string): Cursor {
  return decodeCursor(cursor, CursorSchema);
}

/** The cursor after a page's last row, for its sort (a relevance cursor keeps the snapshot). */
export function cursorOf(
  sort: SearchSort,
  r: {
    asset_id: string;
    score: number;
    created_at: Date;
    popularity: number;
    learned_popularity: number;
    trending: number;
  },
  snapshot?: RankSnapshot,
): string {
  switch (sort) {
    case 'relevance':
      return encodeCursor({ m: 'r', s: r.score, id: r.asset_id, q: snapshot });
    case 'createdAt':
      return encodeCursor({ m: 'c', t: new Date(r.created_at).toISOString(), id: r.asset_id });
    case 'popularity':
      return encodeCursor({ m: 'p', p: r.popularity, id: r.asset_id, l: r.learned_popularity });
    case 'trending':
      return encodeCursor({
        m: 't',
        t: r.trending,
        l: r.learned_popularity,
        p: r.popularity,
        id: r.asset_id,
      });
  }
}

const CURSOR_MODES: Record<SearchSort, Cursor['m']> = {
  relevance: 'r',
  createdAt: 'c',
  popularity: 'p',
  trending: 't',
};

/** Whether a cursor was made for this sort (one from another sort continues nothing). */
export function cursorFits(sort: SearchSort, cursor: Cursor): boolean {
  return cursor.m === CURSOR_MODES[sort];
}
