/**
 * Counters, gauges and histograms in the Prometheus text exposition format (version 0.0.4), written
 * by hand: the format is a few lines per series, and a registry per container keeps test apps apart.
 */
import type { BatchJobName } from '../queue/jobs.js';

export type Labels = Record<string, string>;

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  lines(): string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

/** Series keyed by their label text, so one label set is one series. */
class Series<T> {
  private readonly byKey = new Map<string, { labels: Labels; value: T }>();
  constructor(private readonly initial: () => T) {}

  get(labels: Labels): T {
    const key = labelText(labels);
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { labels, value: this.initial() };
      this.byKey.set(key, entry);
    }
    return entry.value;
  }

  set(labels: Labels, value: T): void {
    this.byKey.set(labelText(labels), { labels, value });
  }

  clear(): void {
    this.byKey.clear();
  }

  entries(): { labels: Labels; value: T }[] {
    return [...this.byKey.values()];
  }
}

export class Counter implements Metric {
  readonly type = 'counter';
  private readonly series = new Series(() => ({ n: 0 }));
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    this.series.get(labels).n += by;
  }

  lines(): string[] {
    return this.series.entries().map((s) => `${this.name}${labelText(s.labels)} ${formatNumber(s.value.n)}`);
  }
}

export class Gauge implements Metric {
  readonly type = 'gauge';
  private readonly series = new Series(() => 0);
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(labels: Labels, value: number): void {
    this.series.set(labels, value);
  }

  /** Forgets every series: for gauges refilled from a source at each scrape. */
  reset(): void {
    this.series.clear();
  }

  lines(): string[] {
    return this.series.entries().map((s) => `${this.name}${labelText(s.labels)} ${formatNumber(s.value)}`);
  }
}

export class Histogram implements Metric {
  readonly type = 'histogram';
  private readonly series: Series<{ counts: number[]; sum: number; count: number }>;
  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds, ascending; +Inf is added. */
    readonly buckets: readonly number[],
  ) {
    this.series = new Series(() => ({ counts: buckets.map(() => 0), sum: 0, count: 0 }));
  }

  observe(labels: Labels, value: number): void {
    const s = this.series.get(labels);
    for (const [i, bound] of this.buckets.entries()) if (value <= bound) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  lines(): string[] {
    return this.series
      .entries()
      .flatMap(({ labels, value }) => [
        ...this.buckets.map(
          (bound, i) =>
            `${this.name}_bucket${labelText({ ...labels, le: formatNumber(bound) })} ${value.counts[i]}`,
        ),
        `${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${value.count}`,
        `${this.name}_sum${labelText(labels)} ${formatNumber(value.sum)}`,
        `${this.name}_count${labelText(labels)} ${value.count}`,
      ]);
  }
}

