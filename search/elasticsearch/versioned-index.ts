import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { ProjectionOutcome, SearchDocument, Suggestion } from '../search-index.js';
import { suggestsItsNames } from '../adapter-rules.js';
import { feedbackFields, type FeedbackFields } from './feedback.js';

/*
 * The versioned index behind the alias (`<prefix>-assets-v<N>`): its mapping, the documents as it
 * stores them, its creation and rebuild, and bulk writes into it.
 */

/**
 * Bumped when the mapping changes: a rebuild writes the new index, then the alias moves to it.
 * v2: completion fields for suggestions (`suggest.*`).
 * v3: `ignore_above` on keyword fields; `raw` keyword sub-fields that facets count on.
 * v4: `suggest.<kind>_words` completion fields: the later words of tag, speaker and topic names.
 * v5: `learned_popularity`, `trending` and `popularity_at` (issue 22: learned from interaction events).
 * v6: `feedback` (nested), `open_issues` and `feedback_revision` (issue 27: time-coded feedback).
 */
export const INDEX_VERSION = 6;

export const SUGGEST_KINDS = [
  'tag',
  'speaker',
  'topic',
  'title',
] as const satisfies readonly Suggestion['kind'][];
export type SuggestKind = (typeof SUGGEST_KINDS)[number];
/** Kinds whose names a prefix of any word finds: each has a second completion field of later words. */
export const NAME_KINDS = ['tag', 'speaker', 'topic'] as const satisfies readonly SuggestKind[];
export type NameKind = (typeof NAME_KINDS)[number];
/** The document field holding a name kind's values, where a words match finds the whole names. */
export const NAME_FIELDS: Record<NameKind, 'tags' | 'speakers' | 'topics'> = {
  tag: 'tags',
  speaker: 'speakers',
  topic: 'topics',
};
export const wordsField = (kind: NameKind) => `${kind}_words` as const;

/**
 * Lucene refuses a term over 32,766 bytes, and with it the whole document (its bulk item, and so
 * its job). `ignore_above` counts characters, up to 4 bytes each in UTF-8: a longer value is kept
 * in the source and the text fields but left out of the keyword index.
 */
const KEYWORD_MAX_CHARS = 8191;

/** As written: facets count these, so their values come back in the case they were given. */
const raw = { type: 'keyword', ignore_above: KEYWORD_MAX_CHARS } as const;

/** Compared folded (filters, exact matches), counted raw (facets). */
const foldedKeyword = {
  type: 'keyword',
  normalizer: 'folded',
  ignore_above: KEYWORD_MAX_CHARS,
  fields: { raw },
} as const;

const keywordWithText = {
  ...foldedKeyword,
  fields: { raw, text: { type: 'text', analyzer: 'media_english' } },
} as const;

/**
 * One completion field per kind, so the suggester's name says the kind and `skip_duplicates` works
 * within one kind. The tenant is the only context: Elasticsearch ORs the values of several contexts
 * (elastic/elasticsearch#21291), so a second `kind` context would let other tenants' entries through.
 */
const completionField: estypes.MappingCompletionProperty = {
  type: 'completion',
  analyzer: 'suggest_folded',
  // Postgres keeps 200 characters of a suggestion; the default of 50 would cut longer prefixes off.
  max_input_length: 200,
  contexts: [{ name: 'tenant', type: 'category' }],
};

/** The mapping of time-coded feedback (`FeedbackFields`, feedback.ts). */
export const FEEDBACK_MAPPING: Record<keyof FeedbackFields, estypes.MappingProperty> = {
  feedback: {
    type: 'nested',
    properties: {
      comment_id: { type: 'keyword', ignore_above: KEYWORD_MAX_CHARS },
      start_ms: { type: 'integer' },
      text: { type: 'text', analyzer: 'media_english' },
      open: { type: 'boolean' },
    },
  },
  open_issues: { type: 'integer' },
  feedback_revision: { type: 'long' },
};

