import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AssetInputSchema, type AssetInput } from '../domain/asset.js';
import {
  CONTROLLER_CONFIG_SCHEMAS,
  DEFAULT_SYNC_INTERVAL_MINUTES,
  defaultSourceSystem,
  emptyRunCounts,
  isEgressKind,
  type ControllerConfig,
  type ControllerKind,
  type EgressConfig,
  type EgressKind,
  type IngressConfig,
  type IngressKind,
  type LoggingLevel,
  type RunCounts,
  type RunTrigger,
  type SyncState,
  WhenGoneSchema,
  type WHEN_GONE,
} from '../domain/controllers.js';
import { decodeCursor, pageOf } from '../domain/cursor.js';
import { egressRecordOf, type EgressRecord } from '../domain/egress-record.js';
import { ConflictError, errorMessage, NotFoundError, ValidationError } from '../domain/errors.js';
import { DEFAULT_ROTATION_GRACE_SECONDS } from '../domain/webhook-signature.js';
import { checkWebhookUrl } from '../domain/webhook-url.js';
import type { Connector, EgressTarget, FeedItem, FolderAccess } from '../connectors/connector.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type {
  Controller,
  ControllerItem,
  ControllerRun,
  ControllersRepository,
  SavedItem,
} from '../store/controllers-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { Principal } from './api-key-service.js';
import { apiAction } from './api-action.js';
import type { AssetLifecycleService } from './asset-lifecycle-service.js';
import type { CurationService } from './curation-service.js';
import type { IngestService } from './ingest-service.js';
import type { MetadataService, VariabilityRule } from './metadata-service.js';
import type { SigningSecrets } from './signing-secrets.js';

/** A tenant's controllers: more than any library has feeds, few enough to list in one page. */
export const MAX_CONTROLLERS_PER_TENANT = 100;
/** Items written per transaction of a sync. */
const CHUNK = 200;
/** Gone items whose assets a run tries again to archive or delete, at most (the rest: the next runs). */
const PENDING_GONE_PER_RUN = 500;
/**
 * The band a run's item count is judged against (docs/metadata.md, "Variability"): the last 20
 * succeeded runs of the controller, 3 standard deviations either side, once 5 runs are known.
 */
export const SYNC_VARIABILITY: VariabilityRule = {
  kind: 'sync_result',
  field: ['itemCount'],
  window: 20,
  tolerance: 3,
  minSamples: 5,
  where: { field: ['status'], equals: 'SUCCEEDED' },
};

/** Item failures a run keeps in its record (it counts them all). */
const FAILURES_KEPT = 20;

export interface ControllerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface NewControllerInput {
  name: string;
  kind: ControllerKind;
  configuration: Record<string, unknown>;
  syncIntervalMinutes?: number | undefined;
  loggingLevel?: LoggingLevel | undefined;
  enabled?: boolean | undefined;
}

export interface ControllerPatch {
  name?: string | undefined;
  configuration?: Record<string, unknown> | undefined;
  syncIntervalMinutes?: number | undefined;
  loggingLevel?: LoggingLevel | undefined;
  enabled?: boolean | undefined;
}

const RANK: Record<LoggingLevel, number> = { critical: 0, error: 1, warning: 2, info: 3 };

/**
 * The file hash an item's asset is ingested with: derived from its source, so that an item ingested
 * by a run that died before recording it is found again by the ingest's own de-duplication.
 */
export const itemFileHash = (sourceSystem: string, sourceId: string) =>
  createHash('sha256').update(`controller-item\n${sourceSystem}\n${sourceId}`).digest('hex');

const digest = (input: AssetInput) => createHash('sha256').update(JSON.stringify(input)).digest('hex');
const message = (err: unknown) => errorMessage(err).slice(0, 1_000);

/**
 * Ingress controllers (docs/connectors.md): each reads a feed through its kind's connector on a
 * schedule, and brings its items in through the ingest (new items) and the curation (changed ones),
 * so the outbox, enrichment and projections follow as for any asset. A sync is idempotent by source
 * system and source id: an item seen unchanged is left alone, and one ingested by a run that died
 * is found again by its derived file hash.
 */
export class ControllerService {
  private readonly db: Database;
  private readonly clock: () => Date;
  private readonly leaseMs: number;

