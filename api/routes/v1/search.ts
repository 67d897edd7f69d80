import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { QUERY_LIMITS } from '../../../domain/query-limits.js';
import { formatTimeCode } from '../../../domain/time-code.js';
import type { ApiDeps } from '../../deps.js';
import { toAssetSummary } from '../../schemas/assets.js';
import { authProblems, problem } from '../../schemas/common.js';
import {
  searchFiltersOf,
  SearchQuerySchema,
  SearchResultSchema,
  SuggestQuery,
  SuggestResultSchema,
} from '../../schemas/search.js';

/** A search's own 400 and 503 besides every route's: its cost limits (docs/security.md#query-cost). */
const searchProblems = {
  ...authProblems,
  400: problem(
    'Invalid request: `detail` names the first invalid field, `errors` each of them. A query past a ' +
      'cost limit (characters, clauses, or phrases, exclusions and filters) names it in `limit` and ' +
      'its value in `maximum`.',
  ),
  503: problem(
    'The database is unavailable (a restart or failover), or the search ran past its time limit ' +
      `(${QUERY_LIMITS.statementTimeoutMs} ms; \`limit\`: \`statementTimeoutMs\`) and was cancelled. ` +
      'Retry after Retry-After, or narrow the query.',
  ),
};

/** /v1/search and /v1/suggest: full-text search and the prefix suggestions that feed it. */
const searchRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'discovery' | 'config'> }> = (
  app,
  { deps: { discovery, config } },
  done,
) => {
  app.get(
    '/search',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['discovery'],
        operationId: 'searchAssets',
        summary: 'Full-text search over assets, ranked by relevance',
        security: [{ apiKey: [] }],
        querystring: SearchQuerySchema,
        response: { 200: SearchResultSchema, ...searchProblems },
      },
    },
    async (req) => {
      const q = req.query;
      const result = await discovery.searchAssets(req.principal.tenantId, {
        q: q.q,
        syntax: q.syntax,
        limit: q.limit,
        cursor: q.cursor,
        filters: searchFiltersOf(q),
        sort: q.sort,
        facets: q.facets,
        explain: q.explain,
        blend: q.blend ?? config.SEARCH_BLEND,
        mode: q.mode ?? config.SEARCH_MODE,
        // Comment text is for keys that may read comments, not for search:read alone.
        feedbackMoments: req.principal.permissions.has('assets:read'),
      });
      return {
        hits: result.hits.map(({ moment, asset, ...h }) => ({
          ...h,
          asset: toAssetSummary(asset),
          ...(moment ? { moment: { start: moment.start, timestamp: formatTimeCode(moment.start) } } : {}),
        })),
        nextCursor: result.nextCursor,
        total: result.total,
        ...(result.notices ? { notices: result.notices } : {}),
        ...(result.queryNotes ? { queryNotes: result.queryNotes } : {}),
        ...(result.facets ? { facets: result.facets } : {}),
        ...(result.facetsEstimated ? { facetsEstimated: true } : {}),
        ...(result.moments
          ? {
              moments: result.moments.map(({ asset, start, ...m }) => ({
                ...m,
                asset: toAssetSummary(asset),
                start,
                timestamp: formatTimeCode(start),
              })),
            }
          : {}),
      };
    },
  );
  app.get(
    '/suggest',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['discovery'],
        operationId: 'suggest',
        summary: 'Titles starting with a prefix, and tags, speakers and topics with a word starting with it',
        description:
          'Searching a suggested value (as q, or as tag:/speaker:/topic: filters) returns the assets it came from. A name is listed once, a person as a speaker before a tag; a prefix typed with an honorific ("Sir Ken") finds the name without it. A title carries its asset id when exactly one asset has that title.',
        security: [{ apiKey: [] }],
        querystring: SuggestQuery,
        response: { 200: SuggestResultSchema, ...authProblems },
      },
    },
    async (req) => {
      const found = await discovery.suggest(req.principal.tenantId, req.query.q, req.query.limit);
      const queries = found.flatMap((s) => (s.kind === 'query' ? [{ kind: s.kind, value: s.value }] : []));
      return {
        suggestions: found.flatMap((s) =>
          s.kind === 'query'
            ? []
            : [
                {
                  kind: s.kind,
                  value: s.value,
                  assets: s.assets ?? 0,
                  ...(s.assetId ? { assetId: s.assetId } : {}),
                },
              ],
        ),
        ...(queries.length ? { queries } : {}),
      };
    },
  );
  done();
};

export default searchRoutes;
