import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { formatDate } from '../format';
import { href } from '../router';
import type { Job, JobStatus, Page } from '../types';
import { useLoad } from '../use-load';

const STATUSES: JobStatus[] = ['QUEUED', 'RUNNING', 'RETRYING', 'COMPLETED', 'FAILED'];
const REFRESH_MS = 3000;
const short = (id: string) => id.slice(0, 8);

/** Processing jobs with status and progress, refreshed while any runs; failed ones can be retried. */
export function JobsPage() {
  const { api, announce } = useApp();
  const [status, setStatus] = useState<JobStatus | ''>('');
  const jobs = useLoad(
    (signal) => api.get<Page<Job>>('/v1/jobs', { query: { limit: 50, status: status || undefined }, signal }),
    [status],
  );
  const [error, setError] = useState<ApiError | null>(null);
  const page = jobs.data;

  useEffect(() => {
    const active = page?.items.some((j) => j.status !== 'COMPLETED' && j.status !== 'FAILED');
    if (!active) return;
    const timer = setTimeout(jobs.reload, REFRESH_MS);
    return () => clearTimeout(timer);
  }, [page]);

  const retry = async (job: Job) => {
    setError(null);
    try {
      const res = await api.request<Job>('POST', `/v1/jobs/${job.id}/retry`);
      if (page) jobs.setData({ ...page, items: page.items.map((j) => (j.id === job.id ? res.body : j)) });
      announce(`Job ${short(job.id)} queued for retry.`);
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <>
      <PageHeading>Processing jobs</PageHeading>
      <div class="toolbar">
        <label for="job-status">Status</label>
        <select
          id="job-status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as JobStatus | '')}
        >
          <option value="">all</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
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
          <caption class="visually-hidden">Jobs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Asset</th>
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
              <tr key={job.id}>
                <th scope="row">
                  {job.backgroundKind ?? job.workflow ?? job.kind} <span class="id">{short(job.id)}</span>
                </th>
                <td>{job.assetId ? <a href={href.asset(job.assetId)}>{short(job.assetId)}</a> : '—'}</td>
                <td>
                  <span class={`status status-${job.status.toLowerCase()}`}>{job.status}</span>
                </td>
                <td>
                  <progress
                    max={100}
                    value={job.progressPercent}
                    aria-label={`Progress of job ${short(job.id)}`}
                  />{' '}
                  {Math.round(job.progressPercent)}%
                </td>
                <td>{job.retryCount}</td>
                <td>
                  {job.lastError}
                  {job.capabilitiesFailed.length > 0 && ` (failed: ${job.capabilitiesFailed.join(', ')})`}
                </td>
                <td>{formatDate(job.updatedAt)}</td>
                <td>
                  {job.status === 'FAILED' && (
                    <button type="button" onClick={() => void retry(job)}>
                      Retry<span class="visually-hidden"> job {short(job.id)}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
