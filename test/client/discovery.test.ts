import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap, type MediaClient, type NewAsset } from '../../openapi/client/src/index.js';
import { startClientServer, type ClientServer } from '../support/client.js';

/** Ingest, search, related content and jobs, through the generated client only. */
describe('generated client: ingest and discovery', () => {
  let server: ClientServer;
  let editor: MediaClient;
  const ids: Record<'gombe' | 'chimps' | 'blue' | 'forest' | 'reef', string> = {
    gombe: '',
    chimps: '',
    blue: '',
    forest: '',
    reef: '',
  };

  const gombe: NewAsset = {
    type: 'VIDEO',
    title: 'Chimpanzees of Gombe',
    description: 'Jane Goodall on sixty years of field research with chimpanzees.',
    speakers: ['Jane Goodall'],
    tags: ['primates', 'conservation'],
    sourceSystem: 'ted',
    technicalMetadata: { durationSeconds: 1020, width: 1920, height: 1080 },
  };

  beforeAll(async () => {
    server = await startClientServer();
    editor = await server.clientFor('default', 'EDITOR');
  }, 60_000);
  afterAll(() => server?.t.close());

  it('ingests one asset, answering once it is searchable, and returns a repeat as a duplicate', async () => {
    const created = await editor.POST('/v1/assets', { params: { query: { wait: true } }, body: gombe });
    expect(created.response.status).toBe(201);
    const first = await unwrap(created);
    expect(first.duplicate).toBe(false);
    expect(first.asset).toMatchObject({
      title: gombe.title,
      status: 'PROCESSED',
      speakers: ['Jane Goodall'],
    });
    expect(first.asset.enrichment?.speakers).toContainEqual(
      expect.objectContaining({ name: 'Jane Goodall', source: 'manual' }),
    );
    ids.gombe = first.asset.id;

    const again = await editor.POST('/v1/assets', { body: gombe });
    expect(again.response.status).toBe(200);
    expect(again.data).toMatchObject({ duplicate: true, asset: { id: ids.gombe } });
  });

  it('ingests a batch in input order, counting what was new', async () => {
    const batch = await unwrap(
      editor.POST('/v1/assets/batch', {
        params: { query: { wait: true } },
        body: {
          assets: [
            {
              type: 'AUDIO',
              title: 'What separates us from chimpanzees',
              speakers: ['Jane Goodall'],
              tags: ['primates'],
            },
            {
              type: 'VIDEO',
              title: 'Mission blue',
              description: 'Sylvia Earle on protecting the deep ocean.',
              speakers: ['Sylvia Earle'],
              tags: ['oceans', 'conservation'],
            },
            { type: 'TEXT', title: 'Forests after fire', tags: ['forests'] },
          ],
        },
      }),
    );
    expect(batch).toMatchObject({ created: 3, duplicates: 0 });
    expect(batch.items.map((i) => i.asset.status)).toEqual(['PROCESSED', 'PROCESSED', 'PROCESSED']);
    const [chimps, blue, forest] = batch.items.map((i) => i.asset.id);
    Object.assign(ids, { chimps, blue, forest });

    const mixed = await editor.POST('/v1/assets/batch', {
      params: { query: { wait: true } },
      body: { assets: [gombe, { type: 'IMAGE', title: 'Reef at dawn', tags: ['oceans'] }] },
    });
    expect(mixed.response.status).toBe(201);
    expect(mixed.data).toMatchObject({ created: 1, duplicates: 1 });
    expect(mixed.data?.items.map((i) => i.duplicate)).toEqual([true, false]);
    expect(mixed.data?.items[0]?.asset.id).toBe(ids.gombe);
    ids.reef = mixed.data?.items[1]?.asset.id ?? '';
  });

  it('searches with filters and facets', async () => {
    const audio = await unwrap(editor.GET('/v1/search', { params: { query: { type: ['AUDIO'] } } }));
    expect(audio.hits.map((h) => h.asset.id)).toEqual([ids.chimps]);

    const goodall = await unwrap(
      editor.GET('/v1/search', {
        params: { query: { q: 'chimpanzees', speaker: ['Jane Goodall'], facets: true } },
      }),
    );
    expect(goodall.hits.map((h) => h.asset.id).sort()).toEqual([ids.gombe, ids.chimps].sort());
    expect(goodall.hits[0]?.highlights.title).toContain('<mark>');
    expect(goodall.facets?.type).toEqual(
      expect.arrayContaining([
        { value: 'VIDEO', count: 1 },
        { value: 'AUDIO', count: 1 },
      ]),
    );

    const conservation = await unwrap(
      editor.GET('/v1/search', { params: { query: { tag: ['conservation'], sort: 'createdAt' } } }),
    );
    expect(conservation.hits.map((h) => h.asset.id).sort()).toEqual([ids.gombe, ids.blue].sort());
  });

  it('pages through results with the cursor, each asset once', async () => {
    const all = await unwrap(
      editor.GET('/v1/search', { params: { query: { limit: 100, sort: 'createdAt' } } }),
    );
    expect(all.hits.length).toBeGreaterThanOrEqual(4);
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await unwrap(
        editor.GET('/v1/search', { params: { query: { limit: 2, sort: 'createdAt', cursor } } }),
      );
      expect(result.hits.length).toBeLessThanOrEqual(2);
      paged.push(...result.hits.map((h) => h.asset.id));
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    expect(paged).toEqual(all.hits.map((h) => h.asset.id));
  });

  it('finds related assets with the reasons', async () => {
    const bySpeaker = await unwrap(
      editor.GET('/v1/assets/{id}/related', {
        params: { path: { id: ids.gombe }, query: { via: 'SPEAKER' } },
      }),
    );
    expect(bySpeaker.items.map((i) => i.asset.id)).toEqual([ids.chimps]);
    expect(bySpeaker.items[0]?.reasons).toEqual([
      expect.objectContaining({ type: 'SPEAKER', name: 'Jane Goodall', contribution: expect.any(Number) }),
    ]);

    const all = await unwrap(
      editor.GET('/v1/assets/{id}/related', { params: { path: { id: ids.gombe }, query: { limit: 10 } } }),
    );
    const blue = all.items.find((i) => i.asset.id === ids.blue);
    expect(blue?.reasons).toContainEqual(expect.objectContaining({ type: 'TAG', name: 'conservation' }));
    expect(blue?.score).toBeGreaterThan(0);
  });

  it('lists enrichment runs and reads one', async () => {
    const done = await unwrap(
      editor.GET('/v1/jobs', { params: { query: { status: 'COMPLETED', limit: 100 } } }),
    );
    const gombeRun = done.items.find((j) => j.assetId === ids.gombe);
    expect(gombeRun).toMatchObject({ kind: 'enrichment', status: 'COMPLETED', progressPercent: 100 });
    expect(done.items.every((j) => j.status === 'COMPLETED')).toBe(true);

    const id = gombeRun?.id ?? '';
    const one = await unwrap(editor.GET('/v1/jobs/{id}', { params: { path: { id } } }));
    expect(one).toMatchObject({ id, assetId: ids.gombe, deadLettered: false, lastError: null });
    expect(one.capabilitiesCompleted).toEqual(expect.arrayContaining(['keywords', 'speakers']));
  });
});
