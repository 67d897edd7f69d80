import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { NotFoundError, ValidationError } from '../../../domain/errors.js';
import { MAX_METADATA_BATCH, type MetadataRecord } from '../../../domain/metadata.js';
import { OpenTails, type TailFormat } from '../../http/tail-stream.js';
import { authProblems, conflict, notFound, problem } from '../../schemas/common.js';
import {
  batchDto,
  HistoryQuery,
  KindListSchema,
  KindParams,
  KindSchemaSchema,
  kindDto,
  LatestQuery,
  LogQuery,
  MetadataBatchResultSchema,
  MetadataPageSchema,
  MetadataRecordSchema,
  MetadataRecordsBody,
  NewKindBody,
  recordDto,
  RecordsQuery,
  toNewRecord,
} from '../../schemas/metadata.js';

/** The format asked for: the `format` parameter, else NDJSON when Accept asks only for it, else SSE. */
function logFormat(accept: string | undefined, asked: TailFormat | undefined): TailFormat {
  if (asked) return asked;
  const a = (accept ?? '').toLowerCase();
  return a.includes('application/x-ndjson') && !a.includes('text/event-stream') ? 'ndjson' : 'sse';
}

/**
 * /v1/metadata: metadata records (docs/metadata.md), their kinds' schemas, and the log. Reading is
 * metrics:read (the records are operational facts, like the metrics); writing records and
 * registering kinds is jobs:manage (what a producer's key holds).
 */
const metadataRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'metadata' | 'config'> }> = (
  app,
  { deps: { metadata, config } },
  done,
) => {
  const tails = OpenTails.forRoute(app, config, 'log');

  app.post(
    '/metadata/records',
    {
      config: { permission: 'jobs:manage' },
      schema: {
        tags: ['metadata'],
        operationId: 'storeMetadataRecords',
        summary: 'Store one metadata record, or a batch',
        description:
          "A record's payload is validated against its kind's schema. One record: 201 with it (400 when refused). " +
          `A batch (\`records\`, at most ${MAX_METADATA_BATCH}): 200, each record stored or rejected by index, ` +
          'the stored ones in one transaction.',
        security: [{ apiKey: [] }],
        body: MetadataRecordsBody,
        response: {
          200: MetadataBatchResultSchema,
          201: MetadataRecordSchema,
          ...authProblems,
          413: problem('The body is larger than the limit.'),
        },
      },
    },
    async (req, reply) => {
      const repo = metadata.forTenant(req.principal.tenantId);
      if ('records' in req.body) {
        return reply.code(200).send(batchDto(await repo.bulkStore(req.body.records.map(toNewRecord))));
      }
      return reply.code(201).send(recordDto(await repo.store(toNewRecord(req.body))));
    },
  );

  app.get(
    '/metadata/records/latest',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metadata'],
        operationId: 'getLatestMetadataRecord',
        summary: 'The newest record of a kind about a target',
        security: [{ apiKey: [] }],
        querystring: LatestQuery,
        response: { 200: MetadataRecordSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const found = await metadata.forTenant(req.principal.tenantId).latest(req.query.target, req.query.kind);
      if (!found) return reply404(req.query.kind, `${req.query.target.type}:${req.query.target.id}`);
      return recordDto(found);
    },
  );

  app.get(
    '/metadata/records/history',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metadata'],
        operationId: 'getMetadataHistory',
        summary: "A target's records of a kind over a time window, newest first",
        security: [{ apiKey: [] }],
        querystring: HistoryQuery,
        response: { 200: MetadataPageSchema, ...authProblems },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await metadata.forTenant(req.principal.tenantId).history({
        target: q.target,
        kind: q.kind,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        limit: q.limit,
        cursor: q.cursor,
      });
      return { items: page.items.map(recordDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/metadata/records/query',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metadata'],
        operationId: 'queryMetadataRecords',
        summary: 'Records by kind, target, time window and payload or extras paths, newest first',
        security: [{ apiKey: [] }],
        querystring: RecordsQuery,
        response: { 200: MetadataPageSchema, ...authProblems },
      },
    },
    async (req) => {
      const q = req.query;
      const target = q.target
        ? q.target.includes(':')
          ? { type: q.target.slice(0, q.target.indexOf(':')), id: q.target.slice(q.target.indexOf(':') + 1) }
          : { type: q.target }
        : undefined;
      const page = await metadata.forTenant(req.principal.tenantId).query({
        kind: q.kind,
        target,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        filters: q.filter,
        limit: q.limit,
        cursor: q.cursor,
      });
      return { items: page.items.map(recordDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/metadata/log',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metadata'],
        operationId: 'tailMetadataLog',
        summary: "Tail the tenant's metadata record log (Server-Sent Events or NDJSON)",
        description:
          'Every record in commit order, as SSE (`id` is the record `seq`, `event: record`) or NDJSON (one record ' +
          'a line, blank lines as keep-alives). Resume with `Last-Event-ID` or `?after=`: no record is missed ' +
          'or repeated. With `follow=true` (default) the stream stays open, sending new records as they commit ' +
          'and a keep-alive while idle; a slow reader is sent no faster than it reads.',
        security: [{ apiKey: [] }],
        querystring: LogQuery,
        produces: ['text/event-stream', 'application/x-ndjson'],
        response: {
          200: z.string().describe('text/event-stream, or application/x-ndjson of MetadataRecord lines.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const tenantId = req.principal.tenantId;
      const kinds = req.query.kind && req.query.kind.length > 0 ? req.query.kind : null;
      const header = req.headers['last-event-id'];
      const start = (Array.isArray(header) ? header[0] : header) || req.query.after;
      // A resume from a position that is not one would replay the whole log: refused instead.
      if (start !== undefined && !/^\d{1,15}$/.test(start))
        throw new ValidationError('Last-Event-ID is not a record seq of this log', {
          field: 'Last-Event-ID',
        });
      const afterSeq = start !== undefined ? Number(start) : 0;
      return tails.send<MetadataRecord>(req, reply, {
        format: logFormat(req.headers.accept, req.query.format),
        follow: req.query.follow,
        after: String(afterSeq),
        read: async (after, limit) => {
          const items = await metadata.logPage(tenantId, kinds, Number(after), limit);
          return { items, cursor: items.length > 0 ? String(items[items.length - 1]!.seq) : after };
        },
        serialize: (r) => ({ id: String(r.seq), data: JSON.stringify(recordDto(r)) }),
        event: 'record',
      });
    },
  );

  app.get(
    '/metadata/kinds',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metadata'],
        operationId: 'listMetadataKinds',
        summary: 'The kinds of record the tenant can write: built in, and its own (newest version)',
        security: [{ apiKey: [] }],
        response: { 200: KindListSchema, ...authProblems },
      },
    },
    async (req) => ({ items: (await metadata.kinds(req.principal.tenantId)).map(kindDto) }),
  );

  app.get(
    '/metadata/kinds/:kind',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metadata'],
        operationId: 'getMetadataKind',
        summary: "A kind's current schema",
        security: [{ apiKey: [] }],
        params: KindParams,
        response: { 200: KindSchemaSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => kindDto(await metadata.kind(req.principal.tenantId, req.params.kind)),
  );

  app.post(
    '/metadata/kinds',
    {
      config: { permission: 'jobs:manage' },
      schema: {
        tags: ['metadata'],
        operationId: 'registerMetadataKind',
        summary: "Register a kind, or a new version of a kind's schema",
        description:
          'The version must be higher than the newest, and backward compatible with it: no new required ' +
          'property, no property removed, no type or enum narrowed, additionalProperties not closed ' +
          '(409 with the breaches otherwise). `force` registers it anyway; that is audited. Built-in kinds ' +
          'cannot be changed.',
        security: [{ apiKey: [] }],
        body: NewKindBody,
        response: {
          201: KindSchemaSchema,
          409: conflict('the version is not higher, not backward compatible, or the kind is built in.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          kindDto(
            await metadata.registerKind(
              { tenantId: req.principal.tenantId, actor: `key:${req.principal.keyId}` },
              req.body,
            ),
          ),
        ),
  );
  done();
};

function reply404(kind: string, target: string): never {
  throw new NotFoundError(`no ${kind} record about ${target}`);
}

export default metadataRoutes;
