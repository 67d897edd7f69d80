import { useEffect, useRef, useState } from 'preact/hooks';
import { isAbort, toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { BulkTagPanel } from '../components/bulk-tag-panel';
import { EntityLink } from '../components/entity-link';
import { ErrorMessage } from '../components/error-message';
import { Highlighted } from '../components/highlight';
import { PageHeading } from '../components/page-heading';
import { SaveSearchButton } from '../components/save-search-button';
import { SearchBox } from '../components/search-box';
import { TrendingList } from '../components/trending-list';
import { formatCount, formatSeconds, sourceLabel, typeLabel } from '../format';
import type { GraphEntityType } from '../entity-routes';
import { href } from '../router';
import type { FacetDimension, SearchHit, SearchResult, SearchTotal, Suggestion } from '../types';
import { useLoad } from '../use-load';

/**
 * The search filters the page keeps in its URL: the facet that offers their values, and how a person
 * names them ("Source: TED", not "sourceSystem: ted").
 */
const FILTERS = [
  { param: 'tag', facet: 'tags', label: 'Tag', group: 'Tags', entity: 'TAG' },
  { param: 'topic', facet: 'topics', label: 'Topic', group: 'Topics', entity: 'TOPIC' },
  { param: 'speaker', facet: 'speakers', label: 'Speaker', group: 'Speakers', entity: 'SPEAKER' },
  { param: 'type', facet: 'type', label: 'Type', group: 'Type', entity: null },
  { param: 'sourceSystem', facet: 'sourceSystem', label: 'Source', group: 'Source', entity: null },
] as const satisfies readonly {
  param: string;
  facet: FacetDimension;
  label: string;
  group: string;
  /** The entity a value names, which has a page of its own; null for plain fields. */
  entity: GraphEntityType | null;
}[];
type Filter = (typeof FILTERS)[number];

const valueLabel = (f: Filter, value: string): string =>
  f.param === 'type' ? typeLabel(value) : f.param === 'sourceSystem' ? sourceLabel(value) : value;
const chipLabel = (f: Filter, value: string): string => `${f.label}: ${valueLabel(f, value)}`;

/** The orders GET /v1/search offers; '' is its default (best match with text, newest without). */
const SORTS = [
  { value: '', label: 'Best match' },
  { value: 'createdAt', label: 'Newest' },
  { value: 'popularity', label: 'Most popular' },
  { value: 'trending', label: 'Trending' },
] as const;

const PAGE_SIZE = 20;
/** As narrow as styles.css's one-column layout. */
const NARROW = '(max-width: 40rem)';

type Loaded = SearchResult & { params: URLSearchParams };

/** What a result answers, in words: Results for “kelp”, Tag: underwater. */
function describe(params: URLSearchParams, lead = 'Results for'): string {
  const q = params.get('q');
  const parts = [
    ...(q ? [`“${q}”`] : []),
    ...FILTERS.flatMap((f) => params.getAll(f.param).map((v) => chipLabel(f, v))),
  ];
  if (parts.length > 0) return `${lead} ${parts.join(', ')}`;
  return lead === 'Results for' ? 'All assets' : `${lead} all assets`;
}

/** "1,234 results", or "about 12,000 results" when the API estimated it. */
function totalText(total: SearchTotal): string {
  const n = formatCount(total.value);
  if (!total.exact) return `about ${n} results`;
  return total.value === 0 ? 'No results' : `${n} result${total.value === 1 ? '' : 's'}`;
}

function apiQuery(params: URLSearchParams, cursor?: string): URLSearchParams {
  const query = new URLSearchParams({ q: params.get('q') ?? '', limit: String(PAGE_SIZE), facets: 'true' });
  for (const { param } of FILTERS) for (const v of params.getAll(param)) query.append(param, v);
  const sort = params.get('sort');
  if (sort && SORTS.some((s) => s.value === sort)) query.set('sort', sort);
  if (cursor) query.set('cursor', cursor);
  return query;
}

function withFilter(params: URLSearchParams, param: string, value: string, on: boolean): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete(param);
  for (const v of params.getAll(param)) if (v !== value) next.append(param, v);
  if (on) next.append(param, value);
  return next;
}

// The search last shown, for the asset page's way back to it.
let lastSearch: string | null = null;

/** The link back to the last search, or null before any. */
export const lastSearchHref = (): string | null => lastSearch;

