import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseMaskFields, type MaskRule } from '../domain/masking.js';
import { parseSecretsKey, PUBLIC_SECRETS_KEYS } from '../domain/secret-box.js';

/** Empty strings in the environment mean "unset", as they do for most twelve-factor tools. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A Postgres server; without it the service runs on embedded PGlite under DATA_DIR. */
  DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/ })),
  DATA_DIR: z.string().default('./data'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** BullMQ on Redis; without it jobs run on the in-process queue. */
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),
  /** Elasticsearch for the search projection; without it search runs on Postgres. */
  ELASTICSEARCH_URL: optional(z.url({ protocol: /^https?$/ })),
  ELASTICSEARCH_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/)
    .default('media'),
  /** Neo4j for the graph projection; without it the graph runs on Postgres. */
  NEO4J_URL: optional(z.url({ protocol: /^(neo4j|bolt)(\+s|\+ssc)?$/ })),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: optional(z.string().min(1)),
  /**
   * ClickHouse's HTTP interface for the analytics store (credentials in the URL, no database in
   * its path); without it analytics run on Postgres.
   */
  CLICKHOUSE_URL: optional(z.url({ protocol: /^https?$/ })),
  /** The ClickHouse database of the analytics tables, created at start when missing. */
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/)
    .default('media_analytics'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]+$/)
    .default('mdisc'),
  /** Run the outbox relay and job workers inside the API process (required for the in-process queue). */
  RUN_WORKERS: z.stringbool().default(true),
  /** BullMQ: a running job's lease; a job whose worker died is taken up again after it runs out. */
  QUEUE_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** `npm run worker`: worker processes to run under one supervisor. Default: one per core. */
  WORKER_PROCESSES: optional(z.coerce.number().int().min(1).max(64)),
  /**
   * Threads that run the enrichment extraction off the main thread (0: in line). Default: one core
   * short of all of them (at least 1) with the in-process queue, whose workers share the API's
   * event loop; 0 with Redis, where worker processes scale by count instead.
   */
  EXTRACTION_THREADS: optional(z.coerce.number().int().min(0).max(64)),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** First retry delay; each later retry doubles it. */
  JOB_BACKOFF_MS: z.coerce.number().int().min(1).max(600_000).default(1_000),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  BOOTSTRAP_API_KEY: optional(z.string().min(16, 'BOOTSTRAP_API_KEY must be at least 16 characters')),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Requests per minute per API key (counted in Redis when REDIS_URL is set, so across processes). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1_200),
  WAIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  /** GET /v1/changes with follow: the longest wait between two reads of the log while it is quiet. */
  CHANGES_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** GET /v1/changes streams: a keep-alive comment (SSE) or blank line (NDJSON) after this much silence. */
  CHANGES_KEEPALIVE_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** GET /v1/changes streams open at once in this process; more are refused with 503. */
  CHANGES_MAX_STREAMS: z.coerce.number().int().min(1).max(100_000).default(200),
  /**
   * How long the asset change log keeps its entries (days); a cursor older than that gets 410 and
   * resyncs (docs/change-feeds.md, "Retention").
   */
  CHANGES_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** How often a process that runs workers prunes the change log (also once at start). 0: only at start. */
  CHANGES_RETENTION_INTERVAL_MS: z.coerce.number().int().min(0).max(604_800_000).default(3_600_000),
  /**
   * Let webhooks reach private, loopback and reserved addresses (SSRF protection off): for local
   * development and tests only. Off by default in every environment.
   */
  WEBHOOK_ALLOW_PRIVATE: z.stringbool().default(false),
  /** Attempts per webhook delivery, then it is FAILED (dead); a redelivery starts again. */
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** First webhook retry delay; each later one doubles (8 attempts at 60 s: about two hours). */
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(60_000),
  /** How often the controllers are read to run those whose sync interval has passed (docs/connectors.md); 0: only once at start. */
  CONTROLLER_TICK_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Longest a controller's feed may take to answer one request. */
  CONTROLLER_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** Largest answer a controller's feed may send for one page. */
  CONTROLLER_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  /**
   * The folder under which watched-folder and sidecar-folder controllers may read and write
   * (docs/connectors.md), each tenant only in its own `<root>/<tenant id>/`; unset: those kinds are
   * refused. Their paths are relative to the tenant's folder, and where they really lead (symbolic
   * links resolved) must lie inside it.
   */
  CONTROLLER_FOLDER_ROOT: z.string().trim().min(1).max(4096).optional(),
  /**
   * How old an asset's change must be before an egress controller sends it: a change is stamped
   * with its transaction's start, so one committed late could otherwise fall behind the cursor.
   */
  CONTROLLER_EGRESS_SETTLE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /** Wait before a partner push's second attempt at a batch within a run; each later one doubles. */
  CONTROLLER_PUSH_RETRY_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Longest a controller's run holds it before another process may take it over (a process that died mid-sync). */
  CONTROLLER_LEASE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
  /** Longest a receiver may take to answer one attempt. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** The default of GET /v1/search?blend= (see docs/blended-search.md for the evaluation behind it). */
  SEARCH_BLEND: z.enum(['none', 'graph', 'auto']).default('auto'),
  /** The default of GET /v1/search?mode= (docs/semantic-search.md for the evaluation behind it). */
  SEARCH_MODE: z.enum(['lexical', 'semantic', 'hybrid']).default('lexical'),
  /**
   * Whether a tenant without a setting of its own embeds its assets for semantic search (each
   * tenant may turn it on or off; docs/semantic-search.md).
   */
  SEMANTIC_SEARCH: z.stringbool().default(false),
  /**
   * The vector ranking's weight in hybrid search's rank fusion, the text ranking's being 1
   * (docs/semantic-search.md for the sweep behind the default).
   */
  SEMANTIC_WEIGHT: z.coerce.number().min(0).max(10).default(0.1),
  /** The sentence-embedding model: use-lite (USE lite, 512 dimensions, shipped in a package) or hashing (tests only). */
  EMBEDDING_MODEL: z.enum(['use-lite', 'hashing']).default('use-lite'),
  /** The embedded vector index's files; default: vectors/ under DATA_DIR. */
  VECTOR_INDEX_DIR: z.string().trim().min(1).optional(),
  /**
   * Pseudo-relevance feedback (RM3) in a relevance ranking: \`auto\` where it was measured to gain (queries
   * of 6 terms or more on a tenant of 1,000 documents or more), \`on\`, \`off\` (docs/search-relevance.md).
   */
  SEARCH_FEEDBACK: z.enum(['auto', 'on', 'off']).default('auto'),
  /**
   * Term proximity: the best 100 candidates of a relevance ranking rescored for query terms near each
   * other. Off by default: it gained nothing on CISI or TED (docs/search-relevance.md).
   */
  SEARCH_PROXIMITY: z.stringbool().default(false),
  /**
   * Metadata replaced by tokens before it is stored, comma-separated: `operationalTags.<key>` (the
   * value of `<key>:<value>` tags), `operationalTags` (every tag), `contributors` (docs/export-and-masking.md).
   */
  MASK_FIELDS: z
    .string()
    .default('')
    .transform((spec, ctx): MaskRule[] => {
      try {
        return parseMaskFields(spec);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** The secret tokens are made with and masked values are encrypted with; needed with MASK_FIELDS. */
  MASK_KEY: optional(z.string().min(32, 'MASK_KEY must be at least 32 characters')),
  /**
   * The key webhooks' and partner pushes' signing secrets are sealed with at rest (AES-256-GCM;
   * docs/webhooks.md): 32 bytes as 64 hex digits or base64. Required in production; elsewhere,
   * unset means a public development key.
   */
  SECRETS_KEY: optional(z.string().transform(secretsKey)),
  /** Earlier SECRETS_KEYs, comma-separated: values sealed under them are opened and sealed again at start. */
  SECRETS_KEY_PREVIOUS: z
    .string()
    .default('')
    .transform((list, ctx) =>
      list
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== '')
        .map((k) => secretsKey(k, ctx)),
    ),
  /**
   * The key page cursors are signed with. Give every API process the same one; without it each
   * process makes a random key, and its cursors are refused by other processes and after a restart.
   */
  CURSOR_SECRET: optional(z.string().min(32, 'CURSOR_SECRET must be at least 32 characters')),
  /** Serve Prometheus metrics at /metrics (unauthenticated, like /health and /ready). */
  METRICS_ENABLED: z.stringbool().default(true),
  /**
   * Worker processes (`npm run worker`) serve GET /metrics on this port, slot n on METRICS_PORT + n,
   * as they have no API to serve it on; unset: they serve none. The API serves it on PORT.
   */
  METRICS_PORT: optional(z.coerce.number().int().min(1).max(65535)),
  /**
   * OpenTelemetry traces go over OTLP/HTTP to this base URL (`/v1/traces` is appended, as the OTLP
   * spec says for the generic endpoint). Unset: tracing is off and costs nothing (docs/tracing.md).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  /** The `service.name` of the spans; worker processes add `-worker`. */
  OTEL_SERVICE_NAME: z.string().min(1).default('media-discovery'),
  /** Share of new traces recorded (a request that arrives with a sampled trace context stays sampled). */
  OTEL_TRACES_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  /** A /ready check that takes longer is `down`. */
  READY_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(2_000),
  /**
   * Run the drift check this often in each process that runs workers (0: never; `npm run drift` by
   * hand). Default: 15 with the in-process queue, whose lost jobs only a check finds; 0 with Redis.
   */
  DRIFT_CHECK_INTERVAL_MINUTES: optional(z.coerce.number().min(0).max(10_080)),
  /** Repair what the scheduled drift check finds. Default: true with the in-process queue, false with Redis. */
  DRIFT_REPAIR: optional(z.stringbool()),
  /**
   * Check and repair drift once when the workers start. Default: true with the in-process queue,
   * whose jobs in memory a crash loses; false with Redis.
   */
  DRIFT_CHECK_ON_START: optional(z.stringbool()),
  /** After SIGTERM, the longest wait for in-flight requests and jobs before exiting anyway (0: no limit). */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /**
   * A partner's identity provider: bearer JWTs it signs (keys at JWT_JWKS_URL) are accepted on the
   * metrics routes, for the tenant their JWT_TENANT_CLAIM names, when their scope holds metrics:read.
   */
  JWT_ISSUER: optional(z.string().min(1)),
  JWT_JWKS_URL: optional(z.url({ protocol: /^https?$/ })),
  /** When set, a token's `aud` must name it. */
  JWT_AUDIENCE: optional(z.string().min(1)),
  JWT_TENANT_CLAIM: z.string().min(1).default('tenant'),
  /**
   * Partitions of the event stream (docs/events.md): events of one user token stay in one; a
   * partition is read by one consumer at a time, so this bounds the consumers that work at once.
   */
  EVENT_PARTITIONS: z.coerce.number().int().min(1).max(256).default(8),
  /** A consumer's hold on a partition lapses this long after its last read (then another takes it). */
  EVENT_LEASE_MS: z.coerce.number().int().min(200).max(600_000).default(15_000),
  /** Redis: entries a consumer took and left unacknowledged this long go to the partition's next consumer. */
  EVENT_RECLAIM_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /**
   * Stream entries a consumer reads at once (each one partition's events of one batch). Default 64,
   * 256 on ClickHouse (fewer, larger inserts: docs/analytics.md#recording-throughput).
   */
  EVENT_CONSUMER_ENTRIES: optional(z.coerce.number().int().min(1).max(1_000)),
  /**
   * Event consumers in a process running the workers, sharing the stream's partitions. Default 2 on a
   * Postgres server store (a batch records on one connection: two use both cores), else 1.
   */
  EVENT_CONSUMERS: optional(z.coerce.number().int().min(1).max(16)),
  /** How long POST /v1/events reuses an asset's dimensions and a tenant's event types. */
  EVENT_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /**
   * How often a process running workers applies each tenant's raw-event retention (also once at
   * start). 0: only at start.
   */
  EVENT_RETENTION_INTERVAL_MS: z.coerce.number().int().min(0).max(604_800_000).default(3_600_000),
  /** How often rolling metadata kinds are compacted (docs/metadata.md#retention); 0: never. */
  METADATA_RETENTION_INTERVAL_MS: z.coerce.number().int().min(0).max(604_800_000).default(3_600_000),
  /**
   * How often "viewers also watched" is recomputed in a process that runs workers (ms; also once at
   * start), a bounded number of pages per tenant each time. 0: only at start.
   */
  CO_VIEW_INTERVAL_MS: z.coerce.number().int().min(0).max(604_800_000).default(3_600_000),
  /**
   * How often the text signal kept per asset version is computed again where it is older than a day
   * (services/related-text-service.ts), a bounded number per tenant each time. 0: only at start.
   */
  RELATED_TEXT_REFRESH_INTERVAL_MS: z.coerce.number().int().min(0).max(604_800_000).default(600_000),
  /** How often the click learning recomputes every tenant's boosts (docs/clicks.md); 0: only at start. */
  CLICK_LEARNING_INTERVAL_MS: z.coerce.number().int().min(0).max(604_800_000).default(3_600_000),
  /** `asset.watched`: a `progress` at this share of the asset's duration counts as watched. */
  WATCHED_SHARE: z.coerce.number().gt(0).max(1).default(0.9),
  /** /ready calls the event stream `behind` when its oldest unacknowledged entry is older (seconds). */
  EVENT_LAG_BEHIND_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
  /** A /ready check that takes longer is `degraded`. */
  READY_SLOW_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  /**
   * How often a process running workers recomputes popularity and trending from the events (also
   * once at start; docs/popularity.md). 0: only at start.
   */
  POPULARITY_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(900_000),
  /**
   * How often a process running workers starts a run of the lifecycle rules for each tenant with
   * an active rule whose last run is older (docs/lifecycle.md#lifecycle-rules; default daily). 0:
   * only the check at start.
   */
  LIFECYCLE_INTERVAL_MS: z.coerce.number().int().min(0).max(2_592_000_000).default(86_400_000),
  /** Archives and deletes per second a lifecycle run makes at most. */
  LIFECYCLE_ACTIONS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Popularity's half-life: a view this many days ago counts half as much as one now. */
  POPULARITY_HALF_LIFE_DAYS: z.coerce.number().min(0.25).max(365).default(7),
  /** Assets per page of a recomputation: one read, one write and one projection update each. */
  POPULARITY_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
});

