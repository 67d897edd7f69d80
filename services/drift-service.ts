import type { Asset } from '../domain/asset.js';
import type { MetadataRecorder } from '../domain/metadata.js';
import { errorMessage, isDatabaseUnavailable } from '../domain/errors.js';
import type {
  CoViewedEdges,
  GraphProjectionAudit,
  GraphWriter,
  ProjectedAsset,
} from '../graph/graph-store.js';
import { toAssetGraph } from '../indexers/asset-graph.js';
import type { SearchIndexWriter, SearchProjectionAudit } from '../search/search-index.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';
import type { DriftCounts, DriftRepository, Recency, TenantDrift } from '../store/drift-repository.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { CoViewsRepository } from '../store/co-views-repository.js';
import type { PopularityRepository } from '../store/popularity-repository.js';
import type { CommentsRepository } from '../store/comments-repository.js';
import { allSearchDocumentsOf } from './search-documents.js';

export const PROJECTIONS = ['search', 'graph'] as const;
export type ProjectionName = (typeof PROJECTIONS)[number];
export type DriftKind = 'missing' | 'stale' | 'orphaned';

/** One asset a projection disagrees with the canonical store about. */
export interface DriftItem {
  projection: ProjectionName;
  kind: DriftKind;
  tenantId: string;
  assetId: string;
  /** The canonical version; null for an orphan. */
  canonical: number | null;
  /** The version the projection holds; null when it holds none. */
  held: number | null;
}

/** An asset left QUEUED or PROCESSING past the grace period: no job is moving it on. */
export interface StuckItem {
  tenantId: string;
  assetId: string;
  status: 'QUEUED' | 'PROCESSING';
  version: number;
  /** When it last changed. */
  since: Date;
}

export interface DriftProgress {
  tenantId: string;
  /**
   * `stuck` walks the assets on their way through enrichment; `canonical` walks the assets (missing,
   * stale); a projection's name walks what it holds (orphans).
   */
  phase: 'stuck' | 'canonical' | ProjectionName | 'coViews';
  page: number;
  /** Rows read in this phase so far. */
  scanned: number;
  /** Drift found in this page. */
  found: number;
}

export interface DriftOptions {
  /** Re-project missing and stale assets, remove orphans. */
  repair?: boolean;
  /** Only these tenants (all when absent). */
  tenants?: string[];
  /** Only these projections (both when absent); stuck assets are then not looked for. */
  projections?: readonly ProjectionName[];
  /** Record the run for the drift gauge (default); a rebuild's own checks are not recorded. */
  record?: boolean;
  pageSize?: number;
  /**
   * Assets changed this recently are not counted: their projection may still be on its way through
   * the outbox and the queue. 0 counts everything (tests).
   */
  graceMs?: number;
  /**
   * Assets QUEUED or PROCESSING for longer are stuck: their job was lost (a restart of the in-process
   * queue, a Redis that lost its data, a BullMQ job stalled twice). Repair asks for their enrichment
   * again. Longer than `graceMs`, as a busy queue holds assets QUEUED for a while. 0 counts every one.
   */
  stuckAfterMs?: number;
  /**
   * Judge only what changed before this moment, instead of the grace periods: the start-up check
   * passes the moment the process started, when every job before it is known to be lost.
   */
  changedBefore?: Date;
  /** Items kept in the report as examples; the counts are always complete. */
  sampleSize?: number;
  onProgress?: (p: DriftProgress) => void;
}

