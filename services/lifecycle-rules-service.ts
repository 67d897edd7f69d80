import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import {
  byPriority,
  decide,
  fieldsOf,
  MAX_LIFECYCLE_RULES_PER_TENANT,
  thresholdProblem,
  type LifecycleDecision,
  type LifecycleRule,
  type RuleFields,
} from '../domain/lifecycle-rules.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { BackgroundJob, BackgroundJobsRepository } from '../store/background-jobs-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { LifecycleRulesRepository } from '../store/lifecycle-rules-repository.js';
import type { Principal } from './api-key-service.js';
import { apiAction } from './api-action.js';
import type { AssetLifecycleService } from './asset-lifecycle-service.js';
import { LIFECYCLE_KIND } from './background-jobs-service.js';
import type { JobsService } from './jobs-service.js';
import { sum, walkTenants } from './tenant-walk.js';

/** Below every uuid: where paging by id starts. */
const NO_ID = '00000000-0000-0000-0000-000000000000';
/** Assets read per statement, by the preview and the run alike. */
const PAGE_SIZE = 200;
/** Assets one preview page weighs at most before it answers (with fewer items and a cursor). */
const PREVIEW_SCAN_LIMIT = 5_000;

export type NewRule = Omit<RuleFields, 'type' | 'sourceSystem' | 'archiveAfterDays' | 'deleteAfterDays'> &
  Partial<Pick<RuleFields, 'type' | 'sourceSystem' | 'archiveAfterDays' | 'deleteAfterDays'>>;
export type RulePatch = Partial<RuleFields>;

/** What a lifecycle run keeps as its cursor: where it is, and what it did so far. */
export interface LifecycleProgress {
  id: string;
  archived: number;
  deleted: number;
  skipped: number;
}

/** A run's parameters: the clock every asset is weighed at, who or what started it. */
export type LifecycleRunParams = {
  at: string;
  trigger: 'manual' | 'schedule';
  actor: string;
  actionsPerSecond: number;
};

const PreviewCursor = z.object({ id: z.uuid(), at: z.iso.datetime() });

export interface LifecycleLog {
  warn(obj: object, msg: string): void;
}

/**
 * Lifecycle rules (docs/lifecycle.md#lifecycle-rules): their CRUD, a dry run that lists what they
 * would do, and the run that does it as a background job. The preview and the run weigh the same
 * pages of assets with the same function (`decide`), so at one clock they name the same assets and
 * actions. The run archives and deletes through AssetLifecycleService, as the API's routes do.
 */
export class LifecycleRulesService {
  private readonly db: Database;
  private readonly clock: () => Date;
  private readonly pageSize: number;

  constructor(
    private readonly deps: {
      db: Database;
      rules: LifecycleRulesRepository;
      actions: Pick<ActionsRepository, 'insertMany'>;
      backgroundJobs: Pick<BackgroundJobsRepository, 'get' | 'update' | 'list'>;
      jobs: Pick<JobsService, 'startLifecycleRun'>;
      lifecycle: Pick<AssetLifecycleService, 'archive' | 'delete'>;
      log?: LifecycleLog;
      clock?: () => Date;
    },
    private readonly options: {
      intervalMs: number;
      actionsPerSecond: number;
      /** Assets read per statement (default PAGE_SIZE); a run commits its cursor after each page. */
      pageSize?: number;
    },
  ) {
    this.db = deps.db;
    this.clock = deps.clock ?? (() => new Date());
    this.pageSize = options.pageSize ?? PAGE_SIZE;
  }

  /** The tenant's rules in the order they are weighed. */
  async list(tenantId: string): Promise<LifecycleRule[]> {
    return (await this.deps.rules.list(this.db, tenantId, MAX_LIFECYCLE_RULES_PER_TENANT)).sort(byPriority);
  }

  async get(tenantId: string, id: string): Promise<LifecycleRule> {
    const found = await this.deps.rules.get(this.db, tenantId, id);
    if (!found) throw new NotFoundError(`lifecycle rule ${id} not found`);
    return found;
  }

