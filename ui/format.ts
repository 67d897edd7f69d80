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
