import { z } from 'zod';
import { dateTime, fitsReal } from './ranges.js';

export const ASSET_TYPES = ['VIDEO', 'IMAGE', 'AUDIO', 'TEXT'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export const ASSET_STATUSES = ['STAGED', 'QUEUED', 'PROCESSING', 'PROCESSED', 'FAILED', 'ARCHIVED'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

const label = z.string().trim().min(1).max(200);

/** A link a browser may follow or load: http(s) only, so no javascript: or data: URL reaches a page. */
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2_000);

/** Technical metadata of the media file, as the source system knows it. */
export const TechnicalMetadataSchema = z
  .object({
    codec: z.string().trim().min(1).max(50).optional(),
    container: z.string().trim().min(1).max(50).optional(),
    mimeType: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as video/mp4')
      .optional(),
    durationSeconds: z
      .number()
      .nonnegative()
      .max(7 * 24 * 3600)
      .refine(fitsReal, 'must be 0 or at least 1e-38 (a 32-bit float)')
      .optional(),
    width: z.number().int().positive().max(100_000).optional(),
    height: z.number().int().positive().max(100_000).optional(),
    frameRate: z.number().positive().max(1_000).optional(),
    bitrateKbps: z.number().positive().max(10_000_000).optional(),
    sampleRateHz: z.number().int().positive().max(1_000_000).optional(),
    channels: z.number().int().positive().max(64).optional(),
    fileSizeBytes: z.number().int().nonnegative().optional(),
    platform: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .optional()
      .describe('Where the media lives or plays, e.g. youtube, broadcast.'),
    thumbnailUrl: httpUrl
      .optional()
      .describe('An image that previews the media (http or https), shown by the web UI.'),
    mediaUrl: httpUrl
      .optional()
      .describe(
        'The media file itself (http or https), which the web UI plays in a video or audio player when the browser can.',
      ),
    viewCount: z
      .number()
      .int()
      .nonnegative()
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe(
        'Views or plays on that platform, as the source system counts them. sort=popularity and sort=trending order by it after what the tenant’s own interaction events show (assets without one count as 0).',
      ),
  })
  .strict()
  .refine((t) => (t.width === undefined) === (t.height === undefined), {
    message: 'width and height go together',
    path: ['height'],
  });
export type TechnicalMetadata = z.output<typeof TechnicalMetadataSchema>;

/** What a client sends to create an asset. The one definition behind validation, types and OpenAPI. */
export const AssetInputSchema = z
  .object({
    type: z.enum(ASSET_TYPES),
    title: z.string().trim().min(1).max(1_000),
    description: z.string().max(20_000).default(''),
    transcript: z.string().max(2_000_000).default(''),
    fileHash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be a SHA-256 digest: 64 hexadecimal characters')
      .transform((h) => h.toLowerCase())
      .optional()
      .describe(
        'SHA-256 of the media file. When absent, it is computed from the type, title, description and transcript.',
      ),
    sourceSystem: z.string().trim().min(1).max(100).default('api'),
    sourceId: z.string().trim().min(1).max(500).optional(),
    tags: z.array(label).max(200).default([]),
    speakers: z.array(label).max(100).default([]),
    contributors: z
      .array(label)
      .max(100)
      .default([])
      .describe(
        'People or organisations who made the asset: producer, director, photographer, editor, channel.',
      ),
    operationalTags: z.array(label).max(100).default([]),
    technicalMetadata: TechnicalMetadataSchema.default({}),
    createdAt: dateTime().optional(),
  })
  .strict();

export type AssetInput = z.output<typeof AssetInputSchema>;

export interface ScoredKeyword {
  term: string;
  score: number;
}
export interface Topic {
  name: string;
  confidence: number;
  /** Absent or 'ai' for classified topics; 'manual' when an editor set it (it then trains the classifier). */
  source?: EntitySource;
}
export type EntitySource = 'ai' | 'manual';
export interface Speaker {
  name: string;
  source: EntitySource;
  /** 1 for given speakers, 0.9 for diarized ones, lower for people named in the text. */
  confidence?: number;
}
export interface Brand {
  name: string;
  score: number;
}
export interface Tag {
  name: string;
  source: EntitySource;
  /** A locked tag is never changed by a worker. */
  locked: boolean;
  /** 1 for manual tags; the extractor's confidence for AI tags. */
  confidence: number;
}
/** A time-coded stretch of the media, so search and related content can point into it. */
export interface Moment {
  start: number;
  end: number;
  speaker: string | null;
  keywords: string[];
}

import type { EntityOverrides } from './tag-overrides.js';

export interface Enrichment {
  keywords: ScoredKeyword[];
  topics: Topic[];
  speakers: Speaker[];
  brands: Brand[];
  tags: Tag[];
  moments: Moment[];
  /** Tag names an editor removed: workers never add them back. */
  suppressedTags?: string[];
  /** Topics, speakers, brands and keywords an editor added or removed: workers apply them again. */
  overrides?: EntityOverrides;
  /** Extractor name → version, so a raised version can trigger re-enrichment. */
  extractors: Record<string, number>;
}

/** An editor's `related_to` link from this asset to another of the tenant. */
export interface AssetLink {
  targetId: string;
  note: string;
  createdBy: string;
  createdAt: string;
}

/** The canonical asset as stored in Postgres. */
export interface Asset {
  id: string;
  tenantId: string;
  type: AssetType;
  title: string;
  description: string;
  transcript: string;
  fileHash: string;
  sourceSystem: string;
  sourceId: string | null;
  tags: string[];
  speakers: string[];
  contributors: string[];
  operationalTags: string[];
  technicalMetadata: TechnicalMetadata;
  /** Links editors made to related assets: canonical, versioned with the asset. */
  links: AssetLink[];
  /** ARCHIVED while the asset is archived (its pipeline status comes back when it is restored). */
  status: AssetStatus;
  statusDetail: string | null;
  /** Set by an ADMIN: the asset may be neither deleted nor purged while it holds. Absent: false. */
  legalHold?: boolean;
  version: number;
  versionId: string;
  enrichment: Enrichment | null;
  enrichedFromVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}
