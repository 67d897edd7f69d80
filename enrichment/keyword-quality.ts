import { createRequire } from 'node:module';
import nlp from 'compromise';
import { HONORIFICS } from '../domain/honorifics.js';

/*
 * What may be a keyword or keyphrase, from general lists and the tenant's own statistics, not
 * from a list tuned to any library:
 *  - stop-words: the stopwords-iso English list (the union of the common published lists) and
 *    natural's, so "rather", "case", "system" or "happens" never describe an asset;
 *  - honorifics: the words compromise's lexicon tags as honorifics ("sir", "dr", "mrs";
 *    domain/honorifics.ts);
 *  - generic words: a term on more than `GENERIC_TERM.maxShare` of the tenant's assets tells
 *    them apart no more than a stop-word does (a max-df cut, counted once the library is large
 *    enough for the share to mean something);
 *  - keyphrases: noun phrases only (modifiers then a noun, as keyphrase extractors require), so
 *    an accident of word order ("happens russell", "makes case") is no keyphrase.
 */

const require = createRequire(import.meta.url);
const { en: isoEnglish } = require('stopwords-iso') as { en: string[] };
const { words: naturalEnglish } = require('natural/lib/natural/util/stopwords.js') as { words: string[] };

const STOPWORDS = new Set([...isoEnglish, ...naturalEnglish]);

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
