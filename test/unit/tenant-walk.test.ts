import { describe, expect, it, vi } from 'vitest';
import { walkTenants } from '../../services/tenant-walk.js';

describe('walkTenants', () => {
  it('works through every tenant in order; one that fails is logged and the others go on', async () => {
    const warn = vi.fn();
    const seen: string[] = [];
    const walk = await walkTenants(
      ['a', 'b', 'c'],
      (tenantId) => {
        seen.push(tenantId);
        return tenantId === 'b' ? Promise.reject(new Error('store away')) : Promise.resolve(tenantId.length);
      },
      { what: 'click learning', log: { warn } },
    );
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(walk).toEqual({ tenants: 3, results: [1, 1], failed: ['b'] });
    expect(warn).toHaveBeenCalledWith(
      { err: expect.objectContaining({ message: 'store away' }), tenantId: 'b' },
      'click learning failed for a tenant',
    );
  });

  it('takes tenants with their settings and names a failed one by its id', async () => {
    const walk = await walkTenants(
      [
        { tenantId: 'a', days: 1 },
        { tenantId: 'b', days: 0 },
      ],
      ({ days }) => (days > 0 ? Promise.resolve(days) : Promise.reject(new Error('no'))),
      { what: 'raw-event retention' },
    );
    expect(walk).toEqual({ tenants: 2, results: [1], failed: ['b'] });
  });
});