/** Index settings and mappings: the analyzer mirrors Postgres' `english` configuration (stopwords, Porter stemming). */
export const INDEX_BODY: Omit<estypes.IndicesCreateRequest, 'index'> = {
  settings: {
    analysis: {
      analyzer: {
        media_english: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['lowercase', 'asciifolding', 'english_possessive', 'english_stop', 'porter_stem'],
        },
        // The whole value as one token, compared like Postgres' normalized suggestions: lower-cased,
        // accents folded, whitespace collapsed. A prefix of punctuation then matches only values that
        // start with it, where a tokenizing analyzer would drop it and match everything.
        suggest_folded: {
          type: 'custom',
          tokenizer: 'keyword',
          char_filter: ['collapse_whitespace'],
          filter: ['lowercase', 'asciifolding', 'trim'],
        },
      },
      char_filter: {
        collapse_whitespace: { type: 'pattern_replace', pattern: '\\s+', replacement: ' ' },
      },
      filter: {
        english_possessive: { type: 'stemmer', language: 'possessive_english' },
        english_stop: { type: 'stop', stopwords: '_english_' },
      },
      normalizer: { folded: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
    },
  },
  mappings: {
    dynamic: 'strict',
    properties: {
      tenant_id: { type: 'keyword' },
      asset_id: { type: 'keyword' },
      version: { type: 'long' },
      type: { type: 'keyword' },
      source_system: foldedKeyword,
      status: { type: 'keyword' },
      title: {
        type: 'text',
        analyzer: 'media_english',
        fields: { raw: { type: 'keyword', normalizer: 'folded', ignore_above: KEYWORD_MAX_CHARS } },
      },
      description: { type: 'text', analyzer: 'media_english' },
      transcript: { type: 'text', analyzer: 'media_english' },
      tags: keywordWithText,
      speakers: keywordWithText,
      topics: keywordWithText,
      brands: { type: 'keyword', normalizer: 'folded', ignore_above: KEYWORD_MAX_CHARS },
      people: { type: 'text', analyzer: 'media_english' },
      keywords: { type: 'text', analyzer: 'media_english' },
      created_at: { type: 'date' },
      duration_seconds: { type: 'float' },
      width: { type: 'integer' },
      height: { type: 'integer' },
      popularity: { type: 'float' },
      // Set by partial updates (elasticsearch/popularity.ts), absent until the first one.
      learned_popularity: { type: 'double' },
      trending: { type: 'double' },
      popularity_at: { type: 'date' },
      ...FEEDBACK_MAPPING,
      suggest: {
        properties: Object.fromEntries(
          [...SUGGEST_KINDS, ...NAME_KINDS.map(wordsField)].map(
            (field): [string, estypes.MappingCompletionProperty] => [field, completionField],
          ),
        ),
      },
    },
  },
};

interface CompletionInput {
  input: string[];
  contexts: { tenant: string[] };
}

/** A document as the index stores it. */
export interface EsDoc {
  tenant_id: string;
  asset_id: string;
  version: number;
  type: string;
  source_system: string;
  status: string;
  title: string;
  description: string;
  transcript: string;
  tags: string[];
  speakers: string[];
  topics: string[];
  brands: string[];
  people: string[];
  keywords: string[];
  created_at: string;
  duration_seconds: number | null;
  width: number | null;
  height: number | null;
  popularity: number;
  learned_popularity?: number;
  trending?: number;
  popularity_at?: string;
  feedback?: FeedbackFields['feedback'];
  open_issues?: number;
  feedback_revision?: number;
  suggest: Partial<Record<SuggestKind | `${NameKind}_words`, CompletionInput>>;
}

/** Tenants share the index: a document's id carries its tenant. */
export function documentId(tenantId: string, assetId: string): string {
  return `${tenantId}:${assetId}`;
}

function toSource(tenantId: string, doc: SearchDocument): EsDoc {
  return {
    tenant_id: tenantId,
    asset_id: doc.assetId,
    version: doc.version,
    type: doc.type,
    source_system: doc.sourceSystem,
    status: doc.status,
    title: doc.title,
    description: doc.description,
    transcript: doc.transcript,
    tags: doc.tags,
    speakers: doc.speakers,
    topics: doc.topics,
    brands: doc.brands,
    people: doc.people,
    keywords: doc.keywords,
    created_at: doc.createdAt.toISOString(),
    duration_seconds: doc.technical.durationSeconds ?? null,
    width: doc.technical.width ?? null,
    height: doc.technical.height ?? null,
    popularity: doc.technical.viewCount ?? 0,
    // The whole source is replaced: the learned popularity travels with it (popularity.ts sets it
    // between projections).
    ...(doc.learned
      ? {
          learned_popularity: doc.learned.popularity,
          trending: doc.learned.trending,
          popularity_at: doc.learned.computedAt.toISOString(),
        }
      : {}),
    ...feedbackFields(doc.feedback),
    suggest: completionInputs(tenantId, doc),
  };
}

// Lucene reserves these in completion inputs and refuses a document carrying them.
const RESERVED_IN_COMPLETION = ['\u0000', '\u001d', '\u001e', '\u001f'];

/**
 * Every input weighs the same (the default, 1): an asset does not know how many other assets carry
 * its tags, and its views (`popularity`) say nothing of its tags' or speakers' weight. So the suggester only picks candidates, and
 * `suggest` counts and orders them.
 */
