import type { Enrichment } from './asset.js';
import { normalizeEntityName } from './entities.js';
import { ValidationError } from './errors.js';
import type { EditableType, EntityRef, TagEdit } from './tag-overrides.js';

/**
 * A tenant-wide rename: every `from` of its type reads as `to`, on the assets that carry it now
 * and in every enrichment after. A merge is several renames into one name.
 */
export interface RenameRule {
  type: EditableType;
  from: string;
  to: string;
}

/** Rules a tenant may keep: a vocabulary's worth, bounded so every enrichment can apply them cheaply. */
export const MAX_RENAME_RULES = 10_000;

const key = (type: EditableType, name: string) => `${type}\u0000${normalizeEntityName(name)}`;

/**
 * The tenant's rules after renaming `sources` into `into`. Chains collapse (a → b, then b → c leaves
 * a → c and b → c), and a name that becomes a target again is no longer renamed away. Renaming a
 * name to its own spelling (`ai` → `AI`, or `ml` and `ML` merged into `ML`) is a rule too: it fixes
 * how the name is written.
 */
export function withRename(
  rules: readonly RenameRule[],
  type: EditableType,
  sources: readonly string[],
  into: string,
): RenameRule[] {
  const target = into.trim();
  if (normalizeEntityName(target) === '') throw new ValidationError('the new name has no letters or digits');
  const sourceKeys = new Set(sources.map((s) => key(type, s)));
  const kept = rules
    .filter((r) => !sourceKeys.has(key(r.type, r.from)) && key(r.type, r.from) !== key(type, target))
    .map((r) => (r.type === type && sourceKeys.has(key(r.type, r.to)) ? { ...r, to: target } : r));
  const added = [...new Set(sources.map((s) => s.trim()))].map((from) => ({ type, from, to: target }));
  const next = [...kept, ...added];
  if (next.length > MAX_RENAME_RULES) {
    throw new ValidationError(`a tenant keeps at most ${MAX_RENAME_RULES} renames`);
  }
  return next;
}

/** Looks names up in a tenant's rules. */
export class Renames {
  private readonly to = new Map<string, string>();

  constructor(rules: readonly RenameRule[]) {
    for (const r of rules) this.to.set(key(r.type, r.from), r.to);
  }

  get empty(): boolean {
    return this.to.size === 0;
  }

  /** The name as the tenant now writes it. */
  name(type: EditableType, name: string): string {
    return this.to.get(key(type, name)) ?? name;
  }

  /** Whether any of these names is renamed. */
  touches(type: EditableType, names: readonly string[]): boolean {
    return names.some((n) => this.name(type, n) !== n);
  }
}

/**
 * Renames a list's entries and merges the ones that now share a name into the first, with `merge`
 * combining two entries (the strongest confidence, a lock or a manual source kept).
 */
function renameList<T>(
  items: readonly T[],
  type: EditableType,
  renames: Renames,
  nameOf: (item: T) => string,
  withName: (item: T, name: string) => T,
  merge: (kept: T, other: T) => T,
): T[] {
  // Only a rename merges entries: a list it does not touch stays exactly as it was.
  if (!items.some((item) => renames.name(type, nameOf(item)) !== nameOf(item))) return [...items];
  const out = new Map<string, T>();
  for (const item of items) {
    const name = renames.name(type, nameOf(item));
    const renamed = name === nameOf(item) ? item : withName(item, name);
    const k = normalizeEntityName(name);
    const seen = out.get(k);
    out.set(k, seen === undefined ? renamed : merge(seen, renamed));
  }
  return [...out.values()];
}

const strongest = <T extends { confidence?: number | undefined; source?: string | undefined }>(
  a: T,
  b: T,
): T => ({
  ...a,
  ...(a.confidence !== undefined || b.confidence !== undefined
    ? { confidence: Math.max(a.confidence ?? 0, b.confidence ?? 0) }
    : {}),
  ...(a.source === 'manual' || b.source === 'manual' ? { source: 'manual' } : {}),
});

const renameNames = (names: readonly string[], type: EditableType, renames: Renames) =>
  renameList(
    names,
    type,
    renames,
    (n) => n,
    (_n, name) => name,
    (kept) => kept,
  );

const renameRefs = (refs: readonly EntityRef[], renames: Renames) => {
  const seen = new Set<string>();
  return refs
    .map((r) => ({ ...r, name: renames.name(r.type, r.name) }))
    .filter((r) => {
      const k = key(r.type, r.name);
      return seen.has(k) ? false : (seen.add(k), true);
    });
};

/** An enrichment with the tenant's renames applied: every entity, moment and editor override. */
export function renameEnrichment(e: Enrichment, renames: Renames): Enrichment {
  if (renames.empty) return e;
  const withName = <T extends { name: string }>(item: T, name: string): T => ({ ...item, name });
  const renamedTags = renameList(
    e.tags,
    'TAG',
    renames,
    (t) => t.name,
    withName,
    (a, b) => ({
      ...strongest(a, b),
      locked: a.locked || b.locked,
    }),
  );
  // A name that is now both a tag and suppressed: an editor's tag (manual or locked) outweighs the
  // suppression, and the suppression outweighs an AI tag.
  let suppressed = renameNames(e.suppressedTags ?? [], 'TAG', renames);
  const isSuppressed = (name: string) =>
    suppressed.some((s) => normalizeEntityName(s) === normalizeEntityName(name));
  const tags = renamedTags.filter((t) => t.source === 'manual' || t.locked || !isSuppressed(t.name));
  const kept = new Set(tags.map((t) => normalizeEntityName(t.name)));
  suppressed = suppressed.filter((s) => !kept.has(normalizeEntityName(s)));
  const added = renameRefs(e.overrides?.added ?? [], renames);
  const addedKeys = new Set(added.map((a) => key(a.type, a.name)));
  const out: Enrichment = {
    ...e,
    keywords: renameList(
      e.keywords,
      'KEYWORD',
      renames,
      (k) => k.term,
      (k, term) => ({ ...k, term }),
      (a, b) => ({ ...a, score: Math.max(a.score, b.score) }),
    ),
    topics: renameList(e.topics, 'TOPIC', renames, (t) => t.name, withName, strongest),
    speakers: renameList(e.speakers, 'SPEAKER', renames, (s) => s.name, withName, strongest),
    brands: renameList(
      e.brands,
      'BRAND',
      renames,
      (b) => b.name,
      withName,
      (a, b) => ({
        ...a,
        score: Math.max(a.score, b.score),
      }),
    ),
    tags,
    moments: e.moments.map((m) => ({
      ...m,
      speaker: m.speaker === null ? null : renames.name('SPEAKER', m.speaker),
      keywords: renameNames(m.keywords, 'KEYWORD', renames),
    })),
    ...(e.overrides
      ? {
          overrides: {
            added,
            // An editor's addition outweighs a removal that a merge made it collide with.
            removed: renameRefs(e.overrides.removed, renames).filter(
              (r) => !addedKeys.has(key(r.type, r.name)),
            ),
          },
        }
      : {}),
  };
  if (suppressed.length > 0) out.suppressedTags = suppressed;
  else delete out.suppressedTags;
  return out;
}

/** An asset's given tags, given speakers and enrichment, with the tenant's renames applied. */
export function renameAsset(
  current: { tags: string[]; speakers: string[]; enrichment: Enrichment | null },
  renames: Renames,
): TagEdit {
  return {
    tags: renameNames(current.tags, 'TAG', renames),
    speakers: renameNames(current.speakers, 'SPEAKER', renames),
    enrichment: current.enrichment ? renameEnrichment(current.enrichment, renames) : null,
  };
}
