/** A minimal client for the loading scripts: fails loudly, saying what to do, on any non-2xx answer. */
import { CliError, networkFailure } from './cli.js';

/**
 * A request the API did not answer with 2xx. `status` is undefined when it was not reached at all;
 * `retryAfterSeconds` is its Retry-After, when it sent one.
 */
export class ApiRequestError extends CliError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where the scripts look for the API: --url, else API_URL, else the service's default port. */
export const DEFAULT_API_URL = process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;

/** The key the scripts use unless --key is given. */
export const DEFAULT_API_KEY = process.env.API_KEY ?? process.env.BOOTSTRAP_API_KEY;

const KEY_HINT =
  'pass --key with the BOOTSTRAP_API_KEY the service started with, or a key made by "npm run keys -- create"';

/** The problem's detail (RFC 9457) or the start of the body. */
async function detailOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const problem = JSON.parse(text) as { detail?: string; title?: string };
    if (problem.detail || problem.title) return problem.detail ?? problem.title ?? '';
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 200).replace(/\s+/g, ' ');
}

/**
 * A request to the API. Every failure is a CliError that says what failed and what to do: the API
 * not reachable, the key refused (401) or not allowed (403), or any other non-2xx answer.
 */
export async function apiRequest(
  baseUrl: string,
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const base = baseUrl.replace(/\/$/, '');
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    const why = networkFailure(err);
    throw new ApiRequestError(
      `cannot reach the API at ${base} (${why}): start it with "npm start", or pass --url with the address it listens on`,
      undefined,
      undefined,
      { cause: err },
    );
  }
  if (res.ok) return res;
  const what = `${method} ${path.split('?')[0]}`;
  const detail = await detailOf(res);
  const fail = (message: string) => {
    const retryAfter = Number(res.headers.get('retry-after'));
    return new ApiRequestError(message, res.status, Number.isFinite(retryAfter) ? retryAfter : undefined);
  };
  if (res.status === 401) throw fail(`the API at ${base} refused the key (401: ${detail}): ${KEY_HINT}`);
  if (res.status === 403)
    throw fail(
      `the key may not ${what} (403: ${detail}): use a key with the EDITOR or ADMIN role (npm run keys -- create --role EDITOR)`,
    );
  if (res.status === 404)
    throw fail(`${what} is not found at ${base} (404): check --url points at this service`);
  throw fail(`${what} answered ${res.status}: ${detail}`);
}

/** How many searchable assets the key's tenant holds per source system (the search's source facet). */
export async function sourceCounts(
  baseUrl: string,
  apiKey: string,
): Promise<{ value: string; count: number }[]> {
  const res = await apiRequest(baseUrl, apiKey, 'GET', '/v1/search?limit=1&facets=true');
  const body = (await res.json()) as { facets?: { sourceSystem?: { value: string; count: number }[] } };
  return body.facets?.sourceSystem ?? [];
}

/**
 * What to do once a load is posted: the API took the assets, but search finds each only once it is
 * enriched and projected, minutes later for thousands. Said on stderr, so stdout stays JSON.
 */
export function afterLoading(baseUrl: string, outcome: { created: number }, unit: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return (
    `${outcome.created.toLocaleString('en-US')} ${unit} accepted; search finds each once it is enriched: ` +
    `follow it at ${base}/ui/#/imports, or GET ${base}/v1/pipeline/status until "idle" is true`
  );
}