  constructor(
    private readonly deps: {
      db: Database;
      controllers: ControllersRepository;
      /** Partner pushes' signing secrets: issued, rotated, opened to sign with (SECRETS_KEY). */
      signing: Pick<SigningSecrets, 'issue' | 'rotate' | 'toSignWith'>;
      actions: Pick<ActionsRepository, 'insertMany'>;
      ingest: Pick<IngestService, 'ingest'>;
      curation: Pick<CurationService, 'applySourceChange'>;
      /** Archives or deletes the assets of items gone from a feed (`whenGone`); absent: kept. */
      lifecycle?: Pick<AssetLifecycleService, 'archive' | 'delete'>;
      connectors: Record<IngressKind, Connector>;
      /** Where egress controllers send their batches; absent: egress kinds are refused. */
      egress?: Record<EgressKind, EgressTarget>;
      /** The tenant's changed assets, tombstones included, for egress controllers. */
      assets?: Pick<AssetsRepository, 'changedSince'>;
      /** Folders under CONTROLLER_FOLDER_ROOT; absent or unconfigured: folder kinds are refused. */
      folders?: FolderAccess;
      /** Largest body of one egress batch (CONTROLLER_MAX_BYTES); a larger batch is cut in two. */
      maxBatchBytes?: number;
      /** How old a change must be before egress sends it (CONTROLLER_EGRESS_SETTLE_MS). */
      egressSettleMs?: number;
      /** The outbound policy of webhooks, which controllers' feeds share (WEBHOOK_ALLOW_PRIVATE). */
      policy: { allowPrivate: boolean };
      log?: ControllerLog;
      clock?: () => Date;
      /** How long a run holds its controller before another process may take it over. */
      leaseMs?: number;
      /**
       * Records each run's sync_result (docs/metadata.md) in the transaction that ends the run, and
       * judges its item count against the runs before (an `anomaly` record and webhook event when
       * outside the band); none: not recorded.
       */
      metadata?: Pick<MetadataService, 'record' | 'checkVariability'>;
      /** Called after a run that wrote an anomaly's event, so the relay moves it without waiting. */
      nudge?: () => void;
    },
  ) {
    this.db = deps.db;
    this.clock = deps.clock ?? (() => new Date());
    this.leaseMs = deps.leaseMs ?? 10 * 60_000;
  }

