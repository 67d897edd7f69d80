import { describe, expect, it } from 'vitest';
import { BrandGazetteer, DEFAULT_BRANDS, gazetteerFor, type BrandEntry } from '../../enrichment/brands.js';

const names = (g: BrandGazetteer, text: string) => g.match(text).map((m) => m.name);

describe('brand gazetteer', () => {
  const g = new BrandGazetteer([
    { name: 'Coca-Cola', aliases: ['Coke'] },
    { name: 'Meta', ambiguous: true },
    { name: 'Apple', ambiguous: true },
    { name: 'Apple Music' },
    { name: 'Bank of America' },
    { name: "McDonald's" },
    { name: 'Nestlé' },
    { name: 'Booking.com' },
  ]);

  it('ignores case, punctuation and accents', () => {
    const text = 'Coca-Cola, coca cola and COCA COLA. Then: nestle, NESTLÉ, Nestlé.';
    expect(g.match(text)).toEqual([
      { name: 'Coca-Cola', mentions: 3, score: 0.875 },
      { name: 'Nestlé', mentions: 3, score: 0.875 },
    ]);
  });

  it('counts aliases under the canonical name', () => {
    expect(g.match('a Coke and a coke')).toEqual([{ name: 'Coca-Cola', mentions: 2, score: 0.75 }]);
  });

  it('removes internal apostrophes and dots, and reads a possessive as the name', () => {
    expect(g.match("McDonald's, McDonalds, mcdonald's")).toEqual([
      { name: "McDonald's", mentions: 3, score: 0.875 },
    ]);
    expect(names(g, 'we booked on Booking.com today')).toEqual(['Booking.com']);
    expect(names(g, 'the Coca-Cola’s new ad')).toEqual(['Coca-Cola']);
  });

  it('matches multi-word entries only as a whole', () => {
    expect(names(g, 'a loan from the Bank of America')).toEqual(['Bank of America']);
    expect(names(g, 'the bank of the river in America')).toEqual([]);
  });

  it('prefers the longest match and does not overlap matches', () => {
    expect(g.match('we stream on Apple Music daily')).toEqual([
      { name: 'Apple Music', mentions: 1, score: 0.5 },
    ]);
    expect(g.match('both Apple and Apple Music')).toEqual([
      { name: 'Apple', mentions: 1, score: 0.5 },
      { name: 'Apple Music', mentions: 1, score: 0.5 },
    ]);
  });

  it('does not match inside other words', () => {
    expect(names(g, 'We said Metaphor, Metadata and MetaCola.')).toEqual([]);
    expect(names(g, 'We said Meta, then Metaphor.')).toEqual(['Meta']);
  });

  it('matches ambiguous entries only when capitalized and not opening a sentence', () => {
    expect(names(g, 'She ate an apple.')).toEqual([]);
    expect(names(g, 'Apple makes phones.')).toEqual([]);
    expect(names(g, 'It rained. Apple makes phones.')).toEqual([]);
    expect(names(g, 'Shares of Apple rose, and "Apple\'s" too.')).toEqual(['Apple']);
    expect(g.match('Shares of Apple rose, and Apple’s too.')[0]?.mentions).toBe(2);
    // A non-ambiguous longer entry starting with the same word is not subject to the rule.
    expect(names(g, 'Apple Music is free.')).toEqual(['Apple Music']);
  });

  it('sorts by mentions, then name', () => {
    expect(names(g, 'Nestlé, the Coke, the Coke, Bank of America')).toEqual([
      'Coca-Cola',
      'Bank of America',
      'Nestlé',
    ]);
  });

  it('lets a later entry own a name two entries share', () => {
    const shared = new BrandGazetteer([
      { name: 'Alpha', aliases: ['AB'] },
      { name: 'Beta', aliases: ['AB'] },
    ]);
    expect(names(shared, 'an AB')).toEqual(['Beta']);
  });

  it('ignores entries that contain no letters or digits', () => {
    expect(new BrandGazetteer([{ name: '!!!' }]).match('!!! yes !!!')).toEqual([]);
  });

  it('runs on a long text in one pass and counts every mention', () => {
    // 200,000 tokens; a quadratic matcher would not finish within the test timeout.
    const text = 'Bank of America and coca cola '.repeat(200_000 / 6).slice(0, -1);
    const result = g.match(text);
    expect(result).toEqual([
      { name: 'Bank of America', mentions: 33_333, score: 1 },
      { name: 'Coca-Cola', mentions: 33_333, score: 1 },
    ]);
  });
});

describe('default brands and tenant entries', () => {
  it('loads the shipped list', () => {
    expect(DEFAULT_BRANDS.length).toBeGreaterThanOrEqual(140);
    expect(new Set(DEFAULT_BRANDS.map((b) => b.name)).size).toBe(DEFAULT_BRANDS.length);
    expect(DEFAULT_BRANDS.find((b) => b.name === 'Shell')?.ambiguous).toBe(true);
  });

  it('finds default brands in running text', () => {
    const text = 'The ad ran on Netflix and YouTube before the NBA finals. Viewers of Netflix loved it.';
    expect(gazetteerFor([]).match(text)).toEqual([
      { name: 'Netflix', mentions: 2, score: 0.75 },
      { name: 'NBA', mentions: 1, score: 0.5 },
      { name: 'YouTube', mentions: 1, score: 0.5 },
    ]);
    expect(gazetteerFor([]).match('put the shell on the target near the gap')).toEqual([]);
  });

  it('adds tenant entries and lets them replace defaults of the same name', () => {
    const tenant: BrandEntry[] = [
      { name: 'Acme Widgets', aliases: ['Acme'] },
      // Same name, different spelling: replaces the default entry (and drops its ambiguity).
      { name: 'SHELL', aliases: ['Shell plc'] },
    ];
    const g = gazetteerFor(tenant);
    expect(g.match('acme sells shell products; so does Netflix.')).toEqual([
      { name: 'Acme Widgets', mentions: 1, score: 0.5 },
      { name: 'Netflix', mentions: 1, score: 0.5 },
      { name: 'SHELL', mentions: 1, score: 0.5 },
    ]);
  });

  it('lets a tenant entry take over an alias of a default entry', () => {
    const g = gazetteerFor([{ name: 'Coke Industries', aliases: ['Coke'] }]);
    expect(g.match('Coke and Coca-Cola').map((m) => m.name)).toEqual(['Coca-Cola', 'Coke Industries']);
  });
});
