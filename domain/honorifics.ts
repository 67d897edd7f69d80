import nlp from 'compromise';

/*
 * Titles written before a name ("sir", "dr", "mrs", "prof"): the single words compromise's lexicon
 * tags as honorifics. A general list, not one tuned to a library: keywords leave them out, and name
 * suggestions match a name typed with one ("Sir Ken" finds "Ken Robinson").
 */
const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[] | undefined> } }).one
  .lexicon;

export const HONORIFICS: ReadonlySet<string> = new Set(
  Object.entries(lexicon)
    .filter(
      ([word, tags]) => !word.includes(' ') && (Array.isArray(tags) ? tags : [tags]).includes('Honorific'),
    )
    .map(([word]) => word),
);

/** Lower-cased words of a name without the honorifics before it; the name as given when it is only titles. */
export function withoutHonorifics(words: string[]): string[] {
  let i = 0;
  while (i < words.length - 1 && HONORIFICS.has(words[i]!.toLowerCase().replace(/\.$/, ''))) i++;
  return words.slice(i);
}
