import { z } from 'zod';
import { queryFlag } from './common.js';

const reason = z.string().trim().min(1).max(500);

export const DeleteAssetQuery = z.object({
  purge: queryFlag(
    'Erase the asset: its row and every version snapshot go, and only the audit record of who, when and why stays (ADMIN, assets:purge; needs `reason`). Also purges an asset deleted before.',
  ),
  reason: reason
    .optional()
    .describe('Why the asset is deleted or purged: kept in the audit record. Required with purge=true.'),
});

/** In the query, as a delete's: an archive or a restore has no body. */
export const LifecycleQuery = z.object({
  reason: reason.optional().describe('Why: kept in the version history and the audit record.'),
});

export const LegalHoldBody = z.object({
  legalHold: z
    .boolean()
    .describe('true: the asset may be neither deleted nor purged until the hold is lifted.'),
  reason: reason.optional().describe('Why: kept in the audit record.'),
});
