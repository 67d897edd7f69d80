import { useEffect, useRef } from 'preact/hooks';
import { useApp } from '../app-context';
import type { PipelineMinute, PipelineStatus } from '../admin-types';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { formatDate } from '../format';
import { href } from '../router';
import { useLoad } from '../use-load';

/** Polled often while work is under way, rarely once the pipeline is idle. */
const BUSY_MS = 2000;
const IDLE_MS = 10_000;

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * An import as it runs (npm run import:ted, or any batch ingest): how many assets are where between
 * ingest and search, the pace, and a clear word when everything is done. Polls
 * GET /v1/pipeline/status; says in the live region when the pipeline turns idle.
 */
export function ImportsPage() {
  const { api, announce } = useApp();
  const status = useLoad((signal) => api.get<PipelineStatus>('/v1/pipeline/status', { signal }), []);
  const s = status.data;
  const wasIdle = useRef<boolean | null>(null);

  useEffect(() => {
    if (!s) return;
    if (wasIdle.current === false && s.idle) {
      announce(`Import finished: ${s.assets.PROCESSED} assets enriched, ${s.assets.FAILED} failed.`);
    }
    wasIdle.current = s.idle;
    const timer = setTimeout(status.reload, s.idle ? IDLE_MS : BUSY_MS);
    return () => clearTimeout(timer);
  }, [s]);

  // A failed poll is tried again too: the API may be restarting mid-import.
  useEffect(() => {
    if (!status.error) return;
    const timer = setTimeout(status.reload, IDLE_MS);
    return () => clearTimeout(timer);
  }, [status.error]);

  return (
    <>
      <PageHeading>Imports</PageHeading>
      <ErrorMessage error={status.error} />
      {s && <Summary s={s} />}
      {s && <Counts s={s} />}
      {s && <Pace s={s} />}
    </>
  );
}

function Summary({ s }: { s: PipelineStatus }) {
  const waiting = s.assets.QUEUED + s.assets.PROCESSING;
  const countable = s.assets.total - s.assets.ARCHIVED;
  const done = s.assets.PROCESSED + s.assets.FAILED;
  return (
    <section class={s.idle ? 'pipeline idle' : 'pipeline busy'} aria-labelledby="pipeline-state">
      <h2 id="pipeline-state">
        {s.idle
          ? s.assets.total === 0
            ? 'No assets yet'
            : 'Idle: everything is processed'
          : `Working: ${waiting} asset${waiting === 1 ? '' : 's'} waiting`}
      </h2>
      {s.idle && s.assets.total === 0 && (
        <p>
          Start an import, e.g. <code>npm run import:ted -- --key YOUR_KEY</code>; its progress shows here.
        </p>
      )}
      {s.idle && s.assets.total > 0 && (
        <p>
          Every asset is enriched or has failed, and search and the graph have been told. Find them in{' '}
          <a href={href.search()}>search</a>.
        </p>
      )}
      {!s.idle && (
        <p>
          {s.estimatedSecondsLeft !== null
            ? `About ${formatDuration(s.estimatedSecondsLeft)} left at the recent pace.`
            : waiting > 0
              ? 'Waiting for the first enrichments to measure the pace.'
              : 'Enrichment is done; the last changes are on their way to search.'}
        </p>
      )}
      {countable > 0 && (
        <p class="progress-line">
          <label for="pipeline-progress">Processed</label>{' '}
          <progress id="pipeline-progress" max={countable} value={done} /> {done} of {countable}
        </p>
      )}
      <p class="meta">
        Checked {time(s.checkedAt)}
        {s.lastIngestAt && ` · last asset ingested ${formatDate(s.lastIngestAt)}`}
      </p>
    </section>
  );
}

