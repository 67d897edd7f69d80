import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { Asset } from '../domain/asset.js';
import { snapshotOf } from '../domain/asset-snapshot.js';
import { LegalHoldsError, ValidationError } from '../domain/errors.js';
import {
  ERASURE_NAME_LIMITS,
  eraseDeep,
  eraseFromAsset,
  eraseFromRecord,
  nameWords,
  personMatcher,
  type ErasableField,
  type PersonMatcher,
} from '../domain/person-erasure.js';
import { countTerms, documentTerms } from '../enrichment/keywords.js';
import type { AnalyticsStore } from '../analytics/analytics-store.js';
import type { GraphWriter } from '../graph/graph-store.js';
import type { JobPayloads } from '../queue/jobs.js';
import type { SearchIndexWriter } from '../search/search-index.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { BackgroundJobsRepository, ErasableJob } from '../store/background-jobs-repository.js';
import type { ClickLearningRepository } from '../store/click-learning-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { TermStatsRepository } from '../store/term-stats-repository.js';
import type { VersionsRepository } from '../store/versions-repository.js';
import type { Principal } from './api-key-service.js';
import { apiAction } from './api-action.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** Assets per transaction: each batch locks, rewrites and announces this many at most. */
export const ERASURE_BATCH = 200;
/** Candidate ids read per statement while looking for the person (ids and flags only). */
const CANDIDATE_PAGE = 2_000;
/** Audit records per rewrite. */
const AUDIT_BATCH = 500;
/** At most this many changed asset ids are listed in the report (the counts are always whole). */
export const MAX_LISTED_ASSETS = 1_000;
/** Learned queries judged per erasure (a tenant keeps far fewer: the click learning bounds them). */
const MAX_LEARNED_QUERIES = 100_000;
/** At most this many held assets are named in the 409. */
const MAX_HELD_NAMED = 100;

export interface ErasureRequest {
  /** A speaker's or contributor's name, as given. */
  name?: string | undefined;
  /** The masking token of the person's userId in interaction events (`tok_…`). */
  userToken?: string | undefined;
  reason: string;
}

export interface ErasureReport {
  /** The audit record of this erasure (GET /v1/actions). */
  actionId: string;
  counts: {
    /** Assets whose current state named the person: rewritten as a new version. */
    assets: number;
    /** Version snapshots rewritten in place (the new versions not counted). */
    versions: number;
    /** Moments of the rewritten assets that changed (a speaker set to null, a keyword dropped). */
    moments: number;
    /** Documents projected again, suggestions removed, learned queries (click learning) removed. */
    search: { documents: number; suggestions: number; queries: number };
    graph: { assets: number; entities: number };
    /** Earlier audit records whose details named the person. */
    auditRecords: number;
    /** Raw interaction events erased (with `userToken`). */
    events: number;
    /** Comments by the user (with `userToken`) made tombstones, or that mentioned or assigned them. */
    comments: number;
    /**
     * Analytics: distinct tag, topic and speaker values that were the person, taken out of the
     * events' asset dimensions and the rollups (`GET /v1/metrics` grouped or filtered by them).
     */
    analytics: { dimensionValues: number };
  };
  /** Assets changed in any way (current state or history), at most MAX_LISTED_ASSETS. */
  changedAssetIds: string[];
  changedAssetsTotal: number;
  /** Assets left as they were: put under legal hold after the request was checked. */
  skipped: { assetId: string; reason: 'legal-hold' }[];
  /** Whether search and the graph were updated before this answer (else the projection jobs follow). */
  projected: boolean;
}

interface BatchOutcome {
  /** The assets rewritten, each with whether it is a tombstone (deleted, not purged). */
  assets: (Asset & { deletedAt: Date | null })[];
  changedIds: string[];
  versions: number;
  moments: number;
  skipped: string[];
}

/**
 * A person's erasure (docs/lifecycle.md, "Erasure"): the name taken out of every asset of the
 * tenant, their version snapshots, search, suggestions, the graph and earlier audit records, and
 * (by their user token) the person's raw interaction events, with an audit record that keeps who,
 * when, why and the counts, and a salted hash of the name instead of the name.
 *
 * Refused as a whole (409, nothing changes) when an asset naming the person is under legal hold.
 * Then batch by batch: each batch of at most ERASURE_BATCH assets is one transaction (lock, rewrite
 * the assets as new versions, rewrite their snapshots in place, announce `asset.updated` in the
 * outbox). The projections are brought up to date before the answer, and the entities and
 * suggestions that only the person's name kept are removed.
 */
