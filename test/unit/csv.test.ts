import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../services/csv.js';

/** What a spreadsheet should show for a text cell: formula starts defused with a single quote. */
const shown = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

describe('CSV', () => {
  it('quotes fields with commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell('ünïcødé 東京 🎬')).toBe('ünïcødé 東京 🎬');
    expect(csvCell('')).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('defuses cells a spreadsheet would run as formulas, and only text cells', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(90.5)).toBe('90.5');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('ends every record with CRLF', () => {
    expect(csvRow(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });

  it('reads back as written, for any text, with an RFC 4180 parser', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 8,
        }),
        (records) => {
          // csv-parse reads a record of one empty field as an empty line; every record here has two fields at least.
          const rows = records.map((r) => [...r, 'end']);
          const text = rows.map((r) => csvRow(r)).join('');
          const parsed = parse(text, { record_delimiter: '\r\n', relax_column_count: true });
          expect(parsed).toEqual(rows.map((r) => r.map(shown)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
