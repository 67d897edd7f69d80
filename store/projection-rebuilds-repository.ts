import { useSchema, type Sql } from './db.js';
import { quoteIdent } from './tenant-isolation.js';

export const REBUILD_TARGETS = ['search', 'graph'] as const;
export type RebuildTarget = (typeof REBUILD_TARGETS)[number];
export type RebuildState = 'building' | 'switched' | 'done' | 'failed';

/** Each Postgres projection's tables, referenced ones first (asset_graph_nodes references graph_nodes). */
export const PROJECTION_TABLES: Record<RebuildTarget, readonly string[]> = {
  search: [
    'search_documents',
    'search_postings',
    'search_term_stats',
    'search_corpus_stats',
    'search_suggestions',
  ],
  graph: [
    'graph_nodes',
    'asset_graph_nodes',
    'graph_relationships',
    'graph_asset_projections',
    'graph_tenant_stats',
  ],
};

/** Where a rebuild builds the new table set. */
export const rebuildSchema = (target: RebuildTarget) => `${target}_rebuild`;
/** Where the previous live set waits after the switch, until the check passes. */
export const previousSchema = (target: RebuildTarget) => `${target}_old`;

export interface ProjectionRebuild {
  target: RebuildTarget;
  state: RebuildState;
  lastTenantId: string | null;
  lastAssetId: string | null;
  copied: number;
  expected: number;
  drift: { missing: number; stale: number; orphaned: number } | null;
  error: string | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

interface Row {
  target: RebuildTarget;
  state: RebuildState;
  last_tenant_id: string | null;
  last_asset_id: string | null;
  copied: number;
  expected: number;
  drift: ProjectionRebuild['drift'];
  error: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const toRebuild = (r: Row): ProjectionRebuild => ({
  target: r.target,
  state: r.state,
  lastTenantId: r.last_tenant_id,
  lastAssetId: r.last_asset_id,
  copied: Number(r.copied),
  expected: Number(r.expected),
  drift: r.drift,
  error: r.error,
  startedAt: new Date(r.started_at),
  updatedAt: new Date(r.updated_at),
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
});

/**
 * Runs a projection's write on the live tables and, while a rebuild of that projection is under way,
 * once more on its other table set, in the same transaction; returns the live result. It must be
 * the first thing the transaction does: it holds the rebuild row FOR SHARE until commit, and the
 * switch waits for that lock before it moves any table.
 */
export async function inEveryTableSet<T>(
  tx: Sql,
  target: RebuildTarget,
  write: (tx: Sql) => Promise<T>,
): Promise<T> {
  const [row] = await tx.query<{ state: RebuildState }>(
    `SELECT state FROM projection_rebuilds WHERE target = $1 AND state IN ('building', 'switched') FOR SHARE`,
    [target],
  );
  const result = await write(tx);
  if (row) {
    await useSchema(tx, row.state === 'building' ? rebuildSchema(target) : previousSchema(target));
    await write(tx);
  }
  return result;
}

/** Index and constraint definitions of a live table, to be made again on its copy under the same names. */
interface TableDefinition {
  table: string;
  constraints: { name: string; definition: string; foreign: boolean }[];
  indexes: string[];
}

export const projectionRebuildsRepository = {
  async get(sql: Sql, target: RebuildTarget): Promise<ProjectionRebuild | null> {
    const [row] = await sql.query<Row>('SELECT * FROM projection_rebuilds WHERE target = $1', [target]);
    return row ? toRebuild(row) : null;
  },

  async list(sql: Sql): Promise<ProjectionRebuild[]> {
    return (await sql.query<Row>('SELECT * FROM projection_rebuilds ORDER BY target')).map(toRebuild);
  },

  /** Locks the row against dual writes (they hold it FOR SHARE): none is in flight until commit. */
  async lock(tx: Sql, target: RebuildTarget): Promise<ProjectionRebuild | null> {
    const [row] = await tx.query<Row>('SELECT * FROM projection_rebuilds WHERE target = $1 FOR UPDATE', [
      target,
    ]);
    return row ? toRebuild(row) : null;
  },

  /** A new rebuild, in the transaction that creates its table set: writers see both at once. */
  async start(tx: Sql, target: RebuildTarget, expected: number): Promise<void> {
    await tx.query(
      `INSERT INTO projection_rebuilds (target, state, expected)
       VALUES ($1, 'building', $2)
       ON CONFLICT (target) DO UPDATE SET state = 'building', last_tenant_id = NULL, last_asset_id = NULL,
         copied = 0, expected = EXCLUDED.expected, drift = NULL, error = NULL, started_at = now(),
         updated_at = now(), finished_at = NULL`,
      [target, expected],
    );
  },

  /** The backfill's position after a committed page. */
  async progress(
    sql: Sql,
    target: RebuildTarget,
    at: { tenantId: string; assetId: string; copied: number },
  ): Promise<void> {
    await sql.query(
      `UPDATE projection_rebuilds SET last_tenant_id = $2, last_asset_id = $3, copied = $4, updated_at = now()
       WHERE target = $1`,
      [target, at.tenantId, at.assetId, at.copied],
    );
  },

  async finish(
    sql: Sql,
    target: RebuildTarget,
    state: RebuildState,
    outcome: { drift?: ProjectionRebuild['drift']; error?: string } = {},
  ): Promise<void> {
    const final = state === 'done' || state === 'failed';
    await sql.query(
      `UPDATE projection_rebuilds SET state = $2, drift = coalesce($3::jsonb, drift), error = $4,
         updated_at = now(), finished_at = CASE WHEN $5::boolean THEN now() END
       WHERE target = $1`,
      [target, state, outcome.drift ? JSON.stringify(outcome.drift) : null, outcome.error ?? null, final],
    );
  },

  /**
   * Creates `schema` with an empty copy of each of the projection's tables: columns, defaults,
   * checks and identity (LIKE), then the live table's constraints and indexes under the same names,
   * so that after the switch a later migration naming one still finds it. Foreign keys to another
   * table of the set point at the copy; those to `tenants` stay on it.
   */
  async createTableSet(tx: Sql, target: RebuildTarget, schema: string): Promise<void> {
    const tables = PROJECTION_TABLES[target];
    const definitions: TableDefinition[] = [];
    // Read with the default search path, so the definitions name tables without a schema.
    for (const table of tables) {
      const constraints = await tx.query<{ name: string; definition: string; foreign: boolean }>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS definition, contype = 'f' AS foreign
         FROM pg_constraint WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'f')
         ORDER BY contype DESC, conname`,
        [`public.${table}`],
      );
      const indexes = await tx.query<{ definition: string }>(
        `SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
         WHERE i.indrelid = $1::regclass
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
         ORDER BY i.indexrelid`,
        [`public.${table}`],
      );
      definitions.push({ table, constraints, indexes: indexes.map((i) => i.definition) });
    }
    const s = quoteIdent(schema);
    await tx.query(`CREATE SCHEMA ${s}`);
    for (const table of tables) {
      await tx.query(
        `CREATE TABLE ${s}.${quoteIdent(table)} (LIKE public.${quoteIdent(table)} INCLUDING ALL EXCLUDING INDEXES)`,
      );
    }
    // Unqualified names in the definitions now resolve to the copies first, then to public (tenants).
    const [saved] = await tx.query<{ path: string }>("SELECT current_setting('search_path') AS path");
    await useSchema(tx, schema);
    for (const { table, constraints, indexes } of definitions) {
      for (const c of constraints) {
        await tx.query(
          `ALTER TABLE ${s}.${quoteIdent(table)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`,
        );
      }
      for (const index of indexes) {
        const onCopy = index.replace(
          / ON (ONLY )?(?:public\.)?"?\w+"? USING /,
          ` ON ${s}.${quoteIdent(table)} USING `,
        );
        await tx.query(onCopy);
      }
    }
    await tx.query("SELECT set_config('search_path', $1, true)", [saved!.path]);
  },

  /**
   * Moves the live tables to `out` and the tables of `into` to `public`, under locks taken first on
   * all of them (readers in flight finish; new ones wait for the commit). Leaves `into` dropped.
   */
  async swap(tx: Sql, target: RebuildTarget, out: string, into: string): Promise<void> {
    const tables = PROJECTION_TABLES[target];
    const [o, i] = [quoteIdent(out), quoteIdent(into)];
    await tx.query(
      `LOCK TABLE ${tables.flatMap((t) => [`public.${quoteIdent(t)}`, `${i}.${quoteIdent(t)}`]).join(', ')}
       IN ACCESS EXCLUSIVE MODE`,
    );
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${o}`);
    for (const t of tables) await tx.query(`ALTER TABLE public.${quoteIdent(t)} SET SCHEMA ${o}`);
    for (const t of tables) await tx.query(`ALTER TABLE ${i}.${quoteIdent(t)} SET SCHEMA public`);
    await tx.query(`DROP SCHEMA ${i}`);
  },

  async schemaExists(sql: Sql, schema: string): Promise<boolean> {
    const rows = await sql.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return rows.length > 0;
  },

  async dropSchema(sql: Sql, schema: string): Promise<void> {
    await sql.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  },

  /** Planner statistics for a table set filled in bulk: without them the first queries plan blind. */
  async analyze(sql: Sql, target: RebuildTarget, schema: string): Promise<void> {
    for (const t of PROJECTION_TABLES[target])
      await sql.query(`ANALYZE ${quoteIdent(schema)}.${quoteIdent(t)}`);
  },

  /** The assets the projections are expected to hold (as the drift check counts them). */
  async expectedAssets(sql: Sql): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      `SELECT count(*)::bigint AS n FROM assets WHERE status = 'PROCESSED' OR version > 1`,
    );
    return Number(row?.n ?? 0);
  },
};