  async create(by: Principal, input: NewRule): Promise<LifecycleRule> {
    const fields: RuleFields = {
      type: null,
      sourceSystem: null,
      archiveAfterDays: null,
      deleteAfterDays: null,
      ...input,
    };
    checkRule(by, fields);
    const { rules } = this.deps;
    return this.db.transaction(async (tx) => {
      await rules.lockTenant(tx, by.tenantId);
      if ((await rules.count(tx, by.tenantId)) >= MAX_LIFECYCLE_RULES_PER_TENANT) {
        throw new ConflictError(
          `a tenant holds at most ${MAX_LIFECYCLE_RULES_PER_TENANT} lifecycle rules; delete one first`,
        );
      }
      await this.nameFree(tx, by.tenantId, fields.name, null);
      const created = await rules.insert(tx, {
        ...fields,
        tenantId: by.tenantId,
        id: randomUUID(),
        createdBy: actorOf(by),
      });
      await this.audit(tx, by, 'LIFECYCLE_RULE_CREATE', { ruleId: created.id, ...fields });
      return created;
    });
  }

  /** A change of some fields; the rule as changed is checked whole. */
  async update(by: Principal, id: string, patch: RulePatch): Promise<LifecycleRule> {
    const { rules } = this.deps;
    return this.db.transaction(async (tx) => {
      await rules.lockTenant(tx, by.tenantId);
      const current = await rules.get(tx, by.tenantId, id, { forUpdate: true });
      if (!current) throw new NotFoundError(`lifecycle rule ${id} not found`);
      await this.mayReshapeDeletes(tx, by);
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const fields: RuleFields = { ...fieldsOf(current), ...given };
      checkRule(by, fields);
      if (fields.name !== current.name) await this.nameFree(tx, by.tenantId, fields.name, id);
      const updated = await rules.update(tx, by.tenantId, id, fields);
      await this.audit(tx, by, 'LIFECYCLE_RULE_UPDATE', { ruleId: id, fields: Object.keys(given), ...given });
      return updated!;
    });
  }

