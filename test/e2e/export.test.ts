import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_HEADER } from '../../services/export-service.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

type Row = Record<string, string>;

/** The body as RFC 4180 CSV: CRLF record ends only, a header row; records keyed by column. */
function parseCsv(body: string): { header: string[]; rows: Row[] } {
  const records = parse(body, { record_delimiter: '\r\n' });
  const [header, ...rest] = records;
  return {
    header: header!,
    rows: rest.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))),
  };
}

describe('CSV export of search results', () => {
  let t: TestApp;
  let manager: { authorization: string };
  let other: { authorization: string };
  let ids: Record<'tricky' | 'radio' | 'plain', string>;
  let theirs: string;

  const TRICKY = {
    title: 'Commas, "quotes" and\nline breaks',
    description: '=HYPERLINK("http://evil.example","click")',
    tags: ['-2+3', '@SUM(A1)', 'ünïcødé 東京 🎬', 'kelp; forest'],
    operationalTags: ['+cmd|calc'],
    contributors: ['Zoë "Z" Ångström'],
    sourceId: '@handle',
  };

  beforeAll(async () => {
    t = await createTestApp();
    manager = await t.keyFor('exp-a', 'CONTENT_MANAGER');
    other = await t.keyFor('exp-b', 'CONTENT_MANAGER');
    ids = await ingestNamed(t, manager, {
      tricky: anAssetInput({
        ...TRICKY,
        sourceSystem: 'cms',
        technicalMetadata: { durationSeconds: 90.5, width: 1920, height: 1080, mimeType: 'video/mp4' },
        createdAt: '2024-01-01T10:00:00.000Z',
      }),
      radio: anAssetInput({
        type: 'AUDIO',
        title: 'Kelp forests on the radio',
        sourceSystem: 'Radio',
        tags: ['kelp'],
        technicalMetadata: { durationSeconds: 600 },
        createdAt: '2024-02-01T10:00:00.000Z',
      }),
      plain: anAssetInput({
        type: 'IMAGE',
        title: 'A still of a lighthouse',
        description: '\tA tab first, then -1',
        sourceSystem: 'cms',
        createdAt: '2024-03-01T10:00:00.000Z',
      }),
    });
    ({ theirs } = await ingestNamed(t, other, {
      theirs: anAssetInput({ type: 'AUDIO', title: 'Kelp forests on the radio', tags: ['kelp'] }),
    }));
  }, 60_000);
  afterAll(() => t?.close());

  const exportAs = (headers: { authorization: string }, query = '') =>
    t.app.inject({ url: `/v1/exports/assets.csv${query}`, headers });
  const idsOf = (body: string) => parseCsv(body).rows.map((r) => r.id);

  it('streams every asset as RFC 4180 CSV with a header, CRLF line ends and an attachment name', async () => {
    const res = await exportAs(manager);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="assets-exp-a-\d{8}T\d{6}Z\.csv"$/,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    // No byte order mark unless asked for; every record (and the file) ends in CRLF.
    expect(res.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(res.body.endsWith('\r\n')).toBe(true);
    const { header, rows } = parseCsv(res.body);
    expect(header).toEqual(EXPORT_HEADER);
    // Newest first.
    expect(rows.map((r) => r.id)).toEqual([ids.plain, ids.radio, ids.tricky]);
    expect(rows[1]).toMatchObject({
      type: 'AUDIO',
      title: 'Kelp forests on the radio',
      source_system: 'Radio',
      status: 'PROCESSED',
      duration_seconds: '600',
      created_at: '2024-02-01T10:00:00.000Z',
    });
  });

  it('quotes commas, quotes and line breaks, keeps Unicode, and defuses formula cells', async () => {
    const res = await exportAs(manager);
    const tricky = parseCsv(res.body).rows.find((r) => r.id === ids.tricky)!;
    expect(tricky.title).toBe(TRICKY.title);
    expect(tricky.description).toBe(`'${TRICKY.description}`);
    expect(tricky.source_id).toBe(`'${TRICKY.sourceId}`);
    const plain = parseCsv(res.body).rows.find((r) => r.id === ids.plain)!;
    expect(plain.description).toBe(`'\tA tab first, then -1`);
    // Lists are joined with "; "; the cell as a whole is what a spreadsheet sees, so only its start counts.
    expect(tricky.tags!.split('; ')).toEqual(expect.arrayContaining(['ünïcødé 東京 🎬', '@SUM(A1)']));
    expect(tricky.operational_tags).toBe(`'+cmd|calc`);
    expect(tricky.contributors).toBe('Zoë "Z" Ångström');
    expect(tricky).toMatchObject({ width: '1920', height: '1080', mime_type: 'video/mp4' });
    expect(tricky.duration_seconds).toBe('90.5');
    // On the wire: the quoted field, doubled quotes, the line break inside it kept as given.
    expect(res.body).toContain('"Commas, ""quotes"" and\nline breaks"');
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(res.rawPayload.includes(Buffer.from('東京 🎬', 'utf8'))).toBe(true);
    // Outside quoted fields, every line break is CRLF.
    const unquoted = res.body.replace(/"(?:[^"]|"")*"/g, '');
    expect(unquoted.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('starts with a UTF-8 byte order mark when asked', async () => {
    const res = await exportAs(manager, '?bom=true');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(parseCsv(res.body.slice(1)).header).toEqual(EXPORT_HEADER);
  });

  it('applies the search filters, on the canonical table and through the search index', async () => {
    // Canonical: no text, no entity filters.
    expect(idsOf((await exportAs(manager, '?type=AUDIO')).body)).toEqual([ids.radio]);
    expect(idsOf((await exportAs(manager, '?sourceSystem=radio')).body)).toEqual([ids.radio]);
    expect(idsOf((await exportAs(manager, '?type=IMAGE,AUDIO&sourceSystem=cms')).body)).toEqual([ids.plain]);
    expect(idsOf((await exportAs(manager, '?createdFrom=2024-01-15T00:00:00Z')).body)).toEqual([
      ids.plain,
      ids.radio,
    ]);
    expect(idsOf((await exportAs(manager, '?createdTo=2024-01-15T00:00:00Z')).body)).toEqual([ids.tricky]);
    expect(idsOf((await exportAs(manager, '?durationMin=100')).body)).toEqual([ids.radio]);
    expect(idsOf((await exportAs(manager, '?resolution=1920x1080')).body)).toEqual([ids.tricky]);
    expect(idsOf((await exportAs(manager, '?status=FAILED')).body)).toEqual([]);
    // Search index: text and entity filters, as GET /v1/search answers them.
    expect(idsOf((await exportAs(manager, '?tag=kelp')).body)).toEqual([ids.radio]);
    expect(idsOf((await exportAs(manager, '?q=lighthouse')).body)).toEqual([ids.plain]);
    expect(idsOf((await exportAs(manager, '?q=lighthouse&type=VIDEO')).body)).toEqual([]);
    // syntax=plain as on GET /v1/search: "-lighthouse" is a word, not an exclusion.
    expect(idsOf((await exportAs(manager, '?q=-lighthouse')).body)).not.toContain(ids.plain);
    expect(idsOf((await exportAs(manager, '?q=-lighthouse&syntax=plain')).body)).toEqual([ids.plain]);
    const search = await t.app.inject({ url: '/v1/search?q=kelp&limit=100', headers: manager });
    const searched = search.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => h.asset.id);
    expect(idsOf((await exportAs(manager, '?q=kelp')).body)).toEqual(searched);
    // The search schema's validation applies.
    const bad = await exportAs(manager, '?type=PODCAST');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it("never shows another tenant's assets", async () => {
    for (const query of ['', '?q=kelp', '?tag=kelp', '?type=AUDIO']) {
      expect(idsOf((await exportAs(manager, query)).body), query).not.toContain(theirs);
      expect(idsOf((await exportAs(other, query)).body), query).toEqual([theirs]);
    }
  });

  it('needs export:read: VIEWER and EDITOR get 403, and the denial is audited', async () => {
    for (const role of ['VIEWER', 'EDITOR'] as const) {
      const res = await exportAs(await t.keyFor('exp-a', role));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ status: 403, detail: expect.stringContaining('export:read') });
    }
    const denied = await t.container.db.query<{ details: { route: string } }>(
      `SELECT details FROM action_records WHERE tenant_id = 'exp-a' AND status = 'DENIED'`,
    );
    expect(denied.map((d) => d.details.route)).toContain('/v1/exports/assets.csv');
  });

  it('records each export in the audit trail with its filters and row count', async () => {
    await exportAs(manager, '?type=AUDIO&q=kelp');
    const res = await t.app.inject({ url: '/v1/actions?type=ASSET_EXPORT&limit=1', headers: manager });
    const [latest] = res.json<{ items: { status: string; details: Record<string, unknown> }[] }>().items;
    expect(latest).toMatchObject({
      status: 'SUCCEEDED',
      details: {
        format: 'csv',
        q: 'kelp',
        filters: { type: ['AUDIO'] },
        source: 'search',
        state: 'completed',
        rows: 1,
      },
    });
  });
});
