import type { GraphProjectionAudit } from '../graph/graph-store.js';
import type { ServiceMetrics } from './metrics.js';
import type { SearchProjectionAudit } from '../search/search-index.js';
import type { Database } from '../store/db.js';
import type { DriftRepository } from '../store/drift-repository.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { ProjectionRebuildsRepository } from '../store/projection-rebuilds-repository.js';
import type { JobQueue } from '../queue/job-queue.js';

export const COMPONENTS = ['database', 'queue', 'search', 'graph'] as const;
export type Component = (typeof COMPONENTS)[number];
/** ok: answered in time; degraded: answered, but slower than `slowMs`; down: failed or timed out. */
export type ComponentState = 'ok' | 'degraded' | 'down';

export interface Readiness {
  status: ComponentState;
  components: Record<Component, { status: ComponentState; kind: string }>;
}

export interface SystemOptions {
  /** A check that takes longer is down. */
  timeoutMs: number;
  /** A check that takes longer is degraded. */
  slowMs: number;
  log?: { warn(obj: object, msg: string): void };
}

/** A tenant id no tenant has (tenant ids are lower-case): projection probes read an empty range. */
const PROBE_TENANT = '__readiness_probe__';

class Timeout extends Error {
  override name = 'Timeout';
}

/** Readiness of each backend and the metrics read at scrape time. */
export class SystemService {
  constructor(
    private readonly deps: {
      db: Database;
      outbox: Pick<OutboxRepository, 'lag'>;
      drift: Pick<DriftRepository, 'latest'>;
      rebuilds: Pick<ProjectionRebuildsRepository, 'list'>;
      queue: JobQueue;
      graph: GraphProjectionAudit;
      search: SearchProjectionAudit;
      metrics: ServiceMetrics;
    },
    private readonly options: SystemOptions,
  ) {}

  /** Every component is asked at once; the slowest bounds the answer at `timeoutMs`. */
  async readiness(): Promise<Readiness> {
    const { db, queue, graph, search } = this.deps;
    const probes: Record<Component, { kind: string; probe: () => Promise<unknown> }> = {
      database: { kind: db.kind, probe: () => db.query('SELECT 1') },
      // BullMQ asks Redis; the in-process queue answers from memory and is up while the process is.
      queue: { kind: queue.kind, probe: () => queue.counts() },
      search: { kind: search.kind, probe: () => search.projectedIdsAfter(PROBE_TENANT, null, 1) },
      graph: { kind: graph.kind, probe: () => graph.projectedIdsAfter(PROBE_TENANT, null, 1) },
    };
    const states = await Promise.all(
      COMPONENTS.map(async (name) => [name, await this.check(name, probes[name].probe)] as const),
    );
    const components = Object.fromEntries(
      states.map(([name, status]) => [name, { status, kind: probes[name].kind }]),
    ) as Readiness['components'];
    const all = states.map(([, s]) => s);
    const status: ComponentState = all.includes('down')
      ? 'down'
      : all.includes('degraded')
        ? 'degraded'
        : 'ok';
    return { status, components };
  }

  /** The Prometheus exposition, after reading the gauges that come from the database and the queue. */
  async metricsText(): Promise<string> {
    const { db, queue, metrics, outbox, drift: driftRuns, rebuilds: rebuildRuns } = this.deps;
    const [counts, lag, drift, rebuilds] = await Promise.all([
      // A backend that is down leaves its gauges out; the rest of the scrape still answers.
      this.bounded(queue.counts()).catch(() => null),
      this.bounded(outbox.lag(db)).catch(() => null),
      this.bounded(driftRuns.latest(db)).catch(() => null),
      this.bounded(rebuildRuns.list(db)).catch(() => null),
    ]);
    metrics.queueJobs.reset();
    if (counts) {
      for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) {
        metrics.queueJobs.set({ state }, counts[state]);
      }
    }
    metrics.outboxPending.reset();
    metrics.outboxOldestAge.reset();
    if (lag) {
      metrics.outboxPending.set({}, lag.pending);
      metrics.outboxOldestAge.set({}, lag.oldestAgeSeconds);
    }
    metrics.drift.reset();
    metrics.driftLastRun.reset();
    if (drift) {
      for (const [projection, kinds] of Object.entries(drift.counts)) {
        for (const [kind, n] of Object.entries(kinds)) metrics.drift.set({ projection, kind }, n);
      }
      metrics.driftLastRun.set({}, drift.finishedAt.getTime() / 1000);
    }
    metrics.rebuildCopied.reset();
    metrics.rebuildExpected.reset();
    for (const r of rebuilds ?? []) {
      metrics.rebuildCopied.set({ target: r.target, state: r.state }, r.copied);
      metrics.rebuildExpected.set({ target: r.target, state: r.state }, r.expected);
    }
    return metrics.registry.render();
  }

  private async check(name: Component, probe: () => Promise<unknown>): Promise<ComponentState> {
    const started = performance.now();
    try {
      await this.bounded(probe());
      return performance.now() - started > this.options.slowMs ? 'degraded' : 'ok';
    } catch (err) {
      // The reason stays in the log: the readiness answer is public and names no hosts.
      this.options.log?.warn({ err, component: name }, 'readiness check failed');
      return 'down';
    }
  }

  /** Rejects after `timeoutMs`: a client reconnecting to a server that is away may never answer. */
  private async bounded<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Timeout(`no answer in ${this.options.timeoutMs} ms`)),
            this.options.timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
