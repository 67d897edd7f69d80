import { isDeepStrictEqual } from 'node:util';

/** One field that differs between two states of an asset. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

/**
 * The fields whose values differ between two asset snapshots, in field order. Nested objects
 * (enrichment, technical metadata) are compared one level down, so a diff names
 * `enrichment.tags` rather than the whole enrichment. A field missing on one side reads as null.
 */
export function diffSnapshots(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const field of fields) {
    const a = before[field] ?? null;
    const b = after[field] ?? null;
    if (isDeepStrictEqual(a, b)) continue;
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const sub of diffSnapshots(a, b)) changes.push({ ...sub, field: `${field}.${sub.field}` });
    } else {
      changes.push({ field, old: a, new: b });
    }
  }
  return changes;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
