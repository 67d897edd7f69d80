import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { PreconditionRequiredError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import {
  authProblems,
  expectedVersion,
  IdParams,
  IfMatchHeaders,
  notFound,
  problem,
  WaitQuery,
} from '../../schemas/common.js';
import {
  ActionListQuery,
  ActionPageSchema,
  AssetActionsQuery,
  DiffQuery,
  DiffSchema,
  RollbackBody,
  RollbackResultSchema,
  staleVersion,
  toActionDto,
  toVersionDto,
  toVersionEntry,
  VersionListQuery,
  VersionPageSchema,
  VersionParams,
  VersionSchema,
} from '../../schemas/history.js';

/** An asset's version history and rollback (/v1/assets/{id}/versions, …), and the audit trail (/v1/actions). */
const historyRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'curation' | 'writes' | 'audit'> }> = (
  app,
  { deps: { curation, writes, audit } },
  done,
) => {
  app.get(
    '/assets/:id/versions',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['history'],
        operationId: 'listAssetVersions',
        summary: "The asset's versions, newest first",
        description: 'Every change is a version: ingest, each enrichment, each edit and each rollback.',
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: VersionListQuery,
        response: { 200: VersionPageSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const page = await curation.history(req.principal.tenantId, req.params.id, req.query);
      return { items: page.items.map(toVersionEntry), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/assets/:id/versions/:v',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['history'],
        operationId: 'getAssetVersion',
        summary: 'One version of the asset, with its snapshot',
        security: [{ apiKey: [] }],
        params: VersionParams,
        response: { 200: VersionSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => toVersionDto(await curation.version(req.principal.tenantId, req.params.id, req.params.v)),
  );

  app.get(
    '/assets/:id/versions/:v/diff',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['history'],
        operationId: 'diffAssetVersion',
        summary: 'What a version changed, field by field',
        description:
          'Old and new values of each field that differs from the version before (or from ?against=, any other version). Enrichment and technical metadata are compared one level down (enrichment.tags).',
        security: [{ apiKey: [] }],
        params: VersionParams,
        querystring: DiffQuery,
        response: { 200: DiffSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => curation.diff(req.principal.tenantId, req.params.id, req.params.v, req.query.against),
  );

  app.post(
    '/assets/:id/rollback',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['history'],
        operationId: 'rollbackAsset',
        summary: 'Restore an earlier version as a new one',
        description:
          'Restores the editable fields of the version (title, description, transcript, tags, speakers, contributors, operational tags, technical metadata, links, enrichment) as a new ROLLBACK version; history is never rewritten. The request names the current version it is based on (If-Match, or expectedVersion in the body): a stale one gets 412 with the current version and what changed since, and nothing is written. Restoring a state identical to the current one still records a version.',
        security: [{ apiKey: [] }],
        params: IdParams,
        headers: IfMatchHeaders,
        querystring: WaitQuery,
        body: RollbackBody,
        response: {
          201: RollbackResultSchema.describe('Restored; Location names the new version'),
          202: RollbackResultSchema.describe(
            'Restored, but not yet in search and related content when the wait ran out',
          ),
          404: notFound,
          412: staleVersion,
          428: problem('The rollback named no version to base it on: send If-Match or expectedVersion.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const basedOn = expectedVersion(req.headers['if-match'], req.body.expectedVersion);
      if (basedOn === undefined) {
        throw new PreconditionRequiredError(
          'name the version the rollback is based on: If-Match: "<current version>", or expectedVersion',
        );
      }
      const { asset, restoredFrom, changedFields, summary, settled } = await writes.rollback(
        actorOf(req.principal),
        req.params.id,
        { version: req.body.version, reason: req.body.reason, basedOn },
        req.query.wait,
      );
      return reply
        .code(settled ? 201 : 202)
        .header('location', `/v1/assets/${asset.id}/versions/${asset.version}`)
        .header('etag', `"${asset.version}"`)
        .send({ version: asset.version, restoredFrom, changedFields, summary });
    },
  );

  app.get(
    '/assets/:id/actions',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['history'],
        operationId: 'listAssetActions',
        summary: "The asset's audit trail, newest first",
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: AssetActionsQuery,
        response: { 200: ActionPageSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const page = await audit.forAsset(req.principal.tenantId, req.params.id, req.query);
      return { items: page.items.map(toActionDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/actions',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['history'],
        operationId: 'listActions',
        summary: "The tenant's audit trail, newest first",
        description:
          'Every action on the tenant: ingests, enrichment runs, edits, rollbacks, job and settings changes, and requests denied for a missing permission (ACCESS, DENIED). Filter by action type and by when it started.',
        security: [{ apiKey: [] }],
        querystring: ActionListQuery,
        response: { 200: ActionPageSchema, ...authProblems },
      },
    },
    async (req) => {
      const page = await audit.list(req.principal.tenantId, req.query);
      return { items: page.items.map(toActionDto), nextCursor: page.nextCursor };
    },
  );

  done();
};

export default historyRoutes;
