import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { COMMENT_LIMITS } from '../../domain/comments.js';

const MASK_KEY = 'a-test-masking-key-of-at-least-32-chars';

interface CommentDto {
  id: string;
  threadId: string;
  parentId: string | null;
  depth: number;
  author: { token: string; displayName: string };
  text: string;
  timestamp: number | null;
  region: { x: number; y: number; width: number; height: number } | null;
  type: string | null;
  status: string | null;
  assignee: { token: string; displayName: string } | null;
  analysis: { sentiment: string; sentimentScore: number; keywords: string[]; topics: string[] } | null;
  reactions: { emoji: string; count: number }[];
  mentions: { token: string; displayName: string }[];
  attachments: { url: string; name: string | null }[];
  edited: number;
  deleted: boolean;
  replies?: CommentDto[];
}
interface PageDto {
  items: CommentDto[];
  nextCursor: string | null;
  facets: Record<'status' | 'type' | 'sentiment' | 'keywords' | 'topics', { value: string; count: number }[]>;
}

const ada = { id: 'user-ada', displayName: 'Ada' };
const bob = { id: 'user-bob', displayName: 'Bob' };

describe('comments and time-coded feedback', () => {
  let t: TestApp;
  let editor: { authorization: string };
  let viewer: { authorization: string };
  let asset: string;
  const received: { type: string; data: Record<string, unknown> }[] = [];
  let receiver: Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as { type: string; data: Record<string, unknown> });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    t = await createTestApp({ env: { MASK_KEY, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_BACKOFF_MS: '20' } });
    editor = await t.keyFor('default', 'EDITOR');
    viewer = await t.keyFor('default', 'VIEWER');
    ({ asset } = await ingestNamed(t, editor, { asset: anAssetInput({ title: 'Brand film' }) }));
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    receiver?.close();
  });

  const call = (method: string, url: string, payload?: object, headers = editor) =>
    t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
  const base = () => `/v1/assets/${asset}/comments`;

  it('creates time-coded feedback with a pseudonymised author, analysis and an audit record', async () => {
    const res = await call('POST', base(), {
      author: ada,
      text: 'The logo at 01:12 is the old one, the colour is terrible',
      timestamp: 72_000,
      region: { x: 0.7, y: 0.05, width: 0.2, height: 0.1 },
      type: 'issue',
      mentions: [bob],
      attachments: [{ url: 'https://example.com/brand/logo-v2.png', name: 'new logo' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json<CommentDto>();
    expect(c).toMatchObject({ depth: 0, type: 'issue', status: 'open', timestamp: 72_000, parentId: null });
    expect(c.threadId).toBe(c.id);
    expect(c.author.token).toMatch(/^tok_[0-9a-f]{32}$/);
    expect(c.author.displayName).toBe('Ada');
    expect(JSON.stringify(c)).not.toContain('user-ada');
    expect(c.mentions[0]!.token).toMatch(/^tok_/);
    expect(c.analysis).toMatchObject({ sentiment: 'negative' });
    expect(c.analysis!.keywords).toContain('logo');
    const actions = (await call('GET', `/v1/assets/${asset}/actions?limit=50`)).json<{
      items: { actionType: string }[];
    }>();
    expect(actions.items.map((a) => a.actionType)).toContain('COMMENT_CREATE');
  });

  it('refuses a timestamp off the 100 ms grid, a region outside the frame and a non-http attachment', async () => {
    const bad = [
      { author: ada, text: 'x', timestamp: 1_234 },
      { author: ada, text: 'x', timestamp: 1_200, region: { x: 0.9, y: 0, width: 0.2, height: 0.1 } },
      { author: ada, text: 'x', attachments: [{ url: 'javascript:alert(1)' }] },
      { author: ada, text: 'x', region: { x: 0, y: 0, width: 0.1, height: 0.1 } },
      { author: ada, text: '   ' },
    ];
    for (const payload of bad) {
      const res = await call('POST', base(), payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const long = await call('POST', base(), { author: ada, text: 'a'.repeat(5_001) });
    expect(long.statusCode).toBe(413);
    expect(long.json<{ type: string }>().type).toContain('/problems/');
  });

  it('keeps text as text: markup is stored and returned as given', async () => {
    const text = '<img src=x onerror=alert(1)> & <b>bold</b>';
    const res = await call('POST', base(), { author: ada, text });
    expect(res.json<CommentDto>().text).toBe(text);
    expect(res.headers['content-type']).toContain('application/json');
  });

  it('nests replies at most 5 levels deep', async () => {
    let parent = (await call('POST', base(), { author: ada, text: 'a thread' })).json<CommentDto>();
    const root = parent.id;
    for (let depth = 1; depth <= 5; depth++) {
      const res = await call('POST', `${base()}/${parent.id}/replies`, {
        author: bob,
        text: `reply ${depth}`,
      });
      expect(res.statusCode, res.body).toBe(201);
      parent = res.json<CommentDto>();
      expect(parent).toMatchObject({ depth, threadId: root, status: null, type: null });
    }
    const tooDeep = await call('POST', `${base()}/${parent.id}/replies`, { author: bob, text: 'reply 6' });
    expect(tooDeep.statusCode).toBe(400);
    const withTimestamp = await call('POST', `${base()}/${root}/replies`, {
      author: bob,
      text: 'x',
      timestamp: 100,
    });
    expect(withTimestamp.statusCode).toBe(400);
  });

  it('counts reactions once per author per emoji', async () => {
    const c = (await call('POST', base(), { author: ada, text: 'nice cut' })).json<CommentDto>();
    const react = (who: object, emoji: string, remove = false) =>
      call('POST', `${base()}/${c.id}/reactions${remove ? '/remove' : ''}`, { author: who, emoji });
    await react(ada, '👍');
    await react(ada, '👍');
    await react(bob, '👍');
    const last = await react(bob, '🎉');
    expect(last.json<CommentDto>().reactions).toEqual([
      { emoji: '👍', count: 2 },
      { emoji: '🎉', count: 1 },
    ]);
    const removed = await react(ada, '👍', true);
    expect(removed.json<CommentDto>().reactions).toEqual([
      { emoji: '🎉', count: 1 },
      { emoji: '👍', count: 1 },
    ]);
  });

  it('lets only the author edit, keeps the history, and deletes as a tombstone', async () => {
    const c = (await call('POST', base(), { author: ada, text: 'first words' })).json<CommentDto>();
    const reply = (
      await call('POST', `${base()}/${c.id}/replies`, { author: bob, text: 'agreed' })
    ).json<CommentDto>();
    expect((await call('PATCH', `${base()}/${c.id}`, { author: bob, text: 'hijacked' })).statusCode).toBe(
      403,
    );
    const edited = await call('PATCH', `${base()}/${c.id}`, { author: ada, text: 'second words' });
    expect(edited.json<CommentDto>()).toMatchObject({ text: 'second words', edited: 1 });
    const detail = (await call('GET', `${base()}/${c.id}`)).json<{
      history: { revision: number; text: string }[];
    }>();
    expect(detail.history).toEqual([expect.objectContaining({ revision: 1, text: 'first words' })]);
    expect((await call('DELETE', `${base()}/${c.id}`, { author: bob })).statusCode).toBe(403);
    const gone = await call('DELETE', `${base()}/${c.id}`, { author: ada });
    expect(gone.json<CommentDto>()).toMatchObject({ deleted: true, text: '', analysis: null });
    const after = (await call('GET', `${base()}/${c.id}`)).json<{ history: unknown[] }>();
    expect(after.history).toEqual([]);
    // The reply keeps its place under the tombstone.
    const again = (await call('GET', `${base()}/${reply.id}`)).json<CommentDto>();
    expect(again).toMatchObject({ parentId: c.id, text: 'agreed', deleted: false });
  });

  it('lets a key holding assets:delete delete any comment without naming an author', async () => {
    const c = (await call('POST', base(), { author: ada, text: 'off-topic' })).json<CommentDto>();
    const plain = await call('DELETE', `${base()}/${c.id}`);
    expect(plain.statusCode, plain.body).toBe(403);
    const manager = await t.keyFor('default', 'CONTENT_MANAGER');
    const res = await t.app.inject({ method: 'DELETE', url: `${base()}/${c.id}`, headers: manager });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CommentDto>()).toMatchObject({ deleted: true, text: '' });
  });

  it('moves feedback through the workflow, refuses other moves with 409, and audits each', async () => {
    const c = (
      await call('POST', base(), { author: ada, text: 'wrong music', timestamp: 5_000, type: 'issue' })
    ).json<CommentDto>();
    const move = (status: string, assignee?: object | null) =>
      call('POST', `${base()}/${c.id}/transitions`, {
        author: bob,
        status,
        ...(assignee !== undefined ? { assignee } : {}),
      });
    const started = await move('in_progress', bob);
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json<CommentDto>()).toMatchObject({
      status: 'in_progress',
      assignee: { displayName: 'Bob' },
    });
    expect((await move('resolved')).json<CommentDto>().status).toBe('resolved');
    const refused = await move('wont_fix');
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ from: string; to: string; allowed: string[] }>()).toMatchObject({
      from: 'resolved',
      to: 'wont_fix',
      allowed: ['open'],
    });
    expect((await move('open')).json<CommentDto>().status).toBe('open');
    const bad = await call('POST', `${base()}/${c.id}/transitions`, { author: bob, status: 'done' });
    expect(bad.statusCode).toBe(400);
    const actions = (await call('GET', `/v1/assets/${asset}/actions?limit=100`)).json<{
      items: { actionType: string; details: { from?: string; to?: string } }[];
    }>();
    const transitions = actions.items.filter((a) => a.actionType === 'COMMENT_TRANSITION');
    expect(transitions.map((a) => `${a.details.from}->${a.details.to}`).sort()).toEqual(
      ['in_progress->resolved', 'open->in_progress', 'resolved->open'].sort(),
    );
  });

  it('lists threads newest first with keyset paging, filters and facets', async () => {
    const fresh = (await ingestNamed(t, editor, { x: anAssetInput({ title: 'Paging film' }) })).x;
    const url = `/v1/assets/${fresh}/comments`;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call('POST', url, {
        author: i % 2 ? bob : ada,
        text: i % 2 ? 'I love this beautiful shot' : 'The audio is broken and awful',
        timestamp: i * 1_000,
        type: i % 2 ? 'note' : 'issue',
      });
      made.push(res.json<CommentDto>().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        'GET',
        `${url}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        undefined,
        viewer,
      );
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<PageDto>();
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    const issues = (await call('GET', `${url}?type=issue`)).json<PageDto>();
    expect(issues.items).toHaveLength(3);
    expect(issues.facets.sentiment).toEqual([{ value: 'negative', count: 3 }]);
    const byBob = (await call('GET', `${url}?author=user-bob`)).json<PageDto>();
    expect(byBob.items).toHaveLength(2);
    const range = (await call('GET', `${url}?from=1000&to=3000`)).json<PageDto>();
    expect(range.items.map((c) => c.timestamp).sort()).toEqual([1000, 2000, 3000]);
    const all = (await call('GET', url)).json<PageDto>();
    expect(all.facets.status).toEqual([{ value: 'open', count: 5 }]);
    expect(all.facets.type).toEqual([
      { value: 'issue', count: 3 },
      { value: 'note', count: 2 },
    ]);
    expect(all.facets.keywords.map((k) => k.value)).toContain('audio');
  });

  it('announces comment.created and comment.status_changed to webhooks', async () => {
    const admin = await t.keyFor('default', 'ADMIN');
    const hook = await call(
      'POST',
      '/v1/webhooks',
      { url: receiverUrl, events: ['comment.created', 'comment.status_changed'] },
      admin,
    );
    expect(hook.statusCode, hook.body).toBe(201);
    const c = (
      await call('POST', base(), { author: ada, text: 'hooked', timestamp: 300, type: 'question' })
    ).json<CommentDto>();
    await call('POST', `${base()}/${c.id}/transitions`, { author: bob, status: 'resolved' });
    await expect
      .poll(
        () =>
          received
            .filter((r) => r.data.commentId === c.id)
            .map((r) => r.type)
            .sort(),
        { timeout: 60_000 },
      )
      .toEqual(['comment.created', 'comment.status_changed']);
    const changed = received.find((r) => r.type === 'comment.status_changed' && r.data.commentId === c.id)!;
    expect(changed.data).toMatchObject({ assetId: asset, from: 'open', to: 'resolved' });
    const created = received.find((r) => r.type === 'comment.created' && r.data.commentId === c.id)!;
    expect(created.data).toMatchObject({
      assetId: asset,
      type: 'question',
      status: 'open',
      timestampMs: 300,
    });
    expect(JSON.stringify(received)).not.toContain('hooked');
  });

  it("erases an author's comments, reactions, mentions and assignments with the person erasure", async () => {
    const admin = await t.keyFor('default', 'ADMIN');
    const eve = { id: 'user-eve', displayName: 'Eve Example' };
    const own = (
      await call('POST', base(), { author: eve, text: 'Eve was here', timestamp: 900, type: 'issue' })
    ).json<CommentDto>();
    await call('PATCH', `${base()}/${own.id}`, { author: eve, text: 'Eve was here again' });
    const other = (
      await call('POST', base(), { author: bob, text: 'ask her', mentions: [eve] })
    ).json<CommentDto>();
    await call('POST', `${base()}/${other.id}/reactions`, { author: eve, emoji: '👀' });
    await call('POST', `${base()}/${other.id}/transitions`, {
      author: bob,
      status: 'in_progress',
      assignee: eve,
    });
    const reply = (
      await call('POST', `${base()}/${other.id}/replies`, { author: eve, text: 'on it' })
    ).json<CommentDto>();
    const res = await call(
      'POST',
      '/v1/erasure',
      { userToken: own.author.token, reason: 'request by the person' },
      admin,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ counts: { comments: number } }>().counts.comments).toBe(3);
    for (const id of [own.id, reply.id]) {
      const gone = (await call('GET', `${base()}/${id}`)).json<CommentDto & { history: unknown[] }>();
      expect(gone).toMatchObject({
        text: '',
        deleted: true,
        author: { token: 'erased', displayName: '(erased)' },
        history: [],
      });
    }
    const kept = (await call('GET', `${base()}/${other.id}`)).json<CommentDto>();
    expect(kept).toMatchObject({ text: 'ask her', mentions: [], assignee: null, reactions: [] });
    const listed = JSON.stringify((await call('GET', `${base()}?limit=100`)).json());
    expect(listed).not.toContain(own.author.token);
    expect(listed).not.toContain('Eve');
  });

  it("does not treat comments as the asset's description in related content or the asset", async () => {
    const { x, y } = await ingestNamed(t, editor, {
      x: anAssetInput({ title: 'Kelp forest survey', description: 'Divers count kelp along the coast.' }),
      y: anAssetInput({
        title: 'Volcano eruption',
        description: 'Lava flows from a volcano eruption at night.',
      }),
    });
    const related = async () =>
      (await call('GET', `/v1/assets/${x}/related?limit=20`))
        .json<{ items: { asset: { id: string } }[] }>()
        .items.map((i) => i.asset.id);
    const before = await related();
    for (let i = 0; i < 3; i++)
      await call('POST', `/v1/assets/${x}/comments`, {
        author: ada,
        text: 'Volcano eruption lava: this volcano lava eruption looks like the lava volcano film',
        timestamp: i * 100,
      });
    // An edit of the asset projects it again: its text must still be its own.
    const patched = await call('PATCH', `/v1/assets/${x}?wait=true`, { title: 'Kelp forest survey, 2026' });
    expect(patched.statusCode, patched.body).toBeLessThan(300);
    expect(await related()).toEqual(before);
    expect(before).not.toContain(y);
    const got = (await call('GET', `/v1/assets/${x}`)).json<{ description: string }>();
    expect(got.description).toBe('Divers count kelp along the coast.');
  });

  it('answers 403 to a key without assets:write and 404 for an unknown asset or comment', async () => {
    expect((await call('POST', base(), { author: ada, text: 'x' }, viewer)).statusCode).toBe(403);
    const none = '00000000-0000-4000-8000-000000000000';
    expect((await call('GET', `/v1/assets/${none}/comments`)).statusCode).toBe(404);
    expect((await call('GET', `${base()}/${none}`)).statusCode).toBe(404);
    expect((await call('POST', `${base()}/${none}/replies`, { author: ada, text: 'x' })).statusCode).toBe(
      404,
    );
  });

  it('answers 429 with Retry-After past the per-author write rate', async () => {
    const flood = { id: 'user-flood', displayName: 'Flood' };
    // The window is the clock's minute: a flood that crosses into the next starts counting again,
    // so it may take up to twice the rate before the refusal (the test once crossed one).
    let accepted = 0;
    let last = 0;
    while (accepted <= 2 * COMMENT_LIMITS.writesPerAuthorPerMinute) {
      last = (await call('POST', base(), { author: flood, text: `n ${accepted}` })).statusCode;
      if (last !== 201) break;
      accepted++;
    }
    expect(last).toBe(429);
    expect(accepted).toBeGreaterThanOrEqual(COMMENT_LIMITS.writesPerAuthorPerMinute);
    const res = await call('POST', base(), { author: flood, text: 'again' });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('comments without MASK_KEY', () => {
  let t: TestApp;
  afterAll(() => t?.close());
  it('refuses to write a comment it cannot pseudonymise, or to filter by author (503)', async () => {
    t = await createTestApp();
    const key = await t.keyFor('default', 'EDITOR');
    const { a } = await ingestNamed(t, key, { a: anAssetInput() });
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/assets/${a}/comments`,
      headers: key,
      payload: { author: ada, text: 'hello' },
    });
    expect(res.statusCode).toBe(503);
    // Reading still works; only the author filter needs the key, and says so as its declared 503.
    const all = await t.app.inject({ url: `/v1/assets/${a}/comments`, headers: key });
    expect(all.statusCode).toBe(200);
    const byAuthor = await t.app.inject({ url: `/v1/assets/${a}/comments?author=${ada.id}`, headers: key });
    expect(byAuthor.statusCode).toBe(503);
    expect(byAuthor.headers['content-type']).toContain('application/problem+json');
    expect(byAuthor.json()).toMatchObject({ detail: 'MASK_KEY is not configured' });
  }, 300_000);
});
