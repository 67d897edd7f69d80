/**
 * The shapes of the /v1 API that this client reads: a hand-kept subset of openapi/openapi.json
 * (the UI is a partner of the API, so it does not import the server's schemas).
 */
import type { CommentStatus, CommentType } from '../domain/comment-workflow.js';

export type AssetType = 'VIDEO' | 'IMAGE' | 'AUDIO' | 'TEXT';
export type AssetStatus = 'STAGED' | 'QUEUED' | 'PROCESSING' | 'PROCESSED' | 'FAILED' | 'ARCHIVED';
export type EntityType = 'TAG' | 'TOPIC' | 'SPEAKER' | 'BRAND' | 'KEYWORD';
export type Source = 'ai' | 'manual';

export interface Moment {
  start: number;
  end: number;
  timestamp: string;
  speaker: string | null;
  keywords: string[];
}

export interface Enrichment {
  tags: { name: string; source: Source; locked: boolean; confidence: number }[];
  topics: { name: string; confidence: number; source?: Source }[];
  speakers: { name: string; source: Source; confidence?: number }[];
  brands: { name: string; score: number }[];
  keywords: { term: string; score: number }[];
  moments: Moment[];
}

export interface TagDetail {
  name: string;
  source: 'given' | 'manual' | 'suggested';
  locked: boolean;
  confidence: number;
}

/** What the source system knows of the media file; the URLs are http(s) only (the API checks). */
export interface TechnicalMetadata {
  mimeType?: string;
  durationSeconds?: number;
  width?: number;
  height?: number;
  /** An image previewing the media. */
  thumbnailUrl?: string;
  /** The media file itself, playable by a browser when its format allows. */
  mediaUrl?: string;
  [field: string]: string | number | undefined;
}

