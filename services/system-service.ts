import type { AnalyticsStore } from '../analytics/analytics-store.js';
import type { GraphProjectionAudit } from '../graph/graph-store.js';
import type { EventLog } from '../stream/event-log.js';
import type { ServiceMetrics } from './metrics.js';
import type { SearchProjectionAudit } from '../search/search-index.js';
import type { Database } from '../store/db.js';
import type { DriftRepository } from '../store/drift-repository.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { ControllersRepository } from '../store/controllers-repository.js';
import type { PipelineRepository } from '../store/pipeline-repository.js';
import type { ProjectionRebuildsRepository } from '../store/projection-rebuilds-repository.js';
import type { JobQueue } from '../queue/job-queue.js';

export const COMPONENTS = ['database', 'queue', 'search', 'graph', 'analytics'] as const;
export type Component = (typeof COMPONENTS)[number];
/** ok: answered in time; degraded: answered, but slower than `slowMs`; down: failed or timed out. */
export type ComponentState = 'ok' | 'degraded' | 'down';

/**
 * Whether search and the graph are known to hold every change: read from counters, not a scan, so a
 * probe stays cheap. `behind`: events or jobs wait to be done, or the last drift check found drift
 * (or stuck assets) and did not repair it; `unknown`: the check at start is running, or a count
 * could not be read; `current` otherwise.
 */
export interface ProjectionsState {
  status: 'current' | 'behind' | 'unknown';
  /** Outbox events not yet relayed to the queue. */
  outboxPending: number | null;
  /** Jobs waiting, running or waiting to retry. */
  queuedJobs: number | null;
  /** The drift check at start (after a restart on the in-process queue) has not finished. */
  checkingAtStart: boolean;
  lastDriftCheck: {
    /** ISO 8601. */
    finishedAt: string;
    /** Missing, stale and orphaned assets, over both projections. */
    drifted: number;
    stuck: number;
    repaired: boolean;
  } | null;
}

/**
 * Whether the analytics store keeps up with the event stream, from the stream's backlog.
 * `behind`: its oldest unacknowledged entry is older than `eventsBehindSeconds`; `unknown`: the
 * backlog could not be read; `current` otherwise (a young backlog is the stream working).
 */
export interface EventsState {
  status: 'current' | 'behind' | 'unknown';
  backlog: { entries: number; oldestSeconds: number } | null;
}

export interface Readiness {
  status: ComponentState;
  components: Record<Component, { status: ComponentState; kind: string }>;
  projections: ProjectionsState;
  events: EventsState;
}

