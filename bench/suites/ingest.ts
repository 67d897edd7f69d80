/**
 * Ingest, through the running API, into fresh tenants of the loaded database:
 *   - end to end: POST /v1/assets/batch?wait=true, answered once every asset is enriched and in the
 *     graph and the search index (a batch the wait gave up on is posted again until it settles);
 *   - the canonical write alone: the same batches without waiting (asset, version, audit and outbox
 *     rows in one transaction), drained untimed afterwards so the next round starts quiet;
 *   - baseline: plain `COPY` of the same asset rows into a scratch table shaped like `assets`.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { AssetInput } from '../../domain/asset.js';
import { syntheticLibrary } from '../../scripts/lib/synthetic-library.js';
import { apiKeyService } from '../../runtime/container.js';
import type { Database } from '../../store/db.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { log, spread, type Spread } from '../lib.js';
import type { Service } from '../processes.js';

const BATCH = 100;
/** Posters at once: enough to keep two cores busy without queueing far ahead of the workers. */
const POSTERS = 2;
const INGEST_SEED = 99;

export function ingestInputs(count: number): AssetInput[] {
  return [...syntheticLibrary({ assets: count, seed: INGEST_SEED })].map((a) => ({
    ...a,
    contributors: [],
    operationalTags: [],
  }));
}

export interface IngestPlan {
  runId: string;
  rounds: number;
  /** tenant → API key secret, one tenant per round and mode. */
  keys: Record<string, string>;
}

/** `w`: canonical write, `e`: end to end, `r`: the responsive suite's import, `p<n>`: end to end with n separate worker processes. */
export const tenantName = (runId: string, mode: string, round: number) => `ingest-${runId}-${mode}${round}`;

/**
 * Tenants and keys for the rounds, one per round and mode (and per worker-process count of the
 * scaling run); made before the API starts (PGlite allows one process at a time).
 */
export async function prepareIngest(
  db: Database,
  rounds: number,
  workerProcesses: number[] = [],
): Promise<IngestPlan> {
  const runId = randomUUID().slice(0, 8);
  const keys: Record<string, string> = {};
  const apiKeys = apiKeyService(db);
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['w', 'e', ...workerProcesses.map((n) => `p${n}`)]) {
      const tenant = tenantName(runId, mode, r);
      await tenantsRepository.ensure(db, tenant);
      const { secret } = await apiKeys.create({ tenantId: tenant, name: 'bench', role: 'ADMIN' });
      keys[tenant] = secret;
    }
  }
  return { runId, rounds, keys };
}

const COLUMNS =
  'tenant_id, id, type, title, description, transcript, file_hash, source_system, source_id, given_tags, ' +
  'given_speakers, given_contributors, operational_tags, technical_metadata, status, version, version_id, created_at';

const csvField = (v: string | number | null | undefined) =>
  v === null || v === undefined ? '' : `"${String(v).replaceAll('"', '""')}"`;

