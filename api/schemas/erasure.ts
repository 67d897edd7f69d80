import { z } from 'zod';
import type { ErasureReport } from '../../services/person-erasure-service.js';

export const ErasureBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .optional()
      .describe(
        'A speaker\'s or contributor\'s name: erased as the exact name, case-insensitive, as whole words, from every asset of the tenant, their versions, search, suggestions, the graph and earlier audit records (docs/lifecycle.md, "Erasure"). Never stored: the audit record keeps a salted hash.',
      ),
    userToken: z
      .string()
      .regex(/^tok_[0-9a-f]{32}$/, 'must be tok_ and 32 lowercase hex digits')
      .optional()
      .describe(
        "The person's pseudonymous user id in interaction events (the masking token of their userId, POST /v1/events/users/token): their raw events are erased too (needs masking:resolve).",
      ),
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe('Why: kept in the audit record (with the name erased from it).'),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.userToken !== undefined, {
    message: 'give a name, a userToken, or both',
    path: ['name'],
  })
  .meta({
    id: 'ErasureRequest',
    examples: [{ name: 'Mara Quill', reason: 'GDPR erasure request #4711' }],
  });

const count = z.number().int().nonnegative();

export const ErasureReportSchema = z
  .object({
    actionId: z.uuid().describe('The audit record of this erasure (PERSON_ERASE in GET /v1/actions).'),
    counts: z
      .object({
        assets: count.describe(
          'Assets whose current state named the person: each rewritten as a new version.',
        ),
        versions: count.describe('Older version snapshots rewritten in place.'),
        moments: count.describe(
          'Moments of those assets that changed (their speaker cleared, a keyword dropped).',
        ),
        search: z.object({
          documents: count.describe('Search documents projected again.'),
          suggestions: count.describe('Suggestions removed that only the name kept.'),
          queries: count.describe(
            'Learned search queries naming the person removed (their suggestions and click boosts).',
          ),
        }),
        graph: z.object({
          assets: count.describe('Assets projected again into the graph.'),
          entities: count.describe("Entities removed (the person's entity node and others named with it)."),
        }),
        auditRecords: count.describe('Earlier audit records whose details named the person.'),
        events: count.describe('Raw interaction events erased (with userToken).'),
        comments: count.describe(
          'Comments by the user (with userToken) made tombstones by an erased author, or that mentioned or assigned them.',
        ),
        analytics: z.object({
          dimensionValues: count.describe(
            "Tag, topic and speaker values that were the person, taken out of the analytics rollups and the events' asset dimensions (GET /v1/metrics grouped or filtered by them).",
          ),
        }),
      })
      .describe('What changed, per place. All zero when the person is no longer found (a repeated erasure).'),
    changedAssetIds: z
      .array(z.uuid())
      .describe('The assets changed (current state or history), at most 1,000.'),
    changedAssetsTotal: count,
    skipped: z
      .array(z.object({ assetId: z.uuid(), reason: z.enum(['legal-hold']) }))
      .describe('Assets left as they were: put under legal hold while the erasure ran.'),
    projected: z
      .boolean()
      .describe(
        'true: search and the graph were updated before this answer. false: a projection failed and its jobs follow.',
      ),
  })
  .meta({ id: 'ErasureReport' });

export const toErasureReportDto = (r: ErasureReport): z.output<typeof ErasureReportSchema> => r;
