import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The ids of the API requests a piece of work serves, so that a worker's log lines name the request
 * that caused them. A request runs in its own id (api/app.ts); the outbox events it writes keep it
 * (`request_ids`, migration 0054), the relay hands it to the job they start, and the job runs in
 * the ids it carries, so the events it writes in turn (an enrichment's `asset.enriched`) carry them
 * on to the next job. A batch job gathers the ids of several requests: at most MAX_REQUEST_IDS,
 * the first ones seen.
 */
export const MAX_REQUEST_IDS = 10;
/** A caller's x-request-id is kept to this many characters. */
export const MAX_REQUEST_ID_CHARS = 128;

interface Served {
  ids: readonly string[];
  /** A job's (logged by the worker's mixin), not a request's own (Fastify logs that as reqId). */
  job: boolean;
}

const served = new AsyncLocalStorage<Served>();

/** Runs `fn` (and all it starts) as the work of one request. */
export function inRequest<T>(requestId: string, fn: () => T): T {
  return served.run({ ids: [requestId.slice(0, MAX_REQUEST_ID_CHARS)], job: false }, fn);
}

/** Runs `fn` as work no request caused (a polling loop a request's nudge happened to wake). */
export function outsideRequests<T>(fn: () => T): T {
  return served.exit(fn);
}

/** Runs `fn` as a job serving these requests; with none, as work no request caused. */
export function servingRequests<T>(ids: readonly string[] | undefined, fn: () => T): T {
  return ids && ids.length > 0
    ? served.run({ ids: boundedRequestIds(ids), job: true }, fn)
    : outsideRequests(fn);
}

/** The ids of the requests the current work serves; undefined when it serves none. */
export function currentRequestIds(): readonly string[] | undefined {
  return served.getStore()?.ids;
}

/** Distinct ids in their order, at most MAX_REQUEST_IDS. */
export function boundedRequestIds(ids: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const id of ids) {
    if (out.size >= MAX_REQUEST_IDS) break;
    out.add(id.slice(0, MAX_REQUEST_ID_CHARS));
  }
  return [...out];
}

/**
 * pino's `mixin` for a job's log lines: `reqIds`, the requests it serves. Nothing inside a request,
 * whose logger already binds its `reqId`, nor for work no request caused.
 */
export function requestIdsLogFields(): { reqIds?: readonly string[] } {
  const store = served.getStore();
  return store?.job ? { reqIds: store.ids } : {};
}
