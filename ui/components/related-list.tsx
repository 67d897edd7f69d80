import type { ComponentChildren } from 'preact';
import { useApp } from '../app-context';
import { formatSeconds } from '../format';
import { href } from '../router';
import type { RelatedItem } from '../types';
import { useLoad } from '../use-load';
import { EntityLink } from './entity-link';
import { ErrorMessage } from './error-message';

type Reason = RelatedItem['reasons'][number];

function reasonText(r: Reason): ComponentChildren {
  switch (r.type) {
    case 'TAG':
    case 'TOPIC':
    case 'SPEAKER':
    case 'BRAND':
    case 'KEYWORD':
    case 'CONTRIBUTOR':
      // The shared entity has a page of its own.
      return (
        <>
          Same {r.type.toLowerCase()}: <EntityLink type={r.type} name={r.name} />
        </>
      );
    case 'RELATED_TO':
      return r.name ? `Linked by an editor: ${r.name}` : 'Linked by an editor';
    case 'TEMPORAL':
      return `Created close in time (${r.name})`;
    case 'TEXT':
      return `Similar wording: ${r.name}`;
    case 'SIMILAR_MEANING':
      // The server's explanation: the cosine, and the moment that matched when one did.
      return `Similar meaning: ${r.name}`;
    case 'CO_VIEWED':
      // The count is of sessions that played both, not of people: one person may bring several.
      return r.count === undefined
        ? 'Viewers also watched this'
        : `Watched together in ${r.count} ${r.count === 1 ? 'session' : 'sessions'}`;
  }
}

/** Related assets, each with the reasons it is related and what each reason contributed. */
export function RelatedList({ assetId, version }: { assetId: string; version: number }) {
  const { api } = useApp();
  // The version is a dependency: an edit can change what is related.
  const related = useLoad(
    (signal) =>
      api.get<{ items: RelatedItem[] }>(`/v1/assets/${assetId}/related`, { query: { limit: 10 }, signal }),
    [assetId, version],
  );
  const items = related.data?.items;
  return (
    <section aria-labelledby="related-heading" aria-busy={related.loading}>
      <h2 id="related-heading">Related</h2>
      <ErrorMessage error={related.error} />
      {related.loading && !items && (
        <p class="loading">
          <span class="spinner" aria-hidden="true" />
          Finding related assets…
        </p>
      )}
      {items?.length === 0 && <p>Nothing related yet.</p>}
      {items && items.length > 0 && (
        <ol class="related">
          {items.map((item) => (
            <li key={item.asset.id}>
              <a href={href.asset(item.asset.id)}>{item.asset.title}</a>{' '}
              <span class="meta">score {item.score.toFixed(2)}</span>
              <ul class="reasons" aria-label={`Why ${item.asset.title} is related`}>
                {item.reasons.map((r) => (
                  <li key={`${r.type}:${r.name}`}>
                    {reasonText(r)}
                    {r.moment && (
                      <>
                        {' '}
                        <a href={href.asset(item.asset.id, r.moment.start)}>
                          at {formatSeconds(r.moment.start)}
                        </a>
                      </>
                    )}{' '}
                    <span class="meta">+{r.contribution.toFixed(2)}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
