import { describe, expect, it } from 'vitest';
import { countTerms, documentTerms, MAX_TERMS_PER_ASSET, scoreKeywords } from '../../enrichment/keywords.js';

const corpus = (documentCount: number, df: Record<string, number>) => ({
  documentCount,
  df: new Map(Object.entries(df)),
});

describe('keyword extraction', () => {
  it('drops stopwords, numbers and short fragments, and stems', () => {
    const { tf } = countTerms({ title: '', description: 'The 3 schools and a school of it', transcript: '' });
    expect([...tf.keys()]).toEqual(['school']);
    expect(tf.get('school')).toBe(3);
  });

  it('weights title words above transcript words', () => {
    const { tf } = countTerms({ title: 'ocean', description: '', transcript: 'forest' });
    expect(tf.get('ocean')).toBeGreaterThan(tf.get('forest')!);
  });

  it('shows the most frequent surface form of a stem', () => {
    const { display } = countTerms({
      title: '',
      description: 'creativity creativity creative',
      transcript: '',
    });
    expect(display.get('creativ')).toBe('creativity');
  });

  it('ranks a rare term above a common one with the same frequency', () => {
    const counts = countTerms({ title: '', description: 'climate technology', transcript: '' });
    const keywords = scoreKeywords(counts, corpus(1000, { climat: 3, technolog: 400 }));
    expect(keywords.map((k) => k.term)).toEqual(['climate', 'technology']);
    expect(keywords[0]!.score).toBe(1);
    expect(keywords[1]!.score).toBeLessThan(0.5);
  });

  it('limits the number of keywords and orders ties alphabetically', () => {
    const counts = countTerms({ title: '', description: 'delta alpha charlie bravo', transcript: '' });
    const keywords = scoreKeywords(counts, corpus(10, {}), 3);
    expect(keywords.map((k) => k.term)).toEqual(['alpha', 'bravo', 'charlie']);
  });

  it('returns nothing for an empty document', () => {
    expect(scoreKeywords(countTerms({ title: '', description: '', transcript: '' }), corpus(5, {}))).toEqual(
      [],
    );
  });

  it('finds recurring multi-word keyphrases, within a clause only', () => {
    const { tf, display } = countTerms({
      title: '',
      description:
        'Climate change is real. We must act on climate change now, before the climate, change course.',
      transcript: '',
    });
    expect(display.get('climat chang')).toBe('climate change');
    expect(tf.get('climat chang')).toBe(3);
    // Once only, and not in the title: an accident of word order, not a keyphrase.
    expect(tf.has('chang cours')).toBe(false);
  });

  it('keeps a title phrase even when it occurs once', () => {
    const { display } = countTerms({ title: 'Quantum computing', description: '', transcript: '' });
    expect(display.get('quantum comput')).toBe('quantum computing');
  });

  it('lists a ranking keyphrase instead of its words', () => {
    const counts = countTerms({
      title: 'Climate change',
      description: 'climate change climate change',
      transcript: '',
    });
    const keywords = scoreKeywords(counts, corpus(100, { 'climat chang': 2, climat: 10, chang: 40 }));
    expect(keywords.map((k) => k.term)).toEqual(['climate change']);
  });

  it('bounds the terms an asset adds to the corpus statistics', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`).join(' ');
    expect(documentTerms(countTerms({ title: '', description: '', transcript: words }))).toHaveLength(
      MAX_TERMS_PER_ASSET,
    );
  });
});
