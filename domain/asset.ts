import { z } from 'zod';

export const ASSET_TYPES = ['VIDEO', 'IMAGE', 'AUDIO', 'TEXT'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export const ASSET_STATUSES = ['STAGED', 'QUEUED', 'PROCESSING', 'PROCESSED', 'FAILED', 'ARCHIVED'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

const label = z.string().trim().min(1).max(200);

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
    operationalTags: z.array(label).max(100).default([]),
    createdAt: z.iso.datetime({ offset: true }).optional(),
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
}
export type EntitySource = 'ai' | 'manual';
export interface Speaker {
  name: string;
  source: EntitySource;
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
}

export interface Enrichment {
  keywords: ScoredKeyword[];
  topics: Topic[];
  speakers: Speaker[];
  brands: Brand[];
  tags: Tag[];
  /** Extractor name → version, so a raised version can trigger re-enrichment. */
  extractors: Record<string, number>;
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
  operationalTags: string[];
  status: AssetStatus;
  statusDetail: string | null;
  version: number;
  versionId: string;
  enrichment: Enrichment | null;
  enrichedFromVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}
