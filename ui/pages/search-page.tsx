import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { BulkTagPanel } from '../components/bulk-tag-panel';
import { ErrorMessage } from '../components/error-message';
import { Highlighted } from '../components/highlight';
import { PageHeading } from '../components/page-heading';
import { SearchBox } from '../components/search-box';
import { formatSeconds } from '../format';
import { href } from '../router';
import type { FacetDimension, SearchHit, SearchResult, Suggestion } from '../types';
import { useLoad } from '../use-load';

/** The search filters the page keeps in its URL, each with the facet that offers its values. */
const FILTERS = [
  { param: 'tag', facet: 'tags', label: 'Tags' },
  { param: 'topic', facet: 'topics', label: 'Topics' },
  { param: 'speaker', facet: 'speakers', label: 'Speakers' },
  { param: 'type', facet: 'type', label: 'Type' },
  { param: 'sourceSystem', facet: 'sourceSystem', label: 'Source' },
] as const satisfies readonly { param: string; facet: FacetDimension; label: string }[];

const PAGE_SIZE = 20;

type Loaded = SearchResult & { params: URLSearchParams };

/** What a result answers, in words: Results for “kelp”, tag: underwater. */
function describe(params: URLSearchParams): string {
  const q = params.get('q');
  const parts = [
    ...(q ? [`“${q}”`] : []),
    ...FILTERS.flatMap((f) => params.getAll(f.param).map((v) => `${f.param}: ${v}`)),
  ];
  return parts.length > 0 ? `Results for ${parts.join(', ')}` : 'All assets';
}

function apiQuery(params: URLSearchParams, cursor?: string): URLSearchParams {
  const query = new URLSearchParams({ q: params.get('q') ?? '', limit: String(PAGE_SIZE), facets: 'true' });
  for (const { param } of FILTERS) for (const v of params.getAll(param)) query.append(param, v);
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

/** Search: the query box, active filters as removable chips, facets to add more, and the hits. */
export function SearchPage({ params }: { params: URLSearchParams }) {
  const { api, announce } = useApp();
  const key = params.toString();
  const q = params.get('q') ?? '';
  // Searching the query already shown runs it again (the URL, and so the route, does not change).
  const [runs, setRuns] = useState(0);
  // Each result keeps the search it answers, so the heading never names a newer one still loading.
  const result = useLoad(
    async (signal) => ({
      params,
      ...(await api.get<SearchResult>('/v1/search', { query: apiQuery(params), signal })),
    }),
    [key, runs],
  );
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const [bulk, setBulk] = useState(false);

  useEffect(() => {
    if (result.data && !result.loading) {
      const n = result.data.hits.length;
      const more = result.data.nextCursor ? '+' : '';
      announce(`${n === 0 ? 'No' : n}${more} result${n === 1 && !more ? '' : 's'}`);
    }
  }, [result.data]);

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
    if (!data.nextCursor) return;
    setMoreError(null);
    try {
      const page = await api.get<SearchResult>('/v1/search', { query: apiQuery(params, data.nextCursor) });
      result.setData({ ...data, hits: [...data.hits, ...page.hits], nextCursor: page.nextCursor });
    } catch (err) {
      setMoreError(toApiError(err));
    }
  };

  const active = FILTERS.flatMap((f) => params.getAll(f.param).map((value) => ({ ...f, value })));
  const data = result.data;

  return (
    <>
      <PageHeading>Search</PageHeading>
      <SearchBox initial={q} onSearch={search} onPick={pick} />
      {result.error && <ErrorMessage error={result.error} />}
      {active.length > 0 && (
        <ul class="chips" aria-label="Active filters">
          {active.map((f) => (
            <li key={`${f.param}:${f.value}`}>
              <button
                type="button"
                class="chip"
                onClick={() => go(withFilter(params, f.param, f.value, false))}
              >
                <span class="visually-hidden">Remove filter </span>
                {f.param}: {f.value} <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {data && !result.error && (
        <div class="search-layout">
          <Facets
            data={data}
            params={params}
            onFilter={(param, value) => go(withFilter(params, param, value, true))}
          />
          <section aria-labelledby="results-heading" aria-busy={result.loading}>
            <h2 id="results-heading">{describe(data.params)}</h2>
            {data.hits.length > 0 && !bulk && (
              <button type="button" aria-expanded={false} onClick={() => setBulk(true)}>
                Tag all results…
              </button>
            )}
            {bulk && <BulkTagPanel key={key} params={params} onClose={() => setBulk(false)} />}
            {data.hits.length === 0 ? (
              <p>No assets match.</p>
            ) : (
              <ol class="hits">
                {data.hits.map((hit) => (
                  <Hit key={hit.asset.id} hit={hit} />
                ))}
              </ol>
            )}
            {data.nextCursor && (
              <button type="button" onClick={() => void loadMore(data)}>
                More results
              </button>
            )}
            <ErrorMessage error={moreError} />
          </section>
        </div>
      )}
    </>
  );
}

function Facets(props: {
  data: SearchResult;
  params: URLSearchParams;
  onFilter: (param: string, value: string) => void;
}) {
  const { facets } = props.data;
  if (!facets) return null;
  return (
    <aside class="facets" aria-labelledby="facets-heading">
      <h2 id="facets-heading">Refine</h2>
      {FILTERS.map(({ param, facet, label }) => {
        const chosen = props.params.getAll(param);
        const values = facets[facet].filter((f) => !chosen.includes(f.value));
        if (values.length === 0) return null;
        return (
          <section key={param}>
            <h3>{label}</h3>
            <ul class="chips">
              {values.map((f) => (
                <li key={f.value}>
                  <button type="button" class="chip" onClick={() => props.onFilter(param, f.value)}>
                    <span class="visually-hidden">Add filter {param}: </span>
                    {f.value} <span class="count">{f.count}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </aside>
  );
}

function Hit({ hit }: { hit: SearchHit }) {
  const { asset, highlights, moment } = hit;
  return (
    <li class="hit">
      <h3>
        <a href={href.asset(asset.id)}>
          <Highlighted fragment={highlights.title ?? asset.title} />
        </a>
      </h3>
      <p class="meta">
        {asset.type.toLowerCase()} · {asset.sourceSystem} · {asset.status.toLowerCase()}
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