  /**
   * A partner push gets its signing secret here, answered this once (as a webhook's): the API never
   * shows it again.
   */
  async create(
    by: Principal,
    input: NewControllerInput,
  ): Promise<{ controller: Controller; secret?: string | undefined }> {
    const config = await this.checkConfig(by.tenantId, input.kind, input.configuration);
    const id = randomUUID();
    const issued =
      input.kind === 'partner-push'
        ? this.deps.signing.issue({ tenantId: by.tenantId, kind: 'controller', id })
        : undefined;
    const { controllers } = this.deps;
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`controllers:${by.tenantId}`]);
      if ((await controllers.count(tx, by.tenantId)) >= MAX_CONTROLLERS_PER_TENANT) {
        throw new ConflictError(
          `a tenant holds at most ${MAX_CONTROLLERS_PER_TENANT} controllers; delete one first`,
        );
      }
      const created = await controllers.insert(tx, {
        tenantId: by.tenantId,
        id,
        name: input.name,
        kind: input.kind,
        config,
        sourceSystem: sourceSystemOf(input.kind, config),
        syncIntervalMinutes: input.syncIntervalMinutes ?? DEFAULT_SYNC_INTERVAL_MINUTES,
        loggingLevel: input.loggingLevel ?? 'info',
        enabled: input.enabled ?? true,
        createdBy: actorOf(by),
        secret: issued?.sealed,
      });
      await this.audit(tx, by, 'CONTROLLER_CREATE', { controllerId: created.id, kind: created.kind });
      return { controller: created, secret: issued?.secret };
    });
  }

  list(tenantId: string): Promise<Controller[]> {
    return this.deps.controllers.list(this.db, tenantId, MAX_CONTROLLERS_PER_TENANT);
  }

  async get(tenantId: string, id: string): Promise<Controller> {
    const found = await this.deps.controllers.get(this.db, tenantId, id);
    if (!found) throw new NotFoundError(`controller ${id} not found`);
    return found;
  }

  /** Takes effect at the schedule's next tick: it reads the controllers each time. */
  async update(by: Principal, id: string, patch: ControllerPatch): Promise<Controller> {
    const { controllers } = this.deps;
    const kind = (await this.get(by.tenantId, id)).kind;
    // Checked before the transaction: a folder's check reads the file system.
    const config = patch.configuration
      ? await this.checkConfig(by.tenantId, kind, patch.configuration)
      : undefined;
    return this.db.transaction(async (tx) => {
      const current = await controllers.get(tx, by.tenantId, id, { forUpdate: true });
      if (!current) throw new NotFoundError(`controller ${id} not found`);
      const newFeed = config !== undefined && placeOf(config) !== placeOf(current.config);
      const updated = await controllers.update(tx, by.tenantId, id, {
        name: patch.name,
        config,
        sourceSystem: config ? sourceSystemOf(current.kind, config) : undefined,
        syncIntervalMinutes: patch.syncIntervalMinutes,
        loggingLevel: patch.loggingLevel,
        enabled: patch.enabled,
        // Another feed's validators and cursor mean nothing to this one; another partner or folder
        // starts from the first asset.
        resetState: newFeed,
      });
      const fields = Object.keys(patch).filter((k) => patch[k as keyof ControllerPatch] !== undefined);
      await this.audit(tx, by, 'CONTROLLER_UPDATE', { controllerId: id, fields });
      return updated!;
    });
  }

  /**
   * A partner push's signing secret replaced by a new one, answered this once. The old one keeps
   * signing beside it for `graceSeconds` (default a day; 0: it stops at once): each batch then
   * carries a signature by each, so the partner may switch to the new secret at any time in that
   * period without refusing a batch. Audited, without either secret. 404 for another kind: it has
   * no secret.
   */
  async rotateSecret(
    by: Principal,
    id: string,
    graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS,
  ): Promise<{ controller: Controller; secret: string; previousSecretExpiresAt: Date | null }> {
    return this.db.transaction(async (tx) => {
      const owner = { tenantId: by.tenantId, kind: 'controller', id } as const;
      // Only a partner push holds a secret: another kind's row is not rotated, and answers 404.
      const rotated = await this.deps.signing.rotate(tx, owner, graceSeconds);
      const controller = rotated && (await this.deps.controllers.get(tx, by.tenantId, id));
      if (!rotated || !controller) throw new NotFoundError(`partner-push controller ${id} not found`);
      await this.audit(tx, by, 'CONTROLLER_SECRET_ROTATE', { controllerId: id, graceSeconds });
      return { controller, ...rotated };
    });
  }

  /** The controller and its runs go; the assets it brought in stay. */
  async remove(by: Principal, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.deps.controllers.remove(tx, by.tenantId, id))) {
        throw new NotFoundError(`controller ${id} not found`);
      }
      await this.audit(tx, by, 'CONTROLLER_DELETE', { controllerId: id });
    });
  }

  /** The controller's runs, newest first, a page at a time. */
  async runs(
    tenantId: string,
    id: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: ControllerRun[]; nextCursor: string | null }> {
    await this.get(tenantId, id);
    const before = page.cursor ? decodeCursor(page.cursor, RunCursor) : undefined;
    const rows = await this.deps.controllers.runs(this.db, tenantId, id, {
      limit: page.limit + 1,
      before: before && { startedAt: new Date(before.startedAt), id: before.id },
    });
    return pageOf(rows, page.limit, (r) => ({ startedAt: r.startedAt.toISOString(), id: r.id }));
  }

  /** POST /v1/controllers/{id}/sync: one run now; 409 while another holds the controller. */
  async syncNow(by: Principal, id: string): Promise<ControllerRun> {
    await this.get(by.tenantId, id);
    const run = await this.sync(by.tenantId, id, 'manual');
    if (!run)
      throw new ConflictError(
        `controller ${id} is syncing already; its run is in GET /v1/controllers/${id}/runs`,
      );
    return run;
  }

  /**
   * The schedule's tick: every enabled controller of every tenant whose interval has passed, one
   * after the other. A failed run is reported, not thrown: the others still run.
   */
  async syncDue(): Promise<{ ran: number; failed: string[] }> {
    const due = await this.deps.controllers.due(this.db, this.clock(), MAX_CONTROLLERS_PER_TENANT);
    const failed: string[] = [];
    let ran = 0;
    for (const { tenantId, id } of due) {
      try {
        const run = await this.sync(tenantId, id, 'schedule');
        if (run) ran++;
        if (run?.status === 'FAILED') failed.push(`${tenantId}/${id}`);
      } catch (err) {
        failed.push(`${tenantId}/${id}`);
        this.deps.log?.warn({ err, tenantId, controllerId: id }, 'controller run failed');
      }
    }
    return { ran, failed };
  }

  /**
   * One run of a controller, unless another holds it (null). Nothing a failed fetch or a malformed
   * feed stops is lost: a feed read whole is read whole before anything is written, and where the
   * next sync starts (validators, cursor) is saved only once what came before it is written.
   */
  async sync(tenantId: string, id: string, trigger: RunTrigger): Promise<ControllerRun | null> {
    const runId = randomUUID();
    const { controllers } = this.deps;
    const controller = await this.db.transaction((tx) =>
      controllers.claim(tx, tenantId, id, { id: runId, trigger, now: this.clock(), leaseMs: this.leaseMs }),
    );
    if (!controller) return null;
    const log = leveled(controller.loggingLevel, this.deps.log, { tenantId, controllerId: id, runId });
    const started = performance.now();
    const run = new RunTally();
    let status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED';
    let error: string | null = null;
    try {
      const parsed = CONTROLLER_CONFIG_SCHEMAS[controller.kind].safeParse(controller.config);
      if (!parsed.success) {
        log.critical(
          { issues: parsed.error.issues },
          'controller: configuration no longer valid for its kind',
        );
        throw new Error(`configuration no longer valid: ${z.prettifyError(parsed.error)}`);
      }
      const kind = controller.kind;
      if (isEgressKind(kind)) {
        await this.syncEgress(controller, runId, kind, parsed.data as EgressConfig, run);
      } else {
        const connector = this.deps.connectors[kind];
        const config = parsed.data as IngressConfig;
        if (connector.mode === 'snapshot') await this.syncSnapshot(controller, runId, connector, config, run);
        else await this.syncChanges(controller, runId, connector, config, run);
      }
      // Gone items an earlier run could not archive or delete (or stopped before), tried again after
      // the feed: one back in it is no longer gone, and one that left in this run was tried in it.
      await this.holdLease(controller, runId);
      const pending = await controllers.pendingGone(
        this.db,
        tenantId,
        id,
        PENDING_GONE_PER_RUN + run.left.size,
      );
      await this.leave(
        controller,
        pending.filter((p) => !run.left.has(p.sourceId)),
        run,
        { again: true },
      );
      if (run.counts.failed > 0) log.warning({ failures: run.failures }, 'controller: items refused');
    } catch (err) {
      status = 'FAILED';
      error = message(err);
      // Taken over: its record stays INTERRUPTED (with what it counted), the controller is the other run's.
      if (err instanceof LeaseLostError)
        log.warning({ error, counts: run.counts }, 'controller: run taken over');
      else log.error({ error }, 'controller: sync failed');
    }
    const durationMs = performance.now() - started;
    const anomaly = await this.db.transaction(async (tx) => {
      await controllers.finish(tx, tenantId, id, {
        id: runId,
        status,
        finishedAt: this.clock(),
        durationMs,
        fetchMs: run.fetchMs,
        notModified: run.notModified,
        pages: run.pages,
        counts: run.counts,
        error,
        failures: run.failures,
      });
      return this.recordSync(tx, controller, runId, status, run, durationMs);
    });
    if (anomaly) {
      log.warning({ anomaly: anomaly.payload }, 'controller: item count outside its usual band');
      this.deps.nudge?.();
    }
    if (status === 'SUCCEEDED') {
      log.info(
        { counts: run.counts, pages: run.pages, notModified: run.notModified, durationMs },
        'controller: synced',
      );
    }
    return controllers.run(this.db, tenantId, runId);
  }

  /**
   * The run's sync_result, in the transaction that ends the run, and the variability check of its
   * item count (SYNC_VARIABILITY). Returns the anomaly record written, if any.
   */
  private async recordSync(
    tx: Sql,
    c: Controller,
    runId: string,
    status: 'SUCCEEDED' | 'FAILED',
    run: RunTally,
    durationMs: number,
  ) {
    const { metadata } = this.deps;
    if (!metadata) return null;
    const n = run.counts;
    const egress = isEgressKind(c.kind);
    const [record] = await metadata.record(tx, c.tenantId, [
      {
        target: { type: 'controller', id: c.id, extras: { kind: c.kind } },
        kind: 'sync_result',
        producerId: 'controller.v1',
        context: { runId },
        payload: {
          status,
          // Ingress: the items read from the feed; egress: the records sent or files written.
          itemCount: egress ? n.pushed + n.written + n.failed : n.new + n.updated + n.unchanged + n.failed,
          ingested: n.new,
          new: n.new,
          updated: n.updated,
          unchanged: n.unchanged,
          failed: n.failed,
          gone: n.gone,
          archived: n.archived,
          deleted: n.deleted,
          pushed: n.pushed,
          written: n.written,
          pages: run.pages,
          durationMs,
          fetchMs: run.fetchMs,
        },
      },
    ]);
    if (!record) return null;
    return (await metadata.checkVariability(tx, record, SYNC_VARIABILITY))?.anomaly ?? null;
  }

  /** A feed read whole each time: every page first, then the items, then what left it. */
  private async syncSnapshot(
    c: Controller,
    runId: string,
    connector: Connector,
    config: IngressConfig,
    run: RunTally,
  ): Promise<void> {
    const items: FeedItem[] = [];
    const knownFiles = connector.readsFiles
      ? await this.deps.controllers.hashedFiles(this.db, c.tenantId, c.id, MAX_KNOWN_FILES)
      : undefined;
    let validators: SyncState = {};
    let next: string | undefined;
    const maxPages = 'maxPages' in config ? config.maxPages : 1;
    do {
      const first = run.pages === 0;
      const page = await run.timed(() =>
        connector.fetchPage(
          config,
          first
            ? {
                etag: c.syncState.etag,
                lastModified: c.syncState.lastModified,
                knownFiles,
                tenantId: c.tenantId,
              }
            : { next, knownFiles, tenantId: c.tenantId },
        ),
      );
      run.pages++;
      if (first && page.notModified) {
        run.notModified = true;
        run.counts.unchanged = await this.deps.controllers.presentCount(this.db, c.tenantId, c.id);
        return;
      }
      if (first) validators = compactState({ etag: page.etag, lastModified: page.lastModified });
      items.push(...page.items);
      next = page.next;
    } while (next !== undefined && run.pages < maxPages);

    await this.holdLease(c, runId);
    await this.apply(c, runId, items, run);
    // Only a feed read to its end says which items left it.
    if (next === undefined) {
      await this.leave(
        c,
        await this.deps.controllers.markGone(this.db, c.tenantId, c.id, { notSeenBy: runId }, this.leaves(c)),
        run,
      );
    }
    await this.deps.controllers.saveState(this.db, c.tenantId, c.id, runId, validators);
  }

  /** A listing of changes, paged by a cursor: the cursor is saved after each page's items. */
  private async syncChanges(
    c: Controller,
    runId: string,
    connector: Connector,
    config: IngressConfig,
    run: RunTally,
  ): Promise<void> {
    let cursor = c.syncState.cursor;
    const maxPages = 'maxPages' in config ? config.maxPages : 1;
    while (run.pages < maxPages) {
      const page = await run.timed(() => connector.fetchPage(config, { next: cursor }));
      // A run that stalled past its lease, and was taken over, writes nothing more.
      await this.holdLease(c, runId);
      run.pages++;
      await this.apply(c, runId, page.items, run);
      // The last page is read again next time (its items unchanged), with whatever joined it since.
      if (page.next === undefined) break;
      cursor = page.next;
      await this.deps.controllers.saveState(this.db, c.tenantId, c.id, runId, compactState({ cursor }));
    }
  }

  /** Extends the run's lease, or stops the run (`LeaseLostError`) when another run has taken it over. */
  private async holdLease(c: Controller, runId: string): Promise<void> {
    const until = new Date(this.clock().getTime() + this.leaseMs);
    if (!(await this.deps.controllers.extendLease(this.db, c.tenantId, c.id, runId, until)))
      throw new LeaseLostError();
  }

  /** Brings a page's items in, a chunk at a time, each chunk's items recorded once written. */
  private async apply(c: Controller, runId: string, all: FeedItem[], run: RunTally): Promise<void> {
    // An id listed twice counts once: its first entry.
    const seen = new Set<string>();
    const items = all.filter((i) => !seen.has(i.sourceId) && seen.add(i.sourceId));
    const who = actorFor(c);
    for (let at = 0; at < items.length; at += CHUNK) {
      const chunk = items.slice(at, at + CHUNK);
      const known = new Map(
        (
          await this.deps.controllers.items(
            this.db,
            c.tenantId,
            c.sourceSystem,
            chunk.map((i) => i.sourceId),
          )
        ).map((k) => [k.sourceId, k]),
      );
      const save: SavedItem[] = [];
      const keep = (k: ControllerItem | undefined) => {
        // A refused item that was in the feed before stays (it is not gone), as it was.
        if (k) save.push({ sourceId: k.sourceId, assetId: k.assetId, contentHash: k.contentHash });
      };
      const fresh: { sourceId: string; input: AssetInput; hash: string; file?: SavedItem['file'] }[] = [];
      const deleted: string[] = [];
      for (const item of chunk) {
        const k = known.get(item.sourceId);
        if (item.deleted) {
          deleted.push(item.sourceId);
          continue;
        }
        if (item.error !== undefined) {
          run.fail(item.sourceId, item.error);
          keep(k);
          continue;
        }
        const parsed = AssetInputSchema.safeParse({
          ...item.asset,
          sourceSystem: c.sourceSystem,
          sourceId: item.sourceId,
          // A file's own content hash: the same media in two places is one asset.
          fileHash: item.fileHash ?? itemFileHash(c.sourceSystem, item.sourceId),
        });
        if (!parsed.success) {
          run.fail(item.sourceId, z.prettifyError(parsed.error).replace(/\n+/g, '; '));
          keep(k);
          continue;
        }
        const hash = digest(parsed.data);
        if (!k) fresh.push({ sourceId: item.sourceId, input: parsed.data, hash, file: item.file });
        else if (k.contentHash === hash && k.present) {
          run.counts.unchanged++;
          save.push({
            sourceId: k.sourceId,
            assetId: k.assetId,
            contentHash: k.contentHash,
            file: item.file,
          });
        } else {
          try {
            // A file whose content changed: its new hash is the new version's.
            const { changed } = await this.deps.curation.applySourceChange(who, k.assetId, parsed.data, {
              fileHash: item.fileHash,
            });
            if (changed) run.counts.updated++;
            else run.counts.unchanged++;
            save.push({ sourceId: item.sourceId, assetId: k.assetId, contentHash: hash, file: item.file });
          } catch (err) {
            run.fail(item.sourceId, message(err));
            keep(k);
          }
        }
      }
      if (fresh.length > 0) {
        const results = await this.deps.ingest.ingest(
          who,
          fresh.map((f) => f.input),
        );
        for (const [i, result] of results.entries()) {
          const f = fresh[i]!;
          if (!result.duplicate) run.counts.new++;
          else {
            const owner = result.asset;
            if (owner.sourceSystem !== f.input.sourceSystem || owner.sourceId !== f.sourceId) {
              // The same bytes as an asset of another source (the API, another controller, another
              // path of this folder): that asset is not this item's to change, nor later to archive.
              run.fail(
                f.sourceId,
                `already ingested as asset ${owner.id} from ${owner.sourceSystem}${owner.sourceId === null ? '' : `:${owner.sourceId}`}`,
              );
              continue;
            }
            // Ingested by a run that died before recording it: brought up to what the feed says now.
            const { changed } = await this.deps.curation.applySourceChange(who, result.asset.id, f.input);
            if (changed) run.counts.updated++;
            else run.counts.unchanged++;
          }
          save.push({ sourceId: f.sourceId, assetId: result.asset.id, contentHash: f.hash, file: f.file });
        }
      }
      await this.deps.controllers.saveItems(this.db, c.tenantId, c.id, c.sourceSystem, runId, save);
      if (deleted.length > 0) {
        const gone = await this.deps.controllers.markGone(
          this.db,
          c.tenantId,
          c.id,
          { sourceSystem: c.sourceSystem, sourceIds: deleted },
          this.leaves(c),
        );
        await this.leave(c, gone, run);
      }
    }
  }

  /** What the configuration does with the assets of items gone from the feed (`whenGone`). */
  private whenGone(c: Controller): (typeof WHEN_GONE)[number] {
    // Read from the stored configuration: one written before `whenGone` existed keeps its items' assets.
    return this.deps.lifecycle ? WhenGoneSchema.catch('keep').parse(c.config.whenGone) : 'keep';
  }

  /** Whether the controller archives or deletes the assets of items gone from its feed. */
  private leaves(c: Controller): boolean {
    return this.whenGone(c) !== 'keep';
  }

  /**
   * Counts the items gone from the feed, and archives or deletes their assets as the configuration
   * says (`whenGone`), each alone and audited as the controller's. An asset deleted meanwhile is
   * skipped; one under legal hold or still being enriched is a failed item of the run, and stays
   * pending: the next run tries it `again` (counted gone once, when it left; archived or deleted
   * once, when that succeeds).
   */
  private async leave(
    c: Controller,
    gone: { assetId: string; sourceId: string }[],
    run: RunTally,
    opts: { again?: boolean } = {},
  ): Promise<void> {
    if (gone.length === 0) return;
    if (!opts.again) run.counts.gone += gone.length;
    for (const g of gone) run.left.add(g.sourceId);
    const { lifecycle } = this.deps;
    const whenGone = this.whenGone(c);
    const settled: string[] = [];
    if (whenGone === 'keep' || !lifecycle) {
      // Pending from when the configuration said otherwise: it keeps them now.
      if (opts.again) settled.push(...gone.map((g) => g.sourceId));
    } else {
      const who = actorFor(c);
      // An asset another present item still stands for stays as it is: that item's, not this one's.
      const shared = await this.deps.controllers.sharedAssets(
        this.db,
        c.tenantId,
        gone.map((g) => g.assetId),
      );
      for (const item of gone) {
        if (shared.has(item.assetId)) {
          settled.push(item.sourceId);
          continue;
        }
        try {
          if (whenGone === 'archive') {
            if ((await lifecycle.archive(who, item.assetId, GONE_REASON)).changed) run.counts.archived++;
          } else {
            await lifecycle.delete(who, item.assetId, { purge: false, reason: GONE_REASON });
            run.counts.deleted++;
          }
          settled.push(item.sourceId);
        } catch (err) {
          if (err instanceof NotFoundError) {
            settled.push(item.sourceId);
            continue;
          }
          if (!(err instanceof ConflictError)) throw err;
          run.fail(item.sourceId, err.message);
        }
      }
    }
    await this.deps.controllers.settleGone(this.db, c.tenantId, c.id, settled);
  }

  /**
   * The tenant's assets changed since the controller's cursor, sent in batches: a partner's
   * endpoint, a folder of sidecars. The cursor moves past a batch only once the target took it
   * whole (a 2xx, every file written), so a failing partner or folder loses nothing: the next run
   * sends the batch again. A deleted or archived asset is a deletion record.
   */
  private async syncEgress(
    c: Controller,
    runId: string,
    kind: EgressKind,
    config: EgressConfig,
    run: RunTally,
  ): Promise<void> {
    const { egress, assets, controllers } = this.deps;
    if (!egress || !assets) throw new Error('this service runs no egress controllers');
    const target = egress[kind];
    const stored =
      kind === 'partner-push' ? await controllers.signingSecrets(this.db, c.tenantId, c.id) : null;
    const secrets = stored
      ? this.deps.signing.toSignWith({ tenantId: c.tenantId, kind: 'controller', id: c.id }, stored)
      : undefined;
    let cursor = decodeEgressCursor(c.syncState.cursor);
    const maxBytes = this.deps.maxBatchBytes ?? 20 * 1024 * 1024;
    for (let batches = 0; batches < config.maxBatches; batches++) {
      const changes = await assets.changedSince(
        this.db,
        c.tenantId,
        cursor,
        config.batchSize,
        this.deps.egressSettleMs ?? 0,
      );
      if (changes.length === 0) break;
      // Cut at the size limit: what does not fit waits for the next batch.
      const records: EgressRecord[] = [];
      let bytes = 0;
      let taken = 0;
      for (const change of changes) {
        const record = egressRecordOf(change.asset, change.deletedAt, change.at);
        const size = Buffer.byteLength(JSON.stringify(record));
        if (size > maxBytes) {
          // One record larger than a whole batch may be can never be sent: counted, and passed over.
          run.fail(change.asset.id, `its record holds ${size} bytes, more than a batch may (${maxBytes})`);
          taken++;
          continue;
        }
        if (records.length > 0 && bytes + size > maxBytes) break;
        records.push(record);
        bytes += size;
        taken++;
      }
      const last = changes[taken - 1]!;
      const next = { at: last.at, id: last.asset.id };
      if (records.length > 0) {
        const batch = {
          id: batchIdOf(c.id, cursor, next),
          controllerId: c.id,
          records,
        };
        // A run that stalled past its lease, and was taken over, delivers nothing more.
        await this.holdLease(c, runId);
        const sentAt = new Date();
        await run.timed(() => target.deliver(config, batch, { tenantId: c.tenantId, secrets }));
        run.pages++;
        if (kind === 'partner-push') run.counts.pushed += records.length;
        else run.counts.written += records.length;
        const deletions = records.filter((r) => r.op === 'delete').length;
        await this.db.transaction(async (tx) => {
          await this.deps.actions.insertMany(tx, c.tenantId, [
            {
              ...apiAction(
                `controller:${c.id}`,
                'CONTROLLER_EGRESS',
                {
                  controllerId: c.id,
                  kind,
                  batchId: batch.id,
                  records: records.length,
                  deletions,
                  assetIds: records.map((r) => r.assetId),
                },
                { startedAt: sentAt, controller: `controller:${c.id}` },
              ),
              direction: 'OUTBOUND',
            },
          ]);
          await controllers.saveState(tx, c.tenantId, c.id, runId, { cursor: JSON.stringify(next) });
        });
      } else {
        await controllers.saveState(this.db, c.tenantId, c.id, runId, { cursor: JSON.stringify(next) });
      }
      cursor = next;
      await this.holdLease(c, runId);
      if (changes.length < config.batchSize && taken === changes.length) break;
    }
  }

  /**
   * Validates a kind's configuration: a URL under the webhooks' outbound policy, a folder under the
   * controller folder root (symbolic links resolved).
   */
  private async checkConfig(
    tenantId: string,
    kind: ControllerKind,
    raw: Record<string, unknown>,
  ): Promise<ControllerConfig> {
    const parsed = CONTROLLER_CONFIG_SCHEMAS[kind].safeParse(raw);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({
        location: 'body',
        field: ['configuration', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
      throw new ValidationError(`body.${errors[0]!.field}: ${errors[0]!.message}`, { errors });
    }
    const config = parsed.data;
    const refuse = (field: string, why: string) =>
      new ValidationError(`body.configuration.${field}: ${why}`, {
        errors: [{ location: 'body', field: `configuration.${field}`, message: why }],
      });
    if (isEgressKind(kind) && !(this.deps.egress && this.deps.assets)) {
      throw refuse('kind', 'this service runs no egress controllers');
    }
    if ('url' in config) {
      try {
        checkWebhookUrl(config.url, this.deps.policy);
      } catch (err) {
        throw refuse('url', message(err).replace(/^body\.url: /, ''));
      }
    }
    if ('path' in config) {
      const folders = this.deps.folders;
      if (!folders?.configured) {
        throw refuse(
          'path',
          `the ${kind} kind needs a controller folder root (CONTROLLER_FOLDER_ROOT), which this service does not set`,
        );
      }
      try {
        await folders.resolve(tenantId, config.path);
      } catch (err) {
        throw refuse('path', message(err));
      }
    }
    return config;
  }

  private async audit(
    tx: Sql,
    by: Principal,
    actionType: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.actions.insertMany(tx, by.tenantId, [apiAction(actorOf(by), actionType, details)]);
  }
}

const actorOf = (p: Principal) => `key:${p.keyId}`;
/** A controller's writes are audited as its own. */
const actorFor = (c: Controller) => ({
  tenantId: c.tenantId,
  actor: `controller:${c.id}`,
  controller: `controller:${c.id}`,
});
const GONE_REASON = 'gone from the source feed';
const RunCursor = z.object({ startedAt: z.iso.datetime(), id: z.uuid() });

/** Files of a watched folder whose hashes a run reads back: its maxFiles, and room to spare. */
const MAX_KNOWN_FILES = 20_000;

/** Where a controller reads or writes: its URL, or its folder. */
const placeOf = (config: Record<string, unknown>): string | undefined =>
  typeof config.url === 'string' ? config.url : typeof config.path === 'string' ? config.path : undefined;

const sourceSystemOf = (kind: ControllerKind, config: ControllerConfig): string =>
  ('sourceSystem' in config ? config.sourceSystem : undefined) ??
  defaultSourceSystem(kind, placeOf(config) ?? '');

const EgressCursor = z.object({ at: z.string().max(64), id: z.uuid() });
/** An egress controller's position: the last change it delivered (none: from the first asset). */
function decodeEgressCursor(raw: string | undefined): { at: string; id: string } | undefined {
  if (!raw) return undefined;
  try {
    const parsed = EgressCursor.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The same batch (same controller, same bounds) has the same id on every run: the partner dedupes by it. */
const batchIdOf = (controllerId: string, from: object | undefined, to: object) =>
  `msg_${createHash('sha256')
    .update(`${controllerId}\n${JSON.stringify(from ?? null)}\n${JSON.stringify(to)}`)
    .digest('hex')
    .slice(0, 32)}`;

const compactState = (s: SyncState): SyncState =>
  Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined && v !== ''));

/** A run whose lease expired (it stalled) and that another run has taken the controller over from. */
class LeaseLostError extends Error {
  constructor() {
    super('its lease expired and another run took the controller over');
  }
}

/** What one run counts and times. */
class RunTally {
  counts: RunCounts = emptyRunCounts();
  failures: { sourceId: string; error: string }[] = [];
  /** The gone items this run has tried to archive or delete: each once a run. */
  left = new Set<string>();
  pages = 0;
  fetchMs = 0;
  notModified = false;

  fail(sourceId: string, error: string): void {
    this.counts.failed++;
    if (this.failures.length < FAILURES_KEPT) this.failures.push({ sourceId, error: error.slice(0, 500) });
  }

  async timed<T>(fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.fetchMs += performance.now() - t;
    }
  }
}

/** The controller's own log lines, at and above its logging level. */
function leveled(level: LoggingLevel, log: ControllerLog | undefined, context: object) {
  const at = (l: LoggingLevel, write: (obj: object, msg: string) => void) => (obj: object, msg: string) => {
    if (RANK[l] <= RANK[level]) write({ ...context, ...obj, loggingLevel: l }, msg);
  };
  const none = () => undefined;
  return {
    critical: log ? at('critical', (o, m) => log.error(o, m)) : none,
    error: log ? at('error', (o, m) => log.error(o, m)) : none,
    warning: log ? at('warning', (o, m) => log.warn(o, m)) : none,
    info: log ? at('info', (o, m) => log.info(o, m)) : none,
  };
}
