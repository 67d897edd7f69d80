import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral } from '../../store/database.js';
import { openDatabase, type Database } from '../../store/db.js';

/** Postgres itself reads the literal back: what it parses is what was meant. */
describe('arrayLiteral', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(() => db.close());

  const readBack = async <T>(literal: string, type: string) =>
    (await db.query<{ v: T[] }>(`SELECT $1::${type}[] AS v`, [literal]))[0]!.v;

  it('keeps strings as they are, NULL as null, and the text "NULL" as text', async () => {
    const values = [
      '',
      'NULL',
      'null',
      'a,b',
      '{x}',
      ' padded ',
      'say "hi"',
      'back\\slash',
      '\\"',
      'ümlaut ✓',
      null,
    ];
    expect(await readBack(arrayLiteral(values), 'text')).toEqual(values);
  });

  it('round-trips any strings and nulls', async () => {
    // Postgres text holds no NUL character.
    const text = fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => !s.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 20 }), async (values) => {
        expect(await readBack(arrayLiteral(values), 'text')).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it('writes numbers, booleans and JSON that the typed casts take', async () => {
    expect(await readBack(arrayLiteral([0, -3, 2 ** 30, null]), 'int')).toEqual([0, -3, 2 ** 30, null]);
    expect(await readBack(arrayLiteral([true, false, null]), 'boolean')).toEqual([true, false, null]);
    const docs = [{ q: 'a "quoted" \\ word', n: [1, 2] }, null];
    expect(
      await readBack(arrayLiteral(docs.map((d) => (d === null ? null : JSON.stringify(d)))), 'jsonb'),
    ).toEqual(docs);
  });

  it('refuses a number Postgres cannot read', () => {
    expect(() => arrayLiteral([Number.NaN])).toThrow(/finite/);
  });
});