/** Search: the query box, active filters as removable chips, facets to add more, and the hits. */
export function SearchPage({ params }: { params: URLSearchParams }) {
  const { api, announce } = useApp();
  const key = params.toString();
  lastSearch = href.search(params);
  const q = params.get('q') ?? '';
  // Searching the query already shown runs it again (the URL, and so the route, does not change).
  const [runs, setRuns] = useState(0);
  // Each result keeps the search it answers, so the page never shows an older search as the newer one.
  const result = useLoad(
    async (signal) => ({
      params,
      ...(await api.get<SearchResult>('/v1/search', { query: apiQuery(params), signal })),
    }),
    [key, runs],
  );
  const [more, setMore] = useState<{ pending: boolean; error: ApiError | null }>({
    pending: false,
    error: null,
  });
  const moreCtl = useRef<AbortController | null>(null);
  const [bulk, setBulk] = useState(false);
  // "Tag all results…" is hidden while its panel is open; closing the panel gives it the focus back.
  const bulkButton = useRef<HTMLButtonElement>(null);
  const bulkClosed = useRef(false);
  useEffect(() => {
    if (!bulk && bulkClosed.current) {
      bulkClosed.current = false;
      bulkButton.current?.focus();
    }
  }, [bulk]);
  // The first hit a "Load more" added, focused once it renders so the keyboard carries on from there.
  const focusHit = useRef<number | null>(null);

  // A new search abandons a page of the old one still loading: it must not land in the new list. Nor
  // may the old search's count stay on screen while the new one runs.
  useEffect(() => {
    setMore({ pending: false, error: null });
    announce('');
    return () => moreCtl.current?.abort();
  }, [key, runs]);

  useEffect(() => {
    if (result.error) {
      // An error page says nothing of the last search's count.
      announce('');
    } else if (result.data && !result.loading) {
      const { hits, nextCursor, total } = result.data;
      const n = hits.length;
      const plus = nextCursor ? '+' : '';
      announce(
        total ? totalText(total) : `${n === 0 ? 'No' : n}${plus} result${n === 1 && !plus ? '' : 's'}`,
      );
    }
  }, [result.data, result.error]);

  useEffect(() => {
    if (focusHit.current === null) return;
    document.querySelector<HTMLElement>(`#hit-${focusHit.current} a`)?.focus();
    focusHit.current = null;
  });

  const go = (next: URLSearchParams) => {
    if (next.toString() === key) setRuns((n) => n + 1);
    else location.hash = href.search(next);
  };
  const search = (text: string) => {
    const next = new URLSearchParams(params);
    next.set('q', text);
    go(next);
  };
  const pick = (s: Suggestion) => {
    if (s.kind === 'title') return search(s.value);
    const next = withFilter(params, s.kind, s.value, true);
    next.set('q', '');
    go(next);
  };
  const loadMore = async (data: Loaded) => {
    if (!data.nextCursor || more.pending) return;
    const ctl = new AbortController();
    moreCtl.current = ctl;
    setMore({ pending: true, error: null });
    try {
      const page = await api.get<SearchResult>('/v1/search', {
        query: apiQuery(data.params, data.nextCursor),
        signal: ctl.signal,
      });
      focusHit.current = data.hits.length;
      result.setData({ ...data, hits: [...data.hits, ...page.hits], nextCursor: page.nextCursor });
      setMore({ pending: false, error: null });
    } catch (err) {
      if (!isAbort(err)) setMore({ pending: false, error: toApiError(err) });
    }
  };

  const active = FILTERS.flatMap((f) => params.getAll(f.param).map((value) => ({ f, value })));
  const sort = params.get('sort') ?? '';
  const sortBy = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('sort', value);
    else next.delete('sort');
    go(next);
  };
  // Results of an earlier search are not shown as this one's: a new search shows placeholders until
  // it answers; running the same search again dims the list it replaces.
  const data = result.data && result.data.params.toString() === key ? result.data : undefined;
  // Busy too in the render between a new query and its load starting: no answer for it yet, no error.
  const busy = result.loading || (!data && !result.error);

  return (
    <>
      <PageHeading>Search</PageHeading>
      <SearchBox initial={q} onSearch={search} onPick={pick} />
      <SaveSearchButton params={params} />
      <label class="sort">
        Sort by{' '}
        <select value={sort} onChange={(e) => sortBy((e.target as HTMLSelectElement).value)}>
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {!q && active.length === 0 && !sort && <TrendingList onSeeAll={() => sortBy('trending')} />}
      {active.length > 0 && (
        <ul class="chips" aria-label="Active filters">
          {active.map(({ f, value }) => (
            <li key={`${f.param}:${value}`}>
              <button
                type="button"
                class="chip active"
                onClick={() => go(withFilter(params, f.param, value, false))}
              >
                <span class="visually-hidden">Remove filter </span>
                {chipLabel(f, value)} <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {result.error ? (
        <ErrorMessage error={result.error} />
      ) : (
        <div class="search-layout">
          {data?.facets && (
            // The facets can be dozens of stops for the keyboard before the first hit.
            <a class="skip-inline" href="#results-heading" onClick={skipToResults}>
              Skip to results
            </a>
          )}
          {data && (
            <Facets
              data={data}
              params={params}
              onFilter={(param, value) => go(withFilter(params, param, value, true))}
            />
          )}
          <section
            aria-labelledby="results-heading"
            aria-busy={busy}
            class={busy ? 'results busy' : 'results'}
          >
            <h2 id="results-heading" tabIndex={-1}>
              {data && !busy ? describe(data.params) : describe(params, 'Searching for')}
            </h2>
            {busy && (
              <p class="loading">
                <span class="spinner" aria-hidden="true" />
                Searching…
              </p>
            )}
            {!data ? (
              <Skeleton />
            ) : (
              <>
                {data.total && !busy && <p class="total">{totalText(data.total)}</p>}
                {data.hits.length > 0 && !bulk && (
                  <button ref={bulkButton} type="button" aria-expanded={false} onClick={() => setBulk(true)}>
                    Tag all results…
                  </button>
                )}
                {bulk && (
                  <BulkTagPanel
                    key={key}
                    params={params}
                    onClose={() => {
                      bulkClosed.current = true;
                      setBulk(false);
                    }}
                  />
                )}
                {data.hits.length === 0 ? (
                  <p>No assets match.</p>
                ) : (
                  <ol class="hits">
                    {data.hits.map((hit, i) => (
                      <Hit key={hit.asset.id} index={i} hit={hit} />
                    ))}
                  </ol>
                )}
                {data.nextCursor && (
                  <button
                    type="button"
                    class="more"
                    disabled={more.pending || busy}
                    aria-describedby="more-count"
                    onClick={() => void loadMore(data)}
                  >
                    {more.pending ? 'Loading more…' : 'Load more'}
                  </button>
                )}
                {data.nextCursor && (
                  <span id="more-count" class="meta">
                    Showing {formatCount(data.hits.length)}
                    {data.total
                      ? ` of ${data.total.exact ? '' : 'about '}${formatCount(data.total.value)}`
                      : ''}
                  </span>
                )}
                <ErrorMessage error={more.error} />
              </>
            )}
          </section>
        </div>
      )}
    </>
  );
}

/** Moves focus, not the hash (it holds the route). */
function skipToResults(e: MouseEvent) {
  e.preventDefault();
  document.getElementById('results-heading')?.focus();
}

/** Grey blocks where the hits will be: the old list is gone, the new one is coming. */
function Skeleton() {
  return (
    <ol class="hits skeleton" aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <li key={i} class="hit">
          <span class="bone title" />
          <span class="bone" />
          <span class="bone short" />
        </li>
      ))}
    </ol>
  );
}

function Facets(props: {
  data: SearchResult;
  params: URLSearchParams;
  onFilter: (param: string, value: string) => void;
}) {
  const { facets, facetsEstimated } = props.data;
  // Read when the panel mounts, so a resize does not undo what the user opened or closed.
  const [narrow] = useState(() => matchMedia(NARROW).matches);
  if (!facets) return null;
  const groups = FILTERS.map((f) => {
    const chosen = props.params.getAll(f.param);
    return { f, values: facets[f.facet].filter((v) => !chosen.includes(v.value)) };
  }).filter((g) => g.values.length > 0);
  if (groups.length === 0) return null;
  return (
    <aside class="facets" aria-labelledby="facets-heading">
      {/* Folded on a phone, where it would push the results below the fold; open elsewhere. */}
      <details open={!narrow}>
        <summary>
          <h2 id="facets-heading">Refine</h2>
        </summary>
        {facetsEstimated && <p class="hint">Counts are estimates.</p>}
        {groups.map(({ f, values }) => (
          <section key={f.param} aria-labelledby={`facet-${f.param}`}>
            <h3 id={`facet-${f.param}`}>{f.group}</h3>
            <ul class="chips">
              {values.map((v) => (
                <li key={v.value}>
                  <button type="button" class="chip" onClick={() => props.onFilter(f.param, v.value)}>
                    <span class="visually-hidden">Add filter {f.label}: </span>
                    {valueLabel(f, v.value)}{' '}
                    <span class="count">
                      {facetsEstimated ? '~' : ''}
                      {formatCount(v.count)}
                      <span class="visually-hidden"> {v.count === 1 ? 'asset' : 'assets'}</span>
                    </span>
                  </button>
                  {/* The chip filters; this small link beside it opens the entity's own page. */}
                  {f.entity && (
                    <EntityLink type={f.entity} name={v.value}>
                      <span aria-hidden="true">↗</span>
                      <span class="visually-hidden">
                        {f.label} page: {v.value}
                      </span>
                    </EntityLink>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </details>
    </aside>
  );
}

function Hit({ hit, index }: { hit: SearchHit; index: number }) {
  const { asset, highlights, moment } = hit;
  return (
    <li class="hit" id={`hit-${index}`}>
      <h3>
        <a href={href.asset(asset.id)}>
          <Highlighted fragment={highlights.title ?? asset.title} />
        </a>
      </h3>
      <p class="meta">
        {typeLabel(asset.type)} · {sourceLabel(asset.sourceSystem)} · {asset.status.toLowerCase()}
      </p>
      {highlights.description ? (
        <p>
          <Highlighted fragment={highlights.description} />
        </p>
      ) : (
        asset.description && <p>{asset.description}</p>
      )}
      {highlights.transcript && (
        <p class="transcript">
          <q>
            <Highlighted fragment={highlights.transcript} />
          </q>
          {moment && (
            <>
              {' '}
              <a href={href.asset(asset.id, moment.start)}>
                at {formatSeconds(moment.start)}
                <span class="visually-hidden"> in {asset.title}</span>
              </a>
            </>
          )}
        </p>
      )}
    </li>
  );
}