function completionInputs(tenantId: string, doc: SearchDocument): EsDoc['suggest'] {
  if (!suggestsItsNames(doc)) return {};
  const values: Record<SuggestKind, string[]> = {
    title: [doc.title],
    tag: doc.tags,
    speaker: doc.speakers,
    topic: doc.topics,
  };
  const out: EsDoc['suggest'] = {};
  for (const kind of SUGGEST_KINDS) {
    const input = [...new Set(values[kind])].filter(
      (v) => v.trim() !== '' && !RESERVED_IN_COMPLETION.some((c) => v.includes(c)),
    );
    if (input.length > 0) out[kind] = { input, contexts: { tenant: [tenantId] } };
  }
  // A name's later words, each with the rest of the name ("Robinson" of "Ken Robinson"): the
  // suggester matches from the start of an input only, and a prefix of any word should find it.
  for (const kind of NAME_KINDS) {
    const input = [
      ...new Set(
        (out[kind]?.input ?? []).flatMap((v) => {
          const words = v.trim().split(/\s+/);
          return words.slice(1).map((_, i) => words.slice(i + 1).join(' '));
        }),
      ),
    ];
    if (input.length > 0) out[wordsField(kind)] = { input, contexts: { tenant: [tenantId] } };
  }
  return out;
}

/** The indices behind the alias; none when it does not exist (a 404 answer's body is not a list of indices). */
export async function aliasedIndices(client: Client, alias: string): Promise<string[]> {
  if (!(await client.indices.existsAlias({ name: alias }))) return [];
  return Object.keys(await client.indices.getAlias({ name: alias }));
}

/** `<alias>-v2` or `<alias>-v2-<timestamp>` → 2. */
function mappingVersion(alias: string, index: string): number | undefined {
  const match = /^-v(\d+)(?:-\d+)?$/.exec(index.slice(alias.length));
  return index.startsWith(alias) && match ? Number(match[1]) : undefined;
}

/** What start-up does on an alias at an older mapping: stop, or go on (the rebuild path only). */
export type OnOutdated = 'fail' | 'warn';

/**
 * Creates the versioned index and points the alias at it, when neither exists yet. An alias on an
 * index of an older mapping version fails start-up: every write would be refused by the strict
 * mapping, so it has to be rebuilt first (with nothing else writing to it). The rebuild itself
 * (`npm run reindex`) starts through the same container, so it passes 'warn': start-up then names
 * the outdated indices and leaves them for the rebuild to replace.
 */
export async function ensureIndex(
  client: Client,
  alias: string,
  onOutdated: OnOutdated = 'fail',
): Promise<{ outdated: string[] }> {
  const live = await aliasedIndices(client, alias);
  if (live.length > 0) {
    const outdated = live.filter((index) => mappingVersion(alias, index) !== INDEX_VERSION);
    if (outdated.length > 0 && onOutdated === 'fail')
      throw new Error(
        `${alias} points at ${outdated.join(', ')}, not at mapping v${INDEX_VERSION}: rebuild the index before starting`,
      );
    return { outdated };
  }
  const index = `${alias}-v${INDEX_VERSION}`;
  try {
    // With its alias in the same request: the index never stands without it.
    await client.indices.create({ index, aliases: { [alias]: {} }, ...INDEX_BODY });
    return { outdated: [] };
  } catch (err) {
    // The API and a worker starting together both find no alias; the one whose create comes second
    // carries on with the index the other made.
    if (!isError(err, 'resource_already_exists_exception')) throw err;
  }
  // An index left by an older start-up may lack the alias; putting an alias again changes nothing.
  await client.indices.putAlias({ index, name: alias });
  return { outdated: [] };
}

/** Whether Elasticsearch refused a request with this error type, or one of its root causes. */
export function isError(err: unknown, type: string): boolean {
  const body: unknown = err instanceof errors.ResponseError ? err.body : undefined;
  const error = (body as { error?: { type?: string; root_cause?: { type?: string }[] } } | undefined)?.error;
  return error?.type === type || (error?.root_cause ?? []).some((c) => c.type === type);
}

/**
 * Deletes every versioned index of the alias (`<alias>-v*`): listed with a wildcard, which reads
 * allow, then deleted by name, because Elasticsearch refuses wildcard deletes since 8.0
 * (`action.destructive_requires_name`).
 */
export async function deleteIndices(client: Client, alias: string): Promise<void> {
  const { indices } = await client.indices.resolveIndex({ name: `${alias}-v*` });
  const names = indices.map((i) => i.name).filter((name) => mappingVersion(alias, name) !== undefined);
  if (names.length > 0) await client.indices.delete({ index: names }, { ignore: [404] });
}

/** A new index of the current mapping beside the live one, for a rebuild to fill. */
export async function createRebuildIndex(client: Client, alias: string): Promise<string> {
  const index = `${alias}-v${INDEX_VERSION}-${Date.now()}`;
  await client.indices.create({ index, ...INDEX_BODY });
  return index;
}

