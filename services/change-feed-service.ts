import type { AssetChange, AssetChangeType } from '../domain/asset-changes.js';
import { ResyncRequiredError, ValidationError } from '../domain/errors.js';
import type {
  AssetChangesRepository,
  ChangePosition,
  StoredChange,
} from '../store/asset-changes-repository.js';
import type { Database } from '../store/db.js';
import { sum, walkTenants } from './tenant-walk.js';

/** The most entries one read of the log returns. */
export const MAX_CHANGES_PAGE = 1_000;

/** One read of the log: the entries, and the cursor to read on from (the given one when none). */
export interface ChangePage {
  items: AssetChange[];
  cursor: string | null;
}

/**
 * A cursor is the entry's place in the log, `<xid>-<id>`: not signed, because it must outlive the
 * process (a mirror resumes with it after a restart, CURSOR_SECRET or not), and it names nothing
 * but a place in the key's own tenant's log, which every read is filtered by.
 */
const CURSOR = /^([0-9]{1,19})-([0-9]{1,15})$/;

export function changeCursorOf(p: ChangePosition): string {
  return `${p.xid}-${p.id}`;
}

export function parseChangeCursor(cursor: string | null | undefined): ChangePosition | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  const m = CURSOR.exec(cursor);
  if (!m) throw new ValidationError('cursor is not one this feed issued', { field: 'cursor' });
  return { xid: m[1]!, id: Number(m[2]) };
}

const toChange = ({ position, ...c }: StoredChange): AssetChange => ({
  ...c,
  cursor: changeCursorOf(position),
});

/** Whether `a` comes before `b` in the log (xid first, as decimal text past 2^53, then id). */
function isBefore(a: ChangePosition, b: ChangePosition): boolean {
  const [ax, bx] = [BigInt(a.xid), BigInt(b.xid)];
  return ax < bx || (ax === bx && a.id < b.id);
}

const DAY_MS = 86_400_000;

export interface ChangeRetention {
  /** Entries older than this many days are pruned (CHANGES_RETENTION_DAYS). */
  days: number;
  /** Entries deleted by one statement. */
  batchSize?: number;
  /** Statements per tenant and run: a tenant with more to prune goes on at the next run. */
  batchesPerRun?: number;
}

/** What a retention run did: the tenants walked, the entries deleted, the tenants that failed. */
export interface ChangeRetentionRun {
  tenants: number;
  removed: number;
  failed: string[];
}

/**
 * Wakes the readers that follow a tenant's log when a write to it commits (LISTEN on a Postgres
 * server; docs/change-feeds.md). It listens from the first subscriber on; where the database cannot
 * notify (PGlite), or while its connection is lost, nobody is woken and the readers poll.
 */
export class ChangeWakeups {
  private readonly byTenant = new Map<string, Set<() => void>>();
  private listening: Promise<(() => Promise<void>) | null> | null = null;

  constructor(
    private readonly deps: {
      db: Database;
      changes: Pick<AssetChangesRepository, 'listen'>;
      log?: { warn(obj: object, msg: string): void };
    },
  ) {}

  /** Calls `wake` after each commit that wrote to the tenant's log, until the returned function is called. */
  subscribe(tenantId: string, wake: () => void): () => void {
    this.listening ??= (
      this.deps.changes.listen(this.deps.db, (t) => this.wake(t)) ?? Promise.resolve(null)
    ).catch((err: unknown) => {
      this.deps.log?.warn({ err }, 'change log: not listening for writes; followers poll');
      // Not kept: the next subscriber tries again.
      this.listening = null;
      return null;
    });
    let set = this.byTenant.get(tenantId);
    if (!set) this.byTenant.set(tenantId, (set = new Set()));
    set.add(wake);
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.byTenant.get(tenantId) === set) this.byTenant.delete(tenantId);
    };
  }

  /**
   * Whether writes wake the subscribers (false: they poll), once listening has started or failed. On
   * a server it is true even while its connection is not (yet) up: it keeps trying to connect.
   */
  async ready(): Promise<boolean> {
    return ((await this.listening) ?? null) !== null;
  }

  private wake(tenantId: string): void {
    for (const wake of this.byTenant.get(tenantId) ?? []) wake();
  }

  async close(): Promise<void> {
    const stop = await this.listening;
    this.listening = null;
    await stop?.();
  }
}