function csvOf(inputs: AssetInput[]): { csv: string; rows: number } {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const a of inputs) {
    if (seen.has(a.fileHash!)) continue; // as the canonical write: a repeated hash adds no row
    seen.add(a.fileHash!);
    lines.push(
      [
        'copy-baseline',
        randomUUID(),
        a.type,
        a.title,
        a.description,
        a.transcript,
        a.fileHash,
        a.sourceSystem,
        a.sourceId ?? null,
        JSON.stringify(a.tags),
        JSON.stringify(a.speakers),
        JSON.stringify(a.contributors),
        JSON.stringify(a.operationalTags),
        JSON.stringify(a.technicalMetadata),
        'QUEUED',
        1,
        randomUUID(),
        a.createdAt ?? new Date().toISOString(),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return { csv: lines.join('\n') + '\n', rows: lines.length };
}

/** Rows per second of a plain COPY of the inputs into a scratch copy of `assets` (its indexes included). */
export async function copyBaseline(db: Database, inputs: AssetInput[], rounds: number): Promise<Spread> {
  await db.query('DROP TABLE IF EXISTS bench_copy_scratch');
  await db.query('CREATE TABLE bench_copy_scratch (LIKE assets INCLUDING ALL)');
  const { csv, rows } = csvOf(inputs);
  const file = join(tmpdir(), `bench-copy-${process.pid}.csv`);
  const rates: number[] = [];
  try {
    if (db.kind === 'postgres') {
      // The server reads the file itself (it runs on this machine): no client library for COPY FROM STDIN here.
      writeFileSync(file, csv);
      chmodSync(file, 0o644);
    }
    for (let r = 0; r < rounds; r++) {
      await db.query('TRUNCATE bench_copy_scratch');
      const t0 = performance.now();
      if (db.kind === 'postgres') {
        await db.query(`COPY bench_copy_scratch (${COLUMNS}) FROM '${file}' WITH (FORMAT csv)`);
      } else {
        // PGlite reads COPY data from a blob; the Database port does not expose it, the engine does.
        const engine = (db as unknown as { db: PGlite }).db;
        await engine.query(`COPY bench_copy_scratch (${COLUMNS}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
          blob: new Blob([csv]),
        });
      }
      rates.push((rows * 1000) / (performance.now() - t0));
    }
  } finally {
    rmSync(file, { force: true });
    await db.query('DROP TABLE IF EXISTS bench_copy_scratch');
  }
  return spread(rates);
}

interface BatchAnswer {
  created: number;
  duplicates: number;
  items?: { asset: { status?: string } }[];
}

export async function postAll(
  api: Service,
  key: string,
  inputs: AssetInput[],
  wait: boolean,
): Promise<{ timedOut: number; failed: number; resent: number; serverErrors: string[] }> {
  const batches: AssetInput[][] = [];
  for (let i = 0; i < inputs.length; i += BATCH) batches.push(inputs.slice(i, i + BATCH));
  let next = 0;
  let timedOut = 0;
  let failed = 0;
  let resent = 0;
  const serverErrors: string[] = [];
  const post = async (batch: AssetInput[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(`${api.url}/v1/assets/batch${wait ? '?wait=true' : ''}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ assets: batch }),
        });
      } catch (err) {
        // A reset connection loses the answer, not the write: posting again finds the assets by file hash.
        if (attempt >= 3)
          throw new Error(`POST /v1/assets/batch failed: ${api.diagnostics()}`, { cause: err });
        resent++;
      }
    }
  };
  const poster = async () => {
    for (let i = next++; i < batches.length; i = next++) {
      for (;;) {
        const res = await post(batches[i]!);
        const body = (await res.json()) as BatchAnswer;
        if (res.status === 202 && wait) {
          // The wait ran out: posting the same batch again finds the assets (duplicates) and waits on.
          timedOut++;
          continue;
        }
        if (res.status >= 500 && serverErrors.length < 20) {
          // Reported, not hidden: the batch is posted again (idempotent by file hash).
          serverErrors.push(`${res.status}: ${JSON.stringify(body)}`);
          log(`ingest: ${res.status} from the API; its log: ${api.diagnostics().slice(-1_500)}`);
          continue;
        }
        if (!res.ok) throw new Error(`POST /v1/assets/batch answered ${res.status}: ${JSON.stringify(body)}`);
        failed += (body.items ?? []).filter((x) => x.asset.status === 'FAILED').length;
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: POSTERS }, poster));
  return { timedOut, failed, resent, serverErrors };
}

export interface IngestResult {
  assets: number;
  endToEnd: Spread;
  canonicalWrite: Spread;
  copyBaseline: Spread;
  waitsTimedOut: number;
  failedEnrichments: number;
  /** Batches posted again after a reset connection (the answer was lost, not the write). */
  resent: number;
  /** 5xx answers (each batch was posted again). */
  serverErrors: string[];
  /** End to end with 1, 2, 4… separate worker processes (`--worker-processes`). */
  scaling?: ScalingFigure[];
}

