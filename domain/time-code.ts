/**
 * Time codes: positions in media as transcripts write them ("[00:01:02]", "01:02", WebVTT's
 * "00:00:01.500", SRT's "00:00:01,500") and as the API answers them for `t=` deep links.
 */

/**
 * The regex source of one time code: `[h:]mm:ss` with up to three hour digits, or `m:ss`, with an
 * optional fraction after a dot or a comma. No groups, no anchors: patterns embed it.
 */
export const TIME_CODE = String.raw`(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?`;

const WHOLE_TIME_CODE = new RegExp(`^${TIME_CODE}$`);

/**
 * "01:02:03", "01:02", "00:00:01,500" → seconds (fractions kept); null for text that is not a time
 * code, or has impossible minutes or seconds. Minutes are unbounded without an hours field: "75:30"
 * is a valid mm:ss.
 */
export function parseTimeCode(text: string): number | null {
  if (!WHOLE_TIME_CODE.test(text)) return null;
  const parts = text.replace(',', '.').split(':').map(Number);
  const [hours, minutes, seconds] = parts.length === 3 ? parts : [0, ...parts];
  if (seconds! >= 60 || (parts.length === 3 && minutes! >= 60)) return null;
  return hours! * 3600 + minutes! * 60 + seconds!;
}

/** 3723 → "01:02:03": always hh:mm:ss; fractions are dropped, hours may exceed 99, negatives are 0. */
export function formatTimeCode(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}
