import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** Opaque page cursors: base64url JSON, validated on the way back in. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string, schema: T): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('cursor is not one this API issued', { field: 'cursor' });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('cursor is not one this API issued', { field: 'cursor' });
  return parsed.data;
}

/**
 * One page of a keyset listing, from `limit + 1` rows read past the cursor: the first `limit`, and
 * a cursor after the last of them when there were more.
 */
export function pageOf<T>(
  rows: T[],
  limit: number,
  positionOf: (last: T) => unknown,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}
