import { describe, expect, it } from 'vitest';
import { ALWAYS_LITERAL, bindParams, quoteString, windowParams } from '../../analytics/clickhouse/params.js';

// ClickHouse 18.16 takes no query parameters: values are written into the statement as literals of
// their declared type. These are the only way a value reaches its SQL there.
describe('ClickHouse parameters bound as literals', () => {
  it('quotes strings so that no quote or backslash ends them', () => {
    expect(quoteString(`it's`)).toBe(`'it\\'s'`);
    expect(quoteString('a\\')).toBe(`'a\\\\'`);
    expect(quoteString(`\\' OR 1 --`)).toBe(`'\\\\\\' OR 1 --'`);
    expect(bindParams('SELECT {t:String}', { t: "x' OR '1'='1" })).toBe(`SELECT 'x\\' OR \\'1\\'=\\'1'`);
  });

  it('writes integers, floats and string arrays by their declared type, and refuses a value of another', () => {
    expect(
      bindParams('{n:UInt64} {f:Float64} {a:Array(String)} {e:Array(String)}', {
        n: 7,
        f: 0.5,
        a: ['x', "y'"],
        e: [],
      }),
    ).toBe(`7 0.5 ['x', 'y\\''] CAST([] AS Array(String))`);
    expect(() => bindParams('{n:UInt32}', { n: '1; DROP TABLE x' })).toThrow(/integer/);
    expect(() => bindParams('{n:UInt32}', { n: -1 })).toThrow(/integer/);
    expect(() => bindParams('{n:UInt32}', { n: 1.5 })).toThrow(/integer/);
    expect(() => bindParams('{f:Float64}', { f: Number.NaN })).toThrow(/finite/);
    expect(() => bindParams('{s:String}', { s: 1 })).toThrow(/string/);
    expect(() => bindParams('{a:Array(String)}', { a: 'x' })).toThrow(/array/);
    expect(() => bindParams('{d:DateTime}', { d: 'x' })).toThrow(/not supported/);
    expect(() => bindParams('{missing:String}', {})).toThrow(/no value/);
  });

  it('binds only the named placeholders when asked, leaving the others to the server', () => {
    expect(
      bindParams('WHERE t = {t:String} LIMIT {limit:UInt32}', { t: 'x', limit: 5 }, ALWAYS_LITERAL),
    ).toBe('WHERE t = {t:String} LIMIT 5');
    // A LIMIT n BY takes no parameter on any release: written in too.
    expect(bindParams('LIMIT {pairsPerAsset:UInt32} BY asset_id', { pairsPerAsset: 7 }, ALWAYS_LITERAL)).toBe(
      'LIMIT 7 BY asset_id',
    );
  });

  it('gives a window exact milliseconds and whole seconds around them', () => {
    expect(windowParams(new Date(1_500), new Date(2_001))).toEqual({
      fromMs: 1_500,
      toMs: 2_001,
      fromS: 1,
      toS: 3,
    });
  });
});
