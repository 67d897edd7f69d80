import { describe, expect, it } from 'vitest';
import { AssetInputSchema } from '../../domain/asset.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { normalizeEntityName } from '../../domain/entities.js';
import { ValidationError } from '../../domain/errors.js';
import { effectivePermissions, ROLE_PERMISSIONS } from '../../domain/permissions.js';
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
});
