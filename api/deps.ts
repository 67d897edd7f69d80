import type { CursorSigner } from '../domain/cursor.js';
import type { ApiKeyService } from '../services/api-key-service.js';
import type { AssetLifecycleService } from '../services/asset-lifecycle-service.js';
import type { PersonErasureService } from '../services/person-erasure-service.js';
import type { AssetService } from '../services/asset-service.js';
import type { AuditService } from '../services/audit-service.js';
import type { TailSettings } from './http/tail-stream.js';
import type { ChangeFeedService } from '../services/change-feed-service.js';
import type { CommentService } from '../services/comment-service.js';
import type { ClickLearningService } from '../services/click-learning-service.js';
import type { ControllerService } from '../services/controller-service.js';
import type { CurationService } from '../services/curation-service.js';
import type { BlendMode, DiscoveryService, SearchMode } from '../services/discovery-service.js';
import type { EnrichmentSettingsService } from '../services/enrichment-settings-service.js';
import type { EventIngestService } from '../services/event-ingest-service.js';
import type { EventPrivacyService } from '../services/event-privacy-service.js';
import type { ExportService } from '../services/export-service.js';
import type { JobsService } from '../services/jobs-service.js';
import type { LifecycleRulesService } from '../services/lifecycle-rules-service.js';
import type { MaskingService } from '../services/masking-service.js';
import type { MetadataService } from '../services/metadata-service.js';
import type { MetricsService } from '../services/metrics-service.js';
import type { PipelineStatusService } from '../services/pipeline-status-service.js';
import type { SavedSearchService } from '../services/saved-search-service.js';
import type { ServiceMetrics } from '../services/metrics.js';
import type { SettledWriteService } from '../services/settled-write-service.js';
import type { SystemService } from '../services/system-service.js';
import type { TokenVerifier } from '../services/token-verifier.js';
import type { WebhookService } from '../services/webhook-service.js';

/** The settings the API reads, named as the runtime's config names them. */
/** The settings the API reads; TailSettings pace and cap the logs it tails (CHANGES_*). */
export interface ApiConfig extends TailSettings {
  /** Larger bodies get 413. */
  BODY_LIMIT_BYTES: number;
  /** Serve Prometheus metrics at /metrics. */
  METRICS_ENABLED: boolean;
  /** The default of /v1/search?blend=. */
  SEARCH_BLEND: BlendMode;
  SEARCH_MODE: SearchMode;
  /** Requests per minute per API key. */
  RATE_LIMIT_PER_MINUTE: number;
  /** With it, rate-limit counts live in Redis (under QUEUE_PREFIX) and hold across API processes. */
  REDIS_URL?: string | undefined;
  QUEUE_PREFIX: string;
}

/**
 * What the API runs on: the settings it reads, the services its routes call, and this process's
 * metrics. The runtime's container satisfies it; the backends stay behind the services.
 */
export interface ApiDeps {
  config: ApiConfig;
  apiKeys: ApiKeyService;
  assets: AssetService;
  /** Asset writes that answer once searchable when asked to wait. */
  writes: SettledWriteService;
  curation: CurationService;
  /** Archive and restore, delete and purge, legal holds. */
  lifecycle: AssetLifecycleService;
  /** Lifecycle rules: CRUD, the dry run, runs on demand. */
  lifecycleRules: LifecycleRulesService;
  /** A person's erasure across assets, versions, projections and events. */
  erasure: PersonErasureService;
  discovery: DiscoveryService;
  /** Comments and time-coded feedback on assets, and their live streams. */
  comments: CommentService;
  audit: AuditService;
  jobs: JobsService;
  enrichmentSettings: EnrichmentSettingsService;
  exports: ExportService;
  masking: MaskingService;
  webhooks: WebhookService;
  savedSearches: SavedSearchService;
  /** Metadata records, their kinds' schemas and the log (docs/metadata.md). */
  metadata: MetadataService;
  /** Ingress controllers: feeds synced on a schedule (docs/connectors.md). */
  controllers: ControllerService;
  /** Interaction events in (POST /v1/events) and the tenant's custom event types. */
  events: EventIngestService;
  /** Erasure of a person's raw events and the tenant's raw-event retention (docs/events.md, "Privacy"). */
  eventPrivacy: EventPrivacyService;
  /** The curators' query lists (GET /v1/metrics/queries) from the click learning. */
  clickLearning: ClickLearningService;
  /** The tenant's asset change log (GET /v1/changes). */
  changes: ChangeFeedService;
  /** Where the tenant's assets are in the pipeline (GET /v1/pipeline/status). */
  pipeline: PipelineStatusService;
  system: SystemService;
  /** GET /v1/metrics: interaction and pipeline metrics as series (not this process's Prometheus metrics). */
  metricsQueries: MetricsService;
  /** Bearer JWTs of the configured issuer, for the metrics routes; null without JWT_ISSUER. */
  tokens: TokenVerifier | null;
  metrics: ServiceMetrics;
  /** Signs the page cursors the API issues (CURSOR_SECRET). */
  cursors: CursorSigner;
  /** Runs a request's work ahead of background work where they share a connection (PGlite). */
  foreground<T>(fn: () => T): T;
}
