import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps.js';
import { OpenTails, type TailFormat } from '../../http/tail-stream.js';
import {
  assetChangeDto,
  ChangePageSchema,
  ChangesHeadersSchema,
  ChangesQuerySchema,
  resyncRequired,
} from '../../schemas/changes.js';
import { authProblems } from '../../schemas/common.js';

/** The stream format an Accept header asks for, else null (the JSON page). */
function streamFormat(accept: string | undefined): TailFormat | null {
  const a = (accept ?? '').toLowerCase();
  if (a.includes('text/event-stream')) return 'sse';
  if (a.includes('application/x-ndjson')) return 'ndjson';
  return null;
}

/** /v1/changes: the tenant's asset change log, as pages or as a stream to tail. */
const changeRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'changes' | 'config'> }> = (
  app,
  { deps: { changes, config } },
  done,
) => {
  const tails = OpenTails.forRoute(app, config, 'change');

  app.get(
    '/changes',
    {
      // Cursors are places in the log, kept by a mirror across restarts: not signed (see the service).
      config: { permission: 'assets:read', positionCursors: true },
      exposeHeadRoute: false,
      schema: {
        tags: ['assets'],
        operationId: 'listAssetChanges',
        summary: "The tenant's asset change log: a page, or a stream to tail (SSE, NDJSON)",
        description:
          'Every change of each of the tenant’s assets once, in log order: a reader that resumes after the last cursor it was given misses none and gets none twice, across restarts of the service (docs/change-feeds.md). `Accept: application/json` (default) answers a page; `text/event-stream` streams Server-Sent Events (`id:` is the cursor; resume with `Last-Event-ID`); `application/x-ndjson` streams one entry per line. Streams end once caught up unless `follow=true`, send keep-alives while quiet, and read on only as fast as the client takes them. The log keeps its entries for CHANGES_RETENTION_DAYS: a cursor older than that gets 410 with `resumeCursor`; list the assets in full, then read on from it.',
        security: [{ apiKey: [] }],
        querystring: ChangesQuerySchema,
        headers: ChangesHeadersSchema,
        response: {
          200: {
            description: 'A page of the log (JSON), or the log as a stream',
            content: {
              'application/json': { schema: ChangePageSchema },
              'text/event-stream': {
                schema: z
                  .string()
                  .describe('Server-Sent Events: `id: <cursor>`, `data: <AssetChange JSON>`.'),
              },
              'application/x-ndjson': {
                schema: z.string().describe('One AssetChange JSON per line; blank lines are keep-alives.'),
              },
            },
          },
          ...authProblems,
          410: resyncRequired,
        },
      },
    },
    async (req, reply) => {
      const tenantId = req.principal.tenantId;
      const { limit, type, follow } = req.query;
      const cursor = req.headers['last-event-id'] ?? req.query.cursor ?? null;
      const format = streamFormat(req.headers.accept);
      if (format === null) {
        const size = limit ?? 100;
        const page = await changes.read(tenantId, { cursor, limit: size, types: type });
        return {
          items: page.items.map(assetChangeDto),
          nextCursor: page.cursor,
          caughtUp: page.items.length < size,
        };
      }
      // Refused before the stream starts, so that a pruned cursor's answer is a 410, not a cut stream.
      await changes.assertRetained(tenantId, cursor);
      return tails.send(req, reply, {
        format,
        after: cursor,
        follow,
        maxItems: limit,
        read: (after, n) => changes.read(tenantId, { cursor: after, limit: n, types: type }),
        wake: (wake) => changes.onChange(tenantId, wake),
        serialize: (c) => ({ id: c.cursor, data: JSON.stringify(assetChangeDto(c)) }),
      });
    },
  );
  done();
};

export default changeRoutes;