export interface DriftReport {
  startedAt: Date;
  finishedAt: Date;
  tenants: number;
  /** Canonical assets read. */
  assets: number;
  /** Assets within the grace period, not counted. */
  recent: number;
  counts: DriftCounts;
  /** Assets stuck in QUEUED or PROCESSING (see `stuckAfterMs`). */
  stuck: number;
  /** Projection drift and stuck assets together. */
  total: number;
  /** The first `sampleSize` items found. */
  samples: DriftItem[];
  /** The first `sampleSize` stuck assets. */
  stuckSamples: StuckItem[];
  /** With `repair`: assets re-projected, orphans removed, stuck assets queued for enrichment again. */
  repaired: { reprojected: number; removed: number; requeued: number; coViews: number } | null;
  /**
   * With `repair`: assets whose projection failed (e.g. a value its store refuses), each with the
   * error. They are skipped, and the check goes on with the next asset and the other tenants.
   */
  unrepaired: UnrepairedItem[];
}

/** A drifted asset that could not be projected again. */
export interface UnrepairedItem {
  tenantId: string;
  assetId: string;
  projections: ProjectionName[];
  error: string;
}

/** A tenant's part of a drift check as its drift_report record (docs/metadata.md). */
function driftRecord(
  part: TenantDrift,
  tally: { checked: number; repaired: number },
  startedAt: Date,
  repair: boolean,
) {
  const sum = (k: 'missing' | 'stale' | 'orphaned') =>
    Object.values(part.counts).reduce((n, c) => n + c[k], 0);
  return {
    target: { type: 'tenant', id: part.tenantId },
    kind: 'drift_report',
    producerId: 'drift.v1',
    producedAt: startedAt,
    payload: {
      checked: tally.checked,
      missing: sum('missing'),
      stale: sum('stale'),
      extra: sum('orphaned'),
      stuck: part.stuck,
      repaired: tally.repaired,
      unrepaired: part.unrepaired,
      repair,
      projections: part.counts,
    },
  };
}

/** The projections a drift check compares and repairs: what they hold, and how to write them. */
export interface DriftProjections {
  search: SearchIndexWriter & SearchProjectionAudit;
  graph: GraphWriter & GraphProjectionAudit;
}

interface Projection {
  name: ProjectionName;
  versions(tenantId: string, ids: string[]): Promise<Map<string, number>>;
  idsAfter(tenantId: string, afterId: string | null, limit: number): Promise<ProjectedAsset[]>;
  remove(tenantId: string, assetId: string): Promise<void>;
  project(tenantId: string, asset: Asset): Promise<unknown>;
}

/** Unrepaired assets kept per tenant and run for its own view (GET /v1/metrics/drift); the count covers all. */
export const UNREPAIRED_SAMPLES = 20;

const DEFAULTS = { pageSize: 500, graceMs: 60_000, stuckAfterMs: 15 * 60_000, sampleSize: 50 };

/**
 * Compares the canonical asset versions with what each projection holds, tenant by tenant and page
 * by page (memory is bounded by the page size, not the library), and optionally repairs: missing and
 * stale assets are projected again from the canonical row, orphans are removed. Every run is recorded
 * for the drift gauge of /metrics. Used by `npm run drift` and reusable by a scheduled job.
 */
