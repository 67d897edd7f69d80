import type { EntityType } from '../../domain/entities.js';
import { run, type Sql } from '../../store/database.js';
import type { ProjectedAsset, ProjectionOutcome, SearchDocument, Suggestion } from '../search-index.js';
import type { BM25 } from './ranking.js';
import { BM25_PARAMS, SQL, WEIGHT_PARAMS, weightParams } from './statements.js';
import {
  applySuggestions,
  countSuggestions,
  type SuggestionDeltas,
  type SuggestionFields,
} from './suggestions.js';

/*
 * The write side of the Postgres search projection: documents, their postings, the statistics BM25
 * scores with (document frequencies, the tenant's document count and total length) and suggestion
 * counts, all moved together in the caller's transaction; and the reads that audit what it holds.
 */

/** A document as the projection writes it: one row of the JSON that `SQL.insertDocuments` reads. */
function documentRow(d: SearchDocument) {
  return {
    asset_id: d.assetId,
    version: d.version,
    type: d.type,
    source_system: d.sourceSystem,
    status: d.status,
    title: d.title,
    description: d.description,
    transcript: d.transcript,
    tags: d.tags,
    speakers: d.speakers,
    topics: d.topics,
    keywords: d.keywords,
    people: d.people,
    brands: d.brands,
    created_at: d.createdAt.toISOString(),
    duration_seconds: d.technical.durationSeconds ?? null,
    width: d.technical.width ?? null,
    height: d.technical.height ?? null,
    // sort=popularity: the views the source system counted.
    popularity: d.technical.viewCount ?? 0,
    technical: d.technical,
    // Learned popularity (asset_popularity) as of its computation; none: 0 until a popularity run.
    learned_popularity: d.learned?.popularity ?? null,
    trending: d.learned?.trending ?? null,
    popularity_at: d.learned?.computedAt.toISOString() ?? null,
  };
}

const documentsParam = (docs: SearchDocument[]) => JSON.stringify(docs.map(documentRow));

/** What an upsert did: each asset's outcome, or the asset a concurrent projection inserted first. */
export type UpsertResult = { outcomes: Map<string, ProjectionOutcome> } | { concurrent: string };

/**
 * Projects the newest version of each asset (`newest`, by id) in a fixed number of statements,
 * whatever the batch's size: the documents, their postings, and the statistics and suggestions
 * moved by the difference. An older or equal version held leaves the asset 'stale' or 'unchanged'.
 */
export async function upsertDocuments(
  tx: Sql,
  tenantId: string,
  newest: Map<string, SearchDocument>,
): Promise<UpsertResult> {
  const ids = [...newest.keys()].sort();
  const current = await run<SuggestionFields & { asset_id: string; version: number }>(tx, SQL.lockDocuments, {
    tenantId,
    assetIds: ids,
  });
  const held = new Map(current.map((r) => [r.asset_id, r]));
  const outcomes = new Map<string, ProjectionOutcome>();
  const apply: SearchDocument[] = [];
  for (const id of ids) {
    const doc = newest.get(id)!;
    const version = held.get(id)?.version;
    if (version !== undefined && version > doc.version) outcomes.set(id, 'stale');
    else if (version === doc.version) outcomes.set(id, 'unchanged');
    else apply.push(doc);
  }
  if (apply.length === 0) return { outcomes };

  const written = await run<{ asset_id: string; inserted: boolean }>(tx, SQL.upsertDocuments, {
    tenantId,
    documents: documentsParam(apply),
    ...WEIGHT_PARAMS,
  });
  for (const w of written) {
    // A row that appeared after the locking read was written by a concurrent projection, whose
    // statistics this one cannot see: the caller rolls back and the job retries.
    if (!w.inserted && !held.has(w.asset_id)) return { concurrent: w.asset_id };
    outcomes.set(w.asset_id, 'applied');
  }
  const applied = written.map((w) => w.asset_id);
  const { termDeltas, lengthDelta } = await rewritePostings(
    tx,
    tenantId,
    applied,
    applied.filter((id) => held.has(id)),
  );
  await applyStats(tx, tenantId, termDeltas, written.filter((w) => w.inserted).length, lengthDelta);
  const suggestions: SuggestionDeltas = new Map();
  for (const doc of apply) {
    const before = held.get(doc.assetId);
    if (before) countSuggestions(suggestions, before, -1);
    countSuggestions(suggestions, doc, +1);
  }
  await applySuggestions(tx, tenantId, suggestions);
  return { outcomes };
}

