import { useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { EntityLink } from '../components/entity-link';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { entityId, typeWord, type Entity, type EntityList } from '../entity-routes';
import { href } from '../router';
import type { Job } from '../types';
import { useLoad } from '../use-load';
import { useCan } from '../use-permission';
import { Pager } from './entity-page';
import '../entities.css';

/** The types a rename or merge may change (the API's EDITABLE_TYPES, less keywords, which are many and noisy). */
const TYPES = ['TAG', 'TOPIC', 'SPEAKER', 'BRAND'] as const;
type TagType = (typeof TYPES)[number];
const TYPE_LABEL: Record<TagType, string> = {
  TAG: 'Tags',
  TOPIC: 'Topics',
  SPEAKER: 'Speakers',
  BRAND: 'Brands',
};
const PAGE_SIZE = 25;
const POLL_MS = 1000;
const MAX_MERGE = 50;

type Change = { kind: 'rename'; from: Entity } | { kind: 'merge'; sources: Entity[] };

/** A background job as GET /v1/jobs/{id} answers it: with the assets it has done of how many. */
type BackgroundJob = Job & { total?: number | null; processed?: number | null };

interface Running {
  job: BackgroundJob;
  summary: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const isTagType = (v: string | null): v is TagType => (TYPES as readonly string[]).includes(v ?? '');

/**
 * `#/tags?type=TAG&q=prefix`: the names of one type with how many assets carry each, and, for keys
 * with tags:write, renames and merges across the tenant as background jobs.
 */
export function TagsPage({ params }: { params: URLSearchParams }) {
  const { api, announce } = useApp();
  const type: TagType = isTagType(params.get('type')) ? (params.get('type') as TagType) : 'TAG';
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Map<string, Entity>>(new Map());
  const [change, setChange] = useState<Change | null>(null);
  const [running, setRunning] = useState<Running | null>(null);
  const canWrite = useCan('tags:write');
  useEffect(() => {
    setDraft(q);
    setOffset(0);
  }, [q, type]);
  useEffect(() => setSelected(new Map()), [type]);

  // The answer keeps the query it answers, so the caption never names a newer one over older rows.
  const list = useLoad(
    async (signal) => ({
      type,
      q,
      ...(await api.get<EntityList>('/v1/entities', {
        query: { type, q: q || undefined, limit: PAGE_SIZE, offset },
        signal,
      })),
    }),
    [type, q, offset],
  );

  const go = (next: { type?: TagType; q?: string }) => {
    const p = new URLSearchParams();
    p.set('type', next.type ?? type);
    const nq = (next.q ?? q).trim();
    if (nq) p.set('q', nq);
    location.hash = href.tags(p);
  };

  const toggle = (e: Entity) => {
    const next = new Map(selected);
    const id = entityId(e);
    if (next.has(id)) next.delete(id);
    else if (next.size < MAX_MERGE) next.set(id, e);
    setSelected(next);
  };

  const started = (job: BackgroundJob, summary: string) => {
    setChange(null);
    setSelected(new Map());
    setRunning({ job, summary });
    announce(`${summary}: started.`);
  };

  const shown = list.data;
  return (
    <>
      <PageHeading>Tags and names</PageHeading>
      <form
        class="tags-filter"
        role="search"
        aria-label="Filter names"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: draft });
        }}
      >
        <label for="tags-type">Type</label>
        <select
          id="tags-type"
          value={type}
          onChange={(e) => go({ type: e.currentTarget.value as TagType, q: '' })}
        >
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABEL[t]}
            </option>
          ))}
        </select>
        <label for="tags-q">Name starts with</label>
        <input id="tags-q" type="search" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        <button type="submit">Filter</button>
      </form>
      {canWrite === false && (
        <p class="hint" id="tags-readonly">
          This API key may not rename or merge names: that needs the tags:write permission.
        </p>
      )}
      {running && (
        <JobProgress
          running={running}
          onDone={(job) => {
            list.reload();
            announce(
              job.status === 'COMPLETED'
                ? `${running.summary}: done, ${plural(job.processed ?? 0, 'asset')} changed.`
                : `${running.summary}: failed. ${job.lastError ?? ''}`.trim(),
            );
          }}
          onDismiss={() => setRunning(null)}
        />
      )}
      <ErrorMessage error={list.error} />
      {canWrite && selected.size > 0 && (
        <div class="merge-bar" role="group" aria-label="Merge selection">
          <span>
            {selected.size} selected: {[...selected.values()].map((e) => e.name).join(', ')}
          </span>
          <button
            type="button"
            disabled={selected.size < 2}
            onClick={() => setChange({ kind: 'merge', sources: [...selected.values()] })}
          >
            Merge selected…
          </button>
          <button type="button" onClick={() => setSelected(new Map())}>
            Clear selection
          </button>
        </div>
      )}
      {shown?.items.length === 0 && (
        <p>
          No {typeWord(shown.type)} names{shown.q ? ` start with “${shown.q}”` : ''}.
        </p>
      )}
      {shown && shown.items.length > 0 && (
        <table class="tags-table" aria-busy={list.loading}>
          <caption>
            {TYPE_LABEL[shown.type]}
            {shown.q ? ` starting with “${shown.q}”` : ''}, most used first
          </caption>
          <thead>
            <tr>
              {canWrite && (
                <th scope="col">
                  <span class="visually-hidden">Select for merge</span>
                </th>
              )}
              <th scope="col">Name</th>
              <th scope="col">Assets</th>
              {canWrite && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {shown.items.map((e) => (
              <tr key={entityId(e)}>
                {canWrite && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${e.name} for merge`}
                      checked={selected.has(entityId(e))}
                      onChange={() => toggle(e)}
                    />
                  </td>
                )}
                <th scope="row">
                  <EntityLink type={e.type} name={e.name} />
                </th>
                <td>{e.assetCount}</td>
                {canWrite && (
                  <td class="actions">
                    <button
                      type="button"
                      aria-label={`Rename ${e.name}`}
                      onClick={() => setChange({ kind: 'rename', from: e })}
                    >
                      Rename
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        offset={offset}
        size={PAGE_SIZE}
        hasNext={typeof list.data?.nextOffset === 'number'}
        onPage={setOffset}
        label="Name pages"
      />
      {change && (
        <ChangeDialog type={type} change={change} onCancel={() => setChange(null)} onStarted={started} />
      )}
    </>
  );
}

/** How many assets a change rewrites: those carrying a name that is not already spelled as the target. */
function affected(change: Change, into: string): number {
  const sources = change.kind === 'rename' ? [change.from] : change.sources;
  return sources.filter((s) => s.name !== into.trim()).reduce((n, s) => n + s.assetCount, 0);
}

/**
 * The rename or merge form in a modal dialog: the new name, a preview of how many assets change,
 * and the button that starts the job. Escape or Cancel closes it without a change.
 */
function ChangeDialog(props: {
  type: TagType;
  change: Change;
  onCancel: () => void;
  onStarted: (job: BackgroundJob, summary: string) => void;
}) {
  const { api } = useApp();
  const { change, type } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const initial =
    change.kind === 'rename'
      ? change.from.name
      : [...change.sources].sort((a, b) => b.assetCount - a.assetCount)[0]!.name;
  const [into, setInto] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const word = typeWord(type);
  const names = change.kind === 'rename' ? [change.from] : change.sources;
  const count = affected(change, into);
  const target = into.trim();
  const unchanged = change.kind === 'rename' && target === change.from.name;
  // A merge's sum counts an asset once per name it carries: at most this many assets change.
  const preview =
    count === 0
      ? 'No asset changes.'
      : change.kind === 'merge' && names.filter((s) => s.name !== target).length > 1
        ? `At most ${count} assets change (an asset carrying several of these names counts once per name).`
        : `${count} ${count === 1 ? 'asset changes' : 'assets change'}.`;
  const summary =
    change.kind === 'rename'
      ? `Rename ${word} ${change.from.name} to ${target}`
      : `Merge ${names.map((s) => s.name).join(', ')} into ${target}`;

  const submit = async () => {
    if (busy || !target || unchanged) return;
    setBusy(true);
    setError(null);
    try {
      const body =
        change.kind === 'rename'
          ? { type, from: change.from.name, to: target }
          : { type, sources: change.sources.map((s) => s.name), into: target };
      const res = await api.request<BackgroundJob>('POST', `/v1/tags/${change.kind}`, { body });
      ref.current?.close();
      props.onStarted(res.body, summary);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const title =
    change.kind === 'rename' ? `Rename ${word} “${change.from.name}”` : `Merge ${names.length} ${word} names`;
  return (
    <dialog
      ref={ref}
      class="change-dialog"
      aria-labelledby="change-title"
      aria-describedby="change-preview"
      onClose={props.onCancel}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id="change-title">{title}</h2>
        {change.kind === 'merge' && (
          <ul class="merge-sources" aria-label="Names merged">
            {names.map((s) => (
              <li key={entityId(s)}>
                {s.name} <span class="count">{s.assetCount}</span>
              </li>
            ))}
          </ul>
        )}
        <label for="change-into">{change.kind === 'rename' ? 'New name' : 'Merge into'}</label>
        <input
          id="change-into"
          required
          maxLength={200}
          autocomplete="off"
          value={into}
          onInput={(e) => setInto(e.currentTarget.value)}
        />
        <p id="change-preview" class="preview">
          {unchanged ? 'Type a different name.' : preview} Every asset changed gets a new version and an audit
          record; enrichment writes the new name from now on.
        </p>
        <ErrorMessage error={error} />
        <div class="actions">
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={!target || unchanged} aria-busy={busy}>
            {change.kind === 'rename' ? 'Rename' : 'Merge'}
            {count > 0 && !unchanged ? ` on ${count} ${count === 1 ? 'asset' : 'assets'}` : ''}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A started job's progress, polled until it ends. */
function JobProgress(props: {
  running: Running;
  onDone: (job: BackgroundJob) => void;
  onDismiss: () => void;
}) {
  const { api } = useApp();
  const [job, setJob] = useState(props.running.job);
  const [error, setError] = useState<ApiError | null>(null);
  const done = job.status === 'COMPLETED' || job.status === 'FAILED';
  useEffect(() => setJob(props.running.job), [props.running]);
  useEffect(() => {
    if (done) {
      props.onDone(job);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api.get<BackgroundJob>(`/v1/jobs/${job.id}`, { signal: ctl.signal }).then(setJob, (err: unknown) => {
        if (!ctl.signal.aborted) setError(toApiError(err));
      });
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [job, done]);

  return (
    <section class="job-progress" aria-labelledby="job-progress-heading">
      <h2 id="job-progress-heading">{props.running.summary}</h2>
      <p>
        <progress max={100} value={job.progressPercent} aria-labelledby="job-progress-heading" />{' '}
        <span class={`status-${job.status.toLowerCase()}`}>{job.status.toLowerCase()}</span>
        {typeof job.total === 'number' && (
          <>
            {' '}
            · {job.processed ?? 0} of {job.total} assets
          </>
        )}{' '}
        · <a href={href.jobs}>job {job.id.slice(0, 8)}</a>
      </p>
      {job.lastError && <p class="error">{job.lastError}</p>}
      <ErrorMessage error={error} />
      {done && (
        <button type="button" onClick={props.onDismiss}>
          Dismiss
        </button>
      )}
    </section>
  );
}
