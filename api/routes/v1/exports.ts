import { Readable } from 'node:stream';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems } from '../../schemas/common.js';
import { AssetsCsvSchema, ExportQuerySchema } from '../../schemas/exports.js';
import { searchFiltersOf } from '../../schemas/search.js';

/** Chunks of the CSV held ahead of a slow client, at most: the rest waits in the database. */
const STREAM_HIGH_WATER_MARK = 64 * 1024;

/** /v1/exports: search results as files. */
const exportRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'exports'> }> = (
  app,
  { deps: { exports } },
  done,
) => {
  app.get(
    '/exports/assets.csv',
    {
      config: { permission: 'export:read' },
      // A HEAD would run (and audit) a whole export only to drop it.
      exposeHeadRoute: false,
      schema: {
        tags: ['exports'],
        operationId: 'exportAssetsCsv',
        summary: 'Export the assets a search matches, as CSV',
        description:
          'Takes the filters of GET /v1/search (q, syntax, type, sourceSystem, status, tag, topic, speaker, brand, createdFrom, createdTo, durationMin, durationMax, resolution, sort) and streams every matching asset, however many, as an attachment. Without text, entity filters (tag, topic, speaker, brand) or sort=popularity, it reads the canonical assets, newest first, including those not yet searchable; otherwise it follows the search ranking, as paging through GET /v1/search would. Each export is recorded in the audit trail (ASSET_EXPORT) with its filters and, once done, its row count.',
        security: [{ apiKey: [] }],
        querystring: ExportQuerySchema,
        response: {
          200: {
            description: 'The CSV file, streamed',
            content: { 'text/csv': { schema: AssetsCsvSchema } },
          },
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { q, syntax, sort, bom, ...filters } = req.query;
      const csv = await exports.assetsCsv(actorOf(req.principal), {
        q,
        syntax,
        filters: searchFiltersOf(filters),
        sort,
        bom,
      });
      // Pulled a page at a time as the socket drains: backpressure reaches the database reads.
      const stream = Readable.from(csv.body, { objectMode: false, highWaterMark: STREAM_HIGH_WATER_MARK });
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${csv.filename}"`)
          .header('cache-control', 'no-store')
          // The type provider types the body as the schema's string; this streams that string.
          .send(stream as unknown as string)
      );
    },
  );
  done();
};

export default exportRoutes;