/**
 * An initial load's batch of documents the tenant does not have yet (one already there fails it):
 * the same rows as `upsertDocuments`, except document frequencies, which `countDocumentFrequencies`
 * counts once for the whole tenant at the end.
 */
export async function insertDocuments(tx: Sql, tenantId: string, docs: SearchDocument[]): Promise<void> {
  await run(tx, SQL.insertDocuments, { tenantId, documents: documentsParam(docs), ...WEIGHT_PARAMS });
  const length = await insertPostings(
    tx,
    tenantId,
    docs.map((d) => d.assetId),
  );
  await applyStats(tx, tenantId, [], docs.length, length);
  const suggestions: SuggestionDeltas = new Map();
  for (const doc of [...docs].sort((a, b) => (a.assetId < b.assetId ? -1 : 1))) {
    countSuggestions(suggestions, doc, +1);
  }
  await applySuggestions(tx, tenantId, suggestions);
}

/** After an initial load: every term's document frequency, counted from the tenant's postings. */
export async function countDocumentFrequencies(tx: Sql, tenantId: string): Promise<void> {
  await run(tx, SQL.analyzePostings, {});
  await run(tx, SQL.clearTermStats, { tenantId });
  await run(tx, SQL.countTermStats, { tenantId });
}

/**
 * For an evaluation of field weights (`npm run eval:relevance -- --weights`): the tenant's lengths
 * and postings derived again from its stored tsvectors under `weights`, without reloading it.
 * Document frequencies do not depend on the weights and stay. A later write of the tenant uses the
 * configured weights again (`BM25.weights`), so this is for a throwaway tenant only.
 */
export async function reweighPostings(
  tx: Sql,
  tenantId: string,
  weights: Record<keyof typeof BM25.weights, number>,
): Promise<void> {
  const params = { tenantId, ...weightParams(weights) };
  await run(tx, SQL.reweighDocuments, params);
  await run(tx, SQL.resetTotalLength, { tenantId });
  await run(tx, SQL.deleteTenantPostings, { tenantId });
  const ids = (await run<{ asset_id: string }>(tx, SQL.tenantAssetIds, { tenantId })).map((r) => r.asset_id);
  for (let i = 0; i < ids.length; i += 1_000)
    await run(tx, SQL.insertPostings, {
      tenantId,
      assetIds: ids.slice(i, i + 1_000),
      ...weightParams(weights),
      ...BM25_PARAMS,
    });
}

/** Removes the document, its postings and its share of the statistics and suggestions. */
export async function removeDocument(tx: Sql, tenantId: string, assetId: string): Promise<void> {
  const gone = await run<SuggestionFields>(tx, SQL.removeDocument, { tenantId, assetId });
  const old = await run<{ term: string; doc_length: number }>(tx, SQL.removePostings, { tenantId, assetId });
  if (!gone[0]) return;
  const suggestions: SuggestionDeltas = new Map();
  countSuggestions(suggestions, gone[0], -1);
  await applySuggestions(tx, tenantId, suggestions);
  await applyStats(
    tx,
    tenantId,
    old.map((r) => ({ term: r.term, delta: -1 })),
    -1,
    -(old[0]?.doc_length ?? 0),
  );
}

