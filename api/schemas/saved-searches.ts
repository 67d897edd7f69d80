import { z } from 'zod';
import { MAX_SAVED_SEARCH_NAME, MAX_SAVED_SEARCH_QUERY } from '../../services/saved-search-service.js';
import type { SavedSearch } from '../../store/saved-searches-repository.js';

export const NewSavedSearchBody = z
  .object({
    name: z.string().trim().min(1).max(MAX_SAVED_SEARCH_NAME).describe('What the search finds, in words.'),
    query: z
      .string()
      .trim()
      .max(MAX_SAVED_SEARCH_QUERY)
      // The search page's query string, with or without its '?'.
      .transform((q) => q.replace(/^\?/, ''))
      .describe(
        "The search as GET /v1/search's query string, filters included (q=…&tag=…&type=…); a leading '?' is dropped. Stored as given: the search checks it when it runs.",
      ),
  })
  .strict()
  .meta({
    id: 'NewSavedSearch',
    examples: [{ name: 'Ocean talks, video', query: 'q=ocean&type=VIDEO&tag=climate' }],
  });

export const SavedSearchSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    query: z.string().describe("The search's query string, without the '?'."),
    createdBy: z
      .string()
      .describe('key:<id> of the key that saved it; it (or a keys:manage key) may delete it.'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SavedSearch' });

export const SavedSearchListSchema = z
  .object({ items: z.array(SavedSearchSchema) })
  .meta({ id: 'SavedSearchList' });

export const savedSearchDto = (s: SavedSearch): z.output<typeof SavedSearchSchema> => ({
  id: s.id,
  name: s.name,
  query: s.query,
  createdBy: s.createdBy,
  createdAt: s.createdAt.toISOString(),
});
