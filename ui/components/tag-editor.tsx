import { useState } from 'preact/hooks';
import type { Asset, EntityType, TagDetail, TagPatch } from '../types';
import { EntityLink } from './entity-link';
import { PendingButton } from './pending-button';

const KINDS: { type: EntityType; label: string }[] = [
  { type: 'TAG', label: 'tag' },
  { type: 'TOPIC', label: 'topic' },
  { type: 'SPEAKER', label: 'speaker' },
  { type: 'BRAND', label: 'brand' },
  { type: 'KEYWORD', label: 'keyword' },
];
const labelOf = (type: EntityType) => KINDS.find((k) => k.type === type)?.label ?? type;

type Patch = (patch: TagPatch, description: string) => Promise<boolean>;
/** The write being saved, by its description ("Remove tag kelp"), or null. */
type Pending = string | null;

/** How each source reads to a curator. */
const SOURCE_LABELS: Record<TagDetail['source'], { label: string; title: string }> = {
  given: { label: 'given', title: 'In the source metadata at ingest' },
  manual: { label: 'manual', title: 'Added by an editor' },
  suggested: { label: 'suggested', title: 'Found by enrichment' },
};

/**
 * The asset's tags and enrichment, each editable: add, remove, and lock or unlock tags. The tags
 * are the effective ones (what search uses), each with its source. Before enrichment the API edits
 * only the given tags and speakers, so only those show.
 */
export function TagEditor({ asset, onPatch, pending }: { asset: Asset; onPatch: Patch; pending: Pending }) {
  // One write at a time: while one saves, every button waits (aria-disabled), the saving one says so.
  const busy = (description: string) => ({ pending: pending === description, blocked: pending !== null });
  const e = asset.enrichment;
  const tags = asset.tagDetails;
  const lists: { type: EntityType; title: string; names: string[] }[] = [
    { type: 'TOPIC', title: 'Topics', names: e?.topics.map((t) => t.name) ?? [] },
    { type: 'SPEAKER', title: 'Speakers', names: e?.speakers.map((s) => s.name) ?? asset.speakers },
    { type: 'BRAND', title: 'Brands', names: e?.brands.map((b) => b.name) ?? [] },
    { type: 'KEYWORD', title: 'Keywords', names: e?.keywords.map((k) => k.term) ?? [] },
  ];

  return (
    <section aria-labelledby="enrichment-heading">
      <h2 id="enrichment-heading">Tags and enrichment</h2>
      {!e && <p>Not enriched yet: only tags and speakers can be edited.</p>}
      <h3 id="tags-heading">Tags</h3>
      {tags.length === 0 ? (
        <p>No tags.</p>
      ) : (
        <ul class="entities" aria-labelledby="tags-heading">
          {tags.map((tag) => (
            <li key={tag.name}>
              <span class="name">
                <EntityLink type="TAG" name={tag.name} />
              </span>
              <span class={`badge source-${tag.source}`} title={SOURCE_LABELS[tag.source].title}>
                {SOURCE_LABELS[tag.source].label}
                {tag.source === 'suggested' && ` ${Math.round(tag.confidence * 100)}%`}
              </span>
              {tag.locked && <span class="badge locked">locked</span>}
              <PendingButton
                {...busy(`${tag.locked ? 'Unlock' : 'Lock'} tag ${tag.name}`)}
                pendingLabel={
                  <>
                    {tag.locked ? 'Unlocking…' : 'Locking…'}
                    <span class="visually-hidden"> tag {tag.name}</span>
                  </>
                }
                onClick={() =>
                  void onPatch(
                    tag.locked ? { unlock: [{ name: tag.name }] } : { lock: [{ name: tag.name }] },
                    `${tag.locked ? 'Unlock' : 'Lock'} tag ${tag.name}`,
                  )
                }
              >
                {tag.locked ? 'Unlock' : 'Lock'}
                <span class="visually-hidden"> tag {tag.name}</span>
              </PendingButton>
              {/* The API refuses to remove a locked tag: unlocking comes first. */}
              {!tag.locked && (
                <PendingButton
                  {...busy(`Remove tag ${tag.name}`)}
                  pendingLabel={
                    <>
                      Removing…<span class="visually-hidden"> tag {tag.name}</span>
                    </>
                  }
                  onClick={() => void onPatch({ remove: [{ name: tag.name }] }, `Remove tag ${tag.name}`)}
                >
                  Remove<span class="visually-hidden"> tag {tag.name}</span>
                </PendingButton>
              )}
            </li>
          ))}
        </ul>
      )}
      {asset.removedTags.length > 0 && (
        <>
          <h3 id="removed-tags-heading">Removed tags</h3>
          <p class="hint">Enrichment does not suggest these again.</p>
          <ul class="entities removed" aria-labelledby="removed-tags-heading">
            {asset.removedTags.map((name) => (
              <li key={name}>
                <span class="name">{name}</span>
                <PendingButton
                  {...busy(`Add tag ${name} back`)}
                  pendingLabel={
                    <>
                      Adding back…<span class="visually-hidden"> tag {name}</span>
                    </>
                  }
                  onClick={() => void onPatch({ add: [{ name }] }, `Add tag ${name} back`)}
                >
                  Add back<span class="visually-hidden"> tag {name}</span>
                </PendingButton>
              </li>
            ))}
          </ul>
        </>
      )}
      {lists.map((list) => (
        <EntityList key={list.type} {...list} onPatch={onPatch} pending={pending} />
      ))}
      <AddForm enriched={e !== null} onPatch={onPatch} pending={pending} />
    </section>
  );
}

