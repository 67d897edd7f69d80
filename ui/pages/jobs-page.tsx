import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { effectText } from '../components/bulk-tag-panel';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { PendingButton } from '../components/pending-button';
import { formatDate } from '../format';
import { href } from '../router';
import type { BulkTagJob, Job, JobChangePage, JobStatus, Page } from '../types';
import { useLoad } from '../use-load';

const STATUSES: JobStatus[] = ['QUEUED', 'RUNNING', 'RETRYING', 'COMPLETED', 'FAILED'];
/** What the kind filter offers, as the API's kind and backgroundKind. */
const KINDS = {
  '': { label: 'all', query: {} },
  enrichment: { label: 'enrichment runs', query: { kind: 'enrichment' } },
  'tags-bulk': { label: 'bulk tag changes', query: { kind: 'background', backgroundKind: 'tags-bulk' } },
  'lifecycle-rules': {
    label: 'lifecycle runs',
    query: { kind: 'background', backgroundKind: 'lifecycle-rules' },
  },
  background: { label: 'all background jobs', query: { kind: 'background' } },
} as const;
type KindFilter = keyof typeof KINDS;
const PAGE_SIZE = 50;
const CHANGES_PAGE_SIZE = 50;
const REFRESH_MS = 3000;
const short = (id: string) => id.slice(0, 8);
const finished = (j: Job) => j.status === 'COMPLETED' || j.status === 'FAILED';