function secretsKey(text: string, ctx: z.RefinementCtx): Buffer {
  try {
    return parseSecretsKey(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
}

type Defaulted =
  | 'DRIFT_CHECK_INTERVAL_MINUTES'
  | 'DRIFT_REPAIR'
  | 'DRIFT_CHECK_ON_START'
  | 'WORKER_PROCESSES'
  | 'EXTRACTION_THREADS';

export type Config = Omit<z.infer<typeof ConfigSchema>, Defaulted> & {
  DRIFT_CHECK_INTERVAL_MINUTES: number;
  DRIFT_REPAIR: boolean;
  DRIFT_CHECK_ON_START: boolean;
  WORKER_PROCESSES: number;
  EXTRACTION_THREADS: number;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; start-up fails loudly on anything invalid. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (!result.data.REDIS_URL && !result.data.RUN_WORKERS) {
    throw new ConfigError('RUN_WORKERS=false needs REDIS_URL: the in-process queue only runs inside the API');
  }
  if (result.data.MASK_FIELDS.length > 0 && !result.data.MASK_KEY) {
    throw new ConfigError('MASK_FIELDS needs MASK_KEY: tokens are made with it');
  }
  if (result.data.NODE_ENV === 'production' && !result.data.SECRETS_KEY) {
    throw new ConfigError(
      'NODE_ENV=production needs SECRETS_KEY (32 bytes, hex or base64): signing secrets are sealed with it',
    );
  }
  const secretsKey = result.data.SECRETS_KEY;
  if (
    result.data.NODE_ENV === 'production' &&
    secretsKey &&
    PUBLIC_SECRETS_KEYS.some((k) => k.equals(secretsKey))
  ) {
    throw new ConfigError(
      'SECRETS_KEY is a public key (the development key, or all zeros): NODE_ENV=production needs one of its own (openssl rand -hex 32); keep the public one in SECRETS_KEY_PREVIOUS until `npm run secrets:seal` has sealed everything again',
    );
  }
  if (result.data.NEO4J_URL && !result.data.NEO4J_PASSWORD) {
    throw new ConfigError('NEO4J_URL needs NEO4J_PASSWORD');
  }
  if (Boolean(result.data.JWT_ISSUER) !== Boolean(result.data.JWT_JWKS_URL)) {
    throw new ConfigError(
      'JWT_ISSUER and JWT_JWKS_URL go together: tokens are verified against the keys of their issuer',
    );
  }
  // The embedded default (no Redis) checks and repairs drift by itself: its queue lives in memory.
  const inProcess = !result.data.REDIS_URL;
  const cores = usableCores();
  return {
    ...result.data,
    WORKER_PROCESSES: result.data.WORKER_PROCESSES ?? cores,
    EXTRACTION_THREADS: result.data.EXTRACTION_THREADS ?? (inProcess ? Math.max(1, cores - 1) : 0),
    DRIFT_CHECK_INTERVAL_MINUTES: result.data.DRIFT_CHECK_INTERVAL_MINUTES ?? (inProcess ? 15 : 0),
    DRIFT_REPAIR: result.data.DRIFT_REPAIR ?? inProcess,
    DRIFT_CHECK_ON_START: result.data.DRIFT_CHECK_ON_START ?? inProcess,
  };
}

/**
 * The cores this process may use: the CPUs it may run on, capped by a cgroup v2 CPU quota (a
 * container given 2 CPUs on a 32-core host is told 32 by the CPU count alone, and one worker process
 * per core would then open 32 connection pools).
 */
export function usableCores(cpuMax = readCpuMax()): number {
  const [quota, period] = (cpuMax ?? 'max').trim().split(/\s+/);
  const limit = quota === 'max' ? Infinity : Math.ceil(Number(quota) / Number(period || 100_000));
  return Math.max(1, Math.min(64, availableParallelism(), Number.isFinite(limit) ? limit : Infinity));
}

function readCpuMax(): string | null {
  try {
    return readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
  } catch {
    return null; // not Linux, or cgroup v1: the CPU count alone
  }
}
