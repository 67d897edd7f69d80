/** What the connectors share when they map a feed's item to an asset input. */
import { errorMessage } from '../domain/errors.js';

/** The asset type of a medium (MRSS `medium`) or MIME type; TEXT when neither says. */
export function assetTypeOf(medium: string | undefined, mimeType: string | undefined): string {
  const m = (medium ?? mimeType?.split('/')[0] ?? '').toLowerCase();
  if (m === 'video') return 'VIDEO';
  if (m === 'audio') return 'AUDIO';
  if (m === 'image') return 'IMAGE';
  return 'TEXT';
}

/** The object without its undefined fields and empty lists and objects, so a digest of it is stable. */
export function compact<T extends Record<string, unknown>>(o: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** HTML reduced to its text: feeds put markup in descriptions; the asset keeps words. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/** An RFC 822 (RSS) or RFC 3339 date as ISO 8601; undefined when it is not a date. */
export function toIsoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** A field of a JSON object by a dotted path (`data.items`). */
export function pick(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Parses JSON, or throws what the caller names the failure with. */
export function parseJson(body: string, what: string, fail: (message: string) => Error): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw fail(`${what} is not JSON: ${errorMessage(err)}`);
  }
}

type Obj = Record<string, unknown>;
export const asObject = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : []).map((s) => str(s)?.trim()).filter((s): s is string => s !== undefined);

/**
 * The fields of an asset input from a flat JSON object, as a REST listing's item and a watched
 * folder's sidecar write them: `title`, `description`, `transcript`, `type` or `mimeType`, `url`,
 * `thumbnailUrl`, `durationSeconds`, `tags`, `speakers`, `contributors`, `publishedAt`. `known`
 * holds what the caller knows itself (a file's MIME type and size), the object's fields win.
 */
export function listingFields(
  item: Obj,
  known: { mimeType?: string | undefined; fileSizeBytes?: number | undefined } = {},
): Record<string, unknown> {
  const mimeType = str(item.mimeType) ?? known.mimeType;
  const type = str(item.type)?.toUpperCase() ?? assetTypeOf(undefined, mimeType);
  return compact({
    type,
    title: str(item.title)?.trim(),
    description: str(item.description),
    transcript: str(item.transcript),
    tags: strings(item.tags),
    speakers: strings(item.speakers),
    contributors: strings(item.contributors),
    technicalMetadata: compact({
      mediaUrl: str(item.url),
      mimeType,
      durationSeconds: typeof item.durationSeconds === 'number' ? item.durationSeconds : undefined,
      fileSizeBytes: known.fileSizeBytes,
      thumbnailUrl: str(item.thumbnailUrl),
    }),
    createdAt: toIsoDate(str(item.publishedAt)),
  });
}
