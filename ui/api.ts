import type { FieldChange } from './types.js';

/** An RFC 9457 problem as the API sends it; a 412 adds the current version and what changed since. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { location: string; field: string; message: string }[];
  currentVersion?: number;
  diff?: FieldChange[];
}

/** A failed call: the API's problem, or one made up for a network failure (status 0). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }
  get status(): number {
    return this.problem.status;
  }
}

/** Any thrown value as an ApiError, so every failure can be shown the same way. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new ApiError({ type: 'about:blank', title: 'Error', status: 0, detail });
}

/**
 * A 400's per-field problems (RFC 9457 `errors`, fields dotted: `configuration.url`) by field, the
 * first message of each; `known` names the fields the form shows; `rest`: a problem, or the refusal
 * itself, that no field of the form shows.
 */
export function fieldErrors(
  error: ApiError | null | undefined,
  known: readonly string[],
): { byField: Record<string, string>; rest: boolean } {
  const byField: Record<string, string> = {};
  let rest = false;
  for (const e of error?.problem.errors ?? []) {
    if (known.includes(e.field)) byField[e.field] ??= e.message;
    else rest = true;
  }
  return { byField, rest: rest || (error !== null && error !== undefined && !error.problem.errors?.length) };
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

type QueryValue = string | number | readonly string[] | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue> | URLSearchParams;
  body?: unknown;
  /** The asset version the write is based on, sent as If-Match. */
  ifMatch?: number;
  signal?: AbortSignal;
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams(query instanceof URLSearchParams ? query : undefined);
  if (!(query instanceof URLSearchParams)) {
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const v of typeof value === 'object' ? value : [value]) params.append(name, String(v));
    }
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

function toProblem(res: Response, body: unknown): Problem {
  if (body && typeof body === 'object' && 'title' in body)
    return { ...(body as Problem), status: res.status };
  return { type: 'about:blank', title: res.statusText || 'Error', status: res.status };
}

/** A small fetch client for the /v1 API: bearer key, JSON in and out, problems thrown as ApiError. */
export class ApiClient {
  constructor(
    private readonly key: string,
    /** Called on any 401, so the app can sign out. */
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  async get<T>(path: string, options: Pick<RequestOptions, 'query' | 'signal'> = {}): Promise<T> {
    return (await this.request<T>('GET', path, options)).body;
  }

  /**
   * Opens a Server-Sent Events stream with the key in the Authorization header, which a browser's
   * EventSource cannot send (docs/comments.md, "Live updates"): the caller reads `res.body`. A
   * refusal is thrown as an ApiError, as `request` throws it.
   */
  async stream(
    path: string,
    options: { lastEventId?: string | null; signal: AbortSignal },
  ): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.key}`,
      accept: 'text/event-stream',
    };
    if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
    let res: Response;
    try {
      res = await fetch(path, { headers, signal: options.signal });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0 });
    }
    if (!res.ok || !res.body) {
      const body: unknown = await res.json().catch(() => null);
      if (res.status === 401) this.onUnauthorized();
      throw new ApiError(toProblem(res, body));
    }
    return res.body;
  }

  async request<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.key}`,
      accept: 'application/json',
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    let res: Response;
    try {
      res = await fetch(path + queryString(options.query), {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new ApiError({
        type: 'about:blank',
        title: 'Network error',
        status: 0,
        detail: 'The service could not be reached.',
      });
    }
    // An abort while the body is read rejects like one before the answer: callers ignore aborts,
    // and a half-read body taken as null once resolved a superseded suggestion request with null.
    const body: unknown = await res.json().catch((err: unknown) => {
      if (isAbort(err)) throw err;
      return null;
    });
    if (!res.ok) {
      if (res.status === 401) this.onUnauthorized();
      throw new ApiError(toProblem(res, body));
    }
    return { status: res.status, body: body as T };
  }
}
