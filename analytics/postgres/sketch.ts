import { createHash } from 'node:crypto';

/*
 * The unique-viewer sketch: PCSA (probabilistic counting with stochastic averaging, Flajolet and
 * Martin 1985). A token's hash picks one of 256 bitmaps and sets bit ρ, the number of trailing zeros
 * of the rest of the hash. Sketches merge with a bitwise OR (SQL `bit_or`), so an hour's, a day's,
 * an asset's and a whole range's viewers all come from the rollups; the estimate is
 * `analytics_viewers_estimate` (migration 0032). Relative standard error 0.78 / √256 ≈ 4.9 %.
 */
export const SKETCH_BITMAPS = 256;
export const SKETCH_BITMAP_BITS = 32;
/** The documented relative standard error of the estimate. */
export const SKETCH_RELATIVE_ERROR = 0.78 / Math.sqrt(SKETCH_BITMAPS);

/** The bit a viewer's token sets in a sketch (0 = the leftmost bit of the bit(8192) column). */
export function sketchBit(userToken: string): number {
  const h = createHash('sha1').update(userToken).digest();
  const bitmap = h.readUInt16BE(0) % SKETCH_BITMAPS;
  const rest = h.readUInt32BE(2);
  let rho = 0;
  while (rho < SKETCH_BITMAP_BITS - 1 && ((rest >>> rho) & 1) === 0) rho += 1;
  return bitmap * SKETCH_BITMAP_BITS + rho;
}
