import { z } from 'zod';
import { EXPORT_HEADER } from '../../services/export-service.js';
import { SearchQuerySchema } from './search.js';

/** The filters of GET /v1/search, without paging, facets, explanations or blending. */
export const ExportQuerySchema = SearchQuerySchema.omit({
  limit: true,
  cursor: true,
  facets: true,
  explain: true,
  blend: true,
}).extend({
  bom: z
    .stringbool()
    .default(false)
    .describe('Start the file with a UTF-8 byte order mark, so that Excel reads it as UTF-8.'),
});

export const AssetsCsvSchema = z
  .string()
  .describe(
    `RFC 4180 CSV in UTF-8 with CRLF line ends and a header row: ${EXPORT_HEADER.join(', ')}. Lists are joined with "; ". A text cell starting with =, +, -, @, tab or CR is prefixed with a single quote so that spreadsheets do not run it as a formula.`,
  );
