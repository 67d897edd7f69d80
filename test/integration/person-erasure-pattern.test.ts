import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personMatcher } from '../../domain/person-erasure.js';
import type { ErasureReport } from '../../services/person-erasure-service.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

type Key = { authorization: string };

/**
 * The SQL pre-filter (`sqlPattern`) finds in the database every text the matcher finds: names with
 * accents (entity identity ignores them), other cases, decomposed letters, punctuation runs, and
 * multi-line values as jsonb's text writes them (a newline as `\n`). On the Postgres server
 * (DATABASE_URL) and on the embedded default alike.
 */
describe('person erasure pre-filter in the database', () => {
  let t: TestApp;
  let admin: Key, editor: Key;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.keyFor('default', 'ADMIN');
    editor = await t.keyFor('default', 'EDITOR');
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  const matched = [
    'Mara Quill',
    'MARA QUILL:',
    'Mára Quill',
    'MÁRA QUÏLL',
    'Ma\u0301ra Quill',
    'Mara-Quill',
    'Mara --- Quill',
    'Sir Mara Quill',
    'ｍａｒａ ｑｕｉｌｌ',
    'Mara\nQuill',
    'Filmed by Mara\r\n\tQuill, twice',
    'Mara\u0007Quill',
  ];

  for (const name of ['Mara Quill', 'Mára Quill', 'mara quill'])
    it(`finds every value the matcher of "${name}" finds, as text and inside jsonb`, async () => {
      const m = personMatcher(name);
      for (const s of matched) {
        // The matcher finds each (so the pre-filter must too).
        expect(m.mentions(s) || m.isPerson(s), s).toBe(true);
        const [row] = await t.container.db.query<{
          text: boolean;
          list: boolean;
          object: boolean;
          nested: boolean;
        }>(
          `SELECT $1::text ~ $2 AS text, jsonb_build_array($1::text)::text ~ $2 AS list,
             jsonb_build_object('note', $1::text)::text ~ $2 AS object,
             jsonb_build_object('moments', jsonb_build_array(jsonb_build_object('speaker', $1::text)))::text ~ $2
               AS nested`,
          [s, m.sqlPattern],
        );
        expect(row, JSON.stringify(s)).toEqual({ text: true, list: true, object: true, nested: true });
      }
      // And still tells another name apart.
      const [other] = await t.container.db.query<{ hit: boolean }>(
        `SELECT jsonb_build_array('Marc Quill', 'Mara Quilt')::text ~ $1 AS hit`,
        [m.sqlPattern],
      );
      expect(other!.hit).toBe(false);
    });

  it('erases an asset that names "Mára Quill" only as a speaker, one that names the person only across a line break, and a bulk job’s record', async () => {
    const ids = await ingestNamed(t, editor, {
      accented: anAssetInput({
        title: 'Kelp at dusk',
        description: 'Divers replant kelp.',
        speakers: ['Mára Quill'],
      }),
      linked: anAssetInput({ title: 'Reef census', description: 'A survey of the reef fish.' }),
      bystander: anAssetInput({ title: 'Urchin barrens', speakers: ['Ode Brenn'] }),
    });
    const link = await t.app.inject({
      method: 'PUT',
      url: `/v1/assets/${ids.linked}/links/${ids.bystander}?wait=true`,
      headers: editor,
      payload: { note: 'Filmed by Mara\nQuill' },
    });
    expect(link.statusCode, link.body).toBe(201);
    // A bulk tag job that added the person as a tag (docs/curation.md): its request and its record.
    const jobId = randomUUID();
    await t.container.db.query(
      `INSERT INTO background_jobs (tenant_id, id, kind, status, params, created_by)
       VALUES ('default', $1, 'tags-bulk', 'COMPLETED', $2::jsonb, 'key:test')`,
      [jobId, JSON.stringify({ add: ['Mára Quill', 'kelp'], query: { q: 'kelp' } })],
    );
    await t.container.db.query(
      `INSERT INTO background_job_changes (tenant_id, job_id, ord, asset_id, outcome, added, removed)
       VALUES ('default', $1, 0, $2, 'CHANGED', '["Mára Quill", "kelp"]', '["Mara\\nQuill"]')`,
      [jobId, ids.bystander],
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/erasure',
      headers: admin,
      payload: { name: 'Mara Quill', reason: 'request #12' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ErasureReport>();
    expect([...report.changedAssetIds].sort()).toEqual([ids.accented, ids.linked].sort());
    const [row] = await t.container.db.query<{ speakers: string; links: string }>(
      `SELECT (SELECT given_speakers::text FROM assets WHERE tenant_id = 'default' AND id = $1) AS speakers,
              (SELECT related_links::text FROM assets WHERE tenant_id = 'default' AND id = $2) AS links`,
      [ids.accented, ids.linked],
    );
    expect(row!.speakers).not.toMatch(/m.?a.?r.?a/i);
    expect(row!.links).not.toMatch(/quill/i);
    const [job] = await t.container.db.query<{
      params: { add: string[] };
      added: string[];
      removed: string[];
    }>(
      `SELECT j.params, c.added, c.removed FROM background_jobs j
       JOIN background_job_changes c ON c.tenant_id = j.tenant_id AND c.job_id = j.id
       WHERE j.tenant_id = 'default' AND j.id = $1`,
      [jobId],
    );
    expect(job).toEqual({ params: { add: ['kelp'], query: { q: 'kelp' } }, added: ['kelp'], removed: [] });
  });
});
