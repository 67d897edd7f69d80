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