export class DriftService {
  private readonly projections: Projection[];
  private readonly db: Database;

  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'findById'>;
      drift: DriftRepository;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      /** The canonical learned popularity, carried into a repaired search document (absent: none). */
      popularity?: Pick<PopularityRepository, 'forAssets'>;
      /** The canonical time-coded feedback, carried into a repaired search document (absent: none). */
      feedback?: Pick<CommentsRepository, 'feedbackOf'>;
      /** The canonical co-views, which the graph's CO_VIEWED relationships are checked against (absent: not checked). */
      coViews?: Pick<CoViewsRepository, 'ofAssetsAfter' | 'ofAssets'>;
      /**
       * Records each checked tenant's drift_report (docs/metadata.md) in the transaction that records
       * the run; none: not recorded.
       */
      metadata?: MetadataRecorder;
    } & DriftProjections,
  ) {
    const { search, graph } = deps;
    this.db = deps.db;
    this.projections = [
      {
        name: 'search',
        versions: (t, ids) => search.projectedVersions(t, ids),
        idsAfter: (t, after, limit) => search.projectedIdsAfter(t, after, limit),
        remove: (t, id) => search.remove(t, id),
        project: async (t, asset) => {
          const [doc] = await allSearchDocumentsOf(
            { db: this.db, popularity: deps.popularity, feedback: deps.feedback },
            t,
            [asset],
          );
          return search.upsert(t, doc!);
        },
      },
      {
        name: 'graph',
        versions: (t, ids) => graph.projectedVersions(t, ids),
        idsAfter: (t, after, limit) => graph.projectedIdsAfter(t, after, limit),
        remove: (t, id) => graph.removeAsset(t, id),
        project: (t, asset) => graph.projectAsset(t, toAssetGraph(asset)),
      },
    ];
  }

  async check(options: DriftOptions = {}): Promise<DriftReport> {
    const pageSize = options.pageSize ?? DEFAULTS.pageSize;
    const since = options.changedBefore;
    const grace: Recency = { graceMs: options.graceMs ?? DEFAULTS.graceMs, since };
    const stuckGrace: Recency = { graceMs: options.stuckAfterMs ?? DEFAULTS.stuckAfterMs, since };
    const sampleSize = options.sampleSize ?? DEFAULTS.sampleSize;
    const checked = options.projections ?? PROJECTIONS;
    const projections = this.projections.filter((p) => checked.includes(p.name));
    // CO_VIEWED relationships are the graph's too: checked with it, against the canonical co-views.
    const coViews = checked.includes('graph') && this.deps.coViews ? this.deps.coViews : null;
    const report: DriftReport = {
      startedAt: new Date(),
      finishedAt: new Date(),
      tenants: 0,
      assets: 0,
      recent: 0,
      counts: Object.fromEntries(
        [...checked, ...(coViews ? ['coViews'] : [])].map((p) => [p, { missing: 0, stale: 0, orphaned: 0 }]),
      ),
      stuck: 0,
      total: 0,
      samples: [],
      stuckSamples: [],
      repaired: options.repair ? { reprojected: 0, removed: 0, requeued: 0, coViews: 0 } : null,
      unrepaired: [],
    };
    const found = (item: DriftItem) => {
      report.counts[item.projection]![item.kind]++;
      report.total++;
      if (report.samples.length < sampleSize) report.samples.push(item);
    };

    const tenants = options.tenants ?? (await this.deps.drift.tenantIds(this.db));
    // Each tenant's part, for its own view (GET /v1/metrics/drift): what the report gained while
    // the tenant was checked.
    const byTenant = new Map<string, TenantDrift>(
      tenants.map((tenantId) => [
        tenantId,
        {
          tenantId,
          counts: zeroCounts(report.counts),
          stuck: 0,
          unrepaired: 0,
          unrepairedSamples: [],
        },
      ]),
    );
    // What each tenant's part read and repaired, for its drift_report record.
    const tally = new Map(tenants.map((t) => [t, { checked: 0, repaired: 0 }]));
    const repairedSoFar = () =>
      report.repaired
        ? report.repaired.reprojected +
          report.repaired.removed +
          report.repaired.requeued +
          report.repaired.coViews
        : 0;
    // Stuck assets first: re-queued early, their enrichment runs while the rest is checked.
    if (!options.projections) {
      for (const tenantId of tenants) {
        const before = report.stuck;
        const repairedBefore = repairedSoFar();
        await this.checkStuck(tenantId, pageSize, stuckGrace, options, report);
        byTenant.get(tenantId)!.stuck = report.stuck - before;
        tally.get(tenantId)!.repaired += repairedSoFar() - repairedBefore;
      }
    }
    for (const tenantId of tenants) {
      report.tenants++;
      const assetsBefore = report.assets;
      const repairedBefore = repairedSoFar();
      const counts = structuredClone(report.counts);
      const unrepaired = report.unrepaired.length;
      await this.checkCanonical(tenantId, projections, pageSize, grace, options, report, found);
      for (const projection of projections) {
        await this.checkOrphans(tenantId, projection, pageSize, options, report, found);
      }
      if (coViews) await this.checkCoViews(tenantId, coViews, pageSize, options, report);
      tally.get(tenantId)!.checked += report.assets - assetsBefore;
      tally.get(tenantId)!.repaired += repairedSoFar() - repairedBefore;
      const part = byTenant.get(tenantId)!;
      for (const [projection, after] of Object.entries(report.counts)) {
        const was = counts[projection]!;
        part.counts[projection] = {
          missing: after.missing - was.missing,
          stale: after.stale - was.stale,
          orphaned: after.orphaned - was.orphaned,
        };
      }
      const failed = report.unrepaired.slice(unrepaired);
      part.unrepaired = failed.length;
      part.unrepairedSamples = failed.slice(0, UNREPAIRED_SAMPLES).map((u) => ({
        assetId: u.assetId,
        projections: u.projections,
        error: u.error,
      }));
    }
    report.finishedAt = new Date();
    if (options.record ?? true) {
      const { metadata } = this.deps;
      // The run, its tenants' parts and their drift_report records commit together.
      await this.db.transaction(async (tx) => {
        await this.deps.drift.record(
          tx,
          {
            startedAt: report.startedAt,
            repaired: options.repair ?? false,
            counts: report.counts,
            stuck: report.stuck,
            unrepaired: report.unrepaired.length,
          },
          [...byTenant.values()],
        );
        // One tenant at a time, in id order: each record takes its tenant's log lock to the commit.
        for (const part of [...byTenant.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId)))
          await metadata?.record(tx, part.tenantId, [
            driftRecord(part, tally.get(part.tenantId)!, report.startedAt, options.repair ?? false),
          ]);
      });
    }
    return report;
  }

  /**
   * Stuck: assets QUEUED or PROCESSING since before the grace period. Repair asks for their
   * enrichment again through the outbox. The nonce is the moment the asset last changed, so checks
   * that find it again before it moves name the same job, which the queue does not add twice.
   */
  private async checkStuck(
    tenantId: string,
    pageSize: number,
    grace: Recency,
    options: DriftOptions,
    report: DriftReport,
  ): Promise<void> {
    const sampleSize = options.sampleSize ?? DEFAULTS.sampleSize;
    let afterId: string | null = null;
    for (let page = 1; ; page++) {
      const rows = await this.deps.drift.stuckPage(this.db, tenantId, afterId, pageSize, grace);
      if (rows.length === 0) return;
      afterId = rows[rows.length - 1]!.id;
      report.stuck += rows.length;
      report.total += rows.length;
      for (const r of rows.slice(0, Math.max(0, sampleSize - report.stuckSamples.length))) {
        report.stuckSamples.push({
          tenantId,
          assetId: r.id,
          status: r.status,
          version: r.version,
          since: r.updatedAt,
        });
      }
      if (options.repair) {
        await this.deps.outbox.insertMany(
          this.db,
          tenantId,
          rows.map((r) => ({
            type: 'asset.enrichment-requested' as const,
            aggregateId: r.id,
            payload: { assetId: r.id, version: r.version, nonce: `stuck-${r.updatedAt.getTime()}` },
          })),
        );
        report.repaired!.requeued += rows.length;
      }
      options.onProgress?.({ tenantId, phase: 'stuck', page, scanned: report.stuck, found: rows.length });
    }
  }

  /** Missing and stale: every canonical asset against each projection's version of it. */
  private async checkCanonical(
    tenantId: string,
    projections: Projection[],
    pageSize: number,
    grace: Recency,
    options: DriftOptions,
    report: DriftReport,
    found: (item: DriftItem) => void,
  ): Promise<void> {
    let afterId: string | null = null;
    for (let page = 1; ; page++) {
      const rows = await this.deps.drift.canonicalPage(this.db, tenantId, afterId, pageSize, grace);
      if (rows.length === 0) return;
      afterId = rows[rows.length - 1]!.id;
      report.assets += rows.length;
      const settled = rows.filter((r) => !r.recent);
      report.recent += rows.length - settled.length;
      const ids = settled.map((r) => r.id);
      const held = await Promise.all(projections.map((p) => p.versions(tenantId, ids)));
      // Each drifted asset, with the projections that drifted: only those are written again.
      const reproject = new Map<string, Projection[]>();
      let inPage = 0;
      for (const row of settled) {
        for (const [i, projection] of projections.entries()) {
          const version = held[i]!.get(row.id);
          const item = { projection: projection.name, tenantId, assetId: row.id, canonical: row.version };
          if (version === undefined) {
            if (!row.expected) continue;
            found({ ...item, kind: 'missing', held: null });
          } else if (version !== row.version) {
            found({ ...item, kind: 'stale', held: version });
            // A projection ahead of the truth refuses the older version: it is cleared first.
            if (options.repair && version > row.version) await projection.remove(tenantId, row.id);
          } else continue;
          inPage++;
          reproject.set(row.id, [...(reproject.get(row.id) ?? []), projection]);
        }
      }
      if (options.repair) {
        for (const [id, drifted] of reproject) {
          // Read again: the asset may have changed, or gone, since the page was read.
          const asset = await this.deps.assets.findById(this.db, tenantId, id);
          const failed: { projection: ProjectionName; error: string }[] = [];
          for (const projection of drifted) {
            try {
              if (asset) await projection.project(tenantId, asset);
              else await projection.remove(tenantId, id);
            } catch (err) {
              // An outage stops the run; an asset a projection refuses is reported and skipped.
              if (isDatabaseUnavailable(err)) throw err;
              failed.push({
                projection: projection.name,
                error: errorMessage(err),
              });
            }
          }
          if (failed.length === 0) report.repaired!.reprojected++;
          else {
            report.unrepaired.push({
              tenantId,
              assetId: id,
              projections: failed.map((f) => f.projection),
              error: failed.map((f) => f.error).join('; '),
            });
          }
        }
      }
      options.onProgress?.({ tenantId, phase: 'canonical', page, scanned: report.assets, found: inPage });
    }
  }

  /** Orphans: every asset a projection holds that the canonical store no longer has. */
  private async checkOrphans(
    tenantId: string,
    projection: Projection,
    pageSize: number,
    options: DriftOptions,
    report: DriftReport,
    found: (item: DriftItem) => void,
  ): Promise<void> {
    let afterId: string | null = null;
    let scanned = 0;
    for (let page = 1; ; page++) {
      const held = await projection.idsAfter(tenantId, afterId, pageSize);
      if (held.length === 0) return;
      afterId = held[held.length - 1]!.assetId;
      scanned += held.length;
      const existing = await this.deps.drift.existingIds(
        this.db,
        tenantId,
        held.map((h) => h.assetId),
      );
      const orphans = held.filter((h) => !existing.has(h.assetId));
      for (const orphan of orphans) {
        found({
          projection: projection.name,
          kind: 'orphaned',
          tenantId,
          assetId: orphan.assetId,
          canonical: null,
          held: orphan.version,
        });
        if (options.repair) {
          await projection.remove(tenantId, orphan.assetId);
          report.repaired!.removed++;
        }
      }
      options.onProgress?.({ tenantId, phase: projection.name, page, scanned, found: orphans.length });
    }
  }

  /** The tenant's part of the latest run that checked it (GET /v1/metrics/drift); null before the first. */
  latestForTenant(tenantId: string) {
    return this.deps.drift.latestForTenant(this.db, tenantId);
  }

  /** The latest run, for the drift gauge; null before the first. */
  latest() {
    return this.deps.drift.latest(this.db);
  }

  /**
   * CO_VIEWED relationships against the canonical co-views (asset_co_views), in `counts.coViews`:
   * the graph holds an asset's partners where both ends are projected. Missing: the graph has none
   * of an asset's partners; stale: other partners or counts; orphaned: relationships of an asset the
   * table has no co-views for. Repair replaces the asset's relationships from the table (none for an
   * orphan). An asset the graph does not project is left to the asset checks.
   */
  private async checkCoViews(
    tenantId: string,
    coViews: Pick<CoViewsRepository, 'ofAssetsAfter' | 'ofAssets'>,
    pageSize: number,
    options: DriftOptions,
    report: DriftReport,
  ): Promise<void> {
    const { graph } = this.deps;
    const counts = report.counts.coViews!;
    const drifted = (n: number) => (report.total += n);
    let scanned = 0;
    let page = 0;
    for (let afterId: string | null = null; ;) {
      const rows = await coViews.ofAssetsAfter(this.db, tenantId, afterId, pageSize);
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1]!.assetId;
      scanned += rows.length;
      const ids = [...new Set(rows.flatMap((r) => [r.assetId, ...r.partners.map((p) => p.relatedId)]))];
      const projected = await graph.projectedVersions(tenantId, ids);
      const held = new Map(
        (
          await graph.coViewedOf(
            tenantId,
            rows.map((r) => r.assetId),
          )
        ).map((e) => [e.assetId, e.partners]),
      );
      const repair: CoViewedEdges[] = [];
      for (const row of rows) {
        if (!projected.has(row.assetId)) continue;
        const expected = row.partners.filter(
          (p) => p.relatedId !== row.assetId && projected.has(p.relatedId),
        );
        const actual = held.get(row.assetId) ?? [];
        if (samePartners(expected, actual)) continue;
        counts[actual.length === 0 ? 'missing' : 'stale']++;
        repair.push({ assetId: row.assetId, partners: row.partners });
      }
      drifted(repair.length);
      if (options.repair && repair.length > 0) {
        await graph.replaceCoViewed(tenantId, repair);
        report.repaired!.coViews += repair.length;
      }
      options.onProgress?.({ tenantId, phase: 'coViews', page: ++page, scanned, found: repair.length });
    }
    for (let afterId: string | null = null; ;) {
      const sources = await graph.coViewedSourcesAfter(tenantId, afterId, pageSize);
      if (sources.length === 0) break;
      afterId = sources[sources.length - 1]!;
      scanned += sources.length;
      const kept = new Set((await coViews.ofAssets(this.db, tenantId, sources)).map((r) => r.assetId));
      const orphans = sources.filter((id) => !kept.has(id));
      counts.orphaned += orphans.length;
      drifted(orphans.length);
      if (options.repair && orphans.length > 0) {
        await graph.replaceCoViewed(
          tenantId,
          orphans.map((assetId) => ({ assetId, partners: [] })),
        );
        report.repaired!.coViews += orphans.length;
      }
      options.onProgress?.({ tenantId, phase: 'coViews', page: ++page, scanned, found: orphans.length });
    }
  }
}

/** The same partners with the same counts; scores within the graph's float precision (`real` on Postgres). */
function samePartners(expected: CoViewedEdges['partners'], actual: CoViewedEdges['partners']): boolean {
  if (expected.length !== actual.length) return false;
  const held = new Map(actual.map((p) => [p.relatedId, p]));
  return expected.every((p) => {
    const h = held.get(p.relatedId);
    return (
      h !== undefined &&
      h.sessions === p.sessions &&
      Math.abs(h.score - p.score) <= 1e-5 * Math.max(1, Math.abs(p.score))
    );
  });
}

/** The same projections with every count 0. */
function zeroCounts(counts: DriftCounts): DriftCounts {
  return Object.fromEntries(Object.keys(counts).map((p) => [p, { missing: 0, stale: 0, orphaned: 0 }]));
}
