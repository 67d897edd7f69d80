import type { Enrichment, Tag } from './asset.js';
import { normalizeEntityName } from './entities.js';
import { ConflictError, ValidationError } from './errors.js';

/** The entity types an editor can add to or remove from an asset. */
export const EDITABLE_TYPES = ['TAG', 'TOPIC', 'SPEAKER', 'BRAND', 'KEYWORD'] as const;
export type EditableType = (typeof EDITABLE_TYPES)[number];

export interface EntityRef {
  name: string;
  type: EditableType;
}

export interface TagPatch {
  add: EntityRef[];
  remove: EntityRef[];
  /**
   * A locked tag is never changed by a worker, and cannot be removed until unlocked. A locked topic,
   * speaker, brand or keyword is pinned: the worker keeps it through every re-enrichment.
   */
  lock: EntityRef[];
  unlock: EntityRef[];
}

/**
 * An editor's additions and removals of topics, speakers, brands and keywords, kept with the
 * enrichment so that re-enrichment applies them again. (Tags keep theirs in the tags themselves:
 * manual and locked tags, and suppressedTags.)
 */
export interface EntityOverrides {
  added: EntityRef[];
  removed: EntityRef[];
}

/** What a tag patch changes: the given lists and the enrichment. */
export interface TagEdit {
  tags: string[];
  speakers: string[];
  enrichment: Enrichment | null;
}

const key = (r: EntityRef) => `${r.type}\u0000${normalizeEntityName(r.name)}`;
const same = (a: string, b: string) => normalizeEntityName(a) === normalizeEntityName(b);

/**
 * Applies an editor's patch. Manual additions and removals survive re-enrichment; a locked tag
 * must be unlocked before it can be removed. Pure: throws a domain error for a patch that
 * contradicts itself or the asset, and changes nothing then.
 */
export function applyTagPatch(
  current: { tags: string[]; speakers: string[]; enrichment: Enrichment | null },
  patch: TagPatch,
): TagEdit {
  const adding = new Set(patch.add.map(key));
  const both = patch.remove.find((r) => adding.has(key(r)));
  if (both) throw new ValidationError(`${both.type} "${both.name}" is both added and removed`);
  let tags = [...current.tags];
  let speakers = [...current.speakers];
  const e = current.enrichment;
  if (!e) {
    // Not enriched yet: the given tags and speakers are all there is; enrichment takes them as manual.
    const other = [...patch.add, ...patch.remove, ...patch.lock].find(
      (r) => r.type !== 'TAG' && r.type !== 'SPEAKER',
    );
    if (other || patch.lock.length > 0) {
      throw new ConflictError('the asset is not enriched yet: only tags and speakers can be edited now');
    }
    for (const r of patch.remove) {
      if (r.type === 'TAG') tags = tags.filter((t) => !same(t, r.name));
      else speakers = speakers.filter((s) => !same(s, r.name));
    }
    for (const r of patch.add) {
      const list = r.type === 'TAG' ? tags : speakers;
      if (!list.some((x) => same(x, r.name))) list.push(r.name.trim());
    }
    return { tags, speakers, enrichment: null };
  }

  let enrichedTags: Tag[] = [...e.tags];
  let suppressed = [...(e.suppressedTags ?? [])];
  const overrides: EntityOverrides = {
    added: [...(e.overrides?.added ?? [])],
    removed: [...(e.overrides?.removed ?? [])],
  };
  for (const r of [...patch.unlock, ...patch.lock]) {
    const known = [...namesOf(e, r.type), ...patch.add.filter((a) => a.type === r.type).map((a) => a.name)];
    if (!known.some((n) => same(n, r.name))) {
      throw new ValidationError(`the asset has no ${r.type.toLowerCase()} "${r.name}" to lock or unlock`);
    }
  }
  for (const r of patch.remove.filter((x) => x.type === 'TAG')) {
    const tag = enrichedTags.find((t) => same(t.name, r.name));
    if (tag?.locked && !patch.unlock.some((u) => u.type === 'TAG' && same(u.name, r.name))) {
      throw new ConflictError(`tag "${tag.name}" is locked; unlock it to remove it`);
    }
    enrichedTags = enrichedTags.filter((t) => !same(t.name, r.name));
    // A given tag would come back as manual at the next enrichment, and an AI one as a suggestion.
    tags = tags.filter((t) => !same(t, r.name));
    if (!suppressed.some((s) => same(s, r.name))) suppressed.push(r.name.trim());
  }
  for (const r of patch.add.filter((x) => x.type === 'TAG')) {
    suppressed = suppressed.filter((s) => !same(s, r.name));
    const existing = enrichedTags.find((t) => same(t.name, r.name));
    if (!existing) enrichedTags.push({ name: r.name.trim(), source: 'manual', locked: false, confidence: 1 });
    else if (existing.source !== 'manual')
      replace(existing, { ...existing, source: 'manual', confidence: 1 });
  }
  enrichedTags = enrichedTags.map((t) => {
    if (patch.lock.some((r) => r.type === 'TAG' && same(r.name, t.name))) return { ...t, locked: true };
    if (patch.unlock.some((r) => r.type === 'TAG' && same(r.name, t.name))) return { ...t, locked: false };
    return t;
  });

  for (const r of patch.remove.filter((x) => x.type !== 'TAG')) {
    overrides.added = overrides.added.filter((a) => key(a) !== key(r));
    if (!overrides.removed.some((a) => key(a) === key(r))) overrides.removed.push(trimmed(r));
    if (r.type === 'SPEAKER') speakers = speakers.filter((s) => !same(s, r.name));
  }
  // A locked topic, speaker, brand or keyword is pinned: kept as an addition the worker re-applies.
  for (const r of [...patch.add, ...patch.lock].filter((x) => x.type !== 'TAG')) {
    overrides.removed = overrides.removed.filter((a) => key(a) !== key(r));
    if (!overrides.added.some((a) => key(a) === key(r))) overrides.added.push(trimmed(r));
  }
  for (const r of patch.unlock.filter((x) => x.type !== 'TAG')) {
    overrides.added = overrides.added.filter((a) => key(a) !== key(r));
  }
  const enrichment: Enrichment = applyOverrides({
    ...e,
    tags: enrichedTags,
    ...(suppressed.length ? { suppressedTags: suppressed } : {}),
    overrides,
  });
  if (!suppressed.length) delete enrichment.suppressedTags;
  return { tags, speakers, enrichment };

  function replace(old: Tag, next: Tag) {
    enrichedTags = enrichedTags.map((t) => (t === old ? next : t));
  }
}