const SUGGESTED_KINDS: Partial<Record<EntityType, Suggestion['kind']>> = {
  TAG: 'tag',
  SPEAKER: 'speaker',
  TOPIC: 'topic',
};

/** The names that suggestions spell (tags, speakers, topics), as suggestion kinds. */
export function suggestedNames(names: { type: EntityType; name: string }[]) {
  return names.flatMap((n) => {
    const kind = SUGGESTED_KINDS[n.type];
    return kind ? [{ kind, name: n.name }] : [];
  });
}

/**
 * Replaces the postings of the (already written) documents with ones from their tsvectors, and
 * returns how each term's document frequency and the tenant's total length moved.
 */
async function rewritePostings(
  tx: Sql,
  tenantId: string,
  assetIds: string[],
  /** Those of `assetIds` that had postings before: only theirs are read and deleted. */
  previous: string[],
): Promise<{ termDeltas: { term: string; delta: number }[]; lengthDelta: number }> {
  // A new document's terms are all gained; only re-projected ones need their old postings compared.
  type Delta = { term: string; delta: number };
  const termDeltas =
    previous.length === 0
      ? await run<Delta>(tx, SQL.termsOfNewDocuments, { tenantId, assetIds })
      : await run<Delta>(tx, SQL.termDeltas, { tenantId, assetIds, previous });
  const [removed] =
    previous.length === 0
      ? []
      : await run<{ length: number }>(tx, SQL.deletePostings, { tenantId, assetIds: previous });
  const added = await insertPostings(tx, tenantId, assetIds);
  return { termDeltas, lengthDelta: added - (removed?.length ?? 0) };
}

/**
 * Writes the postings of (already written) documents that have none, and returns the sum of their
 * lengths. Impacts are computed against the tenant's average length as of before these documents.
 */
async function insertPostings(tx: Sql, tenantId: string, assetIds: string[]): Promise<number> {
  const [added] = await run<{ length: number }>(tx, SQL.insertPostings, {
    tenantId,
    assetIds,
    ...WEIGHT_PARAMS,
    ...BM25_PARAMS,
  });
  return added?.length ?? 0;
}

/** Moves document frequencies and the tenant's document count and total length. */
async function applyStats(
  tx: Sql,
  tenantId: string,
  termDeltas: { term: string; delta: number }[],
  docDelta: number,
  lengthDelta: number,
): Promise<void> {
  // Sorted, single statements lock term rows in one order, so concurrent projections queue.
  const sorted = [...termDeltas].sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  const gained = sorted.filter((d) => d.delta > 0);
  const lost = sorted.filter((d) => d.delta < 0);
  const moved = (ds: typeof sorted) => ({
    tenantId,
    terms: ds.map((d) => d.term),
    deltas: ds.map((d) => d.delta),
  });
  if (gained.length > 0) await run(tx, SQL.addTermFrequencies, moved(gained));
  if (lost.length > 0) await run(tx, SQL.lowerTermFrequencies, moved(lost));
  if (docDelta !== 0 || lengthDelta !== 0) {
    await run(tx, SQL.moveCorpusStats, { tenantId, docDelta, lengthDelta });
  }
}

export async function projectedVersions(
  sql: Sql,
  tenantId: string,
  assetIds: string[],
): Promise<Map<string, number>> {
  if (assetIds.length === 0) return new Map();
  const rows = await run<{ asset_id: string; version: number }>(sql, SQL.projectedVersions, {
    tenantId,
    assetIds,
  });
  return new Map(rows.map((r) => [r.asset_id, r.version]));
}

export async function projectedIdsAfter(
  sql: Sql,
  tenantId: string,
  afterId: string | null,
  limit: number,
): Promise<ProjectedAsset[]> {
  const rows = await run<{ asset_id: string; version: number }>(sql, SQL.projectedIdsAfter, {
    tenantId,
    afterId,
    limit,
  });
  return rows.map((r) => ({ assetId: r.asset_id, version: r.version }));
}