export interface AssetSummary {
  id: string;
  type: AssetType;
  title: string;
  description: string;
  status: AssetStatus;
  statusDetail: string | null;
  sourceSystem: string;
  sourceId: string | null;
  /** The effective tags: what search and related content use. */
  tags: string[];
  /** The effective tags with where each comes from. */
  tagDetails: TagDetail[];
  /** Tags an editor removed: enrichment never suggests them again. */
  removedTags: string[];
  speakers: string[];
  contributors: string[];
  operationalTags: string[];
  technicalMetadata: TechnicalMetadata;
  enrichment: Enrichment | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Asset extends AssetSummary {
  transcript: string;
  links: { targetId: string; note: string; createdAt: string; createdBy: string }[];
}

export type HighlightField = 'title' | 'description' | 'transcript';

export interface SearchHit {
  asset: AssetSummary;
  score: number;
  /** Fragments whose matches the API wraps in <mark></mark>; everything else in them is raw text. */
  highlights: Partial<Record<HighlightField, string>>;
  moment?: { start: number; timestamp: string };
}

export type FacetDimension = 'tags' | 'topics' | 'speakers' | 'type' | 'sourceSystem';

/** How many assets match: exact, or a lower bound when counting all would be slow. */
export interface SearchTotal {
  value: number;
  exact: boolean;
}

export interface SearchResult {
  hits: SearchHit[];
  nextCursor: string | null;
  /** Absent from servers that do not count. */
  total?: SearchTotal;
  facets?: Record<FacetDimension, { value: string; count: number }[]>;
  /** True when the facet counts were estimated from a sample of a large result. */
  facetsEstimated?: boolean;
}

export interface Suggestion {
  kind: 'title' | 'tag' | 'speaker' | 'topic';
  value: string;
  assets: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
  added?: unknown[];
  removed?: unknown[];
  updated?: { old: unknown; new: unknown }[];
  /** The change in words: "added tag 'climate'; locked tag 'education'". */
  summary: string;
}

export interface AssetDiff {
  from: number;
  to: number;
  changes: FieldChange[];
  /** The whole change in words, tags as a curator sees them. */
  summary: string;
}

export interface VersionEntry {
  version: number;
  changeKind: 'INGEST' | 'ENRICHMENT' | 'EDIT' | 'ROLLBACK';
  /** key:<id> or worker:<name>. */
  changedBy: string;
  /** The API key's name, or "enrichment worker". */
  changedByName: string;
  /** What the version changed, in words. */
  summary: string;
  reason: string | null;
  createdAt: string;
}

export interface RollbackResult {
  version: number;
  restoredFrom: number;
  changedFields: string[];
  summary: string;
}

export type ReasonType =
  EntityType | 'CONTRIBUTOR' | 'RELATED_TO' | 'TEMPORAL' | 'TEXT' | 'CO_VIEWED' | 'SIMILAR_MEANING';

export interface RelatedItem {
  asset: AssetSummary;
  score: number;
  reasons: {
    type: ReasonType;
    name: string;
    contribution: number;
    moment?: { start: number; end: number; timestamp: string };
    /** CO_VIEWED: the sessions that played both. */
    count?: number;
  }[];
}

export type JobStatus = 'QUEUED' | 'RUNNING' | 'RETRYING' | 'COMPLETED' | 'FAILED';

export interface Job {
  id: string;
  kind: 'enrichment' | 'background';
  backgroundKind: string | null;
  workflow: string | null;
  assetId: string | null;
  status: JobStatus;
  progressPercent: number;
  retryCount: number;
  deadLettered: boolean;
  lastError: string | null;
  capabilitiesCompleted: string[];
  capabilitiesFailed: string[];
  updatedAt: string;
  createdAt: string;
  assetTitle?: string | null;
  total: number | null;
  processed: number | null;
  bulkTags?: BulkTagJob | null;
  /** A run of the lifecycle rules: its clock and counts so far. */
  lifecycle?: { at: string; trigger: string; archived: number; deleted: number; skipped: number } | null;
}

export interface EntityRef {
  name: string;
  type?: EntityType;
}

export interface TagPatch {
  add?: EntityRef[];
  remove?: EntityRef[];
  lock?: EntityRef[];
  unlock?: EntityRef[];
}

/** What a bulk tag job was asked to do. */
export interface BulkTagJob {
  add: Required<EntityRef>[];
  remove: Required<EntityRef>[];
  lock: Required<EntityRef>[];
  unlock: Required<EntityRef>[];
  q: string | null;
  filters: Record<string, unknown> | null;
  matched: number;
}

/** What a tag change does, or would do, to one asset. */
export interface TagEffect {
  added: Required<EntityRef>[];
  removed: Required<EntityRef>[];
  locked: Required<EntityRef>[];
  unlocked: Required<EntityRef>[];
}

export interface BulkTagsPreview {
  matched: number;
  confirmAbove: number;
  maxAssets: number;
  confirmationRequired: boolean;
  sample: (TagEffect & { assetId: string; title: string | null; skipped: string | null })[];
}

export interface JobChange extends TagEffect {
  assetId: string;
  title: string | null;
  outcome: 'CHANGED' | 'UNCHANGED' | 'SKIPPED';
  version: number | null;
  error: string | null;
}

export interface JobChangePage extends Page<JobChange> {
  counts: Record<JobChange['outcome'], number>;
}

/** A person as a comment names them: a masking token (never the integration's id) and a name. */
export interface CommentPerson {
  token: string;
  displayName: string;
}

/** A comment or a reply (docs/comments.md); text is plain text, shown as text only. */
export interface Comment {
  id: string;
  assetId: string;
  parentId: string | null;
  threadId: string;
  depth: number;
  author: CommentPerson;
  text: string;
  /** ms into the media (time-coded feedback), or null. */
  timestamp: number | null;
  type: CommentType | null;
  status: CommentStatus | null;
  assignee: CommentPerson | null;
  reactions: { emoji: string; count: number }[];
  edited: number;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CommentThread extends Comment {
  replies: Comment[];
}

export interface CommentPage {
  items: CommentThread[];
  nextCursor: string | null;
}
