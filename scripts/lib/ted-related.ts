import { createHash } from 'node:crypto';
import { normalizeEntityName } from '../../domain/entities.js';
import type { TedAsset } from './ted.js';

/**
 * When two TED talks count as related in `eval:related --ted`: they share the main speaker, or
 * they share at least `minShared` held-out tags with a Jaccard overlap of at least `minJaccard`
 * (on the first 1,000 talks: 767 seeds, mean related set 23, median 15).
 */
export const TED_RELATED = { minShared: 2, minJaccard: 0.3 } as const;

/**
 * A tag is held out, everywhere, when the first byte of the SHA-256 of its normalized name is odd:
 * about half of TED's tags (on the first 1,000 talks, 3.1 of a talk's 6.3 tags). Held-out tags
 * judge and are never loaded, so no signal reads the judgments; the other half is loaded as the
 * talks' given tags, so the graph still has human tags to relate by.
 */
export const isHeldOutTag = (tag: string): boolean =>
  createHash('sha256').update(normalizeEntityName(tag)).digest()[0]! % 2 === 1;

export interface TedJudgments {
  /** The talks as loaded: their held-out tags removed. */
  talks: TedAsset[];
  /** Talk (source id) → the talks related to it; only talks with at least one. */
  related: Map<string, Set<string>>;
  /** Talk → its main speaker's other talks; only talks that have some. */
  sameSpeaker: Map<string, Set<string>>;
  tags: number;
  heldOutTags: number;
}

/**
 * Judgments that no signal of the service reads. The weakness: TED's tags are coarse ("technology"
 * is on a third of the talks) and unevenly applied, so two talks on one subject may share no
 * held-out tag, and the speaker rule is read by the speaker signal directly (a shared main speaker
 * is a fact of the catalogue, not a judgment; it is scored apart as well, `sameSpeaker`).
 */
export function tedJudgments(input: TedAsset[]): TedJudgments {
  const held = new Map<string, Set<string>>();
  const allTags = new Set<string>();
  const heldTags = new Set<string>();
  const talks = input.map((t) => {
    const out = new Set<string>();
    for (const tag of t.tags) {
      const key = normalizeEntityName(tag);
      allTags.add(key);
      if (isHeldOutTag(tag)) {
        out.add(key);
        heldTags.add(key);
      }
    }
    held.set(t.sourceId, out);
    return { ...t, tags: t.tags.filter((tag) => !isHeldOutTag(tag)) };
  });
  const speakerOf = (t: TedAsset) => normalizeEntityName(t.speakers[0] ?? '');
  const related = new Map<string, Set<string>>();
  const sameSpeaker = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, a: string, b: string) =>
    map.set(a, (map.get(a) ?? new Set()).add(b));
  for (let i = 0; i < talks.length; i++) {
    const a = talks[i]!;
    const ha = held.get(a.sourceId)!;
    for (let j = i + 1; j < talks.length; j++) {
      const b = talks[j]!;
      const hb = held.get(b.sourceId)!;
      const speaker = speakerOf(a) !== '' && speakerOf(a) === speakerOf(b);
      const shared = [...ha].filter((t) => hb.has(t)).length;
      const jaccard = shared / Math.max(1, ha.size + hb.size - shared);
      if (speaker) {
        add(sameSpeaker, a.sourceId, b.sourceId);
        add(sameSpeaker, b.sourceId, a.sourceId);
      }
      if (speaker || (shared >= TED_RELATED.minShared && jaccard >= TED_RELATED.minJaccard)) {
        add(related, a.sourceId, b.sourceId);
        add(related, b.sourceId, a.sourceId);
      }
    }
  }
  return { talks, related, sameSpeaker, tags: allTags.size, heldOutTags: heldTags.size };
}
