import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const EMAIL = 'jane.doe@example.com';
const PERSON = 'Jane Q. Contributor';
const TOKEN = /^tok_[0-9a-f]{32}$/;

interface AssetDto {
  id: string;
  version: number;
  operationalTags: string[];
  contributors: string[];
}

/**
 * Masked metadata: configured operational tags and contributors are stored as tokens, so the raw
 * values are in no table, answer, search hit or export; an ADMIN can resolve a token, audited.
 */
describe('masking', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let editor: { authorization: string };
  let otherAdmin: { authorization: string };
  let ids: Record<'first' | 'second', string>;
  let userToken: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        MASK_FIELDS: 'operationalTags.user, operationalTags.email,contributors',
        MASK_KEY: 'test-masking-key-of-at-least-32-characters',
      },
    });
    admin = await t.keyFor('mask-a', 'ADMIN');
    editor = await t.keyFor('mask-a', 'EDITOR');
    otherAdmin = await t.keyFor('mask-b', 'ADMIN');
    ids = await ingestNamed(t, admin, {
      first: anAssetInput({
        title: 'Masked interview about tide pools',
        operationalTags: [`user:${EMAIL}`, `Email: ${EMAIL}`, 'priority:high'],
        contributors: [PERSON],
      }),
      second: anAssetInput({
        title: 'Another masked interview',
        operationalTags: [`user:${EMAIL}`, 'user:someone-else'],
      }),
    });
  }, 60_000);
  afterAll(() => t?.close());

  const get = (url: string, headers = admin) => t.app.inject({ url, headers });
  const asset = async (id: string) => (await get(`/v1/assets/${id}`)).json<AssetDto>();

  it('stores tokens in place of the configured values, and leaves the rest as given', async () => {
    const first = await asset(ids.first);
    const [user, email, priority] = first.operationalTags;
    expect(user).toMatch(/^user:tok_[0-9a-f]{32}$/);
    // The key matches ignoring case; the key is kept as written.
    expect(email).toMatch(/^Email:tok_[0-9a-f]{32}$/);
    expect(priority).toBe('priority:high');
    expect(first.contributors).toEqual([expect.stringMatching(TOKEN)]);
    userToken = user!.slice('user:'.length);

    // Equal values, equal tokens: across fields and across assets of the tenant.
    expect(email!.slice('Email:'.length)).toBe(userToken);
    const second = await asset(ids.second);
    expect(second.operationalTags[0]).toBe(`user:${userToken}`);
    expect(second.operationalTags[1]).toMatch(/^user:tok_/);
    expect(second.operationalTags[1]).not.toBe(`user:${userToken}`);
  });

  it('leaves the raw values in no table of the database', async () => {
    const tables = await t.container.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((x) => x.table_name)).toEqual(
      expect.arrayContaining(['assets', 'asset_versions', 'action_records', 'outbox', 'masking_tokens']),
    );
    for (const { table_name } of tables) {
      const [dump] = await t.container.db.query<{ text: string | null }>(
        `SELECT string_agg(x::text, ' ') AS text FROM ${table_name} x`,
      );
      expect(dump?.text ?? '', table_name).not.toContain(EMAIL);
      expect(dump?.text ?? '', table_name).not.toContain(PERSON);
    }
    const [row] = await t.container.db.query<{ operational_tags: string[] }>(
      'SELECT operational_tags FROM assets WHERE tenant_id = $1 AND id = $2',
      ['mask-a', ids.first],
    );
    expect(row!.operational_tags[0]).toBe(`user:${userToken}`);
  });

  it('shows only tokens in answers, search hits, versions and exports', async () => {
    const answers = [
      await get(`/v1/assets/${ids.first}`),
      await get('/v1/assets'),
      await get('/v1/search?q=masked+interview'),
      await get(`/v1/assets/${ids.first}/versions/1`),
      await get(`/v1/assets/${ids.first}/actions`),
    ];
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toContain(EMAIL);
      expect(res.body).not.toContain(PERSON);
    }
    expect(answers[2]!.body).toContain(`user:${userToken}`);

    const csv = await get('/v1/exports/assets.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain(EMAIL);
    const rows = parse<Record<string, string>>(csv.body, { columns: true });
    const exported = rows.find((r) => r.id === ids.first)!;
    expect(exported.operational_tags).toBe(`user:${userToken}; Email:${userToken}; priority:high`);
    expect(exported.contributors).toMatch(TOKEN);
  });

  it('masks an edit, and an edit sending back the tokens it read changes nothing', async () => {
    const before = await asset(ids.second);
    const same = await t.app.inject({
      method: 'PATCH',
      url: `/v1/assets/${ids.second}`,
      headers: editor,
      payload: { operationalTags: before.operationalTags },
    });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json<AssetDto>()).toMatchObject({ version: before.version });
    // The raw value again, beside the token it stands for: both are the one token.
    const raw = await t.app.inject({
      method: 'PATCH',
      url: `/v1/assets/${ids.second}`,
      headers: editor,
      payload: { operationalTags: [...before.operationalTags, `email:${EMAIL}`, 'user:new.person'] },
    });
    expect(raw.statusCode, raw.body).toBe(200);
    const edited = raw.json<AssetDto>();
    expect(edited.version).toBe(before.version + 1);
    expect(edited.operationalTags.slice(0, 3)).toEqual([...before.operationalTags, `email:${userToken}`]);
    expect(edited.operationalTags[3]).toMatch(/^user:tok_[0-9a-f]{32}$/);
    expect(raw.body).not.toContain('new.person');
    const stored = await t.container.db.query(
      `SELECT 1 FROM assets a JOIN asset_versions v ON v.tenant_id = a.tenant_id AND v.asset_id = a.id
       WHERE a.tenant_id = 'mask-a' AND (a.operational_tags::text LIKE '%new.person%' OR v.snapshot::text LIKE '%new.person%')`,
    );
    expect(stored).toEqual([]);
  });

  it('masks what a rollback restores from a version stored before masking was configured', async () => {
    // As a version written while MASK_FIELDS did not name the field holds it.
    // An ingest's version may refer to its asset row (migration 0042): written out here as a full one.
    await t.container.db.query(
      `UPDATE asset_versions v
       SET snapshot = jsonb_set(COALESCE(v.snapshot, asset_ingest_snapshot(a)), '{operationalTags}', $3::jsonb)
       FROM assets a
       WHERE a.tenant_id = v.tenant_id AND a.id = v.asset_id
         AND v.tenant_id = 'mask-a' AND v.asset_id = $1 AND v.version = $2`,
      [ids.first, 1, JSON.stringify(['user:old.raw@example.com'])],
    );
    const current = await asset(ids.first);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/assets/${ids.first}/rollback`,
      headers: { ...admin, 'if-match': `"${current.version}"` },
      payload: { version: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const [tag] = (await asset(ids.first)).operationalTags;
    expect(tag).toMatch(/^user:tok_[0-9a-f]{32}$/);
    const [row] = await t.container.db.query<{ operational_tags: string[] }>(
      'SELECT operational_tags FROM assets WHERE tenant_id = $1 AND id = $2',
      ['mask-a', ids.first],
    );
    expect(row!.operational_tags).toEqual([tag]);
  });

  it('masks a made-up token: only tokens the tenant has are kept as they are', async () => {
    const madeUp = `tok_${'0'.repeat(32)}`;
    const { forged } = await ingestNamed(t, admin, {
      forged: anAssetInput({ operationalTags: [`user:${madeUp}`] }),
    });
    const [tag] = (await asset(forged)).operationalTags;
    expect(tag).toMatch(/^user:tok_[0-9a-f]{32}$/);
    expect(tag).not.toBe(`user:${madeUp}`);
  });

  it('resolves a token for an ADMIN, without caching, and audits it without the value', async () => {
    const res = await get(`/v1/masking/tokens/${userToken}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ token: userToken, value: EMAIL, createdAt: expect.any(String) });
    expect(res.headers['cache-control']).toBe('no-store');
    const contributor = (await asset(ids.first)).contributors[0]!;
    expect((await get(`/v1/masking/tokens/${contributor}`)).json()).toMatchObject({ value: PERSON });

    const audit = await get('/v1/actions?type=MASK_TOKEN_RESOLVE&limit=10');
    const items = audit.json<{ items: { status: string; actor: string; details: object }[] }>().items;
    expect(items).toContainEqual(
      expect.objectContaining({ status: 'SUCCEEDED', details: { token: userToken, found: true } }),
    );
    expect(audit.body).not.toContain(EMAIL);
  });

  it('answers 403 to anyone but an ADMIN, and 404 to another tenant', async () => {
    for (const role of ['EDITOR', 'CONTENT_MANAGER', 'DEVELOPER', 'VIEWER'] as const) {
      const res = await get(`/v1/masking/tokens/${userToken}`, await t.keyFor('mask-a', role));
      expect(res.statusCode, role).toBe(403);
      expect(res.body).not.toContain(EMAIL);
    }
    const theirs = await get(`/v1/masking/tokens/${userToken}`, otherAdmin);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain(EMAIL);
    // The failed attempt is in the other tenant's audit trail.
    const audit = await get('/v1/actions?type=MASK_TOKEN_RESOLVE', otherAdmin);
    expect(audit.json<{ items: { status: string; details: object }[] }>().items).toEqual([
      expect.objectContaining({ status: 'FAILED', details: { token: userToken, found: false } }),
    ]);
    expect((await get('/v1/masking/tokens/not-a-token')).statusCode).toBe(400);
  });

  it('gives the same value an unrelated token in another tenant', async () => {
    const { theirs } = await ingestNamed(t, otherAdmin, {
      theirs: anAssetInput({ operationalTags: [`user:${EMAIL}`] }),
    });
    const res = await get(`/v1/assets/${theirs}`, otherAdmin);
    const [tag] = res.json<AssetDto>().operationalTags;
    expect(tag).toMatch(/^user:tok_[0-9a-f]{32}$/);
    expect(tag).not.toBe(`user:${userToken}`);
    expect((await get(`/v1/masking/tokens/${tag!.slice(5)}`, otherAdmin)).json()).toMatchObject({
      value: EMAIL,
    });
    expect((await get(`/v1/masking/tokens/${tag!.slice(5)}`)).statusCode).toBe(404);
  });
});
