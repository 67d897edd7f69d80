import { run, type Database, type Sql } from '../../store/database.js';
import { SQL } from './statements.js';

const DAY = 86_400_000;
const PREFIX = 'analytics_events_p';

const dayOf = (d: Date) => Math.floor(d.getTime() / DAY) * DAY;
const nameOf = (day: number) => `${PREFIX}${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
/** The day a partition holds, from its name; null for a table not made here. */
const dayOfName = (name: string) => {
  const m = /^analytics_events_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
};

/**
 * The raw table's partitions, one per UTC day, made on demand for the days a batch touches (before
 * its transaction, so that the DDL's lock on the parent is short and never held with the rollups').
 * Known days are cached; a partition dropped by another process is made again on the insert's retry.
 */
export class Partitions {
  private readonly known = new Set<number>();

  constructor(private readonly db: Database) {}

  async ensure(times: Date[]): Promise<void> {
    const days = [...new Set(times.map(dayOf))].filter((d) => !this.known.has(d)).sort();
    if (days.length === 0) return;
    const existing = new Set((await this.list()).map((p) => p.day));
    for (const day of days) {
      if (!existing.has(day)) await this.create(day);
      this.known.add(day);
    }
  }

  forget(): void {
    this.known.clear();
  }

  /** The partitions, by the day each holds. */
  async list(): Promise<{ name: string; day: number }[]> {
    const rows = await run<{ name: string }>(this.db, SQL.partitions, {});
    return rows.flatMap(({ name }) => {
      const day = dayOfName(name);
      return day === null ? [] : [{ name, day }];
    });
  }

  private async create(day: number): Promise<void> {
    // The bounds are made from a number here, not from a request.
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY).toISOString();
    try {
      await this.db.query(
        `CREATE TABLE IF NOT EXISTS ${nameOf(day)} PARTITION OF analytics_events FOR VALUES FROM ('${from}') TO ('${to}')`,
      );
    } catch (err) {
      // Made meanwhile by another process.
      if (!['42P07', '23505'].includes((err as { code?: string }).code ?? '')) throw err;
    }
  }

  /**
   * Retention for one tenant: the days wholly before `before` that hold no other tenant's events are
   * dropped whole; the rest of the tenant's events before it are deleted. Returns how many went.
   */
  async expire(tenantId: string, before: Date): Promise<number> {
    let dropped = 0;
    // The names come from the catalog and matched the partition pattern.
    const count = (sql: Sql, name: string) =>
      sql.query<{ mine: number; others: boolean }>(
        `SELECT (SELECT count(*)::int FROM ${name} WHERE tenant_id = $1) AS mine,
                EXISTS (SELECT 1 FROM ${name} WHERE tenant_id <> $1) AS others`,
        [tenantId],
      );
    try {
      for (const { name, day } of await this.list()) {
        if (day + DAY > before.getTime()) continue;
        const [counts] = await count(this.db, name);
        if (!counts || counts.others) continue;
        await this.db.transaction(async (tx) => {
          // Counted again under the lock: an insert may have landed since.
          await tx.query(`LOCK TABLE ${name} IN ACCESS EXCLUSIVE MODE`);
          const [again] = await count(tx, name);
          if (again!.others) return;
          await tx.query(`DROP TABLE ${name}`);
          dropped += again!.mine;
        });
        this.known.delete(day);
      }
    } catch (err) {
      // Without rights on the partitions themselves (a tenant-scoped role), the rows are deleted below.
      if ((err as { code?: string }).code !== '42501') throw err;
    }
    const [deleted] = await run<{ n: number }>(this.db, SQL.expireEvents, { tenantId, before });
    await run(this.db, SQL.expireProgress, { tenantId, before });
    return dropped + deleted!.n;
  }
}
