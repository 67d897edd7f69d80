import { z } from 'zod';

export const EmbeddingsBackfillBody = z
  .object({
    assetsPerSecond: z
      .number()
      .int()
      .min(1)
      .max(1_000)
      .default(20)
      .describe('Assets embedded per second at most, so that the backfill never crowds out fresh ingest.'),
  })
  .strict()
  .meta({ id: 'EmbeddingsBackfillRequest' });
