import type { Asset, Enrichment } from '../domain/asset.js';
import { effectiveTagsOf } from '../domain/asset-tags.js';
import type { PopularityUpdate } from '../domain/popularity.js';
import { FEEDBACK_MOMENTS, type AssetFeedback, type SearchDocument } from '../search/search-index.js';

/** Keywords below this score are noise in a search document. */
const MIN_KEYWORD_SCORE = 0.2;
/** Given (1) and diarized (0.9) speakers speak in the media; names found in the text score lower. */
const SPEAKER_CONFIDENCE = 0.9;

/**
 * The version of what the projections write for an asset (this search document and the graph of
 * `asset-graph.ts`): recorded on each projection_run (docs/metadata.md), so a change of what is
 * projected shows in the records; raise it with such a change, then rebuild (`npm run reindex`).
 * 2: the search document carries the asset's time-coded feedback (issue 27).
 */
export const PROJECTION_VERSION = '2';

/** The entities an asset is found by: its enrichment's, or as given while it has none. */
export function entityNamesOf(asset: {
  tags: string[];
  speakers: string[];
  enrichment: Pick<Enrichment, 'tags' | 'speakers' | 'topics' | 'brands'> | null;
}): Pick<SearchDocument, 'tags' | 'speakers' | 'people' | 'topics' | 'brands'> {
  const e = asset.enrichment;
  return {
    // The effective tags, the same set the API shows as an asset's `tags`.
    tags: effectiveTagsOf(asset),
    speakers: e
      ? e.speakers.filter((s) => (s.confidence ?? 1) >= SPEAKER_CONFIDENCE).map((s) => s.name)
      : asset.speakers,
    people: e ? e.speakers.filter((s) => (s.confidence ?? 1) < SPEAKER_CONFIDENCE).map((s) => s.name) : [],
    topics: e ? e.topics.map((t) => t.name) : [],
    brands: e ? e.brands.map((b) => b.name) : [],
  };
}

/**
 * The feedback a search document carries, within FEEDBACK_MOMENTS: at most `maxPerAsset` moments
 * (the caller reads them open issues first), each text cut to `maxTextLength` characters, in time order.
 */
export function boundedFeedback(feedback: AssetFeedback): AssetFeedback {
  return {
    revision: feedback.revision,
    openIssues: feedback.openIssues,
    moments: feedback.moments
      .slice(0, FEEDBACK_MOMENTS.maxPerAsset)
      .map((m) => ({ ...m, text: [...m.text].slice(0, FEEDBACK_MOMENTS.maxTextLength).join('') }))
      .sort((a, b) => a.startMs - b.startMs || (a.commentId < b.commentId ? -1 : 1)),
  };
}

/**
 * Asset → search document, with the asset's learned popularity when it has one (`learned`) and its
 * time-coded feedback (`feedback`), both read from the canonical tables by the caller. Pure: the
 * same inputs always give the same document.
 */
export function toSearchDocument(
  asset: Asset,
  learned?: PopularityUpdate,
  feedback?: AssetFeedback,
): SearchDocument {
  const e = asset.enrichment;
  return {
    assetId: asset.id,
    version: asset.version,
    type: asset.type,
    sourceSystem: asset.sourceSystem,
    status: asset.status,
    title: asset.title,
    description: asset.description,
    transcript: asset.transcript,
    ...entityNamesOf(asset),
    keywords: e ? e.keywords.filter((k) => k.score >= MIN_KEYWORD_SCORE).map((k) => k.term) : [],
    technical: asset.technicalMetadata,
    createdAt: asset.createdAt,
    ...(learned
      ? {
          learned: {
            popularity: learned.popularity,
            trending: learned.trending,
            computedAt: learned.computedAt,
          },
        }
      : {}),
    ...(feedback ? { feedback: boundedFeedback(feedback) } : {}),
  };
}
