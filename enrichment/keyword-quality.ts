import { createRequire } from 'node:module';
import nlp from 'compromise';
import { HONORIFICS } from '../domain/honorifics.js';

/*
 * What may be a keyword or keyphrase, from general lists and the tenant's own statistics, not
 * from a list tuned to any library:
 *  - stop-words: natural's English list and the general English list wink's model flags (spaCy's,
 *    from the Glasgow IR list), so "rather" or "however" never describe an asset. A broader
 *    union (stopwords-iso) also lists content words ("information", "research", "system") and
 *    cost search relevance once keywords fed the search document;
 *  - honorifics: the words compromise's lexicon tags as honorifics ("sir", "dr", "mrs";
 *    domain/honorifics.ts);
 *  - generic words: a term on more than `GENERIC_TERM.maxShare` of the tenant's assets tells
 *    them apart no more than a stop-word does (a max-df cut, counted once the library is large
 *    enough for the share to mean something);
 *  - keyphrases: noun phrases only (modifiers then a noun, as keyphrase extractors require), so
 *    an accident of word order ("happens russell", "makes case") is no keyphrase.
 */

const require = createRequire(import.meta.url);
const { words: naturalEnglish } = require('natural/lib/natural/util/stopwords.js') as { words: string[] };

interface WinkTokens {
  out(what?: unknown): unknown[];
}
interface Wink {
  readDoc(text: string): { tokens(): WinkTokens };
  its: { normal: unknown; stopWordFlag: unknown };
}
const readWinkModel = require('wink-eng-lite-web-model/dist/read-core-model.js') as () => {
  features: { lexeme: { list: string[] } };
};
const winkNLP = require('wink-nlp') as (model: unknown, pipe: string[]) => Wink;

/** The lexemes wink's English model flags as stop-words, read once from the model's lexicon. */
function winkStopwords(): string[] {
  const words = readWinkModel().features.lexeme.list.filter((w) => /^[a-z]+$/.test(w));
  const nlp = winkNLP(require('wink-eng-lite-web-model'), []);
  const tokens = nlp.readDoc(words.join(' ')).tokens();
  const normal = tokens.out(nlp.its.normal) as string[];
  const flags = tokens.out(nlp.its.stopWordFlag) as boolean[];
  return normal.filter((_, i) => flags[i]);
}

const STOPWORDS = new Set([...naturalEnglish, ...winkStopwords()]);

export const GENERIC_TERM = { maxShare: 0.1, minDocuments: 100 } as const;

/** Lower-cased word that is a stop-word or an honorific: never a keyword, nor shown as a reason. */
export const isStopword = (word: string): boolean => {
  const w = word.toLowerCase();
  return STOPWORDS.has(w) || HONORIFICS.has(w);
};

/** Whether a term on `df` of `documents` assets is too common in the library to describe one. */
export const isGenericTerm = (df: number, documents: number): boolean =>
  documents >= GENERIC_TERM.minDocuments && df / documents > GENERIC_TERM.maxShare;

// Parts of speech a noun phrase's words may not have; a participle or gerund may modify
// ("standardized schools", "learning revolution"), a finite verb may not ("happens russell").
const NOT_IN_NOUN_PHRASE = [
  'Adverb',
  'Pronoun',
  'Honorific',
  'Determiner',
  'Preposition',
  'Conjunction',
  'Modal',
  'Auxiliary',
  'Copula',
  'QuestionWord',
];
// Memoized: the answer depends on the phrase alone, and the same phrases recur across assets.
const phraseCache = new Map<string, boolean>();
const MAX_CACHED_PHRASES = 50_000;

/** Whether adjacent words (lower-cased) form a noun phrase: modifiers and a noun at the end. */
export function isNounPhrase(words: string[]): boolean {
  const key = words.join(' ');
  let ok = phraseCache.get(key);
  if (ok === undefined) {
    const terms = (nlp(key).json() as { terms: { tags: string[] }[] }[]).flatMap((s) => s.terms);
    const verb = (tags: string[]) =>
      tags.includes('Verb') && !tags.includes('Gerund') && !tags.includes('PastTense');
    const last = terms[terms.length - 1]?.tags ?? [];
    ok =
      terms.length === words.length &&
      (last.includes('Noun') || last.includes('Gerund')) &&
      terms.every((t) => !verb(t.tags) && !NOT_IN_NOUN_PHRASE.some((tag) => t.tags.includes(tag)));
    if (phraseCache.size >= MAX_CACHED_PHRASES) phraseCache.clear();
    phraseCache.set(key, ok);
  }
  return ok;
}

/**
 * Whether a term (its display words, lower-cased) may be a keyword: a word that is no stop-word or
 * honorific, or a noun phrase without honorifics that has at least one such word.
 */
export function isKeywordTerm(words: string[]): boolean {
  if (words.length === 1) return !isStopword(words[0]!);
  if (words.some((w) => HONORIFICS.has(w.toLowerCase()))) return false;
  if (words.every((w) => isStopword(w))) return false;
  return isNounPhrase(words.map((w) => w.toLowerCase()));
}
