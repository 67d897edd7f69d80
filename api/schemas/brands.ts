import { z } from 'zod';
import { BrandEntrySchema } from '../../enrichment/brands.js';

export const BrandsBody = z
  .object({ entries: z.array(BrandEntrySchema).max(10_000) })
  .strict()
  .meta({ id: 'BrandList' });