function Counts({ s }: { s: PipelineStatus }) {
  const rows: [string, number, string?][] = [
    ['Queued', s.assets.QUEUED],
    ['Processing', s.assets.PROCESSING],
    ['Enriched', s.assets.PROCESSED],
    ['Failed', s.assets.FAILED],
    ['Staged', s.assets.STAGED],
    ['Archived', s.assets.ARCHIVED],
    ['Total', s.assets.total],
  ];
  return (
    <section aria-labelledby="counts-title">
      <h2 id="counts-title">Assets by status</h2>
      <dl class="counts">
        {rows.map(([name, n]) => (
          <div key={name} class={`count-${name.toLowerCase()}`}>
            <dt>{name}</dt>
            <dd>{n.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      {s.assets.FAILED > 0 && (
        <p>
          <a href={href.jobs}>See the failed jobs</a> to read why and retry them.
        </p>
      )}
      <p class="meta">
        Enrichment runs: {s.jobs.queued} queued, {s.jobs.running} running, {s.jobs.retrying} retrying ·{' '}
        {s.outboxPending} event{s.outboxPending === 1 ? '' : 's'} waiting for the relay
      </p>
    </section>
  );
}

function Pace({ s }: { s: PipelineStatus }) {
  const active = s.minutes.filter((m) => m.ingested + m.enriched + m.failed > 0);
  const total = (pick: (m: PipelineMinute) => number) => s.minutes.reduce((n, m) => n + pick(m), 0);
  return (
    <section aria-labelledby="pace-title">
      <h2 id="pace-title">Pace</h2>
      <dl class="counts">
        <div>
          <dt>Ingested per minute</dt>
          <dd>{s.rates.ingestedPerMinute}</dd>
        </div>
        <div>
          <dt>Enriched per minute</dt>
          <dd>{s.rates.enrichedPerMinute}</dd>
        </div>
        <div>
          <dt>Failed per minute</dt>
          <dd>{s.rates.failedPerMinute}</dd>
        </div>
      </dl>
      <p class="hint">Averaged over the last 5 minutes.</p>
      <MinuteChart
        minutes={s.minutes}
        label={`Last hour, per minute: ${total((m) => m.ingested)} ingested, ${total((m) => m.enriched)} enriched, ${total((m) => m.failed)} failed.`}
      />
      {active.length > 0 && (
        <details>
          <summary>The last hour, minute by minute</summary>
          <table class="minutes">
            <thead>
              <tr>
                <th scope="col">Minute</th>
                <th scope="col">Ingested</th>
                <th scope="col">Enriched</th>
                <th scope="col">Failed</th>
              </tr>
            </thead>
            <tbody>
              {active.map((m) => (
                <tr key={m.minute}>
                  <th scope="row">{time(m.minute)}</th>
                  <td>{m.ingested}</td>
                  <td>{m.enriched}</td>
                  <td>{m.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}

const CHART_W = 600;
const CHART_H = 120;

/**
 * Ingested and enriched assets per minute, as paired bars drawn with SVG attributes (the CSP allows
 * no inline styles). One image for assistive technology; the table above it holds the numbers.
 */
function MinuteChart({ minutes, label }: { minutes: PipelineMinute[]; label: string }) {
  const max = Math.max(1, ...minutes.map((m) => Math.max(m.ingested, m.enriched)));
  const slot = CHART_W / minutes.length;
  const bar = Math.max(1, slot / 2 - 1);
  const h = (n: number) => (n / max) * (CHART_H - 2);
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${CHART_W} ${CHART_H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={label}
        width="100%"
        height={CHART_H}
      >
        <line class="axis" x1={0} y1={CHART_H - 0.5} x2={CHART_W} y2={CHART_H - 0.5} />
        {minutes.map((m, i) => (
          <g key={m.minute}>
            {m.ingested > 0 && (
              <rect
                class="ingested"
                x={i * slot}
                y={CHART_H - h(m.ingested)}
                width={bar}
                height={h(m.ingested)}
              />
            )}
            {m.enriched > 0 && (
              <rect
                class="enriched"
                x={i * slot + bar + 1}
                y={CHART_H - h(m.enriched)}
                width={bar}
                height={h(m.enriched)}
              />
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        <span class="key ingested-key">Ingested</span> <span class="key enriched-key">Enriched</span> per
        minute, {minutes[0] ? time(minutes[0].minute) : ''} to now; the tallest bar is {max}.
      </figcaption>
    </figure>
  );
}