function EntityList(props: {
  type: EntityType;
  title: string;
  names: string[];
  onPatch: Patch;
  pending: Pending;
}) {
  const label = labelOf(props.type);
  const id = `${label}-heading`;
  return (
    <>
      <h3 id={id}>{props.title}</h3>
      {props.names.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul class="entities" aria-labelledby={id}>
          {props.names.map((name) => (
            <li key={name}>
              <span class="name">
                <EntityLink type={props.type} name={name} />
              </span>
              <PendingButton
                pending={props.pending === `Remove ${label} ${name}`}
                blocked={props.pending !== null}
                pendingLabel={
                  <>
                    Removing…<span class="visually-hidden">{` ${label} ${name}`}</span>
                  </>
                }
                onClick={() =>
                  void props.onPatch({ remove: [{ name, type: props.type }] }, `Remove ${label} ${name}`)
                }
              >
                Remove
                <span class="visually-hidden">
                  {' '}
                  {label} {name}
                </span>
              </PendingButton>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function AddForm({ enriched, onPatch, pending }: { enriched: boolean; onPatch: Patch; pending: Pending }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<EntityType>('TAG');
  const kinds = enriched ? KINDS : KINDS.filter((k) => k.type === 'TAG' || k.type === 'SPEAKER');
  return (
    <form
      class="add-entity"
      onSubmit={(e) => {
        e.preventDefault();
        const value = name.trim();
        if (!value || pending !== null) return;
        void onPatch({ add: [{ name: value, type }] }, `Add ${labelOf(type)} ${value}`).then((saved) => {
          if (saved) setName('');
        });
      }}
    >
      <fieldset>
        <legend>Add to this asset</legend>
        <label for="add-name">Name</label>
        <input id="add-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="add-type">Kind</label>
        <select id="add-type" value={type} onChange={(e) => setType(e.currentTarget.value as EntityType)}>
          {kinds.map((k) => (
            <option key={k.type} value={k.type}>
              {k.label}
            </option>
          ))}
        </select>
        {/* Its own write is the one that starts "Add <kind> <name>" (not "Add tag <name> back"). */}
        <PendingButton
          type="submit"
          pending={pending !== null && pending === `Add ${labelOf(type)} ${name.trim()}`}
          blocked={pending !== null}
          pendingLabel="Adding…"
          onClick={() => undefined}
        >
          Add
        </PendingButton>
      </fieldset>
    </form>
  );
}