const trimmed = (r: EntityRef): EntityRef => ({ type: r.type, name: r.name.trim() });

/** The names of one type that an enrichment holds. */
function namesOf(e: Enrichment, type: EditableType): string[] {
  switch (type) {
    case 'TAG':
      return e.tags.map((t) => t.name);
    case 'TOPIC':
      return e.topics.map((t) => t.name);
    case 'SPEAKER':
      return e.speakers.map((t) => t.name);
    case 'BRAND':
      return e.brands.map((t) => t.name);
    case 'KEYWORD':
      return e.keywords.map((k) => k.term);
  }
}

/**
 * The enrichment with an editor's topic, speaker, brand and keyword overrides applied: removed
 * ones gone, added ones present as manual with full confidence. Workers call it after every
 * extraction, so manual edits survive re-enrichment.
 */
export function applyOverrides(e: Enrichment): Enrichment {
  const o = e.overrides;
  if (!o || (o.added.length === 0 && o.removed.length === 0)) return e;
  const removed = (type: EditableType, name: string) =>
    o.removed.some((r) => r.type === type && same(r.name, name));
  const added = (type: EditableType) => o.added.filter((a) => a.type === type);
  const topics = e.topics.filter((t) => !removed('TOPIC', t.name));
  for (const a of added('TOPIC'))
    if (!topics.some((t) => same(t.name, a.name)))
      topics.push({ name: a.name, confidence: 1, source: 'manual' });
  const speakers = e.speakers.filter((s) => !removed('SPEAKER', s.name));
  for (const a of added('SPEAKER'))
    if (!speakers.some((s) => same(s.name, a.name)))
      speakers.push({ name: a.name, source: 'manual', confidence: 1 });
  const brands = e.brands.filter((b) => !removed('BRAND', b.name));
  for (const a of added('BRAND'))
    if (!brands.some((b) => same(b.name, a.name))) brands.push({ name: a.name, score: 1 });
  const keywords = e.keywords.filter((k) => !removed('KEYWORD', k.term));
  // Manual keywords lead: the graph links an asset's strongest keywords.
  const manual = added('KEYWORD')
    .filter((a) => !keywords.some((k) => same(k.term, a.name)))
    .map((a) => ({ term: a.name, score: 1 }));
  return { ...e, topics, speakers, brands, keywords: [...manual, ...keywords] };
}
