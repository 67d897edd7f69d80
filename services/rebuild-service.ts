import type { Asset } from '../domain/asset.js';
import type { MetadataRecorder } from '../domain/metadata.js';
import type { Sql } from '../store/db.js';
import { ConflictError, errorMessage, ValidationError } from '../domain/errors.js';
import { toAssetGraph } from '../indexers/asset-graph.js';
import type { SearchDocument } from '../search/search-index.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';
import type { CoViewsRepository } from '../store/co-views-repository.js';
import type { PopularityRepository } from '../store/popularity-repository.js';
import type { CommentsRepository } from '../store/comments-repository.js';
import type { PopularityUpdate } from '../domain/popularity.js';
import type { DriftRepository } from '../store/drift-repository.js';
import type {
  ProjectionRebuild,
  ProjectionRebuildsRepository,
  RebuildState,
  RebuildTarget,
} from '../store/projection-rebuilds-repository.js';
import type { DriftProjections, DriftService } from './drift-service.js';
import { allSearchDocumentsOf } from './search-documents.js';

export interface RebuildProgress {
  target: RebuildTarget;
  /** `backfill` pages the assets into the new set; then `check`, `switch`, `verify`, `cleanup`. */
  phase: 'backfill' | 'check' | 'switch' | 'verify' | 'cleanup';
  /** Assets copied so far, this run and any run it resumes. */
  copied: number;
  /** Of those, copied by the runs this one resumes. */
  copiedBefore: number;
  expected: number;
  /** Pages this run has copied. */
  pages: number;
  /** Seconds since this run started. */
  elapsed: number;
}

export interface RebuildOptions {
  /** Assets per backfill page (one transaction each). */
  pageSize?: number;
  /** The check after the switch does not count assets changed this recently (as `npm run drift`). */
  graceMs?: number;
  onProgress?: (p: RebuildProgress) => void;
  /** Called after each committed backfill page; tests throw from it to stop a rebuild midway. */
  afterPage?: (page: number) => void | Promise<void>;
  /** Called between the switch and the check after it; tests make the check fail with it. */
  afterSwitch?: () => void | Promise<void>;
}

export interface RebuildResult {
  target: RebuildTarget;
  state: Extract<RebuildState, 'done' | 'failed'>;
  /** This run continued a rebuild an earlier run left unfinished. */
  resumed: boolean;
  copied: number;
  /** What the check after the switch found; the old set was swapped back in when it is not zero. */
  drift: { missing: number; stale: number; orphaned: number };
  /** Drift found, and repaired, in the new set before the switch (Elasticsearch: just after it). */
  repairedBeforeSwitch: number;
  seconds: number;
}

const DEFAULTS = { pageSize: 500, graceMs: 60_000 };
/** Only one rebuild per projection at a time (Postgres server): an advisory lock held while it runs. */
const REBUILD_LOCK = 727_002;
const SWITCH_ATTEMPTS = 5;
const PAGE_ATTEMPTS = 5;

/**
 * The adapters a rebuild works through, made by the composition root: it alone knows which backends
 * are live, and how to bind Postgres adapters to another table set.
 */
export interface RebuildAdapters {
  /** The live projections: the check after a switch reads them. */
  live: DriftProjections;
  /**
   * How the live search index is rebuilt: in a Postgres table set, as a new Elasticsearch index
   * behind the alias (`rebuild` fills it through `write`, then moves the alias), or not at all.
   */
  search:
    | { via: 'postgres' }
    | {
        via: 'elasticsearch';
        rebuild(
          load: (write: (tenantId: string, docs: SearchDocument[]) => Promise<void>) => Promise<void>,
        ): Promise<unknown>;
      }
    | { via: 'none' };
  /** The graph is rebuilt in a Postgres table set, or not at all (Neo4j). */
  graph: { via: 'postgres' } | { via: 'none' };
  /** Postgres adapters bound to the table set in `schema`: they read and write there only. */
  copiesIn(schema: string): DriftProjections;
  /** A page write that lost to a live write of one of its assets into the new set: it is written again. */
  isConcurrentWrite(err: unknown): boolean;
}

interface Run {
  copied: number;
  pages: number;
  /** Documents this run wrote, per tenant (its rebuild_result records). */
  byTenant: Map<string, number>;
  progress: (phase: RebuildProgress['phase']) => void;
}

