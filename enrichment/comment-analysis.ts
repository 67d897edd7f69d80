import { createRequire } from 'node:module';
import { countTerms, scoreKeywords } from './keywords.js';
import { ruleTopics, type TopicDefinition } from './topics.js';

// natural's SentimentAnalyzer from its own module (its root module reads a `.env`, see nlp.ts).
const require = createRequire(import.meta.url);
interface Stemmer {
  stem(token: string): string;
}
const SentimentAnalyzer = require('natural/lib/natural/sentiment/SentimentAnalyzer.js') as new (
  language: string,
  stemmer: Stemmer | null,
  vocabulary: string,
) => { getSentiment(words: string[]): number };

/** 1: AFINN-165 through natural (no stemming: AFINN lists surface forms), rule topics, TF keywords. */
export const COMMENT_ANALYSIS_VERSION = 1;

// AFINN scores words -5..5; natural averages them over every word of the text. Below this size of
// average a comment reads as neutral ("the logo at 01:12 is the old one").
const NEUTRAL_BAND = 0.05;
const MAX_KEYWORDS = 5;

const analyzer = new SentimentAnalyzer('English', null, 'afinn');

export interface CommentAnalysisResult {
  /** AFINN's average per word, rounded to 3 decimals. */
  sentimentScore: number;
  sentiment: 'positive' | 'neutral' | 'negative';
  keywords: string[];
  topics: string[];
}

/**
 * Sentiment, keywords and topics of one comment's text. Keywords are the keyword extractor's terms
 * scored as a library of one (a comment's own words; no tenant statistics), topics the taxonomy's
 * keyword rules. Pure and deterministic.
 */
export function analyzeComment(text: string, taxonomy: TopicDefinition[]): CommentAnalysisResult {
  const words = text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  const raw = words.length > 0 ? analyzer.getSentiment(words) : 0;
  const score = Number.isFinite(raw) ? Math.round(raw * 1000) / 1000 : 0;
  const sentiment = score > NEUTRAL_BAND ? 'positive' : score < -NEUTRAL_BAND ? 'negative' : 'neutral';
  const counts = countTerms({ title: '', description: text, transcript: '' });
  const keywords = scoreKeywords(counts, { documentCount: 1, df: new Map() }, MAX_KEYWORDS).map((k) =>
    k.term.toLowerCase(),
  );
  const topics = ruleTopics(taxonomy, text).map((t) => t.name);
  return { sentimentScore: score, sentiment, keywords, topics };
}
