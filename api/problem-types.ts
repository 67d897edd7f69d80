/**
 * The problem types the API answers with (RFC 9457), each documented at `/problems/<slug>` and in
 * docs/problems.md. A problem's `type` is the relative URI `/problems/<slug>`: the API does not know
 * the address partners reach it at, and a relative `type` resolves against the request's URL to the
 * page that documents it on that same host.
 */
export const PROBLEM_TYPES = {
  'invalid-request': {
    status: 400,
    title: 'Bad Request',
    description:
      'The request does not match the operation: a field of the body, query, path or headers is ' +
      'missing or invalid. `errors` lists each invalid field (`location`, `field`, `message`); ' +
      '`detail` names the first. Fix the request; sending it again as it is fails again.',
  },
  'query-limit': {
    status: 400,
    title: 'Bad Request',
    description:
      'A search query past one of its hard limits (terms, phrase length, wildcards…). `limit` names ' +
      'the limit and `maximum` its value. Shorten or simplify the query.',
  },
  'events-rejected': {
    status: 400,
    title: 'Bad Request',
    description:
      'No event of the batch (POST /v1/events) was valid, so none was taken. `errors` lists every ' +
      'event by its `index` in the batch, with a JSON `pointer` to the field at fault and a `detail` ' +
      '(an unknown type, a missing field, a time out of range, an asset the tenant does not have). ' +
      'A batch with some valid events is accepted (202) and lists the same rejections.',
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    description:
      'No API key, or one that is unknown, revoked or expired; on the metrics routes, a bearer JWT ' +
      'that fails verification (issuer, audience, expiry, signature, tenant claim). Send ' +
      '`Authorization: Bearer <key>` with a valid key.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    description:
      'The key is valid but may not do this: its role and scopes lack the permission, or it is not ' +
      "allowed from this origin or address; or a bearer JWT's scope lacks metrics:read.",
  },
  'not-found': {
    status: 404,
    title: 'Not Found',
    description:
      "The resource does not exist in the key's tenant (another tenant's resources are not found " +
      'either), or no route serves the URL.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    description:
      'The request conflicts with the state of a resource: a duplicate name, a link to itself, a job ' +
      'that is not in a state to be retried. `detail` says which.',
  },
  'legal-hold': {
    status: 409,
    title: 'Conflict',
    description:
      'The asset is under legal hold: it may be neither deleted nor purged (`assetId` names it). ' +
      'An ADMIN lifts the hold first (`PUT /v1/assets/{id}/legal-hold` with `legalHold: false`). ' +
      "A person's erasure (`POST /v1/erasure`) that finds held assets is refused as a whole, changing " +
      'nothing: `assetIds` names the held assets (at most 100), `heldAssets` counts them.',
  },
  'stale-version': {
    status: 412,
    title: 'Precondition Failed',
    description:
      'The write named a version (`If-Match`) the resource is no longer at; nothing was written. ' +
      '`currentVersion` is the version now, and `diff` what changed since. Review, and retry with ' +
      'the current version.',
  },
  'version-required': {
    status: 428,
    title: 'Precondition Required',
    description:
      'The write must name the version it is based on (`If-Match: "<version>"`, from the ETag of a ' +
      'read) and did not.',
  },
  'batch-too-large': {
    status: 413,
    title: 'Content Too Large',
    description:
      'More items in one batch than the operation takes (`maximum`; 1,000 events for POST ' +
      '/v1/events). Nothing was taken: split the batch.',
  },
  'resync-required': {
    status: 410,
    title: 'Gone',
    description:
      'The change-feed cursor (or the start of the log) is older than what the log keeps ' +
      '(`retentionDays`): entries after it were pruned, and reading on would skip them. Resync: list ' +
      'the assets in full (`GET /v1/assets`), then read the changes from `resumeCursor`. Nothing was ' +
      'read or changed.',
  },
  'rate-limited': {
    status: 429,
    title: 'Too Many Requests',
    description:
      'More requests per minute than the key (or, without a key, the address) may make. Wait for ' +
      '`Retry-After` seconds.',
  },
  unavailable: {
    status: 503,
    title: 'Service Unavailable',
    description:
      'Something the operation needs is unavailable: the database for now (nothing was written; ' +
      'retry after `Retry-After` seconds), or a setting this deployment lacks (such as `MASK_KEY` ' +
      'for masking), which `detail` names.',
  },
  'query-timeout': {
    status: 503,
    title: 'Service Unavailable',
    description:
      'The search ran past its time limit and was cancelled (`maximum`, in milliseconds). Retry, or ' +
      'narrow the query.',
  },
  'concurrent-conflict': {
    status: 503,
    title: 'Service Unavailable',
    description:
      'A concurrent request conflicted with this one and the transaction was rolled back whole; the ' +
      'same request is expected to succeed when retried (`Retry-After`).',
  },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemTypeSlug = keyof typeof PROBLEM_TYPES;

/** The `type` of a problem of this kind. */
export const problemTypeUri = (slug: ProblemTypeSlug) => `/problems/${slug}`;
