/**
 * A typed client for the media discovery API. The types come from the API's OpenAPI contract
 * (schema.d.ts, generated); openapi-fetch makes the requests. Paths, parameters, bodies and
 * answers are checked by the compiler against the contract.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };

type Schemas = components['schemas'];
export type Asset = Schemas['Asset'];
export type AssetSummary = Schemas['AssetSummary'];
export type NewAsset = Schemas['NewAssetInput'];
export type IngestResult = Schemas['IngestResult'];
export type BatchResult = Schemas['BatchResult'];
export type SearchResult = Schemas['SearchResult'];
export type RelatedResult = Schemas['RelatedResult'];
export type TagPatch = Schemas['TagPatchInput'];
export type AssetVersionPage = Schemas['AssetVersionPage'];
export type AssetDiff = Schemas['AssetDiff'];
export type Job = Schemas['Job'];
/** One entry of the tenant's asset change log (GET /v1/changes). */
export type AssetChange = Schemas['AssetChange'];
export type AssetChangePage = Schemas['AssetChangePage'];
/** An RFC 9457 problem: every 4xx and 5xx answer of the API is one. */
export type Problem = Schemas['Problem'];
/** The 412 problem of a write based on a version the asset is no longer at. */
export type StaleVersionProblem = Schemas['StaleVersionProblem'];

export type MediaClient = Client<paths>;

export interface MediaClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the API is served, without /v1: e.g. https://media.example.com */
  baseUrl: string;
  /** An API key's secret, sent as `Authorization: Bearer <apiKey>` on every request. */
  apiKey: string;
}

/**
 * A client for one API key. Each call answers `{ data }` on success or `{ error }` with the
 * problem on failure, both with the `response`:
 *
 *   const { data, error } = await client.GET('/v1/search', { params: { query: { q: 'climate' } } });
 */
export function createMediaClient({ apiKey, ...options }: MediaClientOptions): MediaClient {
  const client = createClient<paths>(options);
  client.use({
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${apiKey}`);
      return request;
    },
  });
  return client;
}

/** A problem answer as an Error, for code that would rather throw than check `error`. */
export class ProblemError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(
    body: unknown,
    readonly response: Response,
  ) {
    const problem = isProblem(body)
      ? body
      : {
          // Not from the API itself (a proxy's error page, say): keep what it said.
          type: 'about:blank',
          title: response.statusText || `HTTP ${response.status}`,
          status: response.status,
          ...(typeof body === 'string' && body ? { detail: body.slice(0, 500) } : {}),
        };
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ProblemError';
    this.status = response.status;
    this.problem = problem;
  }
}

type Success<Data> = { data: Data; error?: never; response: Response };
type Outcome = Success<unknown> | { data?: never; error: unknown; response: Response };
/** What a call answers on success, from its outcome type. */
export type DataOf<R> = R extends Success<infer Data> ? Data : never;

/**
 * The data of a successful answer; a ProblemError for any other.
 *
 *   const asset = await unwrap(client.GET('/v1/assets/{id}', { params: { path: { id } } }));
 */
export async function unwrap<R extends Outcome>(pending: R | PromiseLike<R>): Promise<DataOf<R>> {
  const outcome = await pending;
  if (!succeeded(outcome)) throw new ProblemError(outcome.error, outcome.response);
  return outcome.data;
}

// An error answer without a body comes with error undefined: the status decides too.
function succeeded<R extends Outcome>(outcome: R): outcome is R & Success<DataOf<R>> {
  return outcome.error === undefined && outcome.response.ok;
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    'type' in body &&
    typeof body.type === 'string' &&
    'title' in body &&
    typeof body.title === 'string' &&
    'status' in body &&
    typeof body.status === 'number'
  );
}

/** Whether a problem is the 412 of a stale version, with `currentVersion` and `diff`. */
export function isStaleVersionProblem(problem: unknown): problem is StaleVersionProblem {
  return (
    isProblem(problem) &&
    problem.status === 412 &&
    typeof problem.currentVersion === 'number' &&
    Array.isArray(problem.diff)
  );
}

export {
  EventBatcher,
  EventBatchError,
  type EventBatcherOptions,
  type InteractionEventInput,
  type RejectedEvent,
} from './event-batcher.js';

/** The query of GET /v1/changes. */
export type ChangesQuery = NonNullable<operations['listAssetChanges']['parameters']['query']>;

/**
 * One page of the tenant's asset change log (GET /v1/changes as JSON). Read on from `nextCursor`;
 * keep it across restarts to resume. The same route streams (SSE, NDJSON) for `fetch` or
 * EventSource; this is the polling form.
 *
 *   let cursor: string | undefined;
 *   for (;;) {
 *     const page = await readChanges(client, { cursor, limit: 500 });
 *     for (const change of page.items) apply(change);
 *     cursor = page.nextCursor ?? cursor;
 *     if (page.caughtUp) await sleep(1000);
 *   }
 */
export async function readChanges(client: MediaClient, query: ChangesQuery = {}): Promise<AssetChangePage> {
  const page = await unwrap(
    client.GET('/v1/changes', { params: { query }, headers: { accept: 'application/json' } }),
  );
  // The route answers JSON for this Accept; the other media types are its streams.
  return page as AssetChangePage;
}
export { RemoteMetadataRepository } from './metadata-repository.js';
export type {
  MetadataRecordInput,
  RemoteBulkItem,
  RemoteMetadataPage,
  RemoteMetadataRecord,
  RemotePathFilter,
} from './metadata-repository.js';