const sqlState = (err: unknown) => (err as { code?: string }).code ?? '';

/**
 * Online rebuild of a projection (`npm run reindex`): builds a fresh copy beside the live one while
 * writes continue to both, switches atomically, checks the new copy against the canonical assets
 * and drops the old one, or swaps it back when the check fails. Resumable: the state and the
 * backfill's position are in `projection_rebuilds`, and a new run continues where the last stopped.
 * On Postgres the copy is a table set in a schema of its own; on Elasticsearch a new versioned
 * index behind the alias. A graph on Neo4j is not rebuilt (refused).
 */
export class RebuildService {
  private readonly db: Database;

  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'findByIds'>;
      drift: Pick<DriftRepository, 'tenantIds' | 'canonicalPage'>;
      rebuilds: ProjectionRebuildsRepository;
      adapters: RebuildAdapters;
      /** A drift check through these projections (the live ones, or a copy's). */
      driftThrough: (projections: DriftProjections) => Pick<DriftService, 'check'>;
      log: { warn(obj: object, msg: string): void };
      /** The canonical co-views, re-applied to a rebuilt graph (absent: none). */
      coViews?: Pick<CoViewsRepository, 'ofAssetsAfter'>;
      /**
       * The canonical learned popularity (asset_popularity): each page of a rebuild carries it into
       * the copy, since it comes from events, not from the assets. Absent: nothing to carry.
       */
      popularity?: Pick<PopularityRepository, 'forAssets'>;
      /** The canonical time-coded feedback: each page of a rebuild carries it as the live projection does. */
      feedback?: Pick<CommentsRepository, 'feedbackOf'>;
      /**
       * Records a rebuild_result per tenant (docs/metadata.md) in the transaction that ends the
       * rebuild; none: not recorded.
       */
      metadata?: MetadataRecorder;
    },
  ) {
    this.db = deps.db;
  }

  /**
   * Each tenant's rebuild_result, written in the transaction that ends the rebuild (`tx`): the
   * documents this run wrote of the tenant, and how the rebuild ended.
   */
  private async recordResults(
    tx: Sql,
    target: RebuildTarget,
    run: Run,
    started: number,
    outcome: { status: RebuildResult['state']; resumed: boolean },
  ): Promise<void> {
    const { metadata } = this.deps;
    if (!metadata) return;
    const tenants = [...new Set([...(await this.deps.drift.tenantIds(tx)), ...run.byTenant.keys()])].sort();
    for (const tenantId of tenants) {
      await metadata.record(tx, tenantId, [
        {
          target: { type: 'index', id: target },
          kind: 'rebuild_result',
          producerId: 'rebuild.v1',
          producedAt: new Date(started),
          payload: {
            status: outcome.status,
            projection: target,
            documents: run.byTenant.get(tenantId) ?? 0,
            durationMs: Date.now() - started,
            resumed: outcome.resumed,
            // No drift counts here: the check's are summed over every tenant (review finding).
          },
        },
      ]);
    }
  }

  /** The latest rebuild of each projection, for the metrics. */
  status(): Promise<ProjectionRebuild[]> {
    return this.deps.rebuilds.list(this.db);
  }

  /**
   * Gives up a rebuild left `building` (a run killed and not to be resumed): writes stop going to
   * the copy, which is dropped. A `switched` one is finished by running the rebuild again instead.
   */
  async abort(target: RebuildTarget): Promise<void> {
    await this.exclusively(target, async () => {
      await this.db.transaction(async (tx) => {
        const row = await this.deps.rebuilds.lock(tx, target);
        if (row?.state !== 'building') {
          throw new ConflictError(
            `no ${target} rebuild is building (${row?.state ?? 'none'}): nothing to abort` +
              (row?.state === 'switched' ? '; run the rebuild again to finish it' : ''),
          );
        }
        await this.deps.rebuilds.finish(tx, target, 'failed', { error: 'aborted' });
      });
      await this.deps.rebuilds.dropSchema(this.db, this.deps.rebuilds.rebuildSchema(target));
    });
  }

  async rebuild(target: RebuildTarget, options: RebuildOptions = {}): Promise<RebuildResult> {
    const { adapters } = this.deps;
    if (target === 'graph' && adapters.graph.via !== 'postgres') {
      throw new ValidationError(
        `the graph is on ${adapters.live.graph.kind}: an online rebuild is supported for the Postgres graph only. ` +
          'Repair it in place with `npm run drift -- --repair`.',
      );
    }
    const search = adapters.search;
    if (target === 'search' && search.via === 'elasticsearch') {
      return this.exclusively(target, () => this.rebuildElasticsearch(search, options));
    }
    if (target === 'search' && search.via !== 'postgres') {
      throw new ValidationError(
        `an online rebuild of a ${adapters.live.search.kind} search index is not supported`,
      );
    }
    return this.exclusively(target, () => this.rebuildPostgres(target, options));
  }

  private async rebuildPostgres(target: RebuildTarget, options: RebuildOptions): Promise<RebuildResult> {
    const started = Date.now();
    const shadow = this.deps.rebuilds.rebuildSchema(target);
    const old = this.deps.rebuilds.previousSchema(target);
    let row = await this.deps.rebuilds.get(this.db, target);
    // A `building` row without its tables (left by an Elasticsearch run, or dropped by hand) starts over.
    const resumed =
      row?.state === 'switched' ||
      (row?.state === 'building' && (await this.deps.rebuilds.schemaExists(this.db, shadow)));
    if (!row || !resumed) {
      // Left by an earlier run: a failed run's new set, or an old set whose drop failed.
      await this.deps.rebuilds.dropSchema(this.db, shadow);
      await this.deps.rebuilds.dropSchema(this.db, old);
      const expected = await this.deps.rebuilds.expectedAssets(this.db);
      // Writers see the building state and the tables it names in the same commit.
      await this.db.transaction(async (tx) => {
        await this.deps.rebuilds.createTableSet(tx, target, shadow);
        await this.deps.rebuilds.start(tx, target, expected);
      });
      row = (await this.deps.rebuilds.get(this.db, target))!;
    }
    const run = this.run(target, row, started, options);
    const { progress } = run;
    let repairedBeforeSwitch = 0;
    if (row.state === 'building') {
      const copies = this.deps.adapters.copiesIn(shadow);
      await this.backfill(row, options, run, async (tenantId, assets) => {
        // Search documents carry their learned popularity; graph nodes are given it after.
        if (target === 'search')
          await copies.search.upsertMany(tenantId, await this.documentsOf(tenantId, assets));
        else {
          await copies.graph.projectMany(tenantId, assets.map(toAssetGraph));
          await copies.graph.applyPopularity(tenantId, await this.popularityOf(tenantId, assets));
        }
      });
      // CO_VIEWED relationships are no part of an asset: re-applied from the canonical co-views once
      // every asset they join is in the new set.
      if (target === 'graph') await this.reapplyCoViews(copies.graph);
      // A page read before an asset was deleted may have copied it after the delete reached both
      // sets: the check puts the new set right before it goes live.
      progress('check');
      const check = await this.check(target, copies, options, { repair: true, graceMs: 0 });
      repairedBeforeSwitch = check.total;
      await this.deps.rebuilds.analyze(this.db, target, shadow);
      progress('switch');
      await this.swap(target, { out: old, into: shadow }, 'switched');
      await options.afterSwitch?.();
    }

    // The old set still receives every write: it can be swapped back until it is dropped.
    progress('verify');
    const verify = await this.check(target, this.deps.adapters.live, options, {
      repair: false,
      graceMs: options.graceMs ?? DEFAULTS.graceMs,
    });
    const drift = verify.counts[target]!;
    const result = (state: RebuildResult['state']): RebuildResult => ({
      target,
      state,
      resumed,
      copied: run.copied,
      drift,
      repairedBeforeSwitch,
      seconds: (Date.now() - started) / 1000,
    });
    if (verify.total > 0) {
      await this.swap(
        target,
        { out: shadow, into: old },
        'failed',
        {
          drift,
          error: `the new ${target} set drifted from the canonical assets after the switch; the old set is live again`,
        },
        (tx) => this.recordResults(tx, target, run, started, { status: 'failed', resumed }),
      );
      return result('failed');
    }
    progress('cleanup');
    await this.db.transaction(async (tx) => {
      await this.deps.rebuilds.lock(tx, target);
      await this.deps.rebuilds.finish(tx, target, 'done', { drift });
      await this.recordResults(tx, target, run, started, { status: 'done', resumed });
    });
    try {
      await this.deps.rebuilds.dropSchema(this.db, old);
    } catch (err) {
      // The rebuild is done; the next one drops what is left.
      this.deps.log.warn({ err, schema: old }, 'dropping the old projection tables failed');
    }
    return result('done');
  }

  /**
   * Moves the live set to schema `out` and the set in schema `into` live, in one transaction that
   * first locks the rebuild row, so no dual write is in flight. Retried when it loses a deadlock or
   * waits too long for a table lock (a long search in flight), rather than stalling every reader
   * queued behind it.
   */
  private async swap(
    target: RebuildTarget,
    sets: { out: string; into: string },
    state: RebuildState,
    outcome: Parameters<ProjectionRebuildsRepository['finish']>[3] = {},
    alsoInTransaction?: (tx: Sql) => Promise<void>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.transaction(async (tx) => {
          await tx.query(`SET LOCAL lock_timeout = '5s'`);
          await this.deps.rebuilds.lock(tx, target);
          await this.deps.rebuilds.swap(tx, target, sets.out, sets.into);
          await this.deps.rebuilds.finish(tx, target, state, outcome);
          await alsoInTransaction?.(tx);
        });
        return;
      } catch (err) {
        if (!['40P01', '55P03'].includes(sqlState(err)) || attempt >= SWITCH_ATTEMPTS) throw err;
      }
    }
  }

  /** Every tenant's canonical co-views written into a graph, a page of source assets at a time. */
  private async reapplyCoViews(graph: DriftProjections['graph']): Promise<void> {
    const coViews = this.deps.coViews;
    if (!coViews) return;
    for (const tenantId of await this.deps.drift.tenantIds(this.db)) {
      let afterId: string | null = null;
      for (;;) {
        const page = await coViews.ofAssetsAfter(this.db, tenantId, afterId, DEFAULTS.pageSize);
        if (page.length === 0) break;
        await graph.replaceCoViewed(tenantId, page);
        afterId = page.at(-1)!.assetId;
      }
    }
  }

  /**
   * Pages through every tenant's expected assets in id order from where the row says the last run
   * stopped, writing each page (one transaction) and then recording the position.
   */
  private async backfill(
    from: ProjectionRebuild,
    options: RebuildOptions,
    run: Run,
    write: (tenantId: string, assets: Asset[]) => Promise<void>,
  ): Promise<void> {
    const pageSize = options.pageSize ?? DEFAULTS.pageSize;
    const tenants = (await this.deps.drift.tenantIds(this.db)).filter(
      (t) => from.lastTenantId === null || t >= from.lastTenantId,
    );
    for (const tenantId of tenants) {
      let afterId = tenantId === from.lastTenantId ? from.lastAssetId : null;
      for (;;) {
        const rows = await this.deps.drift.canonicalPage(this.db, tenantId, afterId, pageSize, 0);
        if (rows.length === 0) break;
        afterId = rows[rows.length - 1]!.id;
        const ids = rows.filter((r) => r.expected).map((r) => r.id);
        const assets = await this.deps.assets.findByIds(this.db, tenantId, ids);
        for (let attempt = 1; ; attempt++) {
          try {
            await write(tenantId, assets);
            break;
          } catch (err) {
            // A live write inserted one of these assets into the new set meanwhile: write the page again.
            if (!this.deps.adapters.isConcurrentWrite(err) || attempt >= PAGE_ATTEMPTS) throw err;
          }
        }
        run.copied += assets.length;
        run.byTenant.set(tenantId, (run.byTenant.get(tenantId) ?? 0) + assets.length);
        run.pages++;
        await this.deps.rebuilds.progress(this.db, from.target, {
          tenantId,
          assetId: afterId,
          copied: run.copied,
        });
        run.progress('backfill');
        await options.afterPage?.(run.pages);
      }
    }
  }

  /** Elasticsearch: a new versioned index filled from the assets, then the alias moves (one request). */
  private async rebuildElasticsearch(
    es: Extract<RebuildAdapters['search'], { via: 'elasticsearch' }>,
    options: RebuildOptions,
  ): Promise<RebuildResult> {
    const started = Date.now();
    const target = 'search';
    // Not resumable: a run cut short left an index no alias points at, and this one starts over.
    await this.db.transaction(async (tx) =>
      this.deps.rebuilds.start(tx, target, await this.deps.rebuilds.expectedAssets(tx)),
    );
    const row = (await this.deps.rebuilds.get(this.db, target))!;
    const run = this.run(target, row, started, options);
    try {
      await es.rebuild((write) =>
        this.backfill(row, options, run, async (tenantId, assets) => {
          // The documents carry their learned popularity, as the live projection writes them.
          await write(tenantId, await this.documentsOf(tenantId, assets));
        }),
      );
    } catch (err) {
      await this.db.transaction(async (tx) => {
        await this.deps.rebuilds.finish(tx, target, 'failed', { error: errorMessage(err) });
        await this.recordResults(tx, target, run, started, { status: 'failed', resumed: false });
      });
      throw err;
    }
    // Only this process wrote to both indices: the repair brings what other processes projected
    // meanwhile into the new one (versions guard it).
    run.progress('verify');
    const check = await this.check(target, this.deps.adapters.live, options, {
      repair: true,
      graceMs: 0,
    });
    await this.db.transaction(async (tx) => {
      await this.deps.rebuilds.finish(tx, target, 'done', { drift: check.counts[target]! });
      await this.recordResults(tx, target, run, started, { status: 'done', resumed: false });
    });
    return {
      target,
      state: 'done',
      resumed: false,
      copied: run.copied,
      drift: { missing: 0, stale: 0, orphaned: 0 },
      repairedBeforeSwitch: check.total,
      seconds: (Date.now() - started) / 1000,
    };
  }

  /**
   * A drift check of one projection, through these adapters (the live ones, or the copy's), not
   * recorded for the drift gauge: that reports full checks of the live projections.
   */
  private check(
    target: RebuildTarget,
    through: DriftProjections,
    options: RebuildOptions,
    how: { repair: boolean; graceMs: number },
  ) {
    return this.deps.driftThrough(through).check({
      projections: [target],
      ...how,
      record: false,
      pageSize: options.pageSize ?? DEFAULTS.pageSize,
    });
  }

  /** A page's search documents, with their learned popularity and feedback. */
  private documentsOf(tenantId: string, assets: Asset[]): Promise<SearchDocument[]> {
    return allSearchDocumentsOf(
      { db: this.db, popularity: this.deps.popularity, feedback: this.deps.feedback },
      tenantId,
      assets,
    );
  }

  /** The learned popularity of a page's assets, as the graph takes it. */
  private async popularityOf(tenantId: string, assets: Asset[]): Promise<PopularityUpdate[]> {
    if (!this.deps.popularity || assets.length === 0) return [];
    const rows = await this.deps.popularity.forAssets(
      this.db,
      tenantId,
      assets.map((a) => a.id),
    );
    return rows.map((r) => ({
      assetId: r.assetId,
      popularity: r.popularity,
      trending: r.trending,
      computedAt: r.computedAt,
    }));
  }

  /** This run's counters, and how it reports them. */
  private run(target: RebuildTarget, row: ProjectionRebuild, started: number, options: RebuildOptions): Run {
    const run: Run = {
      copied: row.copied,
      pages: 0,
      byTenant: new Map(),
      progress: (phase) =>
        options.onProgress?.({
          target,
          phase,
          copied: run.copied,
          copiedBefore: row.copied,
          expected: row.expected,
          pages: run.pages,
          elapsed: (Date.now() - started) / 1000,
        }),
    };
    return run;
  }

  /**
   * Runs `fn` holding the projection's rebuild lock: a second `npm run reindex` of the same target
   * is refused while one runs. The lock lives in a transaction held open for the run, so it goes
   * with the connection when the process dies. PGlite has one connection and one process anyway.
   */
  private async exclusively<T>(target: RebuildTarget, fn: () => Promise<T>): Promise<T> {
    if (this.db.kind !== 'postgres') return fn();
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1, $2) AS locked',
        [REBUILD_LOCK, target === 'search' ? 1 : 2],
      );
      if (!row?.locked) throw new ConflictError(`a rebuild of the ${target} projection is already running`);
      return fn();
    });
  }
}