export async function ingestSuite(
  api: Service,
  plan: IngestPlan,
  inputs: AssetInput[],
  copy: Spread,
): Promise<IngestResult> {
  const e2e: number[] = [];
  const write: number[] = [];
  let waitsTimedOut = 0;
  let failedEnrichments = 0;
  let resent = 0;
  const serverErrors: string[] = [];
  const tally = <T extends { resent: number; serverErrors: string[] }>(o: T): T => {
    resent += o.resent;
    serverErrors.push(...o.serverErrors);
    return o;
  };
  for (let r = 0; r < plan.rounds; r++) {
    const w = tenantName(plan.runId, 'w', r);
    let t0 = performance.now();
    tally(await postAll(api, plan.keys[w]!, inputs, false));
    write.push((inputs.length * 1000) / (performance.now() - t0));
    tally(await postAll(api, plan.keys[w]!, inputs, true)); // untimed: let the workers finish that tenant
    const e = tenantName(plan.runId, 'e', r);
    t0 = performance.now();
    const outcome = tally(await postAll(api, plan.keys[e]!, inputs, true));
    e2e.push((inputs.length * 1000) / (performance.now() - t0));
    waitsTimedOut += outcome.timedOut;
    failedEnrichments += outcome.failed;
    log(`ingest: round ${r + 1}/${plan.rounds} done`);
  }
  return {
    assets: inputs.length,
    endToEnd: spread(e2e),
    canonicalWrite: spread(write),
    copyBaseline: copy,
    waitsTimedOut,
    failedEnrichments,
    resent,
    serverErrors,
  };
}

export interface ScalingFigure {
  /** Worker processes (`npm run worker` with WORKER_PROCESSES), beside an API that runs none. */
  processes: number;
  endToEnd: Spread;
  waitsTimedOut: number;
}

/**
 * The scaling run: end to end, as above, through an API that runs no workers (RUN_WORKERS=false),
 * with `n` worker processes under one supervisor for each count. Each round takes the counts in
 * turn, in the opposite order every other round, so that a machine that gets busier during the run
 * does not favour one count; the workers start (untimed) before a round's ingest and stop after it.
 */
export async function ingestScaling(
  api: Service,
  plan: IngestPlan,
  inputs: AssetInput[],
  counts: number[],
  startWorkers: (processes: number) => Promise<{ stop(): Promise<void> }>,
): Promise<ScalingFigure[]> {
  const rates = new Map(counts.map((n) => [n, [] as number[]]));
  const timedOut = new Map(counts.map((n) => [n, 0]));
  for (let r = 0; r < plan.rounds; r++) {
    for (const n of r % 2 === 0 ? counts : [...counts].reverse()) {
      const workers = await startWorkers(n);
      try {
        const t0 = performance.now();
        const outcome = await postAll(api, plan.keys[tenantName(plan.runId, `p${n}`, r)]!, inputs, true);
        rates.get(n)!.push((inputs.length * 1000) / (performance.now() - t0));
        timedOut.set(n, timedOut.get(n)! + outcome.timedOut);
      } finally {
        await workers.stop();
      }
      log(`ingest scaling: round ${r + 1}/${plan.rounds}, ${n} worker processes done`);
    }
  }
  return counts.map((n) => ({
    processes: n,
    endToEnd: spread(rates.get(n)!),
    waitsTimedOut: timedOut.get(n)!,
  }));
}

/**
 * Deletes the ingest suite's tenants (`ingest-*`) from every table. Foreign keys decide the order;
 * a table still referenced is tried again after the others.
 */
export async function dropIngestTenants(db: Database): Promise<void> {
  const tables = (
    await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
       WHERE column_name = 'tenant_id' AND table_schema = 'public' AND table_name <> 'tenants'`,
    )
  ).map((r) => r.table_name);
  let pending = tables;
  for (let pass = 0; pending.length > 0 && pass < 10; pass++) {
    const failed: string[] = [];
    for (const t of pending) {
      try {
        await db.query(`DELETE FROM ${t} WHERE tenant_id LIKE 'ingest-%'`);
      } catch {
        failed.push(t);
      }
    }
    pending = failed;
  }
  if (pending.length > 0) throw new Error(`could not delete the ingest tenants from ${pending.join(', ')}`);
  await db.query("DELETE FROM tenants WHERE id LIKE 'ingest-%'");
}
