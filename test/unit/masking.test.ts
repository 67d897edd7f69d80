import { describe, expect, it } from 'vitest';
import { isToken, maskedValuesOf, maskFields, parseMaskFields } from '../../domain/masking.js';

const fake = (v: string) => `tok_${Buffer.from(v).toString('hex').padEnd(32, '0').slice(0, 32)}`;

describe('masking rules', () => {
  it('parses MASK_FIELDS and names what it does not understand', () => {
    expect(parseMaskFields('')).toEqual([]);
    expect(parseMaskFields(' operationalTags.User , contributors,operationalTags')).toEqual([
      { field: 'operationalTags', key: 'user' },
      { field: 'contributors' },
      { field: 'operationalTags', key: null },
    ]);
    expect(() => parseMaskFields('operationalTags.user,title')).toThrow(/"title"/);
    expect(() => parseMaskFields('operationalTags.')).toThrow(/operationalTags\./);
  });

  it('masks the value of keyed operational tags, matching the key ignoring case', () => {
    const rules = parseMaskFields('operationalTags.user,operationalTags.email');
    const out = maskFields(
      {
        operationalTags: ['user:jane', 'EMAIL: jane@x.org', 'priority:high', 'user', ':jane'],
        title: 'kept',
      },
      rules,
      fake,
    );
    expect(out).toEqual({
      operationalTags: [
        `user:${fake('jane')}`,
        `EMAIL:${fake('jane@x.org')}`,
        'priority:high',
        'user',
        ':jane',
      ],
      title: 'kept',
    });
  });

  it('masks whole tags and contributors, keeps tokens, and never touches what is not configured', () => {
    const known = fake('known');
    const out = maskFields(
      { operationalTags: ['a', known], contributors: ['Jane'] },
      parseMaskFields('operationalTags'),
      fake,
    );
    expect(out).toEqual({ operationalTags: [fake('a'), known], contributors: ['Jane'] });
    expect(
      maskFields({ contributors: ['Jane', ''] }, parseMaskFields('contributors'), fake, () => false),
    ).toEqual({ contributors: [fake('Jane'), ''] });
    const same = { operationalTags: ['user:jane'] };
    expect(maskFields(same, [], fake)).toBe(same);
  });

  it('lists the values it looks at, tokens included', () => {
    expect(
      maskedValuesOf(
        { operationalTags: ['user:jane', 'other:x', `user:${fake('t')}`], contributors: ['Jo'] },
        parseMaskFields('operationalTags.user,contributors'),
      ),
    ).toEqual(['jane', fake('t'), 'Jo']);
    expect(isToken(fake('t'))).toBe(true);
    expect(isToken('tok_XYZ')).toBe(false);
  });
});
