import { createRequire } from 'node:module';

// natural's root module loads its storage adapters, which read a `.env` file into process.env on
// import. We take the tokenizer, stemmer and stopword list from their own modules instead.
const require = createRequire(import.meta.url);

interface Stemmer {
  stem(token: string): string;
}
interface Tokenizer {
  tokenize(text: string): string[];
}

const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer.js') as {
  WordTokenizer: new () => Tokenizer;
};
const PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer.js') as Stemmer;
const { words: stopwordList } = require('natural/lib/natural/util/stopwords.js') as { words: string[] };

const tokenizer = new WordTokenizer();
const stopwords = new Set(stopwordList);
// Words that carry no topic in spoken media beyond the standard list.
const extraStopwords = [
  'also',
  'just',
  'like',
  'really',
  'thing',
  'things',
  'way',
  'lot',
  'get',
  'got',
  'talk',
  'talks',
];
for (const w of extraStopwords) stopwords.add(w);

export interface Token {
  /** Lower-cased surface form. */
  word: string;
  stem: string;
}

// Porter stemming is most of tokenizing's cost, and a library's words recur: the stems are kept,
// up to a bound (cleared past it, as a long-running worker meets ever more rare words).
const STEM_CACHE_MAX = 200_000;
const stems = new Map<string, string>();

export const stem = (word: string): string => {
  const lower = word.toLowerCase();
  let stemmed = stems.get(lower);
  if (stemmed === undefined) {
    if (stems.size >= STEM_CACHE_MAX) stems.clear();
    stemmed = PorterStemmer.stem(lower);
    stems.set(lower, stemmed);
  }
  return stemmed;
};

const isContent = (word: string) => word.length >= 3 && !stopwords.has(word) && !/^\d+$/.test(word);

/**
 * Runs of adjacent content tokens. A stopword, a number or punctuation ends a run, so each run
 * is a candidate phrase ("education system", "climate change") and never spans a clause.
 */
export function contentRuns(text: string): Token[][] {
  const runs: Token[][] = [];
  for (const clause of text.split(/[.,;:!?()[\]{}"“”‘’\n\r\t/|–—-]+|\s'|'\s/)) {
    let run: Token[] = [];
    for (const raw of tokenizer.tokenize(clause)) {
      const word = raw.toLowerCase();
      if (isContent(word)) run.push({ word, stem: stem(word) });
      else if (run.length > 0) {
        runs.push(run);
        run = [];
      }
    }
    if (run.length > 0) runs.push(run);
  }
  return runs;
}

/** Content tokens: lower-cased, without stopwords, numbers or fragments shorter than three letters. */
export function contentTokens(text: string): Token[] {
  return contentRuns(text).flat();
}
