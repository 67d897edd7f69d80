/** 83 → "1:23", 3723 → "1:02:03": how players show a position. */
export function formatSeconds(seconds: number): string {
  const s = Math.floor(seconds);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleString();
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 minutes ago", "in 2 hours", "just now": how far `iso` is from `now`. */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const fmt = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return fmt.format(Math.trunc(seconds / size), unit);
  }
  return Math.abs(seconds) < 10 ? 'just now' : fmt.format(seconds, 'second');
}

const MAX_CHARS = 300;

/** A diff value in words: names for lists of entities, key: value for objects, long text cut. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value.length > MAX_CHARS ? `${value.slice(0, MAX_CHARS)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(itemLabel).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join('; ');
  }
  return JSON.stringify(value);
}

function itemLabel(item: unknown): string {
  if (!item || typeof item !== 'object') return formatValue(item);
  const r = item as Record<string, unknown>;
  const name = r.name ?? r.term ?? r.timestamp ?? r.targetId;
  if (typeof name !== 'string') return JSON.stringify(item);
  return r.locked === true ? `${name} (locked)` : name;
}

/** 1234 → "1,234", grouped as the reader's locale groups digits. */
export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** "VIDEO" → "Video": an asset type as a reader says it. */
export function typeLabel(type: string): string {
  return type.charAt(0).toUpperCase() + type.slice(1).toLowerCase();
}

// Source systems whose names are acronyms; any other shows as it was ingested.
const SOURCE_NAMES: Record<string, string> = { ted: 'TED', api: 'API', cisi: 'CISI', cms: 'CMS' };

/** "ted" → "TED": a source system's name for people rather than for the API. */
export function sourceLabel(system: string): string {
  return SOURCE_NAMES[system.toLowerCase()] ?? system;
}

/** An instant to the minute in UTC ("2026-12-07 14:05 UTC"), or `none` when there is none. */
export function formatUtcMinute(iso: string | null, none = 'never'): string {
  return iso ? `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC` : none;
}
