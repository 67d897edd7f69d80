import type { Enrichment } from './asset.js';
import { normalizeEntityName } from './entities.js';
import { DomainError } from './errors.js';
import { applyTagPatch, type EditableType, type EntityRef, type TagPatch } from './tag-overrides.js';

/**
 * A bulk tag change by query that matches more assets than this needs `confirm` with the count a
 * preview answered. An editor's `q=brain` once changed 1,143 assets unseen; a few hundred is
 * still a page of results someone can look over, past that the count itself must be acknowledged.
 */
export const BULK_TAG_CONFIRM_ABOVE = 500;

/**
 * The most assets one bulk tag change by query may touch. The job keeps the matching ids (so it
 * changes what was previewed, not what the query matches after its own edits); past this, narrow
 * the query or split it.
 */
export const BULK_TAG_MAX_ASSETS = 10_000;

/** Assets a preview shows with what would change on them. */
export const BULK_TAG_SAMPLE_SIZE = 20;

/** What a tag patch does to one asset: the names it adds, removes, locks and unlocks there. */
export interface TagPatchEffect {
  added: EntityRef[];
  removed: EntityRef[];
  locked: EntityRef[];
  unlocked: EntityRef[];
  /** Why the patch cannot apply to this asset (a locked tag, say); nothing changes then. */
  skipped: string | null;
}

interface TaggedAsset {
  tags: string[];
  speakers: string[];
  enrichment: Enrichment | null;
}

const same = (a: string, b: string) => normalizeEntityName(a) === normalizeEntityName(b);

/** The names of one type an asset carries, and whether each is locked (tags only lock). */
function carried(asset: TaggedAsset, type: EditableType): { name: string; locked: boolean }[] {
  const e = asset.enrichment;
  const plain = (names: string[]) => names.map((name) => ({ name, locked: false }));
  if (!e) return type === 'TAG' ? plain(asset.tags) : type === 'SPEAKER' ? plain(asset.speakers) : [];
  switch (type) {
    case 'TAG':
      return e.tags.map((t) => ({ name: t.name, locked: t.locked }));
    case 'TOPIC':
      return plain(e.topics.map((t) => t.name));
    case 'SPEAKER':
      return plain(e.speakers.map((t) => t.name));
    case 'BRAND':
      return plain(e.brands.map((t) => t.name));
    case 'KEYWORD':
      return plain(e.keywords.map((k) => k.term));
  }
}

/**
 * What `patch` would change on `asset`, without changing it: the preview of a bulk change, and the
 * record a bulk job keeps per asset. Names the asset has already (or lacks, for a removal) are left
 * out; a patch the asset refuses is `skipped` with the reason, as the edit itself would refuse it.
 */
export function tagPatchEffect(asset: TaggedAsset, patch: TagPatch): TagPatchEffect {
  const none = { added: [], removed: [], locked: [], unlocked: [] };
  try {
    applyTagPatch(asset, patch);
  } catch (err) {
    if (err instanceof DomainError) return { ...none, skipped: err.message };
    throw err;
  }
  const has = (r: EntityRef) => carried(asset, r.type).find((x) => same(x.name, r.name));
  return {
    added: patch.add.filter((r) => !has(r)),
    removed: patch.remove.filter((r) => has(r)),
    locked: patch.lock.filter((r) => r.type !== 'TAG' || !has(r)?.locked),
    unlocked: patch.unlock.filter((r) => r.type !== 'TAG' || has(r)?.locked === true),
    skipped: null,
  };
}
