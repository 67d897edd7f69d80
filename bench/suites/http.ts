/**
 * HTTP: requests per second and latency of the running API under fixed concurrency, from a load
 * generator in another process on loopback, beside a bare Fastify route measured the same way in the
 * same run. The API runs as configured for production, with auth, rate limiting (its limit raised
 * for the bench) and row-level security: every statement of a request runs in its tenant's scope.
 */
import { overRounds, type Compared, type LatencyFigure, type RoundStats } from '../lib.js';
import { runLoad, type Service } from '../processes.js';
import { SEARCH_KINDS } from './search.js';

interface LoadResult extends RoundStats {
  requests: number;
  ok: number;
  statuses: Record<string, number>;
}

export interface HttpOptions {
  apiKey: string;
  assetIds: string[];
  rounds: number;
  concurrency: number;
  maxRequests: number;
  maxSeconds: number;
}

export interface HttpResult {
  cases: Record<string, Compared & { statuses: Record<string, number> }>;
}

async function rounds(
  urls: string[],
  headers: Record<string, string>,
  o: HttpOptions,
): Promise<{ figure: LatencyFigure; statuses: Record<string, number> }> {
  const results: LoadResult[] = [];
  const statuses: Record<string, number> = {};
  for (let r = 0; r < o.rounds; r++) {
    const res = await runLoad<LoadResult>({
      urls,
      headers,
      concurrency: o.concurrency,
      maxRequests: o.maxRequests,
      maxSeconds: o.maxSeconds,
      warmup: Math.min(50, urls.length * 2),
    });
    results.push(res);
    for (const [s, n] of Object.entries(res.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  }
  return { figure: overRounds(results), statuses };
}

export async function httpSuite(api: Service, bare: Service, o: HttpOptions): Promise<HttpResult> {
  const auth = { authorization: `Bearer ${o.apiKey}` };
  const queries = [...SEARCH_KINDS['single term']!.queries, ...SEARCH_KINDS['multi-term']!.queries];
  const baseline = await rounds([`${bare.url}/bare`], {}, o);
  const search = await rounds(
    queries.map((q) => `${api.url}/v1/search?q=${encodeURIComponent(q)}&limit=20`),
    auth,
    o,
  );
  // The default blend (auto) fuses graph results into queries that name an entity, as most of these do.
  const textOnly = await rounds(
    queries.map((q) => `${api.url}/v1/search?q=${encodeURIComponent(q)}&limit=20&blend=none`),
    auth,
    o,
  );
  const asset = await rounds(
    o.assetIds.map((id) => `${api.url}/v1/assets/${id}`),
    auth,
    o,
  );
  // The same search from one client: the unloaded latency that the loaded p95 is held against.
  const alone = await rounds(
    queries.map((q) => `${api.url}/v1/search?q=${encodeURIComponent(q)}&limit=20`),
    auth,
    { ...o, concurrency: 1 },
  );
  return {
    cases: {
      'GET /v1/search': { ours: search.figure, baseline: baseline.figure, statuses: search.statuses },
      'GET /v1/search, one client': {
        ours: alone.figure,
        baseline: baseline.figure,
        statuses: alone.statuses,
      },
      'GET /v1/search?blend=none': {
        ours: textOnly.figure,
        baseline: baseline.figure,
        statuses: textOnly.statuses,
      },
      'GET /v1/assets/{id}': { ours: asset.figure, baseline: baseline.figure, statuses: asset.statuses },
    },
  };
}