/** A bulk tag job in words: "add kelp, remove draft · “brain”, tag: reef · 1143 assets". */
function describeBulk(b: BulkTagJob): string {
  const change = [
    ...b.add.map((r) => `add ${r.name}`),
    ...b.remove.map((r) => `remove ${r.name}`),
    ...b.lock.map((r) => `lock ${r.name}`),
    ...b.unlock.map((r) => `unlock ${r.name}`),
  ].join(', ');
  const filters = Object.entries(b.filters ?? {}).map(
    ([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`,
  );
  const which = [...(b.q ? [`“${b.q}”`] : []), ...filters].join(', ');
  return `${change}${which ? ` · ${which}` : ''} · ${b.matched} ${b.matched === 1 ? 'asset' : 'assets'}`;
}

/**
 * Enrichment runs and background jobs (bulk tag changes among them), newest first, a page at a time,
 * refreshed while any on the page runs. Failed runs can be retried; a bulk job shows its changes.
 */
export function JobsPage(props: { kind?: string | null }) {
  const { api, announce } = useApp();
  const [status, setStatus] = useState<JobStatus | ''>('');
  // `#/jobs?kind=lifecycle-rules` opens on one kind (a link from the page that started the job).
  const [kind, setKind] = useState<KindFilter>(
    props.kind && props.kind in KINDS ? (props.kind as KindFilter) : '',
  );
  // The cursors of the pages before this one, to go back; the last is this page's.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const jobs = useLoad(
    (signal) =>
      api.get<Page<Job>>('/v1/jobs', {
        query: { limit: PAGE_SIZE, status: status || undefined, ...KINDS[kind].query, cursor },
        signal,
      }),
    [status, kind, cursor],
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const page = jobs.data;

  useEffect(() => {
    if (!page?.items.some((j) => !finished(j))) return;
    const timer = setTimeout(jobs.reload, REFRESH_MS);
    return () => clearTimeout(timer);
  }, [page]);

  const filter = (apply: () => void) => {
    apply();
    setCursors([undefined]);
    setOpen(null);
  };

  // The job whose retry is being asked for: its button says so and ignores more clicks.
  const [retrying, setRetrying] = useState<string | null>(null);
  const retry = async (job: Job) => {
    if (retrying) return;
    setRetrying(job.id);
    setError(null);
    try {
      const res = await api.request<Job>('POST', `/v1/jobs/${job.id}/retry`);
      if (page) jobs.setData({ ...page, items: page.items.map((j) => (j.id === job.id ? res.body : j)) });
      announce(`Job ${short(job.id)} queued for retry.`);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setRetrying(null);
    }
  };

  const pageNumber = cursors.length;
  return (
    <>
      <PageHeading>Processing jobs</PageHeading>
      <div class="toolbar">
        <label for="job-status">Status</label>
        <select
          id="job-status"
          value={status}
          onChange={(e) => filter(() => setStatus(e.currentTarget.value as JobStatus | ''))}
        >
          <option value="">all</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
        <label for="job-kind">Kind</label>
        <select
          id="job-kind"
          value={kind}
          onChange={(e) => filter(() => setKind(e.currentTarget.value as KindFilter))}
        >
          {Object.entries(KINDS).map(([value, k]) => (
            <option key={value} value={value}>
              {k.label}
            </option>
          ))}
        </select>
        <button type="button" onClick={jobs.reload}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={error ?? jobs.error} />
      {page?.items.length === 0 && <p>No jobs.</p>}
      {page && page.items.length > 0 && (
        <table class="jobs" aria-busy={jobs.loading}>
          <caption class="visually-hidden">Jobs, newest first, page {pageNumber}</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Asset or change</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Retries</th>
              <th scope="col">Last error</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((job) => (
              <JobRows
                key={job.id}
                job={job}
                open={open === job.id}
                onToggle={() => setOpen(open === job.id ? null : job.id)}
                onRetry={() => void retry(job)}
                retrying={retrying === job.id}
                blocked={retrying !== null}
              />
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Job pages">
        <button type="button" disabled={pageNumber === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <span>Page {pageNumber}</span>
        <button
          type="button"
          disabled={!page?.nextCursor}
          onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}
        >
          Older
        </button>
      </nav>
    </>
  );
}

function JobRows(props: {
  job: Job;
  open: boolean;
  onToggle: () => void;
  onRetry: () => void;
  retrying: boolean;
  blocked: boolean;
}) {
  const { job } = props;
  const changesId = `job-changes-${job.id}`;
  const label = job.backgroundKind ?? job.workflow ?? job.kind;
  const counted = job.total !== null && job.processed !== null ? ` (${job.processed} of ${job.total})` : '';
  return (
    <>
      <tr>
        <th scope="row">
          {label} <span class="id">{short(job.id)}</span>
        </th>
        <td>
          {job.assetId ? (
            <a href={href.asset(job.assetId)}>{job.assetTitle ?? short(job.assetId)}</a>
          ) : job.bulkTags ? (
            describeBulk(job.bulkTags)
          ) : job.lifecycle ? (
            `archived ${job.lifecycle.archived}, deleted ${job.lifecycle.deleted}, skipped ${job.lifecycle.skipped}`
          ) : (
            '—'
          )}
        </td>
        <td>
          <span class={`status status-${job.status.toLowerCase()}`}>{job.status}</span>
        </td>
        <td>
          <progress max={100} value={job.progressPercent} aria-label={`Progress of job ${short(job.id)}`} />{' '}
          {Math.round(job.progressPercent)}%{counted}
        </td>
        <td>{job.retryCount}</td>
        <td>
          {job.lastError}
          {job.capabilitiesFailed.length > 0 && ` (failed: ${job.capabilitiesFailed.join(', ')})`}
        </td>
        <td>{formatDate(job.updatedAt)}</td>
        <td>
          {job.kind === 'enrichment' && job.status === 'FAILED' && (
            <PendingButton
              pending={props.retrying}
              blocked={props.blocked}
              pendingLabel={
                <>
                  Retrying…<span class="visually-hidden"> job {short(job.id)}</span>
                </>
              }
              onClick={props.onRetry}
            >
              Retry<span class="visually-hidden"> job {short(job.id)}</span>
            </PendingButton>
          )}
          {job.bulkTags && (
            <button
              type="button"
              aria-expanded={props.open}
              aria-controls={changesId}
              onClick={props.onToggle}
            >
              Changes
              <span class="visually-hidden"> of job {short(job.id)}</span>
            </button>
          )}
        </td>
      </tr>
      {props.open && (
        <tr id={changesId} class="job-changes">
          <td colSpan={8}>
            <JobChanges job={job} />
          </td>
        </tr>
      )}
    </>
  );
}

/** What a bulk tag job did, asset by asset, a page at a time; refreshed while the job runs. */
function JobChanges({ job }: { job: Job }) {
  const { api } = useApp();
  const first = useLoad(
    (signal) =>
      api.get<JobChangePage>(`/v1/jobs/${job.id}/changes`, { query: { limit: CHANGES_PAGE_SIZE }, signal }),
    [job.id, job.processed, job.status],
  );
  const [more, setMore] = useState<JobChangePage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => setMore(null), [first.data]);
  const data = first.data;
  const items = [...(data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.nextCursor : data?.nextCursor;

  const loadMore = async () => {
    if (!next) return;
    setError(null);
    try {
      const page = await api.get<JobChangePage>(`/v1/jobs/${job.id}/changes`, {
        query: { limit: CHANGES_PAGE_SIZE, cursor: next },
      });
      setMore({ ...page, items: [...(more?.items ?? []), ...page.items] });
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <section aria-label={`Changes of job ${short(job.id)}`} aria-busy={first.loading}>
      <ErrorMessage error={error ?? first.error} />
      {data && (
        <p>
          {data.counts.CHANGED} changed, {data.counts.UNCHANGED} unchanged, {data.counts.SKIPPED} skipped
          {!finished(job) && ' so far'}.
        </p>
      )}
      {items.length > 0 && (
        <table class="changes">
          <caption class="visually-hidden">Changes, in the job's order</caption>
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Outcome</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.assetId}>
                <th scope="row">
                  {c.title === null ? (
                    <span>{short(c.assetId)} (deleted)</span>
                  ) : (
                    <a href={href.asset(c.assetId)}>{c.title}</a>
                  )}
                </th>
                <td>{c.outcome.toLowerCase()}</td>
                <td>{c.outcome === 'SKIPPED' ? c.error : effectText(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" onClick={() => void loadMore()}>
          More changes
        </button>
      )}
    </section>
  );
}