/** The metrics of one process (one container). */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  /** The text exposition of every metric, in registration order. */
  render(): string {
    const out: string[] = [];
    for (const m of this.metrics.values()) {
      out.push(`# HELP ${m.name} ${m.help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}`);
      out.push(`# TYPE ${m.name} ${m.type}`);
      out.push(...m.lines());
    }
    return `${out.join('\n')}\n`;
  }

  private add<M extends Metric>(metric: M): M {
    if (!NAME.test(metric.name)) throw new Error(`invalid metric name ${metric.name}`);
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * How an asset of an asset batch job's attempt ended (`mdisc_job_assets_total`). Its job is labelled
 * `job_name`, not `job`: Prometheus gives every target a `job` label, and a scraped one clashing
 * with it is renamed `exported_job`, which rules written against `job` would then miss.
 */
export const JOB_ASSET_OUTCOMES = ['done', 'retried', 'failed'] as const;
export type JobAssetOutcome = (typeof JOB_ASSET_OUTCOMES)[number];
const ASSET_BATCH_JOBS = ['enrich-assets', 'project-assets'] as const satisfies readonly BatchJobName[];

/** The service's own metrics; the gauges read at scrape time are filled by the /metrics route. */
export function serviceMetrics(registry = new MetricsRegistry()) {
  const metrics = {
    registry,
    httpDuration: registry.histogram(
      'mdisc_http_request_duration_seconds',
      'HTTP request latency by route template, method and status class.',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    jobFailures: registry.counter(
      'mdisc_job_failures_total',
      'Failed job attempts by job name; final="true" when no retry is left (a dead letter).',
    ),
    jobAssets: registry.counter(
      'mdisc_job_assets_total',
      'Assets of each attempt of an asset batch job (job_name: enrich-assets, project-assets) by outcome: ' +
        'done, retried (failed, another attempt is left) or failed (failed on the last attempt: dead-lettered).',
    ),
    projectionLag: registry.histogram(
      'mdisc_projection_lag_seconds',
      "Time from an asset's canonical change to its projection into search and graph, per projection job.",
      [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    ),
    queueJobs: registry.gauge(
      'mdisc_queue_jobs',
      'Jobs on the queue by state (waiting, active, delayed, failed).',
    ),
    assetsInFlight: registry.gauge(
      'mdisc_assets_in_flight',
      'Assets QUEUED or PROCESSING: ingested or changed, and not yet through enrichment.',
    ),
    assetsInFlightOldestAge: registry.gauge(
      'mdisc_assets_in_flight_oldest_age_seconds',
      'Age of the oldest asset QUEUED or PROCESSING, since its last change (0 when none).',
    ),
    controllers: registry.gauge(
      'mdisc_controllers',
      'Enabled ingress controllers by health (unknown: not run yet; unhealthy: its last run failed), over every tenant.',
    ),
    outboxPending: registry.gauge(
      'mdisc_outbox_pending_events',
      'Outbox events not yet relayed to the queue.',
    ),
    outboxOldestAge: registry.gauge(
      'mdisc_outbox_oldest_pending_age_seconds',
      'Age of the oldest outbox event not yet relayed (0 when none).',
    ),
    eventBacklog: registry.gauge(
      'mdisc_event_stream_backlog_entries',
      'Event stream entries appended and not yet acknowledged by a consumer (each one partition of a batch).',
    ),
    eventOldestAge: registry.gauge(
      'mdisc_event_stream_oldest_seconds',
      'Age of the oldest unacknowledged event stream entry (0 when none).',
    ),
    eventsRecorded: registry.counter(
      'mdisc_events_recorded_total',
      'Interaction events the consumer added to the analytics store.',
    ),
    eventDuplicates: registry.counter(
      'mdisc_events_duplicates_total',
      'Interaction events the consumer found already recorded (a retried batch or a redelivered entry).',
    ),
    signingSecretUnreadable: registry.counter(
      'mdisc_signing_secret_unreadable_total',
      "Rotations' earlier signing secrets that did not open when signing (owner: webhook, controller); " +
        'signed with the current secret alone.',
    ),
    drift: registry.gauge(
      'mdisc_projection_drift_assets',
      'Assets a projection disagrees with the canonical store about, by kind, at the last drift check.',
    ),
    driftStuck: registry.gauge(
      'mdisc_drift_stuck_assets',
      'Assets stuck in QUEUED or PROCESSING past the grace period (no job moving them on) at the last drift check.',
    ),
    driftUnrepaired: registry.gauge(
      'mdisc_projection_drift_unrepaired_assets',
      'Drifted assets the last drift check was asked to repair and could not (0 when it did not repair).',
    ),
    driftLastRun: registry.gauge(
      'mdisc_projection_drift_last_run_timestamp_seconds',
      'When the last drift check finished (Unix time).',
    ),
    rebuildCopied: registry.gauge(
      'mdisc_projection_rebuild_copied_assets',
      'Assets the latest online rebuild of a projection has copied, by state (building, switched, done, failed).',
    ),
    rebuildExpected: registry.gauge(
      'mdisc_projection_rebuild_expected_assets',
      'Assets the latest online rebuild of a projection expects to copy, by state.',
    ),
  };
  // Every outcome from 0: rate() sees no increase in a series whose first sample is already 1, so
  // the first failed asset of a process would go unnoticed by the error-rate alert.
  for (const job of ASSET_BATCH_JOBS) {
    for (const outcome of JOB_ASSET_OUTCOMES) metrics.jobAssets.inc({ job_name: job, outcome }, 0);
  }
  return metrics;
}

export type ServiceMetrics = ReturnType<typeof serviceMetrics>;
