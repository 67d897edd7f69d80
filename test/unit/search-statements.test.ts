import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchFilters } from '../../search/search-index.js';
import type { Cursor, RankSnapshot } from '../../search/postgres/cursor.js';
import { SQL } from '../../search/postgres/statements.js';
import {
  browseStatement,
  facetCountsStatement,
  rankStatement,
  totalCountStatement,
  type Assembled,
  type SelectiveFilter,
} from '../../search/postgres/translator.js';
import { bind, statement, type NamedStatement } from '../../store/database.js';
import { openDatabase, type Database } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';

// Postgres itself plans every statement of the search adapter against the migrated schema: a
// statement that no longer parses, names a missing table, column or function, or leaves a named
// parameter unbound fails here. PGlite (Postgres 17) runs it whatever backend the suite is given:
// EXPLAIN (GENERIC_PLAN) plans a statement with parameters without their values.

let db: Database;

beforeAll(async () => {
  db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
});
afterAll(() => db.close());

/** The generic plan of a catalogued statement; a utility statement (ANALYZE) is run instead. */
async function plan(st: NamedStatement): Promise<void> {
  if (/^\s*ANALYZE\b/i.test(st.text)) await db.exec(st.text);
  else await db.exec(`EXPLAIN (GENERIC_PLAN) ${st.text}`);
}

/** The plan of an assembled statement with its values bound (every name must have one). */
async function planWithValues(x: Assembled): Promise<void> {
  await db.query(`EXPLAIN ${x.statement.text}`, bind(x.statement, x.params));
}

const TENANT = 't1';
const ID = '00000000-0000-4000-8000-000000000001';
const snapshot: RankSnapshot = { t: ['ocean', 'energi'], w: [1, 0.4], df: [10, 3], n: 100, avgdl: 42 };
const query = { text: 'ocean energy', phrases: ['ocean energy'], exclusions: ['oil'], filters: {} };
const everyFilter: SearchFilters = {
  type: ['VIDEO'],
  sourceSystem: ['cms'],
  status: ['PROCESSED'],
  tags: ['Oceans'],
  topics: ['science'],
  speakers: ['Sylvia Earle'],
  brands: ['acme'],
  createdFrom: new Date('2024-01-01'),
  createdTo: new Date('2025-01-01'),
  durationMin: 10,
  durationMax: 600,
  resolution: { width: 1920, height: 1080 },
};
const rareTag: SelectiveFilter = { dim: 'tags', values: ['oceans'], assets: 12 };
const cursors: Cursor[] = [
  { m: 'r', s: 3.5, id: ID, q: snapshot },
  { m: 'c', t: '2024-01-01T00:00:00.000Z', id: ID },
  { m: 'p', p: 2, id: ID },
];

describe('search statements (EXPLAIN on PGlite)', () => {
  it.each(Object.entries(SQL))('plans %s', async (_name, st) => {
    await plan(st);
  });

  it('plans the ranking as assembled per query', async () => {
    const base = {
      tenantId: TENANT,
      query,
      snapshot,
      filters: {},
      selective: null,
      byAsset: false,
      sort: 'relevance' as const,
      limit: 20,
      cursor: undefined,
    };
    await planWithValues(rankStatement(base));
    await planWithValues(rankStatement({ ...base, filters: everyFilter, cursor: cursors[0] }));
    await planWithValues(rankStatement({ ...base, sort: 'createdAt', cursor: cursors[1] }));
    await planWithValues(rankStatement({ ...base, sort: 'popularity', cursor: cursors[2] }));
    await planWithValues(rankStatement({ ...base, filters: { tags: ['oceans'] }, selective: rareTag }));
    await planWithValues(
      rankStatement({ ...base, filters: { tags: ['oceans'] }, selective: rareTag, byAsset: true }),
    );
  });

  it('plans browsing and facet counts as assembled per query', async () => {
    await planWithValues(
      browseStatement({
        tenantId: TENANT,
        filters: everyFilter,
        sort: 'createdAt',
        limit: 20,
        cursor: undefined,
      }),
    );
    await planWithValues(
      browseStatement({ tenantId: TENANT, filters: {}, sort: 'createdAt', limit: 20, cursor: cursors[1] }),
    );
    await planWithValues(
      browseStatement({ tenantId: TENANT, filters: {}, sort: 'popularity', limit: 20, cursor: cursors[2] }),
    );
    const facets = { tenantId: TENANT, filters: everyFilter, selective: null, sampledDim: undefined };
    await planWithValues(facetCountsStatement({ ...facets, terms: null, fraction: null }));
    await planWithValues(facetCountsStatement({ ...facets, terms: snapshot.t, fraction: 0.25 }));
    await planWithValues(
      facetCountsStatement({
        ...facets,
        terms: snapshot.t,
        fraction: 0.25,
        selective: rareTag,
        sampledDim: 'tags',
      }),
    );
    await planWithValues(
      facetCountsStatement({
        ...facets,
        terms: null,
        fraction: null,
        selective: { dim: 'brands', values: ['acme'], assets: 3 },
        sampledDim: null,
      }),
    );
    const totals = { tenantId: TENANT, query: { phrases: ['deep sea'], exclusions: ['sharks'] } };
    const none = { phrases: [], exclusions: [] };
    for (const terms of [null, snapshot.t]) {
      await planWithValues(
        totalCountStatement({ ...totals, terms, filters: everyFilter, selective: null, fraction: null }),
      );
      await planWithValues(
        totalCountStatement({ ...totals, terms, filters: {}, selective: null, fraction: 0.25 }),
      );
      await planWithValues(
        totalCountStatement({
          ...totals,
          terms,
          filters: { tags: ['oceans'] },
          selective: rareTag,
          fraction: null,
        }),
      );
      await planWithValues(
        totalCountStatement({ ...totals, query: none, terms, filters: {}, selective: null, fraction: null }),
      );
    }
    await planWithValues(
      browseStatement({
        tenantId: TENANT,
        filters: { assetIds: [] },
        sort: 'createdAt',
        limit: 20,
        cursor: undefined,
      }),
    );
  });

  it('fails a statement that does not parse, names a missing column, or leaves a parameter unbound', async () => {
    await expect(
      plan(statement('SELEC asset_id FROM search_documents WHERE tenant_id = :tenantId')),
    ).rejects.toThrow();
    await expect(
      plan(statement('SELECT asset_idd FROM search_documents WHERE tenant_id = :tenantId')),
    ).rejects.toThrow(/asset_idd/);
    const assembled = rankStatement({
      tenantId: TENANT,
      query,
      snapshot,
      filters: {},
      selective: null,
      byAsset: false,
      sort: 'relevance',
      limit: 20,
      cursor: undefined,
    });
    const { window: _window, ...missing } = assembled.params;
    await expect(planWithValues({ ...assembled, params: missing })).rejects.toThrow(':window');
  });
});
