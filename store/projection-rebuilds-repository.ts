import type { ProjectionTables } from './database.js';
import { SchemaDatabase, useSchema, type Database, type Sql } from './db.js';
import { applyTenantIsolation, quoteIdent } from './tenant-isolation.js';

export const REBUILD_TARGETS = ['search', 'graph'] as const;
export type RebuildTarget = (typeof REBUILD_TARGETS)[number];
export type RebuildState = 'building' | 'switched' | 'done' | 'failed';

/**
 * Which tables belong to each Postgres projection: by name, so that a table a later migration adds
 * (search_* or graph_*) is rebuilt with the others without a change here.
 */
const TABLE_NAMES: Record<RebuildTarget, { prefix: string; also: string[] }> = {
  search: { prefix: 'search\\_%', also: [] },
  graph: { prefix: 'graph\\_%', also: ['asset_graph_nodes'] },
};

/** The tables of a projection in a schema, by name. */
export async function projectionTables(
  sql: Sql,
  target: RebuildTarget,
  schema = 'public',
): Promise<string[]> {
  const { prefix, also } = TABLE_NAMES[target];
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND (c.relname LIKE $2 OR c.relname = ANY($3::text[]))
     ORDER BY c.relname`,
    [schema, prefix, also],
  );
  return rows.map((r) => r.name);
}

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
 * switch waits for that lock before it moves any table. Were the schema gone, search_path would
 * skip it and the second pass would meet the live rows again, as `unchanged`: harmless.
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

/**
 * How a Postgres projection adapter reaches its tables. Live (no schema): reads go to `public`, and
 * each write transaction goes through `inEveryTableSet`. Bound to a schema (a rebuild's copy): reads
 * and writes go there only.
 */
export function projectionAccess(db: Database, target: RebuildTarget, schema?: string): ProjectionTables {
  if (schema === undefined) {
    return { db, write: (fn) => db.transaction((tx) => inEveryTableSet(tx, target, fn)) };
  }
  const bound = new SchemaDatabase(db, schema);
  return { db: bound, write: (fn) => bound.transaction(fn) };
}

/** What LIKE does not copy of a live table, to be made again on its copy under the same names. */
interface TableDefinition {
  table: string;
  constraints: { name: string; definition: string; foreign: boolean }[];
  indexes: string[];
  triggers: string[];
}

/** A definition read from the catalog (`... ON [ONLY] [public.]table ...`), made to name the copy instead. */
const onCopy = (definition: string, copy: string) =>
  definition.replace(/ ON (ONLY )?(?:public\.)?"?\w+"? /, ` ON ${copy} `);

export const projectionRebuildsRepository = {
  rebuildSchema,
  previousSchema,

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
   * table of the set point at the copy; those to `tenants` stay on it. The set gets the tenant
   * role's grants and policies, so it is isolated by tenant once swapped into `public`.
   */
  async createTableSet(tx: Sql, target: RebuildTarget, schema: string): Promise<void> {
    const tables = await projectionTables(tx, target);
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
      // Triggers of the projection's own (0025 keeps search_exact_keys with one): their functions
      // name tables unqualified, so on the copy they write the copy's tables.
      const triggers = await tx.query<{ definition: string }>(
        `SELECT pg_get_triggerdef(oid) AS definition FROM pg_trigger
         WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname`,
        [`public.${table}`],
      );
      definitions.push({
        table,
        constraints,
        indexes: indexes.map((i) => i.definition),
        triggers: triggers.map((t) => t.definition),
      });
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
    // Keys first, then foreign keys: one may reference another table's key.
    for (const foreign of [false, true]) {
      for (const { table, constraints } of definitions) {
        for (const c of constraints.filter((x) => x.foreign === foreign)) {
          await tx.query(
            `ALTER TABLE ${s}.${quoteIdent(table)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`,
          );
        }
      }
    }
    for (const { table, indexes, triggers } of definitions) {
      for (const definition of [...indexes, ...triggers]) {
        await tx.query(onCopy(definition, `${s}.${quoteIdent(table)}`));
      }
    }
    await tx.query("SELECT set_config('search_path', $1, true)", [saved!.path]);
    await applyTenantIsolation(tx, schema);
  },

  /**
   * Moves the live tables to `out` and the tables of `into` to `public`, under locks taken first on
   * all of them (readers in flight finish; new ones wait for the commit). Leaves `into` dropped.
   */
  async swap(tx: Sql, target: RebuildTarget, out: string, into: string): Promise<void> {
    const tables = await projectionTables(tx, target, into);
    const live = await projectionTables(tx, target);
    if (live.join() !== tables.join()) {
      // A migration added or dropped a projection table while the set was built.
      throw new Error(
        `the ${target} tables in ${into} (${tables.join(', ')}) are not those of public (${live.join(', ')}): ` +
          'start the rebuild again',
      );
    }
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
    for (const t of await projectionTables(sql, target, schema))
      await sql.query(`ANALYZE ${quoteIdent(schema)}.${quoteIdent(t)}`);
  },

  /** The assets the projections are expected to hold (as the drift check counts them). */
  async expectedAssets(sql: Sql): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      `SELECT count(*)::bigint AS n FROM assets WHERE (status = 'PROCESSED' OR version > 1) AND deleted_at IS NULL`,
    );
    return Number(row?.n ?? 0);
  },
};

export type ProjectionRebuildsRepository = typeof projectionRebuildsRepository;
