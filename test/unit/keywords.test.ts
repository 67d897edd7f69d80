import { describe, expect, it } from 'vitest';
import { GENERIC_TERM, isKeywordTerm, isNounPhrase } from '../../enrichment/keyword-quality.js';
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
    const keywords = scoreKeywords(counts, corpus(1000, { climat: 3, technolog: 90 }));
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

  it('keeps general stop-words and honorifics out of keywords, however rare in the library', () => {
    const counts = countTerms({
      title: 'Schools and creativity',
      description:
        'Sir Ken Robinson makes an entertaining case for creating an education system that nurtures (rather than undermines) creativity.',
      transcript: '',
    });
    // Every term is rare here, so only the quality rules can keep these out: "rather" is a
    // general stop-word (not in natural's list the tokenizer drops), "sir" an honorific.
    const terms = scoreKeywords(counts, corpus(1000, {}), 50).map((k) => k.term);
    for (const junk of ['sir', 'rather']) expect(terms).not.toContain(junk);
    expect(terms).toEqual(expect.arrayContaining(['creativity', 'schools', 'education', 'robinson']));
  });

  it('drops a word on a large share of the library, and only once the library is large enough', () => {
    const counts = countTerms({ title: '', description: 'people glaciers', transcript: '' });
    const n = GENERIC_TERM.minDocuments * 10;
    const common = Math.ceil(n * GENERIC_TERM.maxShare) + 1;
    expect(scoreKeywords(counts, corpus(n, { peopl: common, glacier: 2 })).map((k) => k.term)).toEqual([
      'glaciers',
    ]);
    // Ten assets say nothing about what is generic.
    expect(scoreKeywords(counts, corpus(10, { peopl: 9, glacier: 2 })).map((k) => k.term)).toContain(
      'people',
    );
  });

  it('keeps noun phrases and drops accidents of word order as keyphrases', () => {
    expect(isNounPhrase(['education', 'system'])).toBe(true);
    expect(isNounPhrase(['climate', 'change'])).toBe(true);
    expect(isNounPhrase(['standardized', 'schools'])).toBe(true);
    expect(isNounPhrase(['happens', 'russell'])).toBe(false);
    expect(isNounPhrase(['profoundly', 'moving'])).toBe(false);
    expect(isKeywordTerm(['sir', 'ken'])).toBe(false);
    const counts = countTerms({
      title: '',
      description:
        'It happens Russell said, and it happens Russell knows. The education system, the education system.',
      transcript: '',
    });
    const terms = scoreKeywords(counts, corpus(1000, {}), 50).map((k) => k.term);
    expect(terms).toContain('education system');
    expect(terms).not.toContain('happens russell');
  });
});
