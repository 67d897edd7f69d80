import { Redis } from 'ioredis';
import type { StoredEvent } from '../domain/interaction-events.js';
import type { EventLog, EventLogEntry, ReadOptions } from './event-log.js';
import { byPartition, decodeEvents, encodeEvents } from './partitions.js';

export interface RedisEventLogOptions {
  /** Key prefix (the deployment's QUEUE_PREFIX). */
  prefix: string;
  partitions: number;
  /** A partition stays a consumer's this long after its last read. */
  leaseMs: number;
  /** Entries another consumer took and left unacknowledged this long are reclaimed. */
  reclaimMs: number;
}

/** What Redis persists of an acknowledged XADD (see docs/events.md#durability). */
export interface RedisDurability {
  appendonly: string | null;
  appendfsync: string | null;
}

const GROUP = 'analytics';
/** A field per entry: the partition's events of one batch, as JSON. */
const FIELD = 'e';

type StreamReply = [key: string, entries: [id: string, fields: string[] | null][]][] | null;

/**
 * Renews this consumer's own leases and takes free partitions up to ARGV[3] held in all, in one
 * round trip: a lease is a key holding the consumer's name with an expiry (SET NX PX), so one
 * consumer at a time reads a partition. Returns the indexes of the keys it holds.
 */
const LEASE_SCRIPT = `
local held = {}
local free = {}
for i, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if owner == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    table.insert(held, i - 1)
  elseif not owner then
    table.insert(free, i)
  end
end
local cap = tonumber(ARGV[3])
for _, i in ipairs(free) do
  if #held >= cap then break end
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
  table.insert(held, i - 1)
end
return held`;

