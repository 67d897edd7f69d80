import { z } from 'zod';

/**
 * The ranges of values that reach a column, checked where a request (or a cursor) comes in, so that
 * nothing the API accepted fails later in Postgres, a projection or an adapter. docs/security.md
 * lists them.
 */

/**
 * Instants the service accepts: years 1000 to 9999, UTC. Postgres `timestamptz` reaches further, but
 * it has no year 0 (so "0000-…" and "0001-01-01T00:00:00+14:00", which is 1 BC in UTC, fail there),
 * and a JavaScript Date prints years past 9999 with a sign no ISO 8601 reader of the API takes.
 */
export const DATE_RANGE = { min: '1000-01-01T00:00:00.000Z', max: '9999-12-31T23:59:59.999Z' } as const;
const MIN_DATE_MS = Date.parse(DATE_RANGE.min);
const MAX_DATE_MS = Date.parse(DATE_RANGE.max);

export function inDateRange(instant: Date | string): boolean {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return ms >= MIN_DATE_MS && ms <= MAX_DATE_MS;
}

/** An ISO 8601 date-time with Z or an offset, within DATE_RANGE once in UTC. */
export const dateTime = () =>
  z.iso.datetime({ offset: true }).refine((s) => inDateRange(s), {
    message: `must be between ${DATE_RANGE.min.slice(0, 10)} and ${DATE_RANGE.max.slice(0, 10)} (UTC)`,
  });

/** Postgres `integer` (int4): versions, counts. */
export const INT4_MAX = 2_147_483_647;

/**
 * The int4 bound as a refinement: it is checked, but left out of the published JSON Schema, where a
 * new `maximum` would read as a breaking change for values that never worked (they failed in SQL).
 */
export const fitsInt4 = [(v: number) => v <= INT4_MAX, `must be at most ${INT4_MAX}`] as const;

/** Postgres `real` (float4): the largest finite value, and the smallest normal one above 0. */
const REAL_MAX = 3.4028234e38;
const REAL_MIN_NORMAL = 1.1754944e-38;

/** Whether `real` stores x without overflow or underflow (Postgres refuses both, as errors). */
export function fitsReal(x: number): boolean {
  const a = Math.abs(x);
  return a === 0 || (a >= REAL_MIN_NORMAL && a <= REAL_MAX);
}

/** A number a `real` column compares with or stores. */
export const real = () => z.number().refine(fitsReal, { message: 'must fit a 32-bit float' });

/**
 * Seconds of media, as a filter: 0 to 100 years, to the millisecond (finer would underflow `real`).
 * The upper bound is a refinement, for the reason given at fitsInt4.
 */
export const MAX_SECONDS = 100 * 365 * 24 * 3600;
export const seconds = () =>
  z.coerce
    .number()
    .min(0)
    .refine((s) => s <= MAX_SECONDS, `must be at most ${MAX_SECONDS} (100 years)`)
    .transform((s) => Math.round(s * 1000) / 1000);
