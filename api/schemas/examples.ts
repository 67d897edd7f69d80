/**
 * Examples for the OpenAPI document, trimmed from what the API answered for two TED talks. The
 * linter checks each against its schema (redocly.yaml: no-invalid-schema-examples).
 */

export const EXAMPLE_ASSET_ID = '3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61';
export const EXAMPLE_RELATED_ID = '9c4e7a02-1b3d-4f5e-8a6c-2d7f0e9b1c34';

export const exampleNewAsset = {
  type: 'VIDEO',
  title: 'Do schools kill creativity?',
  description: 'Sir Ken Robinson makes a case for an education system that nurtures creativity.',
  transcript: '[00:00:12] Ken Robinson: Creativity now is as important in education as literacy.',
  speakers: ['Ken Robinson'],
  tags: ['education', 'creativity'],
  sourceSystem: 'ted',
  sourceId: 'talk-66',
  technicalMetadata: { durationSeconds: 1164, width: 1920, height: 1080, mimeType: 'video/mp4' },
  createdAt: '2006-06-27T00:00:00Z',
} as const;

export const exampleAssetSummary = {
  id: EXAMPLE_ASSET_ID,
  type: 'VIDEO',
  title: exampleNewAsset.title,
  description: exampleNewAsset.description,
  fileHash: '88eb2e39bc9c679d5d4e2f5523cdacf2c0d61102fd2d1da4ed85af7389b70f11',
  sourceSystem: 'ted',
  sourceId: 'talk-66',
  tags: ['education', 'creativity', 'schools kill creativity'],
  tagDetails: [
    { name: 'education', source: 'given', locked: false, confidence: 1 },
    { name: 'creativity', source: 'given', locked: false, confidence: 1 },
    { name: 'schools kill creativity', source: 'suggested', locked: false, confidence: 0.38795 },
  ],
  removedTags: [],
  speakers: ['Ken Robinson'],
  contributors: [],
  operationalTags: [],
  technicalMetadata: exampleNewAsset.technicalMetadata,
  status: 'PROCESSED',
  statusDetail: null,
  version: 2,
  enrichment: {
    keywords: [
      { term: 'creativity', score: 1 },
      { term: 'schools kill creativity', score: 0.7759 },
      { term: 'ken robinson', score: 0.7085 },
    ],
    topics: [{ name: 'Education', confidence: 0.5276 }],
    speakers: [{ name: 'Ken Robinson', source: 'manual', confidence: 1 }],
    brands: [],
    tags: [
      { name: 'education', source: 'manual', locked: false, confidence: 1 },
      { name: 'creativity', source: 'manual', locked: false, confidence: 1 },
      { name: 'schools kill creativity', source: 'ai', locked: false, confidence: 0.38795 },
    ],
    moments: [
      {
        start: 12,
        end: 15.6,
        timestamp: '00:00:12',
        speaker: 'Ken Robinson',
        keywords: ['creativity', 'education', 'literacy'],
      },
    ],
  },
  createdAt: '2006-06-27T00:00:00.000Z',
  updatedAt: '2026-11-30T18:02:11.408Z',
} as const;

export const exampleRelatedSummary = {
  ...exampleAssetSummary,
  id: EXAMPLE_RELATED_ID,
  title: "How to escape education's death valley",
  description: 'Ken Robinson on three principles that make the human mind flourish.',
  fileHash: '619a54e90ca785ee4e4e5fb6899c088245fa00a5a0a7dbcc39fa499c649877bf',
  sourceId: 'talk-1726',
  tags: ['education'],
  tagDetails: [{ name: 'education', source: 'given', locked: false, confidence: 1 }],
  technicalMetadata: {},
  enrichment: {
    keywords: [
      { term: 'death valley', score: 1 },
      { term: 'ken', score: 0.4225 },
    ],
    topics: [],
    speakers: [{ name: 'Ken Robinson', source: 'manual', confidence: 1 }],
    brands: [],
    tags: [{ name: 'education', source: 'manual', locked: false, confidence: 1 }],
    moments: [],
  },
  createdAt: '2013-05-10T00:00:00.000Z',
  updatedAt: '2026-11-30T18:02:12.050Z',
} as const;