export interface SystemOptions {
  /** A check that takes longer is down. */
  timeoutMs: number;
  /** A check that takes longer is degraded. */
  slowMs: number;
  /** An event stream whose oldest unacknowledged entry is older is `behind`. */
  eventsBehindSeconds: number;
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
      pipeline: Pick<PipelineRepository, 'inFlight'>;
      controllers: Pick<ControllersRepository, 'healthCounts'>;
      rebuilds: Pick<ProjectionRebuildsRepository, 'list'>;
      queue: JobQueue;
      graph: GraphProjectionAudit;
      search: SearchProjectionAudit;
      analytics: { kind: string; store: Pick<AnalyticsStore, 'ping'> };
      eventLog: Pick<EventLog, 'lag'>;
      metrics: ServiceMetrics;
      /** The drift check at start is running. */
      checkingAtStart?: () => boolean;
    },
    private readonly options: SystemOptions,
  ) {}

  /** Every component is asked at once; the slowest bounds the answer at `timeoutMs`. */
  async readiness(): Promise<Readiness> {
    const { db, queue, graph, search, analytics } = this.deps;
    const probes: Record<Component, { kind: string; probe: () => Promise<unknown> }> = {
      database: { kind: db.kind, probe: () => db.query('SELECT 1') },
      // BullMQ asks Redis; the in-process queue answers from memory and is up while the process is.
      queue: { kind: queue.kind, probe: () => queue.counts() },
      search: { kind: search.kind, probe: () => search.projectedIdsAfter(PROBE_TENANT, null, 1) },
      graph: { kind: graph.kind, probe: () => graph.projectedIdsAfter(PROBE_TENANT, null, 1) },
      analytics: { kind: analytics.kind, probe: () => analytics.store.ping() },
    };
    const [states, projections, events] = await Promise.all([
      Promise.all(
        COMPONENTS.map(async (name) => [name, await this.check(name, probes[name].probe)] as const),
      ),
      this.projections(),
      this.events(),
    ]);
    const components = Object.fromEntries(
      states.map(([name, status]) => [name, { status, kind: probes[name].kind }]),
    ) as Readiness['components'];
    const all = states.map(([, s]) => s);
    const status: ComponentState = all.includes('down')
      ? 'down'
      : all.includes('degraded')
        ? 'degraded'
        : 'ok';
    // Projections behind do not fail readiness: the instance still answers every request, and
    // taking the embedded default's only instance out of rotation would not bring them up to date.
    // The event backlog likewise: ingestion still accepts events, and the consumer drains it.
    return { status, components, projections, events };
  }

  private async events(): Promise<EventsState> {
    const lag = await this.eventLag();
    if (!lag) return { status: 'unknown', backlog: null };
    return {
      status: lag.oldestSeconds > this.options.eventsBehindSeconds ? 'behind' : 'current',
      backlog: lag,
    };
  }

  /** The stream's backlog in whole entries and seconds; null when the stream does not answer in time. */
  private async eventLag(): Promise<{ entries: number; oldestSeconds: number } | null> {
    const lag = await this.bounded(this.deps.eventLog.lag()).catch(() => null);
    if (!lag) return null;
    return {
      entries: lag.entries,
      oldestSeconds: lag.oldestMs === null ? 0 : Math.max(0, lag.oldestMs) / 1000,
    };
  }

  /** The backlog and the last drift check, for /ready: three small reads, no scan. */
  private async projections(): Promise<ProjectionsState> {
    const { db, queue } = this.deps;
    const [lag, counts, drift] = await Promise.all([
      this.bounded(this.deps.outbox.lag(db)).catch(() => null),
      this.bounded(queue.counts()).catch(() => null),
      this.bounded(this.deps.drift.latest(db)).catch(() => undefined),
    ]);
    const checkingAtStart = this.deps.checkingAtStart?.() ?? false;
    const queuedJobs = counts ? counts.waiting + counts.active + counts.delayed : null;
    const lastDriftCheck = drift
      ? {
          finishedAt: drift.finishedAt.toISOString(),
          drifted: Object.values(drift.counts).reduce((n, c) => n + c.missing + c.stale + c.orphaned, 0),
          stuck: drift.stuck,
          repaired: drift.repaired,
        }
      : null;
    const behind =
      (lag?.pending ?? 0) > 0 ||
      (queuedJobs ?? 0) > 0 ||
      (lastDriftCheck !== null &&
        !lastDriftCheck.repaired &&
        lastDriftCheck.drifted + lastDriftCheck.stuck > 0);
    const known = lag !== null && counts !== null && drift !== undefined && !checkingAtStart;
    return {
      status: behind ? 'behind' : known ? 'current' : 'unknown',
      outboxPending: lag?.pending ?? null,
      queuedJobs,
      checkingAtStart,
      lastDriftCheck,
    };
  }

  /** The Prometheus exposition, after reading the gauges that come from the database and the queue. */
  async metricsText(): Promise<string> {
    const { db, queue, metrics, outbox, pipeline, drift: driftRuns, rebuilds: rebuildRuns } = this.deps;
    const [counts, lag, inFlight, drift, rebuilds, events, controllers] = await Promise.all([
      // A backend that is down leaves its gauges out; the rest of the scrape still answers.
      this.bounded(queue.counts()).catch(() => null),
      this.bounded(outbox.lag(db)).catch(() => null),
      this.bounded(pipeline.inFlight(db)).catch(() => null),
      this.bounded(driftRuns.latest(db)).catch(() => null),
      this.bounded(rebuildRuns.list(db)).catch(() => null),
      this.eventLag(),
      this.bounded(this.deps.controllers.healthCounts(db)).catch(() => null),
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
    metrics.assetsInFlight.reset();
    metrics.assetsInFlightOldestAge.reset();
    if (inFlight) {
      metrics.assetsInFlight.set({}, inFlight.assets);
      metrics.assetsInFlightOldestAge.set({}, inFlight.oldestAgeSeconds);
    }
    metrics.controllers.reset();
    for (const [health, n] of Object.entries(controllers ?? {})) metrics.controllers.set({ health }, n);
    metrics.eventBacklog.reset();
    metrics.eventOldestAge.reset();
    if (events) {
      metrics.eventBacklog.set({}, events.entries);
      metrics.eventOldestAge.set({}, events.oldestSeconds);
    }
    metrics.drift.reset();
    metrics.driftStuck.reset();
    metrics.driftUnrepaired.reset();
    metrics.driftLastRun.reset();
    if (drift) {
      for (const [projection, kinds] of Object.entries(drift.counts)) {
        for (const [kind, n] of Object.entries(kinds)) metrics.drift.set({ projection, kind }, n);
      }
      metrics.driftStuck.set({}, drift.stuck);
      metrics.driftUnrepaired.set({}, drift.unrepaired);
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
