import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { EntityLink } from '../components/entity-link';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import {
  entityId,
  typeWord,
  type Cooccurring,
  type EntityAssets,
  type EntityKey,
  type GraphEntityType,
} from '../entity-routes';
import { formatSeconds } from '../format';
import { href } from '../router';
import { useLoad } from '../use-load';
import '../entities.css';

const PAGE_SIZE = 20;
/** The API counts shared assets over this many of an entity's strongest (COOCCURRENCE_ASSETS). */
const COOCCURRENCE_ASSETS = 1000;
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

const entityUrl = (e: EntityKey) => `/v1/entities/${e.type}/${encodeURIComponent(e.name)}`;
const assetsPath = (e: EntityKey) => `${entityUrl(e)}/assets`;
const relatedPath = (e: EntityKey) => `${entityUrl(e)}/related`;

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

/** The names that appear with this entity on the same assets, by type, most shared first. */
function RelatedEntities({ entity, total }: { entity: EntityKey; total: number }) {
  const { api } = useApp();
  const id = entityId(entity);
  // One request per type, so a type with few shared assets is not crowded out by a busier one.
  const related = useLoad(
    (signal) =>
      Promise.all(
        RELATED_TYPES.map(async (type) => ({
          type,
          items: (
            await api.get<Cooccurring>(relatedPath(entity), {
              query: { type, limit: RELATED_PER_TYPE },
              signal,
            })
          ).items,
        })),
      ),
    [id],
  );
  const byType = (related.data ?? []).filter((g) => g.items.length > 0);
  return (
    <section aria-labelledby="entity-related-heading" class="entity-related" aria-busy={related.loading}>
      <h2 id="entity-related-heading">Appears with</h2>
      <ErrorMessage error={related.error} />
      {related.data && (
        <p class="hint">
          {total > COOCCURRENCE_ASSETS
            ? `Assets shared, counted over the ${COOCCURRENCE_ASSETS} it is strongest in, of ${total}.`
            : 'How many assets each name shares with it.'}
        </p>
      )}
      {related.data && byType.length === 0 && <p>No other names on its assets.</p>}
      {byType.map((g) => (
        <div key={g.type}>
          <h3 id={`related-${g.type}`}>{PLURAL[g.type]}</h3>
          <ul class="related-entities" aria-labelledby={`related-${g.type}`}>
            {g.items.map((c) => (
              <li key={entityId(c)}>
                <EntityLink type={c.type} name={c.name} /> <span class="count">{c.sharedAssets}</span>
                <span class="visually-hidden">
                  {c.sharedAssets === 1 ? ' shared asset' : ' shared assets'}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
