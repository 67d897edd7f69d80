import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface Hit {
  asset: { id: string };
  score: number;
  explanation?: { score: number };
}
interface Page {
  hits: Hit[];
  nextCursor: string | null;
  total: { value: number; exact: boolean };
  notices?: { code: string; message: string }[];
  queryNotes?: { code: string; text: string; message: string }[];
  facets?: Record<string, { value: string; count: number }[]>;
}

/** A small deterministic generator, so that a failure names a library that can be built again. */
function seeded(seed: number) {
  let x = seed;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
}

const WORDS = ['climate', 'change', 'money', 'blockchain', 'ocean', 'music', 'optimism', 'energy', 'future'];
const TAGS = ['climate', 'education', 'Education', 'music', 'technology'];
const SPEAKERS = ['Ada Lovelace', 'Brian Eno', 'Greta Thunberg', 'Ken Robinson'];
const SOURCES = ['ted', 'api', 'cms'];
const TYPES = ['VIDEO', 'AUDIO', 'TEXT'];

describe('search results: filters narrow, scores follow the order, a total, notices', () => {
  let t: TestApp;
  let key: { authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    key = await t.keyFor('default', 'ADMIN');
    const pick = seeded(19);
    const assets = Array.from({ length: 40 }, (_, i) =>
      anAssetInput({
        title: `${pick(WORDS)} ${pick(WORDS)} ${i}`,
        description: Array.from({ length: 6 }, () => pick(WORDS)).join(' '),
        tags: [pick(TAGS), pick(TAGS)].filter((x, j, xs) => xs.indexOf(x) === j),
        speakers: [pick(SPEAKERS)],
        sourceSystem: pick(SOURCES),
        sourceId: `s${i}`,
        type: pick(TYPES),
      }),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers: key,
      payload: { assets },
    });
    expect(res.statusCode, res.body).toBe(201);
  }, 120_000);
  afterAll(() => t?.close());

  const get = async (url: string, status = 200): Promise<Page> => {
    const res = await t.app.inject({ url, headers: key });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
    return res.json<Page>();
  };

  /** Every page of a search, followed by its cursors. */
  const all = async (params: string) => {
    const hits: Hit[] = [];
    const totals: Page['total'][] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/v1/search?limit=4&${params}${cursor ? `&cursor=${cursor}` : ''}`);
      hits.push(...page.hits);
      totals.push(page.total);
      cursor = page.nextCursor;
    } while (cursor);
    return { hits, ids: hits.map((h) => h.asset.id), totals };
  };

  const FILTERS = [
    { param: 'sourceSystem=ted', inQ: 'source:ted' },
    { param: 'type=audio', inQ: 'type:audio' },
    { param: 'tag=education', inQ: 'tag:Education' },
    { param: 'speaker=Brian%20Eno', inQ: 'speaker:"Brian Eno"' },
  ];
  const QUERIES = ['climate change', 'music', 'optimism', 'Brian Eno', 'ocean energy', 'education'];

  it('narrows with a filter, never re-ranks: the filtered order is the unfiltered one restricted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...QUERIES),
        fc.constantFrom(...FILTERS),
        fc.constantFrom('auto', 'none', 'graph'),
        fc.boolean(),
        async (q, filter, blend, inQ) => {
          const unfiltered = await all(`q=${encodeURIComponent(q)}&blend=${blend}`);
          const passing = new Set((await all(filter.param)).ids);
          const filtered = await all(
            inQ
              ? `q=${encodeURIComponent(`${q} ${filter.inQ}`)}&blend=${blend}`
              : `q=${encodeURIComponent(q)}&${filter.param}&blend=${blend}`,
          );
          expect(filtered.ids).toEqual(unfiltered.ids.filter((id) => passing.has(id)));
          // Small enough to count exactly, and the same count on every page.
          for (const total of filtered.totals)
            expect(total).toEqual({ value: filtered.ids.length, exact: true });
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);

  it('scores the hits in their order, on every page, as their explanations say', async () => {
    for (const blend of ['auto', 'none', 'graph']) {
      for (const q of QUERIES) {
        const { hits } = await all(`q=${encodeURIComponent(q)}&blend=${blend}&explain=true`);
        const scores = hits.map((h) => h.score);
        expect(scores, `${q} ${blend}`).toEqual([...scores].sort((a, b) => b - a));
        for (const h of hits) expect(h.explanation!.score, `${q} ${blend}`).toBe(h.score);
      }
    }
  }, 120_000);

  it('takes enum values in any case, as parameters and in q', async () => {
    const upper = await all('type=AUDIO');
    expect(upper.ids.length).toBeGreaterThan(0);
    expect((await all('type=audio')).ids).toEqual(upper.ids);
    expect((await all('type=Audio,text')).ids.length).toBeGreaterThan(upper.ids.length);
    expect((await all('q=type%3Aaudio')).ids).toEqual(upper.ids);
    expect((await get('/v1/search?status=processed')).hits.length).toBeGreaterThan(0);
    await get('/v1/search?type=vidoe', 400);
  });

  it('says when a name:value in q is no field, and searched it as words', async () => {
    const page = await get(`/v1/search?q=${encodeURIComponent('music gnere:jazz')}`);
    expect(page.notices).toEqual([
      {
        code: 'unknown-field',
        message:
          'gnere: is not a field; searched as words. Fields: type, source, status, tag, topic, speaker, brand.',
      },
    ]);
    expect(page.hits.length).toBeGreaterThan(0);
    for (const q of ['music at 10:30', 'music http://example.org/x', 'music tag:climate', 'music note:'])
      expect((await get(`/v1/search?q=${encodeURIComponent(q)}`)).notices, q).toBeUndefined();
    // Plain syntax reads no fields at all.
    expect(
      (await get(`/v1/search?syntax=plain&q=${encodeURIComponent('gnere:jazz')}`)).notices,
    ).toBeUndefined();
  });

  it('answers prose in the default syntax, never 400, saying what it read other than as written', async () => {
    const cases: [string, string[]][] = [
      ['what is 3:2 pulldown?', []],
      ['C++ or "C#', ['unclosed-quote']],
      ["what's the best talk on how children learn? it's about schools", []],
      ['education - the "real-time" web: time-sharing', ['literal-minus']],
      ['see https://example.org/talks?id=1 or mail talks@example.org', []],
      ['-', ['literal-minus']],
      ['type:film Topic: education', ['invalid-field-value', 'empty-field-value']],
      [
        'Why do the "creative" schools of the "future" teach children to think as artists and makers do?',
        ['prose-quotes'],
      ],
    ];
    for (const [q, codes] of cases) {
      const page = await get(`/v1/search?q=${encodeURIComponent(q)}`);
      expect(
        (page.queryNotes ?? []).map((n) => n.code),
        q,
      ).toEqual(codes);
      // Each note names the part of q it is of (prose-quotes: all the quoted parts, one after another).
      for (const n of page.queryNotes ?? [])
        for (const part of n.code === 'prose-quotes' ? n.text.match(/"[^"]*"/g)! : [n.text])
          expect(q, n.code).toContain(part);
    }
    // Prose finds what its words find: the quotes are not required phrases.
    const prose = await get(
      `/v1/search?q=${encodeURIComponent('Which talks are about "education" and the future of the schools our children attend?')}`,
    );
    const plain = await get(
      `/v1/search?syntax=plain&q=${encodeURIComponent('Which talks are about "education" and the future of the schools our children attend?')}`,
    );
    expect(prose.hits.map((h) => h.asset.id)).toEqual(plain.hits.map((h) => h.asset.id));
    expect(prose.hits.length).toBeGreaterThan(0);
  });

  it('counts a tag once whatever its case, in its most common spelling, and filters by either', async () => {
    const page = await get('/v1/search?facets=true&limit=1');
    const education = page.facets!.tags!.filter((f) => f.value.toLowerCase() === 'education');
    expect(education).toHaveLength(1);
    const byLower = await all('tag=education');
    expect(education[0]!.count).toBe(byLower.ids.length);
    expect((await all('tag=EDUCATION')).ids).toEqual(byLower.ids);
    expect(page.total).toEqual({ value: 40, exact: true });
  });
});
