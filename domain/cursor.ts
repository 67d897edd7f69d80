import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { ValidationError } from './errors.js';

/**
 * Page cursors as services and adapters make them: base64url JSON, validated against a schema on the
 * way back in. Clients never see these bare: the API signs them (CursorSigner, below).
 */
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

const MAC_BYTES = 16;
const REFUSED = 'cursor is not one this API issued for this query';

/**
 * Signs the cursors the API hands out and checks those that come back: `<cursor>.<mac>`, the MAC an
 * HMAC-SHA256 (cut to 128 bits) over the cursor and the query it pages, so that an altered cursor, a
 * made-up one, or one from another query is refused as a 400 before it reaches a service or SQL.
 * The secret is CURSOR_SECRET, or random per process: cursors then do not outlive the process.
 */
export class CursorSigner {
  private readonly key: Buffer;

  constructor(secret: string | Buffer = randomBytes(32)) {
    this.key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  }

  /** `binding` names the query a cursor continues (queryBinding). */
  sign(cursor: string, binding: string): string {
    return `${cursor}.${this.mac(cursor, binding).toString('base64url')}`;
  }

  /** The cursor as it was issued for `binding`; a ValidationError for anything else. */
  verify(signed: string, binding: string): string {
    const dot = signed.lastIndexOf('.');
    const cursor = signed.slice(0, dot);
    const given = Buffer.from(signed.slice(dot + 1), 'base64url');
    const expected = this.mac(cursor, binding);
    if (dot < 1 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ValidationError(REFUSED, { field: 'cursor' });
    }
    return cursor;
  }

  private mac(cursor: string, binding: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`${binding}\n${cursor}`, 'utf8')
      .digest()
      .subarray(0, MAC_BYTES);
  }
}

/**
 * What a cursor is bound to: a digest of its route, its tenant and the query's parameters (keys
 * sorted; presentation-only ones left out by the caller), so a cursor continues only the query it
 * came from.
 */
export function queryBinding(parts: {
  route: string;
  tenantId: string;
  params: unknown;
  query: unknown;
}): string {
  return createHash('sha256').update(stableJson(parts), 'utf8').digest('base64url');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
