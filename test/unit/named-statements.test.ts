import { describe, expect, it } from 'vitest';
import { bind, statement } from '../../store/database.js';

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
});
