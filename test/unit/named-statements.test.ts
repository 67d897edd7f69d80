import { describe, expect, it } from 'vitest';
import { bind, run, statement, type QueryOptions } from '../../store/database.js';

describe('named statements', () => {
  it('numbers names by first appearance and binds a repeated name once', () => {
    const st = statement(
      'SELECT * FROM t WHERE tenant_id = :tenantId AND id = ANY(:ids) OR owner = :tenantId',
    );
    expect(st.text).toBe('SELECT * FROM t WHERE tenant_id = $1 AND id = ANY($2) OR owner = $1');
    expect(bind(st, { ids: ['a'], tenantId: 't' })).toEqual(['t', ['a']]);
  });

  it('leaves casts and quoted literals alone', () => {
    const st = statement(`SELECT :at::timestamptz, '10:30 :not' || :x::text, 'it''s :no'`);
    expect(st.text).toBe(`SELECT $1::timestamptz, '10:30 :not' || $2::text, 'it''s :no'`);
    expect(st.names).toEqual(['at', 'x']);
  });

  it('refuses to run with a parameter missing', () => {
    expect(() => bind(statement('SELECT :a, :b'), { a: 1 })).toThrow(':b');
  });

  it('sends a statement to be kept prepared under its label and a digest of its text, others unnamed', async () => {
    const sent: (QueryOptions | undefined)[] = [];
    const sql = {
      query: <R>(_text: string, _params?: readonly unknown[], options?: QueryOptions) => {
        sent.push(options);
        return Promise.resolve([] as R[]);
      },
    };
    const hot = statement('SELECT :a', { prepare: 'hot' });
    const other = statement('SELECT :a + 1', { prepare: 'hot' });
    await run(sql, hot, { a: 1 });
    await run(sql, other, { a: 1 });
    await run(sql, statement('SELECT :a'), { a: 1 });
    expect(sent[0]?.prepare).toMatch(/^hot_[0-9a-f]{12}$/);
    // One label on two texts: two names, as the driver refuses one name for two texts on a connection.
    expect(sent[1]?.prepare).toMatch(/^hot_/);
    expect(sent[1]?.prepare).not.toBe(sent[0]?.prepare);
    expect(sent[2]).toBeUndefined();
  });
});
