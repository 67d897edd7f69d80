import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;

export const ProblemSchema = z
  .object({
    type: z.string().describe('A URI naming the problem type; about:blank when the status says it all.'),
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
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });

/** Problem responses every authenticated route can give. */
export const authProblems = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  500: ProblemSchema,
};

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
