import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const MASK_KEY = 'a-test-masking-key-of-at-least-32-chars';

interface SearchDto {
  hits: { asset: { id: string } }[];
  moments?: {
    kind: string;
    asset: { id: string };
    commentId: string;
    start: number;
    timestamp: string;
    fragment: string;
  }[];
}

const ada = { id: 'user-ada-feedback', displayName: 'Ada' };
const bob = { id: 'user-bob-feedback', displayName: 'Bob' };

// Time-coded feedback as moments of search (issue 27): Postgres is the truth, search a projection
// written by the projection jobs the comment changes queue through the outbox.
describe('feedback moments in search', () => {
  let t: TestApp;
  let editor: { authorization: string };
  let otherTenant: { authorization: string };
  let asset: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { MASK_KEY } });
    editor = await t.keyFor('default', 'EDITOR');
    otherTenant = await t.keyFor('feedback-other', 'EDITOR');
    ({ asset } = await ingestNamed(t, editor, { asset: anAssetInput({ title: 'Harbour brand film' }) }));
    await ingestNamed(t, otherTenant, { asset: anAssetInput({ title: 'Harbour brand film' }) });
  }, 300_000);
  afterAll(() => t?.close());

  const call = (method: string, url: string, payload?: object, headers = editor) =>
    t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
  const search = async (query: string, headers = editor) => {
    const res = await call('GET', `/v1/search?${query}`, undefined, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<SearchDto>();
  };
  const momentsOf = async (q: string, headers = editor) =>
    (await search(`q=${encodeURIComponent(q)}`, headers)).moments ?? [];
  const withOpenIssues = async () => (await search('q=harbour&openIssues=true')).hits.map((h) => h.asset.id);
  /** Waits for the projection jobs (the outbox relay and the queue run in this process). */
  const eventually = async (check: () => Promise<void>) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await check();
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  it('finds new feedback at its moment, filters open issues, and keeps both through a rebuild', async () => {
    const res = await call('POST', `/v1/assets/${asset}/comments`, {
      author: ada,
      text: 'The tangerine logo at this point is the old one',
      timestamp: 72_000,
      type: 'issue',
    });
    expect(res.statusCode, res.body).toBe(201);
    const comment = res.json<{ id: string }>();
    await eventually(async () => {
      expect(await momentsOf('tangerine logo')).toEqual([
        {
          kind: 'feedback',
          asset: expect.objectContaining({ id: asset }) as unknown,
          commentId: comment.id,
          start: 72,
          timestamp: '00:01:12',
          fragment: expect.stringContaining('<mark>tangerine</mark>') as string,
        },
      ]);
    });
    // Feedback is no text of the asset: it does not rank the hits.
    expect((await search('q=tangerine')).hits).toEqual([]);
    expect(await withOpenIssues()).toEqual([asset]);
    // Another tenant's search finds none of it.
    expect(await momentsOf('tangerine logo', otherTenant)).toEqual([]);
    expect((await search('q=harbour&openIssues=true', otherTenant)).hits).toEqual([]);
    // A key that may search but not read comments gets no comment text.
    const { secret } = await t.container.apiKeys.create({
      tenantId: 'default',
      name: 'search only',
      role: 'EDITOR',
      permissions: ['search:read'],
    });
    expect(await momentsOf('tangerine logo', { authorization: `Bearer ${secret}` })).toEqual([]);

    // A rebuild reads the feedback from Postgres with the assets, as the projection does.
    expect((await t.container.rebuild.rebuild('search', { graceMs: 0 })).state).toBe('done');
    expect((await momentsOf('tangerine logo')).map((m) => m.commentId)).toEqual([comment.id]);
    expect(await withOpenIssues()).toEqual([asset]);
  });

  it('drops old text after an edit, a deletion, a resolution and the author’s erasure', async () => {
    const edited = (
      await call('POST', `/v1/assets/${asset}/comments`, {
        author: bob,
        text: 'Saffron caption typo here',
        timestamp: 5_000,
        type: 'note',
      })
    ).json<{ id: string }>();
    const deleted = (
      await call('POST', `/v1/assets/${asset}/comments`, {
        author: bob,
        text: 'Cobalt flicker in the corner',
        timestamp: 9_000,
      })
    ).json<{ id: string }>();
    await eventually(async () => {
      expect(await momentsOf('saffron caption')).toHaveLength(1);
      expect(await momentsOf('cobalt flicker')).toHaveLength(1);
    });

    await call('PATCH', `/v1/assets/${asset}/comments/${edited.id}`, {
      author: bob,
      text: 'Vermilion caption typo here',
    });
    const del = await call('DELETE', `/v1/assets/${asset}/comments/${deleted.id}`, { author: bob });
    expect(del.statusCode, del.body).toBeLessThan(300);
    await eventually(async () => {
      expect(await momentsOf('saffron caption')).toEqual([]);
      expect(await momentsOf('cobalt flicker')).toEqual([]);
      expect((await momentsOf('vermilion caption')).map((m) => m.commentId)).toEqual([edited.id]);
    });

    // Ada's issue resolved: no open issue left.
    const [issue] = await momentsOf('tangerine logo');
    const moved = await call('POST', `/v1/assets/${asset}/comments/${issue!.commentId}/transitions`, {
      author: bob,
      status: 'resolved',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await eventually(async () => expect(await withOpenIssues()).toEqual([]));

    // The erasure answers once search no longer holds the person's feedback.
    const admin = await t.keyFor('default', 'ADMIN');
    const token = (await call('GET', `/v1/assets/${asset}/comments/${edited.id}`)).json<{
      author: { token: string };
    }>().author.token;
    const erased = await call('POST', '/v1/erasure', { userToken: token, reason: 'request' }, admin);
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await momentsOf('vermilion caption')).toEqual([]);
    // Ada's feedback stays.
    expect(await momentsOf('tangerine logo')).toHaveLength(1);
  });
});
