import { normalizeEntityName } from './entities.js';

/** A tag as a change is told: its name, whether enrichment suggested it, whether it is locked. */
export interface TagSeen {
  name: string;
  suggested: boolean;
  locked: boolean;
}

/**
 * The curator's view of a tag change, in the words of the API's version summaries
 * (asset-diff.ts) and of the web UI's diff rows (ui/diff-rows.ts): what was added, suggested,
 * confirmed, removed, locked or unlocked. No Node here: the UI bundles it (eslint.layers.js).
 */
export function tagPhrases(before: readonly TagSeen[], after: readonly TagSeen[]): string[] {
  const key = (t: TagSeen) => normalizeEntityName(t.name);
  const old = new Map(before.map((t) => [key(t), t]));
  const now = new Map(after.map((t) => [key(t), t]));
  const by = new Map<string, string[]>();
  const say = (verb: string, name: string) => by.set(verb, [...(by.get(verb) ?? []), name]);
  for (const [k, t] of now) {
    const was = old.get(k);
    if (!was) say(t.suggested ? 'suggested' : 'added', t.name);
    else {
      if (was.locked !== t.locked) say(t.locked ? 'locked' : 'unlocked', t.name);
      if (was.suggested && !t.suggested) say('confirmed', t.name);
    }
  }
  for (const [k, t] of old) if (!now.has(k)) say('removed', t.name);
  const order = ['added', 'suggested', 'confirmed', 'removed', 'locked', 'unlocked'];
  return order.filter((v) => by.has(v)).map((v) => tagPhrase(v, by.get(v)!));
}

/** "added tags 'a', 'b'": a handful of names, then how many more. */
function tagPhrase(verb: string, names: string[]): string {
  const shown = names
    .slice(0, 5)
    .map((n) => `'${n}'`)
    .join(', ');
  const more = names.length > 5 ? ` and ${names.length - 5} more` : '';
  return `${verb} ${names.length === 1 ? 'tag' : 'tags'} ${shown}${more}`;
}
