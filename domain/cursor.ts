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
