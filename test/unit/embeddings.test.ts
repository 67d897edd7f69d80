import { describe, expect, it } from 'vitest';
import { cosine, EMBEDDING_LIMITS, HashingEmbedder, passagesOf } from '../../enrichment/embeddings.js';

const asset = (transcript: string) => ({
  title: 'Do schools kill creativity?',
  description: 'Sir Ken Robinson on education.',
  transcript,
  technicalMetadata: {},
});

describe('passagesOf', () => {
  it('embeds the title with the description, then each moment with its times', () => {
    const passages = passagesOf(asset('[00:00:00] Ken: Good morning.\n[00:01:30] Ken: Creativity matters.'));
    expect(passages[0]).toEqual({
      passage: 0,
      start: null,
      end: null,
      text: 'Do schools kill creativity?.\nSir Ken Robinson on education.',
    });
    expect(passages.slice(1).map((p) => [p.passage, p.start])).toEqual([
      [1, 0],
      [2, 90],
    ]);
    expect(passages[2]!.text).toContain('Creativity matters');
  });

  it('takes an untimed transcript’s opening as one passage, cut to the limit', () => {
    const passages = passagesOf(asset('word '.repeat(2_000)));
    expect(passages).toHaveLength(2);
    expect(passages[1]!.start).toBeNull();
    expect(passages[1]!.text.length).toBeLessThanOrEqual(EMBEDDING_LIMITS.passageChars);
  });

  it('has one passage without a transcript', () => {
    expect(passagesOf(asset(''))).toHaveLength(1);
  });
});

describe('HashingEmbedder', () => {
  it('is deterministic, unit length, and puts the words of a synonym group together', async () => {
    const e = new HashingEmbedder(64, [['creativity', 'imagination']]);
    const [a, b, c] = await e.embed(['creativity in schools', 'imagination in schools', 'nuclear power']);
    expect(Array.from((await e.embed(['creativity in schools']))[0]!)).toEqual(Array.from(a!));
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(cosine(a!, b!)).toBeCloseTo(1, 5);
    expect(cosine(a!, c!)).toBeLessThan(0.5);
  });
});