/** Gives up the consumer's leases (on a clean stop), so another consumer takes over at once. */
const RELEASE_SCRIPT = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0`;

/**
 * The event log on Redis Streams (`REDIS_URL`): a stream per partition, a batch's events of one
 * partition in one entry (one XADD per partition per batch: entries, not events, cost round trips
 * and memory), one consumer group. A consumer holds a partition by a lease key; it reads first the
 * entries it took and did not acknowledge, then entries a consumer that lost its lease left past the
 * reclaim time (XAUTOCLAIM), then new ones. Acknowledged entries are deleted (XACK and XDEL), so a
 * stream's length is its backlog.
 *
 * Durability: an append resolves once Redis answered the XADD. With `appendonly yes` Redis has
 * written it to its append-only file before answering, so a killed Redis keeps it; with
 * `appendfsync always` a crash of the machine does too (docs/events.md#durability). Commands are
 * not queued while Redis is away (`enableOfflineQueue: false`): an append then fails at once, and
 * the API answers 503 rather than hold requests.
 */
export class RedisStreamEventLog implements EventLog {
  private readonly streams: string[];
  private readonly leases: string[];
  private readonly consumers = new Set<string>();

  private constructor(
    /** Appends, acknowledgements, leases. */
    private readonly writer: Redis,
    /** Blocking reads, which hold their connection while they wait. */
    private readonly reader: Redis,
    private readonly options: RedisEventLogOptions,
  ) {
    const { prefix, partitions } = options;
    this.streams = Array.from({ length: partitions }, (_, p) => `${prefix}:events:${p}`);
    this.leases = Array.from({ length: partitions }, (_, p) => `${prefix}:events:lease:${p}`);
  }

  /**
   * Connects in the background, so that the service starts while Redis is away (appends answer 503
   * until it is back). `onReady` hears what Redis persists, at the first connection.
   */
  static connect(
    url: string,
    options: RedisEventLogOptions,
    onReady?: (durability: RedisDurability) => void,
  ): RedisStreamEventLog {
    const connection = () => {
      const redis = new Redis(url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2_000,
      });
      // Errors reach the callers of commands; unheard, the event would end the process.
      redis.on('error', () => undefined);
      return redis;
    };
    const log = new RedisStreamEventLog(connection(), connection(), options);
    if (onReady) log.writer.once('ready', () => void log.durability().then(onReady));
    return log;
  }

  /** Connects and makes the streams and group first: for tests and scripts that need it at once. */
  static async open(url: string, options: RedisEventLogOptions): Promise<RedisStreamEventLog> {
    const log = RedisStreamEventLog.connect(url, options);
    await Promise.all(
      [log.writer, log.reader].map((r) =>
        r.status === 'ready' ? Promise.resolve() : new Promise((resolve) => r.once('ready', resolve)),
      ),
    );
    await log.groups();
    return log;
  }

  /** The streams and group exist: made once per connection to a Redis (again after it came back empty). */
  private groupsMade: Promise<void> | null = null;
  private groups(): Promise<void> {
    const made = (this.groupsMade ??= this.ensureGroups().catch((err: unknown) => {
      this.groupsMade = null;
      throw err;
    }));
    return made;
  }

  /** Creates each partition's stream and group, idempotently. */
  private async ensureGroups(): Promise<void> {
    const results = await this.writer
      .multi(this.streams.map((key) => ['xgroup', 'CREATE', key, GROUP, '0', 'MKSTREAM']))
      .exec();
    for (const [err] of results ?? []) if (err && !/BUSYGROUP/.test(err.message)) throw err;
  }

  /** What this Redis persists; null where CONFIG is not allowed (managed Redis). */
  async durability(): Promise<RedisDurability> {
    try {
      const [, appendonly] = (await this.writer.config('GET', 'appendonly')) as string[];
      const [, appendfsync] = (await this.writer.config('GET', 'appendfsync')) as string[];
      return { appendonly: appendonly ?? null, appendfsync: appendfsync ?? null };
    } catch {
      return { appendonly: null, appendfsync: null };
    }
  }

  async append(events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.groups();
    const pipeline = this.writer.pipeline();
    for (const [p, list] of byPartition(events, this.options.partitions))
      pipeline.xadd(this.streams[p]!, '*', FIELD, encodeEvents(list));
    const results = await pipeline.exec();
    if (!results) throw new Error('the event stream did not answer');
    for (const [err] of results) if (err) throw err;
  }

  async read(consumer: string, opts: ReadOptions): Promise<EventLogEntry[]> {
    try {
      await this.groups();
      return await this.readHeld(consumer, opts);
    } catch (err) {
      // Redis restarted without its data: the streams and groups are made again.
      if (err instanceof Error && /NOGROUP/.test(err.message)) this.groupsMade = null;
      throw err;
    }
  }

  private async readHeld(consumer: string, opts: ReadOptions): Promise<EventLogEntry[]> {
    this.consumers.add(consumer);
    const held = (await this.writer.eval(
      LEASE_SCRIPT,
      this.leases.length,
      ...this.leases,
      consumer,
      String(this.options.leaseMs),
      String(opts.maxPartitions ?? this.leases.length),
    )) as number[];
    if (held.length === 0) {
      // Every partition is another consumer's: wait, then ask again (one of them may have died).
      await new Promise((resolve) => setTimeout(resolve, Math.min(opts.blockMs, this.options.leaseMs)));
      return [];
    }
    const keys = held.map((p) => this.streams[p]!);
    const count = Math.max(1, Math.ceil(opts.maxEntries / held.length));

    // 1. What this consumer took before and did not acknowledge (its record failed): again.
    const own = (await this.writer.xreadgroup(
      'GROUP',
      GROUP,
      consumer,
      'COUNT',
      count,
      'STREAMS',
      ...keys,
      ...keys.map(() => '0'),
    )) as StreamReply;
    const mine = await this.entriesOf(own);
    if (mine.length > 0) return mine;

    // 2. What a consumer that lost these partitions left behind.
    const claims = this.writer.pipeline();
    for (const key of keys)
      claims.xautoclaim(key, GROUP, consumer, this.options.reclaimMs, '0-0', 'COUNT', count);
    const claimed = (await claims.exec()) ?? [];
    const reclaimed: StreamReply = [];
    claimed.forEach(([err, reply], i) => {
      if (err) throw err;
      const [, entries] = reply as [string, [string, string[] | null][]];
      reclaimed.push([keys[i]!, entries]);
    });
    const taken = await this.entriesOf(reclaimed);
    if (taken.length > 0) return taken;

    // 3. New entries, waiting for them at most blockMs (below the lease time, so it stays held).
    const fresh = (await this.reader.xreadgroup(
      'GROUP',
      GROUP,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      Math.max(1, Math.min(opts.blockMs, Math.floor(this.options.leaseMs / 2))),
      'STREAMS',
      ...keys,
      ...keys.map(() => '>'),
    )) as StreamReply;
    return this.entriesOf(fresh);
  }

  /** Entries from a stream reply; an entry deleted while pending is acknowledged and skipped. */
  private async entriesOf(reply: StreamReply): Promise<EventLogEntry[]> {
    const out: EventLogEntry[] = [];
    const gone: EventLogEntry[] = [];
    for (const [key, entries] of reply ?? []) {
      const partition = this.streams.indexOf(key);
      for (const [id, fields] of entries) {
        const at = fields ? fields.indexOf(FIELD) : -1;
        if (!fields || at < 0) gone.push({ id, partition, events: [] });
        else out.push({ id, partition, events: decodeEvents(fields[at + 1]!) });
      }
    }
    if (gone.length > 0) await this.ack('', gone);
    return out;
  }

  async ack(_consumer: string, entries: EventLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const ids = new Map<number, string[]>();
    for (const e of entries) ids.set(e.partition, [...(ids.get(e.partition) ?? []), e.id]);
    const pipeline = this.writer.pipeline();
    for (const [p, list] of ids) {
      pipeline.xack(this.streams[p]!, GROUP, ...list);
      pipeline.xdel(this.streams[p]!, ...list);
    }
    const results = await pipeline.exec();
    for (const [err] of results ?? []) if (err) throw err;
  }

  async lag(): Promise<{ entries: number; oldestMs: number | null }> {
    const pipeline = this.writer.pipeline();
    for (const key of this.streams) {
      pipeline.xlen(key);
      pipeline.xrange(key, '-', '+', 'COUNT', 1);
    }
    const results = (await pipeline.exec()) ?? [];
    let entries = 0;
    let oldest: number | null = null;
    for (let i = 0; i < results.length; i += 2) {
      const [lenErr, len] = results[i]!;
      const [rangeErr, range] = results[i + 1]!;
      if (lenErr) throw lenErr;
      if (rangeErr) throw rangeErr;
      entries += len as number;
      const first = (range as [string, string[]][])[0];
      if (first) {
        const at = Number(first[0].split('-')[0]);
        oldest = oldest === null ? at : Math.min(oldest, at);
      }
    }
    return { entries, oldestMs: oldest === null ? null : Math.max(0, Date.now() - oldest) };
  }

  async close(): Promise<void> {
    try {
      for (const consumer of this.consumers)
        await this.writer.eval(RELEASE_SCRIPT, this.leases.length, ...this.leases, consumer);
    } catch {
      // Redis is away: the leases lapse by themselves.
    }
    this.reader.disconnect();
    if (this.writer.status === 'ready') await this.writer.quit().catch(() => this.writer.disconnect());
    else this.writer.disconnect();
  }
}