export class PersonErasureService {
  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'erasureCandidates' | 'lockForErasure' | 'saveErased'>;
      versions: Pick<VersionsRepository, 'insertMany' | 'ofAssetsForErasure' | 'rewriteInPlace'>;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      actions: Pick<ActionsRepository, 'insertMany' | 'erasureCandidates' | 'rewriteDetails'>;
      /** Projects assets now (the project-assets job's handler); the outbox's job follows anyway. */
      project: (batch: JobPayloads['project-assets']) => Promise<void>;
      graph: Pick<GraphWriter, 'forgetEntities'>;
      /** The enrichment's corpus statistics, which would otherwise keep the name's stems. */
      termStats: Pick<TermStatsRepository, 'readMany' | 'writeMany'>;
      /** The click learning's queries, which suggestions complete (docs/clicks.md). */
      clickLearning: Pick<ClickLearningRepository, 'erasureCandidates' | 'forgetQueries'>;
      jobs: Pick<BackgroundJobsRepository, 'erasureCandidates' | 'rewriteForErasure'>;
      search: Pick<SearchIndexWriter, 'forgetSuggestions' | 'expungeDeleted'>;
      /** Erases the person's raw events and audits it (EventPrivacyService.eraseUser). */
      events: { eraseUser(by: Principal, userToken: string): Promise<{ erased: number }> };
      /** Erases the user's comments and reactions (CommentService.eraseUser). */
      comments: {
        eraseUser(tenantId: string, userToken: string): Promise<{ changed: number; assetIds: string[] }>;
      };
      /** The analytics store, whose rollups keep the asset dimensions of past events. */
      analytics: Pick<AnalyticsStore, 'eraseDimensionValues'>;
      /** Called after each batch commits, so the relay moves its events without waiting for its poll. */
      nudge: () => void;
      log?: { warn(obj: object, msg: string): void };
    },
  ) {}

  async erase(by: Principal, request: ErasureRequest): Promise<ErasureReport> {
    const matcher = this.matcherOf(request);
    const reason = request.reason.trim();
    if (!reason) throw new ValidationError('an erasure needs a reason', { field: 'reason' });
    const startedAt = new Date();
    const actor = `key:${by.keyId}`;
    const tenantId = by.tenantId;

    const counts: ErasureReport['counts'] = {
      assets: 0,
      versions: 0,
      moments: 0,
      search: { documents: 0, suggestions: 0, queries: 0 },
      graph: { assets: 0, entities: 0 },
      auditRecords: 0,
      events: 0,
      comments: 0,
      analytics: { dimensionValues: 0 },
    };
    const changed: string[] = [];
    const skipped: ErasureReport['skipped'] = [];
    let projected = true;
    let jobsChanged = 0;

    let ids: string[] = [];
    if (matcher) {
      const candidates = await this.candidatesOf(tenantId, matcher);
      const held = candidates.filter((c) => c.legalHold && !c.deleted).map((c) => c.id);
      if (held.length > 0) throw new LegalHoldsError(held.slice(0, MAX_HELD_NAMED), held.length);
      ids = candidates.map((c) => c.id);
    }

    // From the first write on, the audit record is kept whatever happens: a failure part-way (a
    // batch, the graph, the search index, the audit rewrite, the events) leaves a FAILED record with
    // what was done so far, and the error goes on to the caller.
    const actionId = randomUUID();
    let stage = 'assets';
    const record = async (status: 'SUCCEEDED' | 'FAILED') => {
      const details = {
        // The reason as given, but never the name: it is erased there too.
        reason: matcher ? matcher.eraseText(reason) : reason,
        ...(matcher ? { nameHash: await nameHashOf(matcher.key) } : {}),
        ...(request.userToken ? { userToken: request.userToken } : {}),
        counts,
        changedAssets: changed.length,
        skippedAssets: skipped.map((s) => s.assetId),
        projected,
        jobsChanged,
        // Where it stopped; not the error's message, which could quote what was being erased.
        ...(status === 'FAILED' ? { failedAt: stage } : {}),
      };
      await this.deps.db.transaction((tx) =>
        this.deps.actions.insertMany(tx, tenantId, [
          { ...apiAction(actor, 'PERSON_ERASE', details, { startedAt, status }), id: actionId },
        ]),
      );
    };
    try {
      if (matcher) {
        for (let i = 0; i < ids.length; i += ERASURE_BATCH) {
          const out = await this.eraseBatch(tenantId, actor, ids.slice(i, i + ERASURE_BATCH), matcher);
          this.deps.nudge();
          counts.assets += out.assets.length;
          counts.versions += out.versions;
          counts.moments += out.moments;
          changed.push(...out.changedIds);
          for (const assetId of out.skipped) skipped.push({ assetId, reason: 'legal-hold' });
          const live = out.assets.filter((a) => a.deletedAt === null);
          if (live.length > 0 && !(await this.projectNow(tenantId, live))) projected = false;
          else if (projected) {
            counts.search.documents += live.length;
            counts.graph.assets += live.length;
          }
        }
        // What only the name kept: entities and suggestions no projected asset carries any more.
        if (projected) {
          stage = 'graph';
          counts.graph.entities = await this.deps.graph.forgetEntities(tenantId, matcher.key);
          stage = 'suggestions';
          counts.search.suggestions = await this.deps.search.forgetSuggestions(tenantId, matcher.key);
          // The rewritten documents' old text stays in Elasticsearch's segments until a merge: not
          // awaited (coalesced and throttled by the adapter, which reports its own failures).
          if (changed.length > 0) void this.deps.search.expungeDeleted();
        }
        stage = 'analytics';
        counts.analytics.dimensionValues = (
          await this.deps.analytics.eraseDimensionValues(tenantId, {
            sqlPattern: matcher.sqlPattern,
            isPerson: (value) => matcher.isPerson(value),
          })
        ).values;
        stage = 'queries';
        counts.search.queries = await this.forgetLearnedQueries(tenantId, matcher);
        stage = 'audit';
        counts.auditRecords = await this.eraseFromAudit(tenantId, matcher);
        stage = 'jobs';
        jobsChanged = await this.eraseFromJobs(tenantId, matcher);
      }
      stage = 'comments';
      if (request.userToken) {
        const erased = await this.deps.comments.eraseUser(tenantId, request.userToken);
        counts.comments = erased.changed;
        // Their feedback leaves search before the answer, as the names do (the outbox's jobs follow).
        const batch = erased.assetIds.map((assetId) => ({ assetId, version: 0 }));
        if (batch.length > 0 && !(await this.projectBatch(tenantId, batch))) projected = false;
      }
      stage = 'events';
      if (request.userToken) counts.events = (await this.deps.events.eraseUser(by, request.userToken)).erased;
    } catch (err) {
      try {
        await record('FAILED');
      } catch (recordErr) {
        this.deps.log?.warn(
          { err: recordErr, actionId },
          'person erasure failed and its audit record could not be written',
        );
      }
      throw err;
    }
    await record('SUCCEEDED');
    return {
      actionId,
      counts,
      changedAssetIds: changed.slice(0, MAX_LISTED_ASSETS),
      changedAssetsTotal: changed.length,
      skipped,
      projected,
    };
  }

  private matcherOf(request: ErasureRequest): PersonMatcher | null {
    if (request.name === undefined && request.userToken === undefined)
      throw new ValidationError('an erasure names a person (`name`) or a user token (`userToken`), or both', {
        field: 'name',
      });
    if (request.name === undefined) return null;
    const name = request.name.trim();
    const words = nameWords(name);
    if (
      name.length < ERASURE_NAME_LIMITS.minLength ||
      name.length > ERASURE_NAME_LIMITS.maxLength ||
      words.length === 0 ||
      words.length > ERASURE_NAME_LIMITS.maxWords ||
      words.join('').length < ERASURE_NAME_LIMITS.minLength
    )
      throw new ValidationError(
        `a name to erase has ${ERASURE_NAME_LIMITS.minLength} to ${ERASURE_NAME_LIMITS.maxLength} characters, of which at least ${ERASURE_NAME_LIMITS.minLength} letters or digits, in at most ${ERASURE_NAME_LIMITS.maxWords} words`,
        { field: 'name' },
      );
    return personMatcher(name);
  }

  /** Every asset of the tenant that may name the person: ids and flags only, a page per statement. */
  private async candidatesOf(tenantId: string, m: PersonMatcher) {
    const all: { id: string; legalHold: boolean; deleted: boolean }[] = [];
    let afterId: string | null = null;
    for (;;) {
      const page = await this.deps.assets.erasureCandidates(this.deps.db, tenantId, m.sqlPattern, {
        afterId,
        limit: CANDIDATE_PAGE,
      });
      all.push(...page);
      if (page.length < CANDIDATE_PAGE) return all;
      afterId = page[page.length - 1]!.id;
    }
  }

  /**
   * One transaction: locks the batch, rewrites each asset that names the person as a new version
   * (its snapshot already erased), rewrites the older snapshots and version reasons in place, and
   * announces the new versions. An asset put under legal hold since the check is left alone.
   */
  private eraseBatch(
    tenantId: string,
    actor: string,
    ids: string[],
    m: PersonMatcher,
  ): Promise<BatchOutcome> {
    return this.deps.db.transaction(async (tx) => {
      const locked = await this.deps.assets.lockForErasure(tx, tenantId, ids);
      const skipped = locked.filter((l) => l.asset.legalHold && !l.deleted).map((l) => l.asset.id);
      const open = locked.filter((l) => !(l.asset.legalHold && !l.deleted));
      const edits = open.flatMap(({ asset, deleted }) => {
        const erased = eraseFromAsset(asset, m);
        return erased ? [{ asset, deleted, ...erased, newVersionId: randomUUID() }] : [];
      });
      // The asset rows first: an ingest's version by reference takes its snapshot from the row as it
      // was (the trigger of migration 0042), and is rewritten below with the others.
      const saved = await this.deps.assets.saveErased(
        tx,
        tenantId,
        edits.map((e) => ({
          id: e.asset.id,
          expectedVersion: e.asset.version,
          newVersionId: e.newVersionId,
          fields: e.fields,
        })),
      );
      // Locked above, so each is saved; fail the batch rather than leave one half-erased.
      if (saved.length !== edits.length) throw new Error('an asset changed under its erasure lock');
      const rewritten = await this.rewriteHistory(
        tx,
        tenantId,
        open.map((l) => l.asset.id),
        m,
      );
      const byId = new Map(edits.map((e) => [e.asset.id, e]));
      await this.deps.versions.insertMany(
        tx,
        tenantId,
        saved.map((a) => ({
          id: a.versionId,
          assetId: a.id,
          version: a.version,
          snapshot: snapshotOf(a),
          changeKind: 'EDIT' as const,
          changedBy: actor,
          reason: 'erasure',
        })),
      );
      const liveSaved = saved.filter((a) => !byId.get(a.id)!.deleted);
      await this.recountTerms(tx, tenantId, liveSaved);
      await this.deps.outbox.insertMany(
        tx,
        tenantId,
        liveSaved.map((a) => ({
          type: 'asset.updated',
          aggregateId: a.id,
          payload: {
            assetId: a.id,
            version: a.version,
            fields: byId.get(a.id)!.changed satisfies ErasableField[],
          },
          change: 'erased',
        })),
      );
      const changedIds = [...new Set([...saved.map((a) => a.id), ...rewritten.assetIds])].sort();
      return {
        assets: saved.map((a) => ({ ...a, deletedAt: byId.get(a.id)!.deleted ? new Date() : null })),
        changedIds,
        versions: rewritten.versions,
        moments: edits.reduce((n, e) => n + e.momentsChanged, 0),
        skipped,
      };
    });
  }

  /**
   * Counts the erased text's terms in place of the old, as enrichment would, for the assets already
   * counted (a tombstone was taken out at its delete; an asset not yet enriched counts at enrichment).
   */
  private async recountTerms(tx: Sql, tenantId: string, assets: Asset[]): Promise<void> {
    const terms = assets.map((a) => ({ assetId: a.id, terms: documentTerms(countTerms(a)) }));
    const counted = await this.deps.termStats.readMany(
      tx,
      tenantId,
      terms.map((t) => ({ assetId: t.assetId, terms: [] })),
    );
    await this.deps.termStats.writeMany(
      tx,
      tenantId,
      terms
        .filter((t) => counted.previous.has(t.assetId))
        .map((t) => ({ assetId: t.assetId, next: t.terms })),
    );
  }

  private async rewriteHistory(tx: Sql, tenantId: string, assetIds: string[], m: PersonMatcher) {
    const stored = await this.deps.versions.ofAssetsForErasure(tx, tenantId, assetIds);
    const rows = stored.flatMap((v) => {
      const snapshot = v.snapshot ? eraseFromRecord(v.snapshot, m) : null;
      const reason = v.reason === null ? null : m.eraseText(v.reason);
      const changedSnapshot = snapshot !== null && snapshot.changed.length > 0;
      if (!changedSnapshot && reason === v.reason) return [];
      return [
        {
          assetId: v.assetId,
          version: v.version,
          snapshot: changedSnapshot ? snapshot.record : null,
          reason,
        },
      ];
    });
    await this.deps.versions.rewriteInPlace(tx, tenantId, rows);
    return { versions: rows.length, assetIds: rows.map((r) => r.assetId) };
  }

  /**
   * Projects the rewritten assets before answering (the outbox's jobs then find them projected), so
   * no search or graph read finds the name once the erasure has answered. A failure is logged and
   * left to those jobs, and the report says so.
   */
  private projectNow(tenantId: string, assets: Asset[]): Promise<boolean> {
    return this.projectBatch(
      tenantId,
      assets.map((a) => ({ assetId: a.id, version: a.version })),
    );
  }

  /** `projectNow` of a job's batch (the projection reads each asset as it is: a comment moves no version). */
  private async projectBatch(
    tenantId: string,
    assets: JobPayloads['project-assets']['assets'],
  ): Promise<boolean> {
    try {
      await this.deps.project({ tenantId, assets });
      return true;
    } catch (err) {
      this.deps.log?.warn(
        { err, tenantId },
        'erasure: projecting in line failed; the projection jobs follow',
      );
      return false;
    }
  }

  /**
   * The click learning's queries that name the person (searched for by name): their statistics,
   * which suggestions complete, and their boosts. The next learning run counts from the events left.
   */
  private async forgetLearnedQueries(tenantId: string, m: PersonMatcher): Promise<number> {
    const found = await this.deps.clickLearning.erasureCandidates(
      this.deps.db,
      tenantId,
      m.sqlPattern,
      MAX_LEARNED_QUERIES,
    );
    const queries = [
      ...new Set(found.filter((q) => m.mentions(q.display) || m.mentions(q.query)).map((q) => q.query)),
    ];
    if (queries.length === 0) return 0;
    return this.deps.db.transaction((tx) => this.deps.clickLearning.forgetQueries(tx, tenantId, queries));
  }

  /** Earlier audit records that named the person (an edit's details, say): their details erased. */
  /**
   * Bulk jobs' records (their parameters, last error and change rows: a tag added or removed that
   * was the person) with the person taken out; how many jobs changed.
   */
  private async eraseFromJobs(tenantId: string, m: PersonMatcher): Promise<number> {
    let total = 0;
    let afterId: string | null = null;
    for (;;) {
      const page: ErasableJob[] = await this.deps.jobs.erasureCandidates(
        this.deps.db,
        tenantId,
        m.sqlPattern,
        {
          afterId,
          limit: AUDIT_BATCH,
        },
      );
      const rows = page.flatMap((job) => {
        const erased: ErasableJob = {
          ...job,
          params: eraseDeep(job.params, m) as Record<string, unknown>,
          lastError: job.lastError === null ? null : m.eraseText(job.lastError),
          changes: job.changes.map((c) => ({
            ord: c.ord,
            added: eraseDeep(c.added, m),
            removed: eraseDeep(c.removed, m),
            locked: eraseDeep(c.locked, m),
            unlocked: eraseDeep(c.unlocked, m),
            error: c.error === null ? null : m.eraseText(c.error),
          })),
        };
        return JSON.stringify(erased) === JSON.stringify(job) ? [] : [erased];
      });
      if (rows.length > 0) {
        await this.deps.db.transaction((tx) => this.deps.jobs.rewriteForErasure(tx, tenantId, rows));
        total += rows.length;
      }
      if (page.length < AUDIT_BATCH) return total;
      afterId = page[page.length - 1]!.id;
    }
  }

  private async eraseFromAudit(tenantId: string, m: PersonMatcher): Promise<number> {
    let total = 0;
    let afterId: string | null = null;
    for (;;) {
      const page = await this.deps.actions.erasureCandidates(this.deps.db, tenantId, m.sqlPattern, {
        afterId,
        limit: AUDIT_BATCH,
      });
      const rows = page.flatMap((r) => {
        const details = eraseDeep(r.details, m) as Record<string, unknown>;
        return JSON.stringify(details) === JSON.stringify(r.details) ? [] : [{ id: r.id, details }];
      });
      if (rows.length > 0) {
        await this.deps.db.transaction((tx) => this.deps.actions.rewriteDetails(tx, tenantId, rows));
        total += rows.length;
      }
      if (page.length < AUDIT_BATCH) return total;
      afterId = page[page.length - 1]!.id;
    }
  }
}

/**
 * The name's salted hash for the audit record: scrypt of its normalized form (domain/entities.ts)
 * with a random salt. Given a name, anyone holding the record can show it was this one (hash the
 * name's normalized form with the salt again); the record alone does not give the name, and scrypt
 * makes guessing names one by one slow.
 */
export async function nameHashOf(key: string): Promise<{ algorithm: 'scrypt'; salt: string; hash: string }> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(key, salt, 32);
  return { algorithm: 'scrypt', salt: salt.toString('hex'), hash: hash.toString('hex') };
}
