/**
 * Responsiveness during an import, through the running API (issue 23: search and related p95 while
 * an import runs within 3× of idle). One client each for `GET /v1/search` and
 * `GET /v1/assets/{id}/related` (load generators in other processes, as the HTTP suite's), for
 * `seconds`: first with nothing else running, then while an import of `assets` assets runs into a
 * fresh tenant (batches of 100 posted two at a time without waiting, then settled by the workers).
 * The import's end-to-end rate is reported too; so is whether it outlasted the probes (when it did
 * not, part of the "during" figure was measured on an idle API).
 */
import { randomUUID } from 'node:crypto';
import type { AssetInput } from '../../domain/asset.js';
import { apiKeyService } from '../../runtime/container.js';
import type { Database } from '../../store/db.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { log, overRounds, spread, type LatencyFigure, type RoundStats, type Spread } from '../lib.js';
import { runLoad, type Service } from '../processes.js';
import { postAll, tenantName } from './ingest.js';
import { SEARCH_KINDS } from './search.js';

export interface ResponsivenessPlan {
  runId: string;
  rounds: number;
  keys: Record<string, string>;
}

/** A fresh tenant and key per round; made before the API starts (PGlite allows one process at a time). */
export async function prepareResponsiveness(db: Database, rounds: number): Promise<ResponsivenessPlan> {
  const runId = randomUUID().slice(0, 8);
  const keys: Record<string, string> = {};
  for (let r = 0; r < rounds; r++) {
    const tenant = tenantName(runId, 'r', r);
    await tenantsRepository.ensure(db, tenant);
    keys[tenant] = (
      await apiKeyService(db).create({ tenantId: tenant, name: 'bench', role: 'ADMIN' })
    ).secret;
  }
  return { runId, rounds, keys };
}

export interface ResponsivenessOptions {
  /** The queried tenant's key, and assets of it to ask related content of. */
  apiKey: string;
  assetIds: string[];
  seconds: number;
  /** Where the workers run, for the report. */
  workers: string;
}

interface Probe {
  search: RoundStats & { requests: number };
  related: RoundStats & { requests: number };
}

export interface ResponsivenessResult {
  assets: number;
  seconds: number;
  idle: { search: LatencyFigure; related: LatencyFigure };
  during: { search: LatencyFigure; related: LatencyFigure };
  /** p95 during the import / p95 idle, median rounds. */
  ratio: { search: number; related: number };
  /** The import's assets/s, from the first post until every asset settled. */
  importRate: Spread;
  /** Rounds whose import settled before the probes ended. */
  importEndedFirst: number;
  failedRequests: number;
  /** Where the workers ran: the API process's own, or a worker process beside it. */
  workers: string;
}

async function probe(api: Service, o: ResponsivenessOptions): Promise<Probe & { failed: number }> {
  const headers = { authorization: `Bearer ${o.apiKey}` };
  const queries = [...SEARCH_KINDS['single term']!.queries, ...SEARCH_KINDS['multi-term']!.queries];
  const spec = (urls: string[]) => ({
    urls,
    headers,
    concurrency: 1,
    maxRequests: 1_000_000,
    maxSeconds: o.seconds,
    warmup: 0,
  });
  type Load = RoundStats & { requests: number; ok: number };
  const [search, related] = await Promise.all([
    runLoad<Load>(spec(queries.map((q) => `${api.url}/v1/search?q=${encodeURIComponent(q)}&limit=20`))),
    runLoad<Load>(spec(o.assetIds.map((id) => `${api.url}/v1/assets/${id}/related?limit=10`))),
  ]);
  return { search, related, failed: search.requests - search.ok + related.requests - related.ok };
}

export async function responsivenessSuite(
  api: Service,
  plan: ResponsivenessPlan,
  inputs: AssetInput[],
  o: ResponsivenessOptions,
): Promise<ResponsivenessResult> {
  const idle: Probe[] = [];
  const during: Probe[] = [];
  const rates: number[] = [];
  let importEndedFirst = 0;
  let failedRequests = 0;
  // Warm both routes (connections, JIT, caches) before anything is timed.
  await probe(api, { ...o, seconds: Math.min(3, o.seconds) });
  for (let r = 0; r < plan.rounds; r++) {
    const quiet = await probe(api, o);
    idle.push(quiet);
    failedRequests += quiet.failed;
    const key = plan.keys[tenantName(plan.runId, 'r', r)]!;
    const t0 = performance.now();
    let settledAt = 0;
    const importing = (async () => {
      await postAll(api, key, inputs, false);
      // Posted again with a wait: answered once the workers have settled every asset.
      await postAll(api, key, inputs, true);
      settledAt = performance.now();
    })();
    const busy = await probe(api, o);
    if (settledAt > 0) importEndedFirst++;
    during.push(busy);
    failedRequests += busy.failed;
    await importing;
    rates.push((inputs.length * 1000) / (settledAt - t0));
    log(`responsiveness: round ${r + 1}/${plan.rounds} done`);
  }
  const figure = (probes: Probe[], kind: 'search' | 'related') => overRounds(probes.map((p) => p[kind]));
  const result = {
    idle: { search: figure(idle, 'search'), related: figure(idle, 'related') },
    during: { search: figure(during, 'search'), related: figure(during, 'related') },
  };
  return {
    assets: inputs.length,
    seconds: o.seconds,
    ...result,
    ratio: {
      search: result.during.search.p95.median / result.idle.search.p95.median,
      related: result.during.related.p95.median / result.idle.related.p95.median,
    },
    importRate: spread(rates),
    importEndedFirst,
    failedRequests,
    workers: o.workers,
  };
}
