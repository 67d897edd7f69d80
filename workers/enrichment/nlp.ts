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

export interface Token {
  /** Lower-cased surface form. */
  word: string;
  stem: string;
}

/** Content tokens: lower-cased, without stopwords, numbers or fragments shorter than three letters. */
export function contentTokens(text: string): Token[] {
  const tokens: Token[] = [];
  for (const raw of tokenizer.tokenize(text)) {
    const word = raw.toLowerCase();
    if (word.length < 3 || stopwords.has(word) || /^\d+$/.test(word)) continue;
    tokens.push({ word, stem: PorterStemmer.stem(word) });
  }
  return tokens;
}
