import { Neo4jGraphStore } from '../graph/neo4j-graph-store.js';
import { PostgresGraphStore } from '../graph/postgres-graph-store.js';
import type { GraphStore } from '../graph/graph-store.js';
import type { AnalyticsStore } from '../analytics/analytics-store.js';
import { CursorSigner } from '../domain/cursor.js';
import { ConcurrentProjectionError, PostgresSearchIndex } from '../search/postgres-search-index.js';
import { ElasticsearchSearchIndex } from '../search/elasticsearch-search-index.js';
import type { SearchIndex } from '../search/search-index.js';
import { ApiKeyService } from '../services/api-key-service.js';
import { AssetLifecycleService } from '../services/asset-lifecycle-service.js';
import { LifecycleRulesService } from '../services/lifecycle-rules-service.js';
import { PersonErasureService } from '../services/person-erasure-service.js';
import { AssetService } from '../services/asset-service.js';
import { AuditService } from '../services/audit-service.js';
import { DiscoveryService } from '../services/discovery-service.js';
import { DriftService, type DriftProjections } from '../services/drift-service.js';
import { RebuildService, type RebuildAdapters } from '../services/rebuild-service.js';
import { IngestService } from '../services/ingest-service.js';
import { EnrichmentSettingsService } from '../services/enrichment-settings-service.js';
import { CurationService } from '../services/curation-service.js';
import { JobsService } from '../services/jobs-service.js';
import { MaskingService, noMasking, type Masker } from '../services/masking-service.js';
import { ExportService } from '../services/export-service.js';
import { WebhookService } from '../services/webhook-service.js';
import { SettledWriteService } from '../services/settled-write-service.js';
import type { extractAll } from '../enrichment/extract.js';
import { advisoryLock, advisoryLockIfFree } from '../store/advisory-lock.js';
import { inBackground, inForeground, openDatabase, type Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { DEVELOPMENT_SECRETS_KEY, SecretBox } from '../domain/secret-box.js';
import { sealSigningSecrets, SigningSecrets } from '../services/signing-secrets.js';
import { signingSecretsRepository } from '../store/signing-secrets-repository.js';
import { actionsRepository } from '../store/actions-repository.js';
import { apiKeysRepository } from '../store/api-keys-repository.js';
import { assetExportRepository } from '../store/asset-export-repository.js';
import { assetsRepository } from '../store/assets-repository.js';
import { driftRepository } from '../store/drift-repository.js';
import { maskingRepository } from '../store/masking-repository.js';
import { outboxRepository } from '../store/outbox-repository.js';
import { tenantsRepository } from '../store/tenants-repository.js';
import { versionsRepository } from '../store/versions-repository.js';
import { webhooksRepository } from '../store/webhooks-repository.js';
import { countingAssets, createJobHandlers } from '../workers/handlers.js';
import { guardedLookup, sendWebhook } from '../workers/webhooks/send-webhook.js';
import { createConnectors, createEgressTargets } from '../connectors/connectors.js';
import { folderAccess } from '../connectors/folder-access.js';
import { httpFetch } from '../connectors/http-fetch.js';
import { controllersRepository } from '../store/controllers-repository.js';
import { ControllerService } from '../services/controller-service.js';
import type { JobContext, JobHandler, JobHandlers, JobName, JobRequest } from '../queue/jobs.js';
import { OutboxRelay } from '../workers/outbox-relay.js';
import { CoViewService } from '../services/co-view-service.js';
import { RelatedTextService } from '../services/related-text-service.js';
import { coViewsRepository } from '../store/co-views-repository.js';
import { relatedTextRepository } from '../store/related-text-repository.js';
import { ClickLearningService } from '../services/click-learning-service.js';
import { clickLearningRepository } from '../store/click-learning-repository.js';
import { EventPrivacyService } from '../services/event-privacy-service.js';
import { eventSettingsRepository } from '../store/event-settings-repository.js';
import { BullMqQueue } from '../queue/bullmq-queue.js';
import { InProcessQueue } from '../queue/in-process-queue.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Config } from './config.js';
import { tracedPort, type PortSpans } from './tracing.js';
import { tracingEnabled } from '../domain/tracing.js';
import { serviceMetrics, type ServiceMetrics } from '../services/metrics.js';
import { SystemService } from '../services/system-service.js';
import { inTenantScope, outsideTenantScope } from '../store/tenant-isolation.js';
import { projectionAccess, projectionRebuildsRepository } from '../store/projection-rebuilds-repository.js';
import { backgroundJobsRepository } from '../store/background-jobs-repository.js';
import { lifecycleRulesRepository } from '../store/lifecycle-rules-repository.js';
import { enrichmentSettingsRepository } from '../store/enrichment-settings-repository.js';
import { healthRepository } from '../store/health-repository.js';
import { processingJobsRepository } from '../store/processing-jobs-repository.js';
import { termStatsRepository } from '../store/term-stats-repository.js';
import { workflowsRepository } from '../store/workflows-repository.js';
import { BackgroundJobsService } from '../services/background-jobs-service.js';
import { DatabaseHealthService } from '../services/database-health-service.js';
import { EnrichmentService } from '../services/enrichment-service.js';
import { inlineExtraction, type AssetExtraction } from '../services/asset-extraction.js';
import { ExtractionThreads } from '../workers/extraction-threads.js';
import { LabelTrainingService } from '../services/label-training-service.js';
import { OutboxRelayService } from '../services/outbox-relay-service.js';
import { ProjectionService } from '../services/projection-service.js';
import { RecoveryService } from '../services/recovery-service.js';
import { RenameRules } from '../services/rename-rules.js';
import { TenantContextCache } from '../services/tenant-enrichment-context.js';
import { WebhookDeliveryService } from '../services/webhook-delivery-service.js';
import { PipelineStatusService } from '../services/pipeline-status-service.js';
import { ChangeFeedService, ChangeWakeups } from '../services/change-feed-service.js';
import { SavedSearchService } from '../services/saved-search-service.js';
import { MetricsService } from '../services/metrics-service.js';
import { TokenVerifier } from '../services/token-verifier.js';
import { operationalMetricsRepository } from '../store/operational-metrics-repository.js';
import { pipelineRepository } from '../store/pipeline-repository.js';
import { assetChangesRepository } from '../store/asset-changes-repository.js';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { EventLog } from '../stream/event-log.js';
import { PostgresEventLog } from '../stream/postgres-event-log.js';
import { RedisStreamEventLog } from '../stream/redis-stream-event-log.js';
import { EventIngestService } from '../services/event-ingest-service.js';
import { DerivedEventsService } from '../services/derived-events-service.js';
import { derivedEventKeysRepository, eventTypesRepository } from '../store/interaction-events-repository.js';
import { EventConsumer } from '../workers/event-consumer.js';
import { PostgresAnalyticsStore } from '../analytics/postgres-analytics-store.js';
import { ClickHouseAnalyticsStore } from '../analytics/clickhouse-analytics-store.js';
import { savedSearchesRepository } from '../store/saved-searches-repository.js';
import { commentsRepository } from '../store/comments-repository.js';
import { CommentService } from '../services/comment-service.js';
import { InProcessCommentBus, type CommentBus } from '../stream/comment-bus.js';
import { RedisCommentBus } from '../stream/redis-comment-bus.js';
import { metadataRepository } from '../store/metadata-repository.js';
import { MetadataService } from '../services/metadata-service.js';
import { PopularityService } from '../services/popularity-service.js';
import type { IntervalSchedule } from '../workers/interval-schedule.js';
import { scheduleDrift, scheduleTenantRun, tenantRuns } from '../workers/schedules.js';
import { popularityRepository } from '../store/popularity-repository.js';
import { DEFAULT_POPULARITY_SETTINGS } from '../domain/popularity.js';
import { join } from 'node:path';
import { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { HashingEmbedder, type Embedder } from '../enrichment/embeddings.js';
import { UseLiteEmbedder } from '../enrichment/use-lite-embedder.js';
import { ElasticsearchVectorIndex } from '../search/elasticsearch-vector-index.js';
import { UsearchVectorIndex } from '../search/usearch-vector-index.js';
import type { VectorIndex } from '../search/vector-index.js';
import { EmbeddingService } from '../services/embedding-service.js';
import { embeddingsRepository } from '../store/embeddings-repository.js';

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const DEFAULT_TENANT = 'default';

/** Everything the API and the workers run on, built from the config in one place. */
export interface Container {
  config: Config;
  db: Database;
  queue: JobQueue;
  graph: GraphStore;
  search: SearchIndex;
  /** Interaction events and their rollups (analytics/analytics-store.ts). */
  analytics: AnalyticsStore;
  relay: OutboxRelay;
  ingest: IngestService;
  assets: AssetService;
  /** Ingest and curation writes that answer once searchable when asked to wait (`?wait=true`). */
  writes: SettledWriteService;
  discovery: DiscoveryService;
  /** The embedding extractor, the semantic search setting per tenant, vector rebuild and backfill. */
  embeddings: EmbeddingService;
  apiKeys: ApiKeyService;
  jobs: JobsService;
  curation: CurationService;
  /** Archive and restore, delete and purge, legal holds (docs/lifecycle.md). */
  lifecycle: AssetLifecycleService;
  /** Rules that archive and delete assets by age, run on a schedule (docs/lifecycle.md). */
  lifecycleRules: LifecycleRulesService;
  /** A person's erasure (docs/lifecycle.md, "Erasure"). */
  erasure: PersonErasureService;
  audit: AuditService;
  enrichmentSettings: EnrichmentSettingsService;
  /** The `enrich-assets` job. */
  enrichment: EnrichmentService;
  /** The `project-assets` job, and projecting one asset on demand. */
  projection: ProjectionService;
  masking: MaskingService;
  exports: ExportService;
  webhooks: WebhookService;
  savedSearches: SavedSearchService;
  /** Comments and time-coded feedback on assets (docs/comments.md). */
  comments: CommentService;
  /** Metadata records, their kinds and the log (docs/metadata.md). */
  metadata: MetadataService;
  /** Ingress controllers: feeds synced on a schedule (docs/connectors.md). */
  controllers: ControllerService;
  /** Runs the controllers that are due every CONTROLLER_TICK_MS in a process that runs workers. */
  controllerSchedule: IntervalSchedule;
  pipeline: PipelineStatusService;
  /** The tenant's asset change log (GET /v1/changes). */
  changes: ChangeFeedService;
  /** GET /v1/metrics: series from the analytics store and the canonical store. */
  metricsQueries: MetricsService;
  /** Bearer JWTs for the metrics routes; null without JWT_ISSUER. */
  tokens: TokenVerifier | null;
  /** POST /v1/events and the tenant's custom event types. */
  events: EventIngestService;
  /** The durable stream between POST /v1/events and the analytics store. */
  eventLog: EventLog;
  /** Erasure and raw-event retention of interaction events. */
  eventPrivacy: EventPrivacyService;
  /** Click boosts, popular queries and the curators' query lists (docs/clicks.md). */
  clickLearning: ClickLearningService;
  /** Recomputes the click boosts on schedule; started by startWorkers. */
  clickLearningSchedule: IntervalSchedule;
  /** Moves events from the stream to the analytics store; started by startWorkers. */
  /** The stream's consumers of this process (EVENT_CONSUMERS), started with the workers. */
  eventConsumers: EventConsumer[];
  drift: DriftService;
  /** "Viewers also watched": recomputed from the analytics store on a schedule (coViewSchedule). */
  coViews: CoViewService;
  /** Runs coViews every CO_VIEW_INTERVAL_MS in a process that runs workers; `runNow` for one run. */
  coViewSchedule: IntervalSchedule;
  /** The text signal of related content kept per asset version (relatedTextSchedule refreshes it). */
  relatedText: RelatedTextService;
  /** Runs relatedText's refresh every RELATED_TEXT_REFRESH_INTERVAL_MS in a process that runs workers. */
  relatedTextSchedule: IntervalSchedule;
  /** Online rebuilds of the projections (`npm run reindex`). */
  rebuild: RebuildService;
  /** Learned popularity and trending, recomputed from the events (the schedule runs it). */
  popularity: PopularityService;
  /** This process's metrics; /metrics renders them. */
  metrics: ServiceMetrics;
  /** Signs the API's page cursors: CURSOR_SECRET, or a random key of this process. */
  cursors: CursorSigner;
  /** Marks a request's work: on PGlite its statements go before background work's (store/db.ts). */
  foreground<T>(fn: () => T): T;
  /** Readiness of the backends, and the metrics read at scrape time. */
  system: SystemService;
  /**
   * Starts the outbox relay, the job workers and the drift schedule in this process. With the
   * in-process queue it first asks again for the work the process before left unfinished.
   * `schedules: false` leaves out the timed tasks (drift, retention, co-views, popularity, click
   * boosts): of several worker processes, one runs them.
   */
  startWorkers(options?: { schedules?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  /** An already-open database (tests clone one per suite). */
  db?: Database;
  log?: Logger;
  /** Replaces the enrichment extraction (tests make capabilities fail with it). */
  extract?: typeof extractAll;
  /** An analytics store to use instead of the configured one (tests give an in-memory one). */
  analytics?: AnalyticsStore;
  /**
   * `npm run reindex`: start on a search index of an outdated mapping, with a warning, so that its
   * rebuild can begin (any other process refuses to start on one).
   */
  rebuilding?: boolean;
}

/** API keys on the canonical store; scripts and benchmarks make their keys with it too. */
export const apiKeyService = (db: Database) =>
  new ApiKeyService({
    db,
    apiKeys: apiKeysRepository,
    tenants: tenantsRepository,
    actions: actionsRepository,
    tenantScope: inTenantScope,
  });

/** Ingest on the canonical store; the load benchmark ingests with it too. */
export const ingestService = (
  db: Database,
  nudge: () => void = () => undefined,
  masker: Masker = noMasking,
  metadata?: MetadataService,
) =>
  new IngestService({
    db,
    assets: assetsRepository,
    versions: versionsRepository,
    outbox: outboxRepository,
    actions: actionsRepository,
    masker,
    nudge,
    ...(metadata ? { metadata } : {}),
  });

const curationService = (db: Database, renames: RenameRules, nudge: () => void, masker: Masker) =>
  new CurationService({
    db,
    assets: assetsRepository,
    versions: versionsRepository,
    keys: apiKeysRepository,
    outbox: outboxRepository,
    actions: actionsRepository,
    renames,
    masker,
    nudge,
  });

const driftService = (db: Database, projections: DriftProjections, metadata?: MetadataService) =>
  new DriftService({
    db,
    assets: assetsRepository,
    drift: driftRepository,
    outbox: outboxRepository,
    popularity: popularityRepository,
    feedback: commentsRepository,
    coViews: coViewsRepository,
    ...(metadata ? { metadata } : {}),
    ...projections,
  });

/**
 * Online rebuilds of these projections: the Postgres adapters are rebuilt in a table set of their
 * own, Elasticsearch as a new index behind its alias, Neo4j not at all.
 */
export function rebuildService(
  db: Database,
  live: { graph: GraphStore; search: SearchIndex },
  log: Pick<Logger, 'warn'> = silent,
  metadata?: MetadataService,
): RebuildService {
  const adapters: RebuildAdapters = {
    live,
    search:
      live.search instanceof ElasticsearchSearchIndex
        ? { via: 'elasticsearch', rebuild: (load) => (live.search as ElasticsearchSearchIndex).rebuild(load) }
        : live.search instanceof PostgresSearchIndex
          ? { via: 'postgres' }
          : { via: 'none' },
    graph: live.graph instanceof PostgresGraphStore ? { via: 'postgres' } : { via: 'none' },
    copiesIn: (schema) => ({
      search: new PostgresSearchIndex(projectionAccess(db, 'search', schema)),
      graph: new PostgresGraphStore(projectionAccess(db, 'graph', schema)),
    }),
    isConcurrentWrite: (err) => err instanceof ConcurrentProjectionError,
  };
  return new RebuildService({
    db,
    assets: assetsRepository,
    drift: driftRepository,
    rebuilds: projectionRebuildsRepository,
    coViews: coViewsRepository,
    adapters,
    driftThrough: (projections) => driftService(db, projections),
    log,
    popularity: popularityRepository,
    feedback: commentsRepository,
    ...(metadata ? { metadata } : {}),
  });
}

/** The analytics store: ClickHouse with CLICKHOUSE_URL, the canonical database otherwise. */
export function analyticsStoreFor(
  config: Config,
  db: Database,
  log: Pick<Logger, 'error'> = silent,
): AnalyticsStore {
  return config.CLICKHOUSE_URL
    ? new ClickHouseAnalyticsStore({
        url: config.CLICKHOUSE_URL,
        database: config.CLICKHOUSE_DATABASE,
        // The API and the workers start together: one of them changes the schema, one of them
        // upgrades the totals tables in the background (a lock of its own: starts do not wait for it).
        exclusive: advisoryLock(db, `analytics-schema:${config.CLICKHOUSE_DATABASE}`),
        exclusiveUpgrade: advisoryLockIfFree(db, `analytics-upgrade:${config.CLICKHOUSE_DATABASE}`),
        onUpgradeError: (err) =>
          log.error({ err }, 'ClickHouse totals upgrade stopped; the next start resumes it'),
      })
    : new PostgresAnalyticsStore(db);
}

/** For /ready: the store's own kind when it names one (a test's in-memory store), else the configured one. */
function analyticsKind(config: Config, store: AnalyticsStore): string {
  const own = (store as { kind?: unknown }).kind;
  return typeof own === 'string' ? own : config.CLICKHOUSE_URL ? 'clickhouse' : 'postgres';
}

/**
 * The event stream: Redis Streams with REDIS_URL, the canonical database otherwise. Redis without
 * an append-only file loses what it acknowledged when it dies: said loudly at start.
 */
async function eventLogFor(config: Config, db: Database, log: Logger): Promise<EventLog> {
  if (!config.REDIS_URL) {
    return PostgresEventLog.open(db, { partitions: config.EVENT_PARTITIONS, leaseMs: config.EVENT_LEASE_MS });
  }
  // Connects in the background: the service starts while Redis is away, and says so on /ready.
  return RedisStreamEventLog.connect(
    config.REDIS_URL,
    {
      prefix: config.QUEUE_PREFIX,
      partitions: config.EVENT_PARTITIONS,
      leaseMs: config.EVENT_LEASE_MS,
      reclaimMs: config.EVENT_RECLAIM_MS,
    },
    (durability) => {
      if (durability.appendonly === 'no')
        log.warn(
          durability,
          'Redis runs without its append-only file (appendonly no): accepted events are lost if it dies; see docs/events.md#durability',
        );
      else if (durability.appendonly === null)
        log.warn(
          {},
          'could not read the Redis persistence settings (CONFIG GET); make sure appendonly is yes',
        );
      else if (durability.appendfsync !== 'always')
        log.info(
          durability,
          'Redis fsyncs its append-only file every second: a machine crash may lose the last second of events',
        );
    },
  );
}

/**
 * Jobs run as background work, also when a request enqueued them (the in-process queue starts a job
 * in the enqueuer's async context), so on PGlite they never go before a request's statements.
 */
function asBackground(handlers: JobHandlers): JobHandlers {
  const wrapped: Record<string, (payload: never, ctx: JobContext) => Promise<void>> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, JobHandler<JobName>][])
    wrapped[name] = (payload, ctx) => inBackground(() => handler(payload, ctx));
  return wrapped as unknown as JobHandlers;
}

/**
 * The box signing secrets are sealed in: SECRETS_KEY, or outside production (where it is required)
 * the public development key, said once in the log.
 */
export function secretBoxFor(config: Config, log: Logger): SecretBox {
  if (!config.SECRETS_KEY) {
    log.warn({}, 'SECRETS_KEY is unset: signing secrets are sealed under the public development key');
  }
  return new SecretBox(config.SECRETS_KEY ?? DEVELOPMENT_SECRETS_KEY, config.SECRETS_KEY_PREVIOUS);
}

export async function createContainer(
  config: Config,
  overrides: ContainerOverrides = {},
): Promise<Container> {
  const log = overrides.log ?? silent;
  const opened =
    overrides.db ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
    }));
  await migrate(opened);
  await tenantsRepository.ensure(opened, DEFAULT_TENANT, 'Default tenant');
  const box = secretBoxFor(config, log);
  const sealing = await sealSigningSecrets({
    db: opened,
    repository: signingSecretsRepository,
    box,
  });
  if (sealing.sealed > 0) log.info(sealing, 'signing secrets sealed under SECRETS_KEY');
  if (sealing.unreadable > 0) {
    log.error(
      sealing,
      'signing secrets sealed under a key that is neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS: their deliveries fail',
    );
  }
  // With tracing on (runtime/tracing.ts), each backend call inside a traced request or job is a
  // span; off, the adapters are used as they are.
  const tracing = tracingEnabled();
  const traceable = <T extends object>(port: T, spans: PortSpans): T =>
    tracing ? tracedPort(port, spans) : port;
  const db = traceable(opened, {
    name: 'db',
    system: 'postgresql',
    statements: ['query'],
    transactions: ['transaction'],
    skip: ['exec', 'close'],
  });

  const retry = {
    attempts: config.JOB_ATTEMPTS,
    backoffMs: config.JOB_BACKOFF_MS,
    jitter: 0.5,
    byJob: { 'deliver-webhook': { attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS } },
  };
  const metrics = serviceMetrics();
  const signing = new SigningSecrets({
    box,
    repository: signingSecretsRepository,
    onPreviousUnreadable: (owner, err) => {
      metrics.signingSecretUnreadable.inc({ owner: owner.kind });
      log.error(
        { err, tenantId: owner.tenantId, owner: owner.kind, ownerId: owner.id },
        "a rotation's earlier signing secret does not open: signed with the current one alone",
      );
    },
  });
  const onJobError = (job: JobRequest, err: unknown, final: boolean) => {
    metrics.jobFailures.inc({ job: job.name, final: String(final) });
    // Outside the job's run: its request ids are named here, as the job's own lines have them.
    const fields = { err, job: job.jobId, ...(job.requestIds ? { reqIds: job.requestIds } : {}) };
    if (final) log.error(fields, 'job failed on its last attempt');
    else log.warn(fields, 'job failed; it will be retried');
  };
  const queueAdapter: JobQueue = config.REDIS_URL
    ? new BullMqQueue({
        redisUrl: config.REDIS_URL,
        prefix: config.QUEUE_PREFIX,
        retry,
        lockMs: config.QUEUE_LOCK_MS,
        onError: onJobError,
      })
    : new InProcessQueue(retry, onJobError);
  const queue = traceable(queueAdapter, {
    name: 'queue',
    ...(config.REDIS_URL ? { system: 'redis' } : {}),
    skip: ['work', 'close', 'failed', 'obliterate'],
  });

  // Projections: the Postgres adapters are the embedded default; Neo4j and Elasticsearch when configured.
  let graph: GraphStore;
  let neo4j: Neo4jGraphStore | undefined;
  if (config.NEO4J_URL) {
    neo4j = Neo4jGraphStore.connect(config.NEO4J_URL, config.NEO4J_USER, config.NEO4J_PASSWORD ?? '');
    await neo4j.ensureSchema();
    graph = neo4j;
  } else graph = new PostgresGraphStore(projectionAccess(db, 'graph'));
  graph = traceable(graph, { name: 'graph', system: neo4j ? 'neo4j' : 'postgresql', skip: ['close'] });
  let search: SearchIndex;
  let es: ElasticsearchSearchIndex | undefined;
  if (config.ELASTICSEARCH_URL) {
    es = ElasticsearchSearchIndex.connect(config.ELASTICSEARCH_URL, config.ELASTICSEARCH_INDEX_PREFIX, {
      ranking: { feedback: config.SEARCH_FEEDBACK, proximity: config.SEARCH_PROXIMITY },
      expunge: { onError: (err) => log.warn({ err }, 'forced merge of deleted documents failed') },
    });
    const { outdated } = await es.ensureIndex({ outdated: overrides.rebuilding ? 'warn' : 'fail' });
    if (outdated.length > 0)
      log.warn({ outdated }, 'the search index has an outdated mapping; starting only to rebuild it');
    search = es;
  } else
    search = new PostgresSearchIndex(projectionAccess(db, 'search'), {
      ranking: { feedback: config.SEARCH_FEEDBACK, proximity: config.SEARCH_PROXIMITY },
    });
  search = traceable(search, {
    name: 'search',
    system: es ? 'elasticsearch' : 'postgresql',
    skip: ['close'],
  });

  const tokens =
    config.JWT_ISSUER && config.JWT_JWKS_URL
      ? new TokenVerifier({
          issuer: config.JWT_ISSUER,
          jwksUrl: config.JWT_JWKS_URL,
          audience: config.JWT_AUDIENCE,
          tenantClaim: config.JWT_TENANT_CLAIM,
        })
      : null;

  const relay = new OutboxRelay(
    new OutboxRelayService({ db, outbox: outboxRepository, webhooks: webhooksRepository, queue }),
    { pollMs: config.OUTBOX_POLL_MS, log },
  );
  const apiKeys = apiKeyService(db);
  if (config.BOOTSTRAP_API_KEY) await apiKeys.ensureBootstrapKey(DEFAULT_TENANT, config.BOOTSTRAP_API_KEY);

  const metadata = new MetadataService({
    db,
    records: metadataRepository,
    actions: actionsRepository,
    outbox: outboxRepository,
  });
  const drift = driftService(db, { graph, search }, metadata);
  // Made when the workers start: the check at start judges what changed before that moment.
  let driftSchedule: IntervalSchedule | null = null;
  // Shared by the API and the workers of this process, so that a settings change is seen at once.
  const contexts = new TenantContextCache({
    db,
    settings: enrichmentSettingsRepository,
    workflows: workflowsRepository,
  });
  const renames = new RenameRules({ settings: enrichmentSettingsRepository });
  // The relay serves every tenant: a nudge from a request must not carry the request's tenant scope,
  // nor its priority on the database.
  const nudge = () => inBackground(() => outsideTenantScope(() => relay.nudge()));
  const masking = new MaskingService(
    { db, tokens: maskingRepository, actions: actionsRepository },
    { rules: config.MASK_FIELDS, key: config.MASK_KEY },
  );
  const ingest = ingestService(db, nudge, masking, metadata);
  const eventLog = traceable(await eventLogFor(config, db, log), {
    name: 'events',
    system: config.REDIS_URL ? 'redis' : 'postgresql',
    skip: ['close'],
  });
  const analytics = traceable(overrides.analytics ?? analyticsStoreFor(config, db, log), {
    name: 'analytics',
    system: config.CLICKHOUSE_URL ? 'clickhouse' : 'postgresql',
    skip: ['close'],
  });
  // Quick: the ClickHouse totals upgrade goes on in the background (close stops it).
  await analytics.ensureSchema();
  const events = new EventIngestService(
    { db, eventTypes: eventTypesRepository, actions: actionsRepository, log: eventLog, masking },
    { cacheMs: config.EVENT_CACHE_MS, assetCacheSize: 50_000 },
  );
  const eventPrivacy = new EventPrivacyService({
    db,
    settings: eventSettingsRepository,
    actions: actionsRepository,
    store: analytics,
    masking,
    log,
  });
  const retention = scheduleTenantRun(tenantRuns.eventRetention(eventPrivacy), {
    intervalMs: config.EVENT_RETENTION_INTERVAL_MS,
    log,
    // Every tenant's, and the Postgres store drops partitions: not in a request's scope or turn.
    wrap: (fn) => inBackground(() => outsideTenantScope(fn)),
  });
  const metadataRetention = scheduleTenantRun(tenantRuns.metadataRetention(metadata), {
    intervalMs: config.METADATA_RETENTION_INTERVAL_MS,
    log,
    // Every tenant's: not in a request's scope or turn.
    wrap: (fn) => inBackground(() => outsideTenantScope(fn)),
  });
  const changeWakeups = new ChangeWakeups({ db, changes: assetChangesRepository, log });
  const changes = new ChangeFeedService(
    {
      db,
      changes: assetChangesRepository,
      tenantIds: () => tenantsRepository.allIds(db),
      wakeups: changeWakeups,
      log,
    },
    { days: config.CHANGES_RETENTION_DAYS },
  );
  const changeRetention = scheduleTenantRun(tenantRuns.changeRetention(changes), {
    intervalMs: config.CHANGES_RETENTION_INTERVAL_MS,
    log,
    // Every tenant's: not in a request's scope or turn.
    wrap: (fn) => inBackground(() => outsideTenantScope(fn)),
  });
  const clickLearning = new ClickLearningService({
    db,
    repo: clickLearningRepository,
    store: analytics,
    log,
  });
  const clickLearningSchedule = scheduleTenantRun(tenantRuns.clickLearning(clickLearning), {
    intervalMs: config.CLICK_LEARNING_INTERVAL_MS,
    log,
    // Every tenant's: not in a request's scope or turn.
    wrap: (fn) => inBackground(() => outsideTenantScope(fn)),
  });
  const coViews = new CoViewService({
    db,
    analytics,
    graph,
    coViews: coViewsRepository,
    tenantIds: () => driftRepository.tenantIds(db),
    log,
  });
  const coViewSchedule = scheduleTenantRun(tenantRuns.coViews(coViews), {
    intervalMs: config.CO_VIEW_INTERVAL_MS,
    log,
    wrap: (fn) => inBackground(() => outsideTenantScope(fn)),
  });
  const relatedText = new RelatedTextService({
    db,
    search,
    assets: assetsRepository,
    store: relatedTextRepository,
    tenantIds: () => driftRepository.tenantIds(db),
    log,
  });
  const relatedTextSchedule = scheduleTenantRun(tenantRuns.relatedText(relatedText), {
    intervalMs: config.RELATED_TEXT_REFRESH_INTERVAL_MS,
    log,
    wrap: (fn) => inBackground(() => outsideTenantScope(fn)),
  });
  const popularity = new PopularityService(
    { db, analytics, popularity: popularityRepository, search, graph, log },
    {
      settings: { ...DEFAULT_POPULARITY_SETTINGS, halfLifeDays: config.POPULARITY_HALF_LIFE_DAYS },
      pageSize: config.POPULARITY_PAGE_SIZE,
    },
  );
  const popularitySchedule = scheduleTenantRun(tenantRuns.popularity(popularity), {
    intervalMs: config.POPULARITY_INTERVAL_MS,
    log,
    // Every tenant's, from the workers: not in a request's scope or turn.
    wrap: (fn) => inBackground(() => outsideTenantScope(fn)),
  });
  const curation = curationService(db, renames, nudge, masking);
  const lifecycle = new AssetLifecycleService({
    db,
    assets: assetsRepository,
    versions: versionsRepository,
    outbox: outboxRepository,
    actions: actionsRepository,
    terms: termStatsRepository,
    nudge,
  });
  const controllerFolders = folderAccess(config.CONTROLLER_FOLDER_ROOT);
  const controllers = new ControllerService({
    db,
    controllers: controllersRepository,
    signing,
    actions: actionsRepository,
    ingest,
    curation,
    lifecycle,
    // Feeds are fetched under the webhooks' outbound policy: the same guarded lookup, no private
    // addresses unless WEBHOOK_ALLOW_PRIVATE.
    connectors: createConnectors(
      httpFetch({
        timeoutMs: config.CONTROLLER_FETCH_TIMEOUT_MS,
        maxBytes: config.CONTROLLER_MAX_BYTES,
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
        guardedLookup: guardedLookup(),
      }),
      controllerFolders,
    ),
    // A partner push is sent by the webhook sender itself: its guarded lookup, no redirects, its
    // timeout and answer limit.
    egress: createEgressTargets(
      (url, headers, body) =>
        sendWebhook(url, headers, body, {
          timeoutMs: config.WEBHOOK_TIMEOUT_MS,
          allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
        }),
      controllerFolders,
      { retryDelayMs: config.CONTROLLER_PUSH_RETRY_MS },
    ),
    assets: assetsRepository,
    folders: controllerFolders,
    maxBatchBytes: config.CONTROLLER_MAX_BYTES,
    egressSettleMs: config.CONTROLLER_EGRESS_SETTLE_MS,
    policy: { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE },
    log,
    leaseMs: config.CONTROLLER_LEASE_MS,
    metadata,
    nudge,
  });
  const controllerSchedule = scheduleTenantRun(tenantRuns.controllers(controllers), {
    intervalMs: config.CONTROLLER_TICK_MS,
    log,
    // Every tenant's controllers, from the workers: not in a request's scope or turn.
    wrap: (fn) => inBackground(() => outsideTenantScope(fn)),
  });
  // Semantic search (docs/semantic-search.md): the model is loaded on the first text embedded.
  const embedder: Embedder =
    config.EMBEDDING_MODEL === 'hashing' ? new HashingEmbedder(64) : new UseLiteEmbedder();
  let vectors: VectorIndex;
  if (config.ELASTICSEARCH_URL) {
    const esVectors = new ElasticsearchVectorIndex(
      new ElasticsearchClient({ node: config.ELASTICSEARCH_URL }),
      config.ELASTICSEARCH_INDEX_PREFIX,
      embedder.dimensions,
    );
    await esVectors.ensureIndex();
    vectors = esVectors;
  } else {
    // Saved beside embedded PGlite's data; with a Postgres server only where VECTOR_INDEX_DIR says.
    const dir =
      config.VECTOR_INDEX_DIR ??
      (overrides.db || config.DATABASE_URL ? undefined : join(config.DATA_DIR, 'vectors'));
    vectors = new UsearchVectorIndex(embedder.dimensions, dir);
  }
  const embeddings = new EmbeddingService({
    db,
    assets: assetsRepository,
    embeddings: embeddingsRepository,
    settings: enrichmentSettingsRepository,
    vectors,
    embedder,
    enabledByDefault: config.SEMANTIC_SEARCH,
  });
  const jobs = new JobsService({
    db,
    actions: actionsRepository,
    assets: assetsRepository,
    backgroundJobs: backgroundJobsRepository,
    outbox: outboxRepository,
    processingJobs: processingJobsRepository,
    renames,
    search,
    semantic: embeddings,
    nudge,
  });
  const lifecycleRules = new LifecycleRulesService(
    {
      db,
      rules: lifecycleRulesRepository,
      actions: actionsRepository,
      backgroundJobs: backgroundJobsRepository,
      jobs,
      lifecycle,
      log,
    },
    { intervalMs: config.LIFECYCLE_INTERVAL_MS, actionsPerSecond: config.LIFECYCLE_ACTIONS_PER_SECOND },
  );
  const lifecycleSchedule = scheduleTenantRun(tenantRuns.lifecycleRules(lifecycleRules), {
    // Ticks at least hourly: a tenant's run is due once its last one is LIFECYCLE_INTERVAL_MS old.
    intervalMs: Math.min(config.LIFECYCLE_INTERVAL_MS, 3_600_000),
    log,
    wrap: (fn) => inBackground(() => outsideTenantScope(fn)),
  });
  const schedules = [
    lifecycleSchedule,
    retention,
    metadataRetention,
    changeRetention,
    coViewSchedule,
    popularitySchedule,
    clickLearningSchedule,
    controllerSchedule,
    relatedTextSchedule,
  ];
  const derivedEvents = new DerivedEventsService(
    { db, keys: derivedEventKeysRepository, outbox: outboxRepository, nudge },
    { watchedShare: config.WATCHED_SHARE },
  );
  const consumerName = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const storeKind = analyticsKind(config, analytics);
  const onClickHouse = storeKind === 'clickhouse';
  // A Postgres server records a batch on one connection, so one consumer keeps one core busy at most:
  // two share the partitions and record in parallel. PGlite has one connection; ClickHouse is fed
  // by larger batches instead (docs/analytics.md#recording-throughput).
  const consumerCount =
    config.EVENT_CONSUMERS ?? (storeKind === 'postgres' && db.kind === 'postgres' ? 2 : 1);
  const eventConsumers = Array.from(
    { length: consumerCount },
    (_, n) =>
      new EventConsumer(
        {
          log: eventLog,
          store: analytics,
          derived: derivedEvents,
          onRecorded: ({ recorded, duplicates }) => {
            metrics.eventsRecorded.inc({}, recorded.length);
            metrics.eventDuplicates.inc({}, duplicates);
          },
        },
        {
          name: consumerCount === 1 ? consumerName : `${consumerName}-${n}`,
          maxEntries: config.EVENT_CONSUMER_ENTRIES ?? (onClickHouse ? 256 : 64),
          blockMs: Math.min(1_000, Math.floor(config.EVENT_LEASE_MS / 3)),
          retryMs: 500,
          ...(consumerCount > 1 ? { maxPartitions: Math.ceil(config.EVENT_PARTITIONS / consumerCount) } : {}),
          // ClickHouse writes parts per insert: after a small batch, let the next one grow a little.
          ...(onClickHouse ? { minEvents: 5_000, lingerMs: 250 } : {}),
          log,
        },
      ),
  );
  const assets = new AssetService({ db, assets: assetsRepository, search, graph });
  // Off the event loop on threads (the embedded default's API shares it), or in line; a test's own
  // extraction runs in line.
  const extraction: AssetExtraction = traceable(
    !overrides.extract && config.EXTRACTION_THREADS > 0
      ? new ExtractionThreads({ threads: config.EXTRACTION_THREADS })
      : inlineExtraction(overrides.extract),
    { name: 'enrichment', skip: ['close'] },
  );
  const enrichment = new EnrichmentService({
    db,
    metadata,
    assets: assetsRepository,
    versions: versionsRepository,
    outbox: outboxRepository,
    actions: actionsRepository,
    processingJobs: processingJobsRepository,
    termStats: termStatsRepository,
    contexts,
    renames,
    retryConfig: {
      attempts: retry.attempts,
      backoffMs: retry.backoffMs,
      jitter: retry.jitter,
      backoff: 'exponential',
    },
    extraction,
  });
  const projection = new ProjectionService({
    embeddings,
    db,
    assets: assetsRepository,
    popularity: popularityRepository,
    feedback: commentsRepository,
    graph,
    search,
    onProjected: (asset) =>
      metrics.projectionLag.observe({}, Math.max(0, Date.now() - asset.updatedAt.getTime()) / 1000),
    projectionLags: operationalMetricsRepository,
    live: assetsRepository,
    metadata,
  });
  // Live comment streams: notes across API processes through Redis pub/sub when there is Redis.
  const commentBus: CommentBus = config.REDIS_URL
    ? new RedisCommentBus(config.REDIS_URL, `${config.QUEUE_PREFIX}:comment-notes`)
    : new InProcessCommentBus();
  const comments = new CommentService({
    db,
    comments: commentsRepository,
    assets: assetsRepository,
    actions: actionsRepository,
    outbox: outboxRepository,
    masking,
    bus: commentBus,
    tenantScope: inTenantScope,
    nudge,
  });
  const erasure = new PersonErasureService({
    db,
    assets: assetsRepository,
    versions: versionsRepository,
    outbox: outboxRepository,
    actions: actionsRepository,
    project: (batch) => projection.projectAssets(batch),
    graph,
    termStats: termStatsRepository,
    clickLearning: clickLearningRepository,
    jobs: backgroundJobsRepository,
    search,
    events: eventPrivacy,
    comments,
    analytics,
    nudge,
    log,
  });
  let workersStarted = false;
  return {
    config,
    db,
    queue,
    graph,
    search,
    analytics,
    relay,
    ingest,
    jobs,
    lifecycleRules,
    curation,
    lifecycle,
    erasure,
    masking,
    exports: new ExportService({ db, exports: assetExportRepository, actions: actionsRepository, search }),
    audit: new AuditService({ db, assets: assetsRepository, actions: actionsRepository }),
    enrichmentSettings: new EnrichmentSettingsService({
      db,
      actions: actionsRepository,
      settings: enrichmentSettingsRepository,
      outbox: outboxRepository,
      workflows: workflowsRepository,
      contexts,
      nudge,
    }),
    enrichment,
    projection,
    webhooks: new WebhookService(
      {
        db,
        webhooks: webhooksRepository,
        signing,
        outbox: outboxRepository,
        actions: actionsRepository,
        nudge,
      },
      { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE },
    ),
    comments,
    metadata,
    savedSearches: new SavedSearchService({
      db,
      savedSearches: savedSearchesRepository,
      actions: actionsRepository,
    }),
    controllers,
    controllerSchedule,
    pipeline: new PipelineStatusService({ db, pipeline: pipelineRepository }),
    changes,
    metricsQueries: new MetricsService({
      db,
      analytics,
      operational: operationalMetricsRepository,
      drift: driftRepository,
      controllers: controllersRepository,
    }),
    tokens,
    events,
    eventPrivacy,
    eventLog,
    eventConsumers,
    assets,
    writes: new SettledWriteService({ ingest, curation, assets, waitTimeoutMs: config.WAIT_TIMEOUT_MS }),
    discovery: new DiscoveryService({
      db,
      assets: assetsRepository,
      search,
      graph,
      clicks: clickLearning,
      relatedText,
      archived: assetsRepository,
      semantic: {
        queryVector: (t, text) => embeddings.queryVector(t, text),
        vectors,
        weight: config.SEMANTIC_WEIGHT,
        similarAssets: (t, id, limit) => embeddings.similarAssets(t, id, limit),
      },
    }),
    embeddings,
    clickLearning,
    clickLearningSchedule,
    drift,
    coViews,
    coViewSchedule,
    relatedText,
    relatedTextSchedule,
    rebuild: rebuildService(db, { graph, search }, log, metadata),
    popularity,
    metrics,
    cursors: config.CURSOR_SECRET ? new CursorSigner(config.CURSOR_SECRET) : new CursorSigner(),
    foreground: inForeground,
    system: new SystemService(
      {
        db,
        outbox: outboxRepository,
        drift: driftRepository,
        pipeline: pipelineRepository,
        controllers: controllersRepository,
        rebuilds: projectionRebuildsRepository,
        queue,
        graph,
        search,
        analytics: { kind: analyticsKind(config, analytics), store: analytics },
        eventLog,
        metrics,
        // Before the workers start, the check at start is still to come (unless another process runs it).
        checkingAtStart: () =>
          driftSchedule
            ? driftSchedule.runningAtStart()
            : !workersStarted && config.DRIFT_CHECK_ON_START && config.RUN_WORKERS,
      },
      {
        timeoutMs: config.READY_TIMEOUT_MS,
        slowMs: config.READY_SLOW_MS,
        eventsBehindSeconds: config.EVENT_LAG_BEHIND_SECONDS,
        log,
      },
    ),
    apiKeys,
    async startWorkers({ schedules: timed = true } = {}) {
      if (workersStarted) return;
      workersStarted = true;
      // The in-process queue lost whatever it held when the process before stopped: ask for it again.
      const inProcess = queue.kind === 'in-process';
      if (inProcess) {
        const resumed = await new RecoveryService({
          db,
          assets: assetsRepository,
          processingJobs: processingJobsRepository,
          backgroundJobs: backgroundJobsRepository,
          webhooks: webhooksRepository,
          outbox: outboxRepository,
        }).resumeInterruptedWork();
        if (Object.values(resumed).some((n) => n > 0)) log.warn({ resumed }, 'resumed work left unfinished');
      }
      const startedAt = new Date();
      if (timed && (config.DRIFT_CHECK_ON_START || config.DRIFT_CHECK_INTERVAL_MINUTES > 0)) {
        driftSchedule = scheduleDrift(drift, {
          intervalMs: config.DRIFT_CHECK_INTERVAL_MINUTES * 60_000,
          repair: config.DRIFT_REPAIR,
          atStart: config.DRIFT_CHECK_ON_START ? (inProcess ? { changedBefore: startedAt } : {}) : undefined,
          log,
        });
      }
      queue.work(
        asBackground(
          countingAssets(
            createJobHandlers({
              enrichment,
              projection,
              labelTraining: new LabelTrainingService({
                db,
                settings: enrichmentSettingsRepository,
                contexts,
              }),
              backgroundJobs: new BackgroundJobsService({
                db,
                jobs: backgroundJobsRepository,
                assets: assetsRepository,
                outbox: outboxRepository,
                curation,
                projection,
                search,
                graph,
                lifecycleRules,
                embeddings,
              }),
              webhookDelivery: new WebhookDeliveryService({
                db,
                webhooks: webhooksRepository,
                signing,
                send: (url, headers, body) =>
                  sendWebhook(url, headers, body, {
                    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
                    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
                  }),
              }),
              database: new DatabaseHealthService({ db, health: healthRepository }),
              log,
            }),
            (job, outcome, n) => metrics.jobAssets.inc({ job_name: job, outcome }, n),
          ),
        ),
        {
          concurrency: config.WORKER_CONCURRENCY,
        },
      );
      relay.start();
      // Background work: on PGlite its statements go after the requests'.
      for (const consumer of eventConsumers) inBackground(() => outsideTenantScope(() => consumer.start()));
      driftSchedule?.start();
      if (timed) for (const schedule of schedules) schedule.start();
    },
    async close() {
      await driftSchedule?.stop();
      for (const schedule of schedules) await schedule.stop();
      // The consumers finish their batches (their derived events go to the outbox) before the relay stops.
      await Promise.all(eventConsumers.map((consumer) => consumer.stop()));
      await relay.stop();
      await queue.close();
      await extraction.close();
      await neo4j?.close();
      await es?.close();
      await vectors.close();
      await eventLog.close();
      await commentBus.close();
      await changeWakeups.close();
      await analytics.close();
      await db.close();
    },
  };
}
