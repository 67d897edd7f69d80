import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { EntityLink } from '../components/entity-link';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import {
  entitiesOf,
  entityId,
  typeWord,
  type EntityAssets,
  type EntityKey,
  type GraphEntityType,
} from '../entity-routes';
import { formatSeconds } from '../format';
import { href } from '../router';
import { useLoad } from '../use-load';
import '../entities.css';

const PAGE_SIZE = 20;
/** Related names are counted over this many of the entity's strongest assets (the API's page limit). */
const RELATED_SAMPLE = 100;
const RELATED_PER_TYPE = 8;
const RELATED_TYPES: GraphEntityType[] = ['SPEAKER', 'TOPIC', 'TAG', 'BRAND', 'CONTRIBUTOR'];
const PLURAL: Record<GraphEntityType, string> = {
  SPEAKER: 'Speakers',
  TOPIC: 'Topics',
  TAG: 'Tags',
  BRAND: 'Brands',
  KEYWORD: 'Keywords',
  CONTRIBUTOR: 'Contributors',
};

const assetsPath = (e: EntityKey) => `/v1/entities/${e.type}/${encodeURIComponent(e.name)}/assets`;

/** `#/entities/<type>/<name>`: an entity, the assets it appears in, and the names it appears with. */
export function EntityPage({ entity }: { entity: EntityKey }) {
  const { api } = useApp();
  const [offset, setOffset] = useState(0);
  const id = entityId(entity);
  const page = useLoad(
    (signal) => api.get<EntityAssets>(assetsPath(entity), { query: { limit: PAGE_SIZE, offset }, signal }),
    [id, offset],
  );
  const found = page.data?.entity;
  const word = typeWord(entity.type);
  const name = found?.name ?? entity.name;

  if (page.error?.status === 404) {
    return (
      <>
        <PageHeading>{entity.name}</PageHeading>
        <p role="alert">
          No asset has the {word} “{entity.name}”. <a href={href.tags()}>Browse names</a>.
        </p>
      </>
    );
  }
  const first = offset + 1;
  const last = offset + (page.data?.items.length ?? 0);
  return (
    <>
      <PageHeading>{name}</PageHeading>
      <p class="entity-summary">
        <span class="kind">{word}</span>
        {found && <> · {found.assetCount === 1 ? '1 asset' : `${found.assetCount} assets`}</>}
      </p>
      <ul class="entity-actions">
        <li>
          <a href={href.graph({ kind: 'entity', entity: { type: entity.type, name } })}>
            Graph around this {word}
          </a>
        </li>
        <li>
          <a href={href.search(new URLSearchParams({ q: name }))}>Search for “{name}”</a>
        </li>
        {entity.type !== 'CONTRIBUTOR' && entity.type !== 'KEYWORD' && (
          <li>
            <a href={href.tags(new URLSearchParams({ type: entity.type, q: name }))}>Rename or merge</a>
          </li>
        )}
      </ul>
      <ErrorMessage error={page.error} />
      <div class="entity-layout">
        <section aria-labelledby="entity-assets-heading" aria-busy={page.loading}>
          <h2 id="entity-assets-heading">Assets</h2>
          {page.data?.items.length === 0 && <p>No assets on this page.</p>}
          {page.data && page.data.items.length > 0 && (
            <>
              <p class="hint">
                {first}–{last} of {found?.assetCount}, strongest link first.
              </p>
              <ol class="entity-assets" start={first}>
                {page.data.items.map(({ asset, moments }) => (
                  <li key={asset.id}>
                    <a href={href.asset(asset.id)}>{asset.title}</a>{' '}
                    <span class="meta">{asset.type.toLowerCase()}</span>
                    {moments && moments.length > 0 && (
                      <span class="moments-inline">
                        {' '}
                        {moments.slice(0, 3).map((m) => (
                          <a
                            key={m.start}
                            href={href.asset(asset.id, m.start)}
                            aria-label={`at ${formatSeconds(m.start)} in ${asset.title}`}
                          >
                            {formatSeconds(m.start)}
                          </a>
                        ))}
                      </span>
                    )}
                  </li>
                ))}
              </ol>
            </>
          )}
          <Pager
            offset={offset}
            hasNext={typeof page.data?.nextOffset === 'number'}
            onPage={setOffset}
            label="Assets pages"
          />
        </section>
        {found && (
          <RelatedEntities entity={{ type: found.type, name: found.name }} total={found.assetCount} />
        )}
      </div>
    </>
  );
}

/** Previous / next over an offset-paged list. */
export function Pager(props: {
  offset: number;
  hasNext: boolean;
  onPage: (offset: number) => void;
  label: string;
  size?: number;
}) {
  const size = props.size ?? PAGE_SIZE;
  if (props.offset === 0 && !props.hasNext) return null;
  return (
    <nav class="pager" aria-label={props.label}>
      <button
        type="button"
        disabled={props.offset === 0}
        onClick={() => props.onPage(Math.max(0, props.offset - size))}
      >
        Previous
      </button>
      <button type="button" disabled={!props.hasNext} onClick={() => props.onPage(props.offset + size)}>
        Next
      </button>
    </nav>
  );
}

/**
 * The names that appear with this entity, by type, counted over its strongest assets: the API
 * lists each asset's names, so the count is exact when the entity has at most RELATED_SAMPLE assets.
 */
function RelatedEntities({ entity, total }: { entity: EntityKey; total: number }) {
  const { api } = useApp();
  const id = entityId(entity);
  const sample = useLoad(
    (signal) => api.get<EntityAssets>(assetsPath(entity), { query: { limit: RELATED_SAMPLE }, signal }),
    [id],
  );
  const counts = new Map<string, { entity: EntityKey; count: number }>();
  for (const { asset } of sample.data?.items ?? []) {
    const seen = new Set<string>();
    for (const other of entitiesOf(asset)) {
      const key = entityId(other);
      if (key === id || seen.has(key)) continue;
      seen.add(key);
      const c = counts.get(key) ?? { entity: other, count: 0 };
      c.count++;
      counts.set(key, c);
    }
  }
  const byType = RELATED_TYPES.map((type) => ({
    type,
    items: [...counts.values()]
      .filter((c) => c.entity.type === type)
      .sort((a, b) => b.count - a.count || a.entity.name.localeCompare(b.entity.name))
      .slice(0, RELATED_PER_TYPE),
  })).filter((g) => g.items.length > 0);
  return (
    <section aria-labelledby="entity-related-heading" class="entity-related" aria-busy={sample.loading}>
      <h2 id="entity-related-heading">Appears with</h2>
      <ErrorMessage error={sample.error} />
      {sample.data && (
        <p class="hint">
          {total > RELATED_SAMPLE
            ? `Counted over the ${RELATED_SAMPLE} assets it is strongest in, of ${total}.`
            : 'Assets each name shares with it.'}
        </p>
      )}
      {sample.data && byType.length === 0 && <p>No other names on its assets.</p>}
      {byType.map((g) => (
        <div key={g.type}>
          <h3 id={`related-${g.type}`}>{PLURAL[g.type]}</h3>
          <ul class="related-entities" aria-labelledby={`related-${g.type}`}>
            {g.items.map((c) => (
              <li key={entityId(c.entity)}>
                <EntityLink {...c.entity} /> <span class="count">{c.count}</span>
                <span class="visually-hidden">{c.count === 1 ? ' shared asset' : ' shared assets'}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
