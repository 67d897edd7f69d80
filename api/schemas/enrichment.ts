import { z } from 'zod';

export const BackfillBody = z
  .object({ assetsPerSecond: z.number().int().min(1).max(1_000).default(50) })
  .strict()
  .meta({ id: 'BackfillRequest' });