export const exampleAsset = {
  ...exampleAssetSummary,
  version: 3,
  tags: ['education', 'schools kill creativity', 'public schools'],
  tagDetails: [
    { name: 'education', source: 'given', locked: true, confidence: 1 },
    { name: 'schools kill creativity', source: 'suggested', locked: false, confidence: 0.38795 },
    { name: 'public schools', source: 'manual', locked: false, confidence: 1 },
  ],
  removedTags: ['creativity'],
  enrichment: {
    ...exampleAssetSummary.enrichment,
    tags: [
      { name: 'education', source: 'manual', locked: true, confidence: 1 },
      { name: 'schools kill creativity', source: 'ai', locked: false, confidence: 0.38795 },
      { name: 'public schools', source: 'manual', locked: false, confidence: 1 },
    ],
  },
  updatedAt: '2026-11-30T18:04:40.125Z',
  transcript: exampleNewAsset.transcript,
  links: [],
  legalHold: false,
} as const;

export const exampleBadRequest = {
  type: '/problems/invalid-request',
  title: 'Bad Request',
  status: 400,
  detail: 'body.type: Invalid option: expected one of "VIDEO"|"IMAGE"|"AUDIO"|"TEXT"',
  instance: '/v1/assets',
  errors: [
    {
      location: 'body',
      field: 'type',
      message: 'Invalid option: expected one of "VIDEO"|"IMAGE"|"AUDIO"|"TEXT"',
    },
    { location: 'body', field: 'title', message: 'Too small: expected string to have >=1 characters' },
  ],
} as const;

export const exampleNotFound = {
  type: '/problems/not-found',
  title: 'Not Found',
  status: 404,
  detail: `asset ${EXAMPLE_ASSET_ID} not found`,
  instance: `/v1/assets/${EXAMPLE_ASSET_ID}`,
} as const;

export const exampleStaleVersion = {
  type: '/problems/stale-version',
  title: 'Precondition Failed',
  status: 412,
  detail: `asset ${EXAMPLE_ASSET_ID} is at version 3, not 2; review the changes and retry`,
  instance: `/v1/assets/${EXAMPLE_ASSET_ID}/tags`,
  currentVersion: 3,
  diff: [
    {
      field: 'enrichment.tags',
      old: [
        { name: 'education', source: 'manual', locked: false, confidence: 1 },
        { name: 'creativity', source: 'manual', locked: false, confidence: 1 },
      ],
      new: [
        { name: 'education', source: 'manual', locked: true, confidence: 1 },
        { name: 'public schools', source: 'manual', locked: false, confidence: 1 },
      ],
      added: [{ name: 'public schools', source: 'manual', locked: false, confidence: 1 }],
      removed: [{ name: 'creativity', source: 'manual', locked: false, confidence: 1 }],
      updated: [
        {
          old: { name: 'education', source: 'manual', locked: false, confidence: 1 },
          new: { name: 'education', source: 'manual', locked: true, confidence: 1 },
        },
      ],
      summary: "added tag 'public schools'; removed tag 'creativity'; locked tag 'education'",
    },
    {
      field: 'enrichment.suppressedTags',
      old: null,
      new: ['creativity'],
      added: ['creativity'],
      removed: [],
      updated: [],
      summary: "blocked tag 'creativity'",
    },
    {
      field: 'tags',
      old: ['education', 'creativity'],
      new: ['education'],
      added: [],
      removed: ['creativity'],
      updated: [],
      summary: "removed given tag 'creativity'",
    },
  ],
  summary: "added tag 'public schools'; removed tag 'creativity'; locked tag 'education'",
} as const;