/**
 * The tenant's asset change log (docs/change-feeds.md): every change of each of its assets once, in
 * an order that a reader resuming from the last cursor it was given never skips an entry in, even
 * one whose transaction committed after later ones were read.
 */
export class ChangeFeedService {
  constructor(
    private readonly deps: {
      db: Database;
      changes: Pick<AssetChangesRepository, 'page' | 'horizon' | 'head' | 'prune'>;
      tenantIds: () => Promise<string[]>;
      /** Without it, followers poll only. */
      wakeups?: ChangeWakeups;
      log?: { warn(obj: object, msg: string): void };
    },
    private readonly retention: ChangeRetention,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Up to `limit` entries after `cursor` (from the start without one), filtered by change type. */
  async read(
    tenantId: string,
    opts: { cursor: string | null; limit: number; types?: readonly AssetChangeType[] | undefined },
  ): Promise<ChangePage> {
    const after = parseChangeCursor(opts.cursor);
    const limit = Math.max(1, Math.min(MAX_CHANGES_PAGE, Math.floor(opts.limit)));
    const rows = await this.deps.changes.page(
      this.deps.db,
      tenantId,
      after,
      limit,
      opts.types && opts.types.length > 0 ? opts.types : null,
    );
    // After the page, not before: a prune that committed between the two reads moved the horizon
    // past the cursor, and is seen here, so a page with a hole in it is never answered.
    await this.refuseIfPruned(tenantId, after);
    const items = rows.map(toChange);
    return { items, cursor: items.at(-1)?.cursor ?? opts.cursor ?? null };
  }

  /**
   * Calls `wake` when the tenant's log may have grown (a write committed), until the returned
   * function is called; never, where nothing notifies (the reader polls).
   */
  onChange(tenantId: string, wake: () => void): () => void {
    return this.deps.wakeups?.subscribe(tenantId, wake) ?? (() => undefined);
  }

  /**
   * Throws ResyncRequiredError (410) when entries after `cursor` were pruned, or, without a cursor,
   * when any were: the log no longer holds every change since there. A stream checks before it
   * starts, so that the refusal is its answer rather than a cut stream.
   */
  async assertRetained(tenantId: string, cursor: string | null): Promise<void> {
    await this.refuseIfPruned(tenantId, parseChangeCursor(cursor));
  }

  private async refuseIfPruned(tenantId: string, after: ChangePosition | null): Promise<void> {
    const horizon = await this.deps.changes.horizon(this.deps.db, tenantId);
    if (horizon === null || (after !== null && !isBefore(after, horizon))) return;
    const head = await this.deps.changes.head(this.deps.db, tenantId);
    throw new ResyncRequiredError(
      `${after === null ? 'the start of the change log' : 'the cursor'} is older than the log keeps ` +
        `(${this.retention.days} days): changes after it were pruned. Resync: list the assets in full ` +
        '(GET /v1/assets), then read the changes from resumeCursor.',
      { resumeCursor: head ? changeCursorOf(head) : null, retentionDays: this.retention.days },
    );
  }

  /**
   * Retention: deletes each tenant's entries older than `retention.days`, at most
   * `batchSize` × `batchesPerRun` per tenant and run, moving its horizon past them. A tenant that
   * fails is logged and the others go on; the next run goes on where this one stopped.
   */
  async pruneAll(): Promise<ChangeRetentionRun> {
    const walk = await walkTenants(await this.deps.tenantIds(), (tenantId) => this.prune(tenantId), {
      what: 'change-log retention',
      log: this.deps.log,
    });
    return { tenants: walk.tenants, removed: sum(walk.results), failed: walk.failed };
  }

  /** One tenant's part of a retention run: how many entries it deleted. */
  async prune(tenantId: string): Promise<number> {
    const { days, batchSize = 1_000, batchesPerRun = 10 } = this.retention;
    const before = new Date(this.clock().getTime() - days * DAY_MS);
    let removed = 0;
    for (let i = 0; i < batchesPerRun; i++) {
      const n = await this.deps.changes.prune(this.deps.db, tenantId, before, batchSize);
      removed += n;
      if (n < batchSize) break;
    }
    return removed;
  }
}
