import { describe, expect, it } from 'vitest';
import { AssetInputSchema } from '../../domain/asset.js';
import { CursorSigner, decodeCursor, encodeCursor, queryBinding } from '../../domain/cursor.js';
import { normalizeEntityName } from '../../domain/entities.js';
import { ValidationError } from '../../domain/errors.js';
import { effectivePermissions, ROLE_PERMISSIONS } from '../../domain/permissions.js';
import { dateTime, fitsReal } from '../../domain/ranges.js';
import { z } from 'zod';

describe('entity names', () => {
  it('ignore case, accents, punctuation and spacing', () => {
    expect(normalizeEntityName('  Björk  Guðmundsdóttir ')).toBe('bjork guðmundsdottir');
    expect(normalizeEntityName('AI/ML')).toBe(normalizeEntityName('ai ml'));
    expect(normalizeEntityName('Ken Robinson')).toBe(normalizeEntityName('KEN   ROBINSON.'));
  });
});

describe('permissions', () => {
  it('never give a key more than its role allows', () => {
    expect(effectivePermissions('VIEWER', ['assets:write', 'search:read'])).toEqual(['search:read']);
  });
  it('give a key without requested scopes all of its role', () => {
    expect(effectivePermissions('EDITOR')).toEqual([...ROLE_PERMISSIONS.EDITOR]);
  });
});

describe('cursors', () => {
  const schema = z.object({ n: z.number() });
  it('round-trip', () => {
    expect(decodeCursor(encodeCursor({ n: 0.1 + 0.2 }), schema)).toEqual({ n: 0.1 + 0.2 });
  });
  it('reject anything the API did not issue', () => {
    expect(() => decodeCursor('not-a-cursor', schema)).toThrow(ValidationError);
    expect(() => decodeCursor(encodeCursor({ n: 'x' }), schema)).toThrow(ValidationError);
  });
});

describe('asset input', () => {
  it('fills defaults and lower-cases the file hash', () => {
    const parsed = AssetInputSchema.parse({ type: 'AUDIO', title: 'A', fileHash: 'AB'.repeat(32) });
    expect(parsed).toMatchObject({
      sourceSystem: 'api',
      tags: [],
      speakers: [],
      contributors: [],
      fileHash: 'ab'.repeat(32),
    });
  });
  it('trims contributors and bounds them like speakers', () => {
    const base = { type: 'VIDEO', title: 'A' };
    expect(AssetInputSchema.parse({ ...base, contributors: ['  Agnès Varda '] }).contributors).toEqual([
      'Agnès Varda',
    ]);
    expect(AssetInputSchema.safeParse({ ...base, contributors: ['  '] }).success).toBe(false);
    expect(AssetInputSchema.safeParse({ ...base, contributors: ['x'.repeat(201)] }).success).toBe(false);
    expect(AssetInputSchema.safeParse({ ...base, contributors: Array(101).fill('x') }).success).toBe(false);
  });
  it('rejects unknown fields and bad hashes', () => {
    expect(AssetInputSchema.safeParse({ type: 'AUDIO', title: 'A', colour: 'red' }).success).toBe(false);
    expect(AssetInputSchema.safeParse({ type: 'AUDIO', title: 'A', fileHash: 'xyz' }).success).toBe(false);
  });
  it('takes only http(s) URLs for the media and its thumbnail, which a browser loads', () => {
    const withMeta = (technicalMetadata: Record<string, string>) =>
      AssetInputSchema.safeParse({ type: 'VIDEO', title: 'A', technicalMetadata }).success;
    expect(withMeta({ mediaUrl: 'https://cdn.example.com/a.mp4', thumbnailUrl: 'http://x.test/a.jpg' })).toBe(
      true,
    );
    for (const url of ['javascript:alert(1)', 'data:image/png;base64,AA', 'file:///etc/passwd', 'a.mp4'])
      for (const field of ['mediaUrl', 'thumbnailUrl']) expect(withMeta({ [field]: url }), url).toBe(false);
  });
});

describe('signed cursors', () => {
  const binding = (query: object) =>
    queryBinding({ route: 'GET /v1/search', tenantId: 't', params: {}, query });
  const signer = new CursorSigner('a'.repeat(32));
  const signed = signer.sign(encodeCursor({ o: 20 }), binding({ q: 'kelp', type: ['VIDEO'] }));

  it('come back as issued for the same query, however its parameters are ordered', () => {
    expect(signer.verify(signed, binding({ type: ['VIDEO'], q: 'kelp' }))).toBe(encodeCursor({ o: 20 }));
  });
  it('are refused for another query, under another key, or altered', () => {
    expect(() => signer.verify(signed, binding({ q: 'kelp' }))).toThrow(ValidationError);
    const other = new CursorSigner('b'.repeat(32));
    expect(() => other.verify(signed, binding({ q: 'kelp', type: ['VIDEO'] }))).toThrow(ValidationError);
    for (const forged of [
      encodeCursor({ o: 20 }),
      `${encodeCursor({ o: 40 })}${signed.slice(signed.indexOf('.'))}`,
      '.',
      '',
    ]) {
      expect(() => signer.verify(forged, binding({ q: 'kelp', type: ['VIDEO'] }))).toThrow(ValidationError);
    }
  });
});

describe('value ranges', () => {
  it('take dates from 1000-01-01 to 9999-12-31 in UTC, offsets applied', () => {
    const ok = (s: string) => dateTime().safeParse(s).success;
    expect(ok('1000-01-01T00:00:00Z')).toBe(true);
    expect(ok('9999-12-31T23:59:59.999Z')).toBe(true);
    expect(ok('0001-01-01T00:00:00+14:00')).toBe(false);
    expect(ok('0000-01-01T00:00:00Z')).toBe(false);
    expect(ok('1000-01-01T00:00:00+00:01')).toBe(false);
    expect(ok('9999-12-31T23:59:59-01:00')).toBe(false);
  });
  it('know what a 32-bit float holds', () => {
    expect([0, 1, -3.4e38, 1.2e-38].map(fitsReal)).toEqual([true, true, true, true]);
    expect([1e39, 1e-39, 5e-324, -1e39].map(fitsReal)).toEqual([false, false, false, false]);
  });
});
