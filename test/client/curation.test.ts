import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMediaClient,
  isStaleVersionProblem,
  ProblemError,
  unwrap,
  type MediaClient,
} from '../../openapi/client/src/index.js';
import { startClientServer, type ClientServer } from '../support/client.js';

/** Tag edits, conflicts, history and rollback, and the problem answers, through the generated client only. */
describe('generated client: curation, history and problems', () => {
  let server: ClientServer;
  let editor: MediaClient;
  let viewer: MediaClient;
  let otherTenant: MediaClient;
  let id = '';

  beforeAll(async () => {
    server = await startClientServer();
    editor = await server.clientFor('default', 'EDITOR');
    viewer = await server.clientFor('default', 'VIEWER');
    otherTenant = await server.clientFor('globex', 'ADMIN');
    const { asset } = await unwrap(
      editor.POST('/v1/assets', {
        params: { query: { wait: true } },
        body: {
          type: 'VIDEO',
          title: 'Kelp forests at night',
          description: 'Divers film the kelp forest after dark.',
          tags: ['underwater'],
          speakers: ['Mara Quill'],
        },
      }),
    );
    id = asset.id;
  }, 60_000);
  afterAll(() => server?.t.close());

  const getAsset = () => unwrap(editor.GET('/v1/assets/{id}', { params: { path: { id } } }));

  it('edits tags as a new version, guarded by If-Match, and answers a stale one with 412 and a diff', async () => {
    const before = await getAsset();
    const edited = await editor.PATCH('/v1/assets/{id}/tags', {
      params: { path: { id }, header: { 'if-match': `"${before.version}"` }, query: { wait: true } },
      body: {
        add: [{ name: 'bioluminescence' }, { name: 'Marine life', type: 'TOPIC' }],
        remove: [{ name: 'underwater' }],
      },
    });
    expect(edited.response.status).toBe(200);
    expect(edited.response.headers.get('etag')).toBe(`"${before.version + 1}"`);
    const after = await unwrap(edited);
    expect(after.version).toBe(before.version + 1);
    expect(after.enrichment?.tags).toContainEqual(
      expect.objectContaining({ name: 'bioluminescence', source: 'manual', locked: false }),
    );
    expect(after.enrichment?.tags.map((t) => t.name)).not.toContain('underwater');
    expect(after.enrichment?.topics.map((t) => t.name)).toContain('Marine life');

    // The same edit based on the version before: 412, the current version and what changed since.
    const stale = await editor.PATCH('/v1/assets/{id}/tags', {
      params: { path: { id }, header: { 'if-match': `"${before.version}"` } },
      body: { add: [{ name: 'late' }] },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (!isStaleVersionProblem(stale.error))
      throw new Error(`not a stale-version problem: ${JSON.stringify(stale.error)}`);
    expect(stale.error.currentVersion).toBe(after.version);
    expect(stale.error.diff.map((c) => c.field)).toEqual(expect.arrayContaining(['tags', 'enrichment.tags']));
    const tagsChange = stale.error.diff.find((c) => c.field === 'tags');
    expect(tagsChange).toMatchObject({ old: ['underwater'], new: [] });
    expect((await getAsset()).version).toBe(after.version);

    // Based on the current version (in the body this time), the edit goes through.
    const merged = await unwrap(
      editor.PATCH('/v1/assets/{id}/tags', {
        params: { path: { id } },
        body: { add: [{ name: 'late' }], version: stale.error.currentVersion },
      }),
    );
    expect(merged.version).toBe(after.version + 1);
  });

  it('lists versions, diffs one, and rolls back to an earlier one as a new version', async () => {
    const history = await unwrap(editor.GET('/v1/assets/{id}/versions', { params: { path: { id } } }));
    const kinds = history.items.map((v) => v.changeKind);
    expect(kinds.at(-1)).toBe('INGEST');
    expect(kinds).toContain('ENRICHMENT');
    expect(kinds.filter((k) => k === 'EDIT')).toHaveLength(2);
    const current = history.items[0]?.version ?? 0;
    const enriched = history.items.find((v) => v.changeKind === 'ENRICHMENT')?.version ?? 0;

    const firstEdit = enriched + 1;
    const diff = await unwrap(
      editor.GET('/v1/assets/{id}/versions/{v}/diff', { params: { path: { id, v: firstEdit } } }),
    );
    expect(diff).toMatchObject({ from: enriched, to: firstEdit });
    expect(diff.changes.find((c) => c.field === 'tags')).toEqual({
      field: 'tags',
      old: ['underwater'],
      new: [],
      added: [],
      removed: ['underwater'],
      updated: [],
      summary: "removed given tag 'underwater'",
    });
    expect(diff.summary).toContain("removed tag 'underwater'");

    // A rollback must name the version it is based on.
    const unguarded = await editor.POST('/v1/assets/{id}/rollback', {
      params: { path: { id } },
      body: { version: enriched },
    });
    expect(unguarded.response.status).toBe(428);
    expect(unguarded.error).toMatchObject({ status: 428, title: 'Precondition Required' });

    const rolledBack = await editor.POST('/v1/assets/{id}/rollback', {
      params: { path: { id }, header: { 'if-match': `"${current}"` }, query: { wait: true } },
      body: { version: enriched, reason: 'the tag edits were wrong' },
    });
    expect(rolledBack.response.status).toBe(201);
    expect(rolledBack.response.headers.get('location')).toBe(`/v1/assets/${id}/versions/${current + 1}`);
    expect(await unwrap(rolledBack)).toEqual({
      version: current + 1,
      restoredFrom: enriched,
      changedFields: expect.arrayContaining(['tags', 'enrichment.tags', 'enrichment.topics']),
      summary: expect.stringMatching(/added tag 'underwater'; removed tags? 'bioluminescence'/),
    });
    const restored = await getAsset();
    expect(restored.tags).toContain('underwater');
    expect(restored.tagDetails).toContainEqual(
      expect.objectContaining({ name: 'underwater', source: 'given' }),
    );
    expect(restored.tags).not.toContain('bioluminescence');
    expect(restored.enrichment?.tags.map((t) => t.name)).not.toContain('bioluminescence');
    const latest = await unwrap(
      editor.GET('/v1/assets/{id}/versions/{v}', { params: { path: { id, v: current + 1 } } }),
    );
    expect(latest).toMatchObject({ changeKind: 'ROLLBACK', version: current + 1 });
  });

  it('answers invalid input with a 400 problem naming the field', async () => {
    const bad = await editor.POST('/v1/assets', { body: { type: 'VIDEO', title: '' } });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({
      status: 400,
      title: 'Bad Request',
      detail: expect.stringContaining('title'),
    });
    expect(bad.error?.errors).toEqual([expect.objectContaining({ location: 'body', field: 'title' })]);

    const tooMany = await editor.GET('/v1/search', { params: { query: { limit: 1000 } } });
    expect(tooMany.response.status).toBe(400);
    expect(tooMany.error?.errors).toEqual([
      expect.objectContaining({ location: 'querystring', field: 'limit' }),
    ]);
  });

  it('answers a missing or unknown key with 401, as a ProblemError through unwrap', async () => {
    const stranger = createMediaClient({ baseUrl: server.baseUrl, apiKey: 'mdk_not-a-real-key' });
    const denied = await stranger.GET('/v1/assets');
    expect(denied.response.status).toBe(401);
    expect(denied.response.headers.get('www-authenticate')).toBe('Bearer');
    expect(denied.error).toMatchObject({ status: 401, title: 'Unauthorized' });

    const thrown = await unwrap(stranger.GET('/v1/search', { params: { query: { q: 'kelp' } } })).catch(
      (err: unknown) => err,
    );
    expect(thrown).toBeInstanceOf(ProblemError);
    expect(thrown).toMatchObject({ status: 401, problem: { title: 'Unauthorized', status: 401 } });
  });

  it('answers a key without the permission with 403', async () => {
    const denied = await viewer.POST('/v1/assets', { body: { type: 'TEXT', title: 'Not allowed' } });
    expect(denied.response.status).toBe(403);
    expect(denied.error).toMatchObject({ status: 403, detail: expect.stringContaining('assets:write') });
    // Reading is allowed.
    expect((await viewer.GET('/v1/assets/{id}', { params: { path: { id } } })).response.status).toBe(200);
  });

  it("answers an unknown id, or another tenant's, with 404", async () => {
    const unknown = await editor.GET('/v1/assets/{id}', { params: { path: { id: randomUUID() } } });
    expect(unknown.response.status).toBe(404);
    expect(unknown.error).toMatchObject({ status: 404, title: 'Not Found' });

    const foreign = await otherTenant.GET('/v1/assets/{id}/related', { params: { path: { id } } });
    expect(foreign.response.status).toBe(404);
    const job = await editor.GET('/v1/jobs/{id}', { params: { path: { id: randomUUID() } } });
    expect(job.error).toMatchObject({ status: 404 });
  });
});
