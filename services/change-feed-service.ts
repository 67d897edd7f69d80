import type { AssetChange, AssetChangeType } from '../domain/asset-changes.js';
import { ValidationError } from '../domain/errors.js';
import type {
  AssetChangesRepository,
  ChangePosition,
  StoredChange,
} from '../store/asset-changes-repository.js';
import type { Database } from '../store/db.js';

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

/**
 * The tenant's asset change log (docs/change-feeds.md): every change of each of its assets once, in
 * an order that a reader resuming from the last cursor it was given never skips an entry in, even
 * one whose transaction committed after later ones were read.
 */
export class ChangeFeedService {
  constructor(private readonly deps: { db: Database; changes: Pick<AssetChangesRepository, 'page'> }) {}

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
    const items = rows.map(toChange);
    return { items, cursor: items.at(-1)?.cursor ?? opts.cursor ?? null };
  }
}