/** Moves the alias to a rebuilt index in one atomic request, then deletes the indices it left. */
export async function swapAlias(client: Client, alias: string, index: string): Promise<void> {
  await client.indices.refresh({ index });
  const previous = await aliasedIndices(client, alias);
  await client.indices.updateAliases({
    actions: [...previous.map((old) => ({ remove: { index: old, alias } })), { add: { index, alias } }],
  });
  for (const old of previous) await client.indices.delete({ index: old }, { ignore: [404] });
}

const BULK_RETRIES = 5;
const BULK_BACKOFF_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Bulk-indexes into one index, with external versions so an older projection never overwrites a
 * newer one; undefined where the held version was as new or newer (409). Items refused with 429
 * (queue full) are sent again with backoff.
 */
export async function bulkIndex(
  client: Client,
  index: string,
  tenantId: string,
  docs: SearchDocument[],
  refresh = true,
): Promise<(ProjectionOutcome | undefined)[]> {
  const outcomes: (ProjectionOutcome | undefined)[] = docs.map(() => undefined);
  let pending = docs.map((_, i) => i);
  for (let attempt = 0; pending.length > 0; attempt++) {
    const operations: estypes.BulkRequest<EsDoc>['operations'] = pending.flatMap((i) => {
      const doc = docs[i]!;
      const action: estypes.BulkOperationContainer = {
        index: {
          _index: index,
          _id: documentId(tenantId, doc.assetId),
          version: doc.version,
          version_type: 'external',
        },
      };
      return [action, toSource(tenantId, doc)];
    });
    const res = await client.bulk<EsDoc>({ operations, ...(refresh ? { refresh: 'wait_for' } : {}) });
    const retry: number[] = [];
    res.items.forEach((item, k) => {
      const i = pending[k]!;
      const result = item.index;
      if (!result || result.status < 300) outcomes[i] = 'applied';
      else if (result.status === 409) outcomes[i] = undefined;
      else if (result.status === 429) retry.push(i);
      else
        throw new Error(
          `bulk index of ${result._id ?? '?'} failed with ${result.status}: ${result.error?.reason ?? ''}`,
        );
    });
    if (retry.length > 0 && attempt >= BULK_RETRIES) {
      throw new Error(`bulk index still rejected (429) after ${BULK_RETRIES} retries`);
    }
    if (retry.length > 0) await sleep(BULK_BACKOFF_MS * 2 ** attempt * (0.5 + Math.random()));
    pending = retry;
  }
  return outcomes;
}

const CONFLICT_ATTEMPTS = 5;

/**
 * The documents whose external version conflicted (409), settled by the projection version in
 * their source. Elasticsearch can lower no `_version` (`version_type: force` is gone since 6.0,
 * and `external_gte` still refuses a lower one), so a document held ahead of the truth is put
 * right with an internal write, which raises `_version` past any projection version for a while.
 * Every conflict is therefore read again and compared on the source's `version`: the same is
 * 'unchanged', a newer one 'stale'; an older one is overwritten by an internal write guarded by
 * the sequence number it was read at, and a deleted one (its tombstone ahead, for
 * `index.gc_deletes`) is created anew. A write that loses a race is read again.
 * See docs/engines.md (drift repair).
 */
export async function settleConflicts(
  client: Client,
  index: string,
  tenantId: string,
  docs: SearchDocument[],
): Promise<ProjectionOutcome[]> {
  const outcomes: ProjectionOutcome[] = [];
  for (const doc of docs) outcomes.push(await settleConflict(client, index, tenantId, doc));
  return outcomes;
}

async function settleConflict(
  client: Client,
  index: string,
  tenantId: string,
  doc: SearchDocument,
): Promise<ProjectionOutcome> {
  const id = documentId(tenantId, doc.assetId);
  for (let attempt = 0; attempt < CONFLICT_ATTEMPTS; attempt++) {
    const [held] = (
      await client.mget<Pick<EsDoc, 'version'>>({ index, ids: [id], _source_includes: ['version'] })
    ).docs;
    const found = held && 'found' in held && held.found ? held : undefined;
    const version = found?._source?.version;
    if (version !== undefined && version === doc.version) return 'unchanged';
    if (version !== undefined && version > doc.version) return 'stale';
    try {
      const document = toSource(tenantId, doc);
      if (found && found._seq_no !== undefined && found._primary_term !== undefined)
        await client.index({
          index,
          id,
          document,
          if_seq_no: found._seq_no,
          if_primary_term: found._primary_term,
          refresh: 'wait_for',
        });
      else await client.create({ index, id, document, refresh: 'wait_for' });
      return 'applied';
    } catch (err) {
      if (!isError(err, 'version_conflict_engine_exception')) throw err;
    }
  }
  throw new Error(`${id}: still conflicting after ${CONFLICT_ATTEMPTS} attempts`);
}
