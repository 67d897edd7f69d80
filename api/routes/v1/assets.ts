import type { FastifyReply } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Asset } from '../../../domain/asset.js';
import { formatTimeCode } from '../../../domain/time-code.js';
import type { RelatedVia } from '../../../services/discovery-service.js';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import {
  authProblems,
  conflict,
  expectedVersion,
  IdParams,
  IfMatchHeaders,
  notFound,
  tooLarge,
  WaitQuery,
} from '../../schemas/common.js';
import { staleVersion } from '../../schemas/history.js';
import {
  AssetInput,
  AssetLinksSchema,
  AssetPageSchema,
  AssetSchema,
  BatchBody,
  BatchResultSchema,
  IngestResultSchema,
  LinkBody,
  LinkParams,
  LinkResultSchema,
  ListQuery,
  MetadataPatchBody,
  RelatedQuery,
  RelatedResultSchema,
  TagPatchBody,
  toAssetDto,
  toAssetSummary,
} from '../../schemas/assets.js';

/**
 * /v1/assets: ingest, read, related content, and editors' changes to one asset (its metadata, tags
 * and links). Its versions and audit trail are in history.ts.
 */
const assetRoutes: FastifyPluginCallbackZod<{
  deps: Pick<ApiDeps, 'writes' | 'assets' | 'discovery' | 'curation'>;
}> = (app, { deps: { writes, assets, discovery, curation } }, done) => {
  /** An edited asset with its version as ETag; 202 when the wait ran out before it settled. */
  const sendEdited = (reply: FastifyReply, edited: { asset: Asset; settled: boolean }) =>
    reply
      .code(edited.settled ? 200 : 202)
      .header('etag', `"${edited.asset.version}"`)
      .send(toAssetDto(edited.asset));

  app.post(
    '/assets',
    {
      config: { permission: 'assets:write', largeBody: true },
      schema: {
        tags: ['assets'],
        operationId: 'ingestAsset',
        summary: 'Ingest one asset',
        description:
          'Creates the asset and queues it for enrichment. A fileHash the tenant already has creates nothing: the existing asset comes back with duplicate=true.',
        security: [{ apiKey: [] }],
        querystring: WaitQuery,
        body: AssetInput,
        response: {
          200: IngestResultSchema.describe('Duplicate: the existing asset'),
          201: IngestResultSchema.describe('Created'),
          202: IngestResultSchema.describe('Created, but not yet searchable when the wait ran out'),
          413: tooLarge,
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { results, settled } = await writes.ingest(actorOf(req.principal), [req.body], req.query.wait);
      const [result] = results;
      const status = !settled ? 202 : result!.duplicate ? 200 : 201;
      return reply.code(status).send({ asset: toAssetSummary(result!.asset), duplicate: result!.duplicate });
    },
  );

  app.post(
    '/assets/batch',
    {
      config: { permission: 'assets:write', largeBody: true },
      schema: {
        tags: ['assets'],
        operationId: 'ingestAssetBatch',
        summary: 'Ingest up to 1,000 assets',
        description: 'All or nothing: one invalid asset rejects the whole batch with a 400 naming it.',
        security: [{ apiKey: [] }],
        querystring: WaitQuery,
        body: BatchBody,
        response: {
          200: BatchResultSchema.describe('Nothing new: every asset was a duplicate'),
          201: BatchResultSchema.describe('At least one asset created'),
          202: BatchResultSchema.describe('Created, but not all searchable when the wait ran out'),
          413: tooLarge,
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { results, settled } = await writes.ingest(
        actorOf(req.principal),
        req.body.assets,
        req.query.wait,
      );
      const created = results.filter((r) => !r.duplicate).length;
      return reply.code(!settled ? 202 : created > 0 ? 201 : 200).send({
        items: results.map((r) => ({ asset: toAssetSummary(r.asset), duplicate: r.duplicate })),
        created,
        duplicates: results.length - created,
      });
    },
  );

  app.get(
    '/assets',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['assets'],
        operationId: 'listAssets',
        summary: 'List assets, newest first',
        security: [{ apiKey: [] }],
        querystring: ListQuery,
        response: { 200: AssetPageSchema, ...authProblems },
      },
    },
    async (req) => {
      const page = await assets.list(req.principal.tenantId, req.query);
      return { items: page.items.map(toAssetSummary), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/assets/:id',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['assets'],
        operationId: 'getAsset',
        summary: 'Get one asset with its enrichment',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: AssetSchema, 404: notFound, ...authProblems },
      },
    },
    // The version as ETag, as an edit answers: a client reads, then edits with If-Match.
    async (req, reply) => {
      const asset = await assets.get(req.principal.tenantId, req.params.id);
      return reply.header('etag', `"${asset.version}"`).send(toAssetDto(asset));
    },
  );

  app.get(
    '/assets/:id/related',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['discovery'],
        operationId: 'getRelatedAssets',
        summary: 'Assets related to this one, with the reasons',
        description:
          'Candidates share entities (speakers, contributors, tags) with the asset; rarer entities count more. Similar wording (a more-like-this lookup on the title, description, transcript and keywords of the asset: its 25 most telling terms, as Lucene MoreLikeThis picks them, then again with the terms of its 10 closest matches added) adds to the score, and so does having been played in the same sessions (CO_VIEWED, from interaction events: "viewers also watched") and, for tenants with semantic search on, being close in meaning (SIMILAR_MEANING: sentence embeddings of the title and description against the other assets\' titles, descriptions and transcript moments). Keywords, topics and brands, which enrichment finds in the text, count only when `via` names them: otherwise the text signal stands for them. Each item lists the shared entities and the text signal with their contribution to its score.',
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: RelatedQuery,
        response: { 200: RelatedResultSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const via = req.query.via?.split(',') as RelatedVia[] | undefined;
      const result = await discovery.related(req.principal.tenantId, req.params.id, {
        limit: req.query.limit,
        via,
      });
      return {
        items: result.items.map((i) => ({
          ...i,
          asset: toAssetSummary(i.asset),
          reasons: i.reasons.map((r) =>
            'moment' in r && r.moment
              ? { ...r, moment: { ...r.moment, timestamp: formatTimeCode(r.moment.start) } }
              : {
                  type: r.type,
                  name: r.name,
                  contribution: r.contribution,
                  // CO_VIEWED: the sessions that played both.
                  ...('count' in r && r.count !== undefined ? { count: r.count } : {}),
                },
          ),
        })),
      };
    },
  );
  app.patch(
    '/assets/:id',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['curation'],
        operationId: 'editAsset',
        summary: "Edit the asset's title, description or operational tags",
        description:
          'A new asset version with an audit record. New wording is searchable once projected (?wait=true waits for it), and the asset is enriched again from it; manual tag edits survive. Name the version the change is based on (If-Match, or version in the body) to get 412 with the current version and a field diff instead of overwriting a newer edit.',
        security: [{ apiKey: [] }],
        params: IdParams,
        headers: IfMatchHeaders,
        querystring: WaitQuery,
        body: MetadataPatchBody,
        response: {
          200: AssetSchema.describe('The asset as edited'),
          202: AssetSchema.describe('Edited, but not yet searchable when the wait ran out'),
          404: notFound,
          412: staleVersion,
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { version, conflictResolvedFrom, ...edit } = req.body;
      const basis = {
        basedOn: expectedVersion(req.headers['if-match'], version),
        conflictFrom: conflictResolvedFrom,
      };
      return sendEdited(
        reply,
        await writes.editMetadata(actorOf(req.principal), req.params.id, edit, basis, req.query.wait),
      );
    },
  );

  app.patch(
    '/assets/:id/tags',
    {
      config: { permission: 'tags:write' },
      schema: {
        tags: ['curation'],
        operationId: 'editAssetTags',
        summary: "Edit the asset's tags, topics, speakers, brands and keywords",
        description:
          'Manual additions and removals survive re-enrichment: a removed tag stays removed, a locked tag is never changed by a worker. The change is a new asset version with an audit record. Name the version it is based on (If-Match, or version in the body) to get 412 with the current version and a field diff instead of overwriting a newer edit.',
        security: [{ apiKey: [] }],
        params: IdParams,
        headers: IfMatchHeaders,
        querystring: WaitQuery,
        body: TagPatchBody,
        response: {
          200: AssetSchema.describe('The asset as edited'),
          202: AssetSchema.describe(
            'Edited, but search and related content not yet updated when the wait ran out',
          ),
          404: notFound,
          409: conflict(
            'a locked tag must be unlocked before it is removed, or the asset is not enriched yet.',
          ),
          412: staleVersion,
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { version, conflictResolvedFrom, ...patch } = req.body;
      const basis = {
        basedOn: expectedVersion(req.headers['if-match'], version),
        conflictFrom: conflictResolvedFrom,
      };
      return sendEdited(
        reply,
        await writes.editTags(actorOf(req.principal), req.params.id, patch, basis, req.query.wait),
      );
    },
  );

  app.get(
    '/assets/:id/links',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['curation'],
        operationId: 'listAssetLinks',
        summary: "The asset's related_to links, both ways",
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: AssetLinksSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const { outgoing, incoming } = await curation.links(req.principal.tenantId, req.params.id);
      return {
        outgoing,
        incoming: incoming.map(({ sourceId, link: { note, createdBy, createdAt } }) => ({
          sourceId,
          note,
          createdBy,
          createdAt,
        })),
      };
    },
  );

  app.put(
    '/assets/:id/links/:targetId',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['curation'],
        operationId: 'linkAsset',
        summary: 'Link the asset to a related one',
        description:
          "An editor's related_to link: related-content lookups of either asset then list the other, with the note as the reason. The change is a new asset version with an audit record; repeating it changes nothing. With If-Match, a stale version gets 412 and nothing changes.",
        security: [{ apiKey: [] }],
        params: LinkParams,
        headers: IfMatchHeaders,
        querystring: WaitQuery,
        body: LinkBody,
        response: {
          200: LinkResultSchema.describe('The link existed; its note is as given'),
          201: LinkResultSchema.describe('Created'),
          202: LinkResultSchema.describe('Saved, but not yet in related content when the wait ran out'),
          404: notFound,
          409: conflict('the asset already has as many links as it may have.'),
          412: staleVersion,
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { asset, link, created, settled } = await writes.link(
        actorOf(req.principal),
        req.params.id,
        req.params.targetId,
        req.body.note,
        expectedVersion(req.headers['if-match']),
        req.query.wait,
      );
      return reply.code(settled ? (created ? 201 : 200) : 202).send({ link, version: asset.version });
    },
  );

  app.delete(
    '/assets/:id/links/:targetId',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['curation'],
        operationId: 'unlinkAsset',
        summary: 'Remove a link',
        description:
          'A new asset version without the link, with an audit record. With If-Match, a stale version gets 412 and nothing changes.',
        security: [{ apiKey: [] }],
        params: LinkParams,
        headers: IfMatchHeaders,
        querystring: WaitQuery,
        response: {
          204: z.null().describe('Removed'),
          202: z.null().describe('Removed, but related content may still show it when the wait ran out'),
          404: notFound,
          412: staleVersion,
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { settled } = await writes.unlink(
        actorOf(req.principal),
        req.params.id,
        req.params.targetId,
        expectedVersion(req.headers['if-match']),
        req.query.wait,
      );
      return reply.code(settled ? 204 : 202).send(null);
    },
  );
  done();
};

export default assetRoutes;
