import { useApp } from '../app-context';
import { href } from '../router';
import type { SearchResult } from '../types';
import { useLoad } from '../use-load';

/** How many trending assets the empty search page lists. */
const TRENDING_SIZE = 5;

/**
 * What is trending in this library (GET /v1/search?sort=trending): shown on the search page while
 * the box and the filters are empty. Without any events yet the API orders by the source's view
 * count, so a new library still lists its best-known assets. Says nothing when it fails: the search
 * below it is what the page is for.
 */
export function TrendingList({ onSeeAll }: { onSeeAll: () => void }) {
  const { api } = useApp();
  const trending = useLoad(
    (signal) =>
      api.get<SearchResult>('/v1/search', {
        query: new URLSearchParams({ q: '', sort: 'trending', limit: String(TRENDING_SIZE) }),
        signal,
      }),
    [],
  );
  const hits = trending.data?.hits ?? [];
  if (hits.length === 0) return null;
  return (
    <section class="trending" aria-labelledby="trending-heading">
      <h2 id="trending-heading">Trending</h2>
      <ol>
        {hits.map((hit) => (
          <li key={hit.asset.id}>
            <a href={href.asset(hit.asset.id)}>{hit.asset.title}</a>
          </li>
        ))}
      </ol>
      {trending.data?.nextCursor && (
        <button type="button" onClick={onSeeAll}>
          All assets by trend
        </button>
      )}
    </section>
  );
}
