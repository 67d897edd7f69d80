/** What a walk over the tenants did: each tenant's result, and the tenants that failed. */
export interface TenantWalk<R> {
  tenants: number;
  results: R[];
  /** Tenants whose work failed (logged); the next run tries them again. */
  failed: string[];
}

/**
 * The work of a background run, for every tenant one after another: a tenant that fails is logged
 * (as "<what> failed for a tenant") and the others go on. The run's caller reads the results.
 */
export async function walkTenants<T extends string | { tenantId: string }, R>(
  tenants: readonly T[],
  work: (tenant: T) => Promise<R>,
  report: { what: string; log?: { warn(obj: object, msg: string): void } | undefined },
): Promise<TenantWalk<R>> {
  const walk: TenantWalk<R> = { tenants: tenants.length, results: [], failed: [] };
  for (const tenant of tenants) {
    try {
      walk.results.push(await work(tenant));
    } catch (err) {
      const tenantId = typeof tenant === 'string' ? tenant : tenant.tenantId;
      walk.failed.push(tenantId);
      report.log?.warn({ err, tenantId }, `${report.what} failed for a tenant`);
    }
  }
  return walk;
}

export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