  async remove(by: Principal, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.deps.rules.lockTenant(tx, by.tenantId);
      await this.mayReshapeDeletes(tx, by);
      const removed = await this.deps.rules.remove(tx, by.tenantId, id);
      if (!removed) throw new NotFoundError(`lifecycle rule ${id} not found`);
      await this.audit(tx, by, 'LIFECYCLE_RULE_DELETE', { ruleId: id, name: removed.name });
    });
  }

  /**
   * The dry run: what the active rules would do at `at` (default now), in the order a run does it
   * (by asset id), skipped assets included with why. A page weighs at most PREVIEW_SCAN_LIMIT
   * assets, so it may hold fewer than `limit` items and still have a next cursor.
   */
  async preview(
    tenantId: string,
    opts: { limit: number; cursor?: string | undefined; at?: string | undefined },
  ): Promise<{ at: Date; items: LifecycleDecision[]; nextCursor: string | null }> {
    const from = opts.cursor ? decodeCursor(opts.cursor, PreviewCursor) : undefined;
    const at = new Date(from?.at ?? opts.at ?? this.clock().toISOString());
    const rules = await this.activeRules(this.db, tenantId);
    const items: LifecycleDecision[] = [];
    const next = (id: string) => encodeCursor({ id, at: at.toISOString() });
    if (rules.length === 0) return { at, items, nextCursor: null };
    let after = from?.id ?? NO_ID;
    for (let scanned = 0; scanned < PREVIEW_SCAN_LIMIT;) {
      const page = await this.deps.rules.candidates(this.db, tenantId, after, this.pageSize);
      for (const asset of page) {
        const decision = decide(rules, asset, at);
        if (decision) {
          if (items.length === opts.limit) return { at, items, nextCursor: next(items.at(-1)!.asset.id) };
          items.push(decision);
        }
        after = asset.id;
      }
      if (page.length < this.pageSize) return { at, items, nextCursor: null };
      scanned += page.length;
    }
    return { at, items, nextCursor: next(after) };
  }

  /** POST /v1/lifecycle-rules/run: a run now, as a background job; 409 while one is unfinished. */
  run(by: Principal): Promise<BackgroundJob> {
    if (!by.permissions.has('assets:delete')) {
      throw new ForbiddenError('running lifecycle rules deletes assets: the key needs assets:delete too');
    }
    return this.start(by.tenantId, actorOf(by), 'manual');
  }

  /**
   * The schedule's tick: a run for every tenant with an active rule whose last run started more
   * than the interval ago (and is over). Several processes ticking at once start one run: the
   * check and the start hold the tenant's lock.
   */
  async runDue(): Promise<{ started: number; failed: string[] }> {
    const tenants = await this.deps.rules.tenantsWithActiveRules(this.db);
    const walk = await walkTenants(
      tenants,
      async (tenantId) => {
        try {
          await this.start(tenantId, 'lifecycle-schedule', 'schedule');
          return 1;
        } catch (err) {
          if (err instanceof ConflictError) return 0;
          throw err;
        }
      },
      { what: 'lifecycle run', log: this.deps.log },
    );
    return { started: sum(walk.results), failed: walk.failed };
  }

  /**
   * The `lifecycle-rules` background job: weighs every live asset at the run's clock, a page at a
   * time, and archives or deletes as the deciding rule says, throttled. Resumable: where it is and
   * what it did are committed after each page, and an asset already dealt with is not weighed as due
   * again (a deleted asset is gone, an archived one is not archived twice), so a run resumed after a
   * crash, or run again, does nothing twice.
   */
  async runJob(tenantId: string, job: BackgroundJob): Promise<void> {
    const { db, backgroundJobs, rules } = this.deps;
    const params = job.params as unknown as LifecycleRunParams;
    const at = new Date(params.at);
    const done: LifecycleProgress = { id: NO_ID, archived: 0, deleted: 0, skipped: 0, ...(job.cursor ?? {}) };
    if (job.total === null || job.status !== 'RUNNING') {
      const total = await rules.countCandidates(db, tenantId);
      await backgroundJobs.update(db, tenantId, job.id, { status: 'RUNNING', total });
    }
    let lastSkip: string | null = null;
    for (;;) {
      const started = Date.now();
      // Read again each page: a rule deactivated or deleted meanwhile stops acting at once.
      const active = await this.activeRules(db, tenantId);
      const page = active.length > 0 ? await rules.candidates(db, tenantId, done.id, this.pageSize) : [];
      if (page.length === 0) break;
      let acted = 0;
      for (const asset of page) {
        const decision = decide(active, asset, at);
        if (!decision) continue;
        const outcome = await this.apply(tenantId, decision, job.id);
        if (outcome === 'skipped') {
          done.skipped++;
          lastSkip = `${asset.id}: ${decision.skipped ?? 'changed meanwhile'}`;
        } else if (outcome !== 'none') {
          done[outcome]++;
          acted++;
        }
      }
      done.id = page.at(-1)!.id;
      await backgroundJobs.update(db, tenantId, job.id, {
        processedDelta: page.length,
        cursor: done,
        ...(lastSkip ? { error: lastSkip } : {}),
      });
      // Throttled, so a large first run never crowds out the API and fresh ingest.
      const budget = (acted / params.actionsPerSecond) * 1000 - (Date.now() - started);
      if (budget > 0) await sleep(budget);
    }
    const finished = await backgroundJobs.get(db, tenantId, job.id);
    await backgroundJobs.update(db, tenantId, job.id, {
      status: 'COMPLETED',
      error:
        done.skipped > 0
          ? `${done.skipped} assets skipped (legal hold, being enriched); last: ${finished?.lastError ?? ''}`
          : null,
    });
  }

  private async apply(
    tenantId: string,
    d: LifecycleDecision,
    jobId: string,
  ): Promise<'archived' | 'deleted' | 'skipped' | 'none'> {
    if (d.skipped) return 'skipped';
    const who = { tenantId, actor: `lifecycle-rule:${d.rule.id}` };
    const reason = `lifecycle rule "${d.rule.name}": ${d.ageDays} days old, ${d.action.toLowerCase()} after ${d.thresholdDays} (job ${jobId})`;
    try {
      if (d.action === 'ARCHIVE') {
        return (await this.deps.lifecycle.archive(who, d.asset.id, reason)).changed ? 'archived' : 'none';
      }
      await this.deps.lifecycle.delete(who, d.asset.id, { purge: false, reason });
      return 'deleted';
    } catch (err) {
      // Deleted meanwhile: nothing left to do. Held or being enriched since it was read: skipped.
      if (err instanceof NotFoundError) return 'none';
      if (err instanceof ConflictError) return 'skipped';
      throw err;
    }
  }

  private async start(tenantId: string, actor: string, trigger: LifecycleRunParams['trigger']) {
    const params: LifecycleRunParams = {
      at: this.clock().toISOString(),
      trigger,
      actor,
      actionsPerSecond: this.options.actionsPerSecond,
    };
    return this.deps.jobs.startLifecycleRun({ tenantId, actor }, params, async (tx) => {
      await this.deps.rules.lockTenant(tx, tenantId);
      const [last] = await this.deps.backgroundJobs.list(tx, tenantId, { kind: LIFECYCLE_KIND, limit: 1 });
      if (last && (last.status === 'QUEUED' || last.status === 'RUNNING')) {
        throw new ConflictError(`a lifecycle run is in progress: job ${last.id}`, { jobId: last.id });
      }
      // With no interval (0), the schedule checks only at start, and each check is due.
      const { intervalMs } = this.options;
      const since = last ? this.clock().getTime() - last.createdAt.getTime() : Infinity;
      if (trigger === 'schedule' && intervalMs > 0 && since < intervalMs) {
        throw new ConflictError('the last lifecycle run is more recent than the interval');
      }
    });
  }

  private async activeRules(sql: Sql, tenantId: string): Promise<LifecycleRule[]> {
    const all = await this.deps.rules.list(sql, tenantId, MAX_LIFECYCLE_RULES_PER_TENANT);
    return all.filter((r) => r.active).sort(byPriority);
  }

  private async nameFree(tx: Sql, tenantId: string, name: string, self: string | null): Promise<void> {
    const holder = await this.deps.rules.idByName(tx, tenantId, name);
    if (holder && holder !== self) {
      throw new ConflictError(`a lifecycle rule named "${name}" exists already`, { ruleId: holder });
    }
  }

  /**
   * While an active rule deletes, changing or removing any rule can widen what it deletes (a rule
   * that shielded assets from it removed, lowered or narrowed): that takes a key that may delete.
   * Adding a rule cannot widen it (a new rule only decides for assets ahead of the others).
   */
  private async mayReshapeDeletes(tx: Sql, by: Principal): Promise<void> {
    if (by.permissions.has('assets:delete')) return;
    const active = await this.activeRules(tx, by.tenantId);
    if (active.some((r) => r.deleteAfterDays !== null)) {
      throw new ForbiddenError(
        'while a lifecycle rule deletes assets, changing or removing rules needs a key holding assets:delete',
      );
    }
  }

  private async audit(tx: Sql, by: Principal, actionType: string, details: Record<string, unknown>) {
    await this.deps.actions.insertMany(tx, by.tenantId, [apiAction(actorOf(by), actionType, details)]);
  }
}

const actorOf = (p: Principal) => `key:${p.keyId}`;

/** Thresholds that make sense together; a rule that deletes is written only by a key that may delete. */
function checkRule(by: Principal, f: RuleFields): void {
  const problem = thresholdProblem(f.archiveAfterDays, f.deleteAfterDays);
  if (problem) {
    const field = f.deleteAfterDays === null ? 'archiveAfterDays' : 'deleteAfterDays';
    throw new ValidationError(`body.${field}: ${problem}`, {
      errors: [{ location: 'body', field, message: problem }],
    });
  }
  if (f.deleteAfterDays !== null && !by.permissions.has('assets:delete')) {
    throw new ForbiddenError('a rule that deletes assets needs a key holding assets:delete');
  }
}
