import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { DeleteAssetQuery, LegalHoldBody, LifecycleQuery } from '../../schemas/asset-lifecycle.js';
import { AssetSchema, toAssetDto } from '../../schemas/assets.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';

/**
 * /v1/assets/{id}: the asset lifecycle (docs/lifecycle.md): archive and restore, delete and purge,
 * and the legal hold that blocks the last two.
 */
const assetLifecycleRoutes: FastifyPluginCallbackZod<{
  deps: Pick<ApiDeps, 'lifecycle' | 'apiKeys'>;
}> = (app, { deps: { lifecycle, apiKeys } }, done) => {
  const legalHold = conflict(
    'the asset is under legal hold (problem type /problems/legal-hold): lift the hold first.',
  );

  app.delete(
    '/assets/:id',
    {
      config: { permission: 'assets:delete' },
      schema: {
        tags: ['assets'],
        operationId: 'deleteAsset',
        summary: 'Delete an asset, or purge it',
        description:
          'Deletes the asset: it is gone from search, suggestions, related content, the graph and exports once projected, reads of it answer 404, and webhooks get `asset.deleted`. Its row stays as a tombstone (for the drift check, which holds it must be absent) until it is purged. Ingesting the same content (file hash) again creates a new asset with a new id. With `purge=true` (ADMIN) the asset is erased: its row and every version snapshot, leaving the audit record of who, when and why. An asset under legal hold gets 409 (`/problems/legal-hold`) and nothing changes.',
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: DeleteAssetQuery,
        response: {
          204: z.null().describe('Deleted (or purged)'),
          404: notFound,
          409: legalHold,
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { purge, reason } = req.query;
      if (purge) {
        // The route's permission is assets:delete; a purge asks for more (audited when lacking).
        await apiKeys.authorize(req.principal, 'assets:purge', {
          method: req.method,
          route: req.routeOptions.url,
        });
        if (!reason) throw new ValidationError('a purge needs a reason (?reason=…)', { field: 'reason' });
      }
      await lifecycle.delete(actorOf(req.principal), req.params.id, { purge, reason });
      return reply.code(204).send(null);
    },
  );

  for (const [action, operationId, summary, description] of [
    [
      'archive',
      'archiveAsset',
      'Archive an asset',
      'A new version showing status ARCHIVED: left out of search unless asked for (`status=ARCHIVED`), and out of related content. Edits are refused (409) until it is restored; an asset still being enriched is refused too. Archiving an archived asset changes nothing (200). Audited (ARCHIVE).',
    ],
    [
      'restore',
      'restoreAsset',
      'Restore an archived asset',
      'A new version with the status the asset had before it was archived; it is back in search and related content once projected. Restoring an asset that is not archived changes nothing. Audited (RESTORE).',
    ],
  ] as const) {
    app.post(
      `/assets/:id/${action}`,
      {
        config: { permission: 'assets:write' },
        schema: {
          tags: ['assets'],
          operationId,
          summary,
          description,
          security: [{ apiKey: [] }],
          params: IdParams,
          querystring: LifecycleQuery,
          response: {
            200: AssetSchema.describe('The asset as it now is'),
            404: notFound,
            409: conflict('the asset is being enriched, or (editing) archived.'),
            ...authProblems,
          },
        },
      },
      async (req, reply) => {
        const who = actorOf(req.principal);
        const { asset } =
          action === 'archive'
            ? await lifecycle.archive(who, req.params.id, req.query.reason)
            : await lifecycle.restore(who, req.params.id, req.query.reason);
        return reply.header('etag', `"${asset.version}"`).send(toAssetDto(asset));
      },
    );
  }

  app.put(
    '/assets/:id/legal-hold',
    {
      config: { permission: 'assets:purge' },
      schema: {
        tags: ['assets'],
        operationId: 'setAssetLegalHold',
        summary: "Set or lift an asset's legal hold",
        description:
          'An asset under legal hold may be neither deleted nor purged (409, `/problems/legal-hold`); it may still be read, edited and archived. ADMIN only. Not a new version; audited (LEGAL_HOLD).',
        security: [{ apiKey: [] }],
        params: IdParams,
        body: LegalHoldBody,
        response: { 200: AssetSchema.describe('The asset with its hold'), 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const { asset } = await lifecycle.setLegalHold(
        actorOf(req.principal),
        req.params.id,
        req.body.legalHold,
        req.body.reason,
      );
      return toAssetDto(asset);
    },
  );
  done();
};

export default assetLifecycleRoutes;
