import { z } from 'zod';
import { exampleBadRequest, exampleNotFound } from './examples.js';

export const MAX_PAGE_SIZE = 100;

export const ProblemSchema = z
  .object({
    type: z
      .string()
      .describe(
        'A URI reference naming the problem type: `/problems/<kind>`, relative to the request URL, where ' +
          'the API documents it (docs/problems.md); `about:blank` when the status says it all (405, 406, ' +
          '413, 415, 500).',
      ),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ location: z.string(), field: z.string(), message: z.string() }))
      .optional()
      .describe('For 400s: each invalid field and why.'),
  })
  .loose()
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details.',
    examples: [exampleBadRequest, exampleNotFound],
  });

/**
 * A problem response as the error handler sends it: `application/problem+json`, described by its
 * status. Declared per content type so the document says what the wire says.
 */
export const problemResponse = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/problem+json': { schema } },
});
export const problem = (description: string) => problemResponse(ProblemSchema, description);

/** Problem responses every authenticated route can give. */
export const authProblems = {
  400: problem('Invalid request: `detail` names the first invalid field, `errors` each of them.'),
  401: problem('No valid API key: missing, unknown or revoked.'),
  403: problem("The API key lacks the route's permission; the denial is audited."),
  429: problem(
    'Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again.',
  ),
  500: problem('An unexpected error; the details are logged, not shown.'),
  503: problem(
    'The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After.',
  ),
};

export const notFound = problem('No such resource in the tenant of the API key.');
export const conflict = (description: string) => problem(`Conflict: ${description}`);
export const tooLarge = problem('The body is larger than the configured limit (BODY_LIMIT_BYTES).');

export const limitParam = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(fallback)
    .describe(`Page size, at most ${MAX_PAGE_SIZE}.`);

export const IdParams = z.object({ id: z.uuid() });

/**
 * A true/false query parameter. It parses like z.stringbool (true/false, 1/0, yes/no, on/off) and
 * is declared a boolean, so clients send `?flag=true` from a boolean.
 */
export const queryFlag = (description: string) =>
  z.stringbool().default(false).describe(description).meta({ type: 'boolean' });

/**
 * Optimistic locking: a write names the asset version it was based on, as `If-Match: "<version>"`
 * (an ETag; quotes optional) or as `version` in the body. A stale one gets 412 and changes nothing.
 */
export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^"?\d{1,9}"?$/, 'must be the asset version the change is based on, e.g. "3"')
    .optional()
    .describe('The asset version this change is based on (its ETag). A stale version gets 412.'),
});

/** The version a write is based on: If-Match first, then the body's `version`; undefined if neither. */
export function expectedVersion(ifMatch: string | undefined, bodyVersion?: number): number | undefined {
  return ifMatch !== undefined ? Number(ifMatch.replaceAll('"', '')) : bodyVersion;
}

/** `?wait=true` on a write: answer once search and related content hold it (202 when the wait runs out). */
export const WaitQuery = z.object({
  wait: queryFlag('Answer only once the assets are searchable and related (bounded wait; 202 on timeout).'),
});
