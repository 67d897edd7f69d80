import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Asset } from '../../../domain/asset.js';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Container } from '../../../runtime/container.js';
import type { RelatedVia } from '../../../services/discovery-service.js';
import type { IngestResult } from '../../../services/ingest-service.js';
import { formatTimeCode } from '../../../domain/time-code.js';
import {
  authProblems,
  conflict,
  expectedVersion,
  IdParams,
  IfMatchHeaders,
  notFound,
  tooLarge,
} from '../../schemas/common.js';
import { staleVersion } from '../../schemas/history.js';
import {
  AssetInput,
  AssetPageSchema,
  AssetSchema,
  BatchBody,
  BatchResultSchema,
  IngestQuery,
  IngestResultSchema,
  ListQuery,
  AssetLinksSchema,
  LinkBody,
  LinkParams,
  LinkResultSchema,
  RelatedQuery,
  RelatedResultSchema,
  TagPatchBody,
  MetadataPatchBody,
  toAssetDto,
  toAssetSummary,
} from '../../schemas/assets.js';

const actorOf = (p: { tenantId: string; keyId: string }) => ({
  tenantId: p.tenantId,
  actor: `key:${p.keyId}`,
});

const assetRoutes: FastifyPluginCallbackZod<{ container: Container }> = (app, { container }, done) => {
  const { ingest, assets, discovery, curation, config } = container;

  /** With ?wait=true, holds the answer until the results are searchable; false when the wait timed out. */
  async function settle(tenantId: string, results: IngestResult[], wait: boolean): Promise<boolean> {
    if (!wait) return true;
    const { settled, assets: latest } = await assets.waitUntilSettled(
      tenantId,
      results.map((r) => r.asset.id),
      config.WAIT_TIMEOUT_MS,
    );
    for (const r of results) r.asset = latest.get(r.asset.id) ?? r.asset;
    return settled;
  }

  app.post(
    '/assets',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['assets'],
        operationId: 'ingestAsset',
        summary: 'Ingest one asset',
        description:
          'Creates the asset and queues it for enrichment. A fileHash the tenant already has creates nothing: the existing asset comes back with duplicate=true.',
        security: [{ apiKey: [] }],
        querystring: IngestQuery,
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
      const [result] = await ingest.ingest(actorOf(req.principal), [req.body]);
      const settled = await settle(req.principal.tenantId, [result!], req.query.wait);
      const status = !settled ? 202 : result!.duplicate ? 200 : 201;
      return reply.code(status).send({ asset: toAssetSummary(result!.asset), duplicate: result!.duplicate });
    },
  );

  app.post(
    '/assets/batch',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['assets'],
        operationId: 'ingestAssetBatch',
        summary: 'Ingest up to 1,000 assets',
        description: 'All or nothing: one invalid asset rejects the whole batch with a 400 naming it.',
        security: [{ apiKey: [] }],
        querystring: IngestQuery,
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
      const results = await ingest.ingest(actorOf(req.principal), req.body.assets);
      const settled = await settle(req.principal.tenantId, results, req.query.wait);
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
    async (req) => toAssetDto(await assets.get(req.principal.tenantId, req.params.id)),
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
          'Candidates share entities (speakers, contributors, tags, topics, keywords) with the asset; rarer entities count more. Similar wording (a more-like-this search on the title and strongest keywords) adds to the score. Each item lists the shared entities and the text signal with their contribution to its score.',
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
              : { type: r.type, name: r.name, contribution: r.contribution },
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
        querystring: IngestQuery,
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
      const { asset } = await curation.editMetadata(actorOf(req.principal), req.params.id, edit, {
        basedOn: expectedVersion(req.headers['if-match'], version),
        conflictFrom: conflictResolvedFrom,
      });
      return sendEdited(reply, req.principal.tenantId, asset, req.query.wait);
    },
  );

  /**
   * With ?wait=true, waits until search and graph hold the edited asset; answers the asset as it then
   * is, and whether it settled before the wait ran out (always true without a wait).
   */
  async function settleEdit(tenantId: string, asset: Asset, wait: boolean) {
    if (!wait) return { latest: asset, settled: true };
    const waited = await assets.waitUntilSettled(tenantId, [asset.id], config.WAIT_TIMEOUT_MS);
    return { latest: waited.assets.get(asset.id) ?? asset, settled: waited.settled };
  }

  /** An edited asset, with its version as ETag; with ?wait=true once search and graph hold it. */
  async function sendEdited(reply: FastifyReply, tenantId: string, asset: Asset, wait: boolean) {
    const { latest, settled } = await settleEdit(tenantId, asset, wait);
    return reply
      .code(settled ? 200 : 202)
      .header('etag', `"${latest.version}"`)
      .send(toAssetDto(latest));
  }

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
        querystring: IngestQuery,
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
      const { asset } = await curation.editTags(actorOf(req.principal), req.params.id, patch, {
        basedOn: expectedVersion(req.headers['if-match'], version),
        conflictFrom: conflictResolvedFrom,
      });
      return sendEdited(reply, req.principal.tenantId, asset, req.query.wait);
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
        querystring: IngestQuery,
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
      const { tenantId } = req.principal;
      const { asset, link, created } = await curation.link(
        actorOf(req.principal),
        req.params.id,
        req.params.targetId,
        req.body.note,
        expectedVersion(req.headers['if-match']),
      );
      const { settled } = await settleEdit(tenantId, asset, req.query.wait);
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
        querystring: IngestQuery,
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
      const { asset } = await curation.unlink(
        actorOf(req.principal),
        req.params.id,
        req.params.targetId,
        expectedVersion(req.headers['if-match']),
      );
      const { settled } = await settleEdit(req.principal.tenantId, asset, req.query.wait);
      return reply.code(settled ? 204 : 202).send(null);
    },
  );
  done();
};

export default assetRoutes;
