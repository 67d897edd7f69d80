import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { addAuthentication, addAuthorization } from '../../plugins/auth.js';
import { addKeyCors } from '../../plugins/cors.js';
import { addCursorSigning } from '../../plugins/cursors.js';
import { addRateLimit } from '../../plugins/rate-limit.js';
import apiKeyRoutes from './api-keys.js';
import assetLifecycleRoutes from './asset-lifecycle.js';
import assetRoutes from './assets.js';
import brandRoutes from './brands.js';
import changeRoutes from './changes.js';
import commentRoutes from './comments.js';
import controllerRoutes from './controllers.js';
import embeddingRoutes from './embeddings.js';
import enrichmentRoutes from './enrichment.js';
import entityRoutes from './entities.js';
import erasureRoutes from './erasure.js';
import eventRoutes from './events.js';
import exportRoutes from './exports.js';
import graphRoutes from './graph.js';
import historyRoutes from './history.js';
import jobRoutes from './jobs.js';
import lifecycleRuleRoutes from './lifecycle-rules.js';
import maskingRoutes from './masking.js';
import metadataRoutes from './metadata.js';
import metricsRoutes from './metrics.js';
import pipelineRoutes from './pipeline.js';
import savedSearchRoutes from './saved-searches.js';
import searchRoutes from './search.js';
import tagRoutes from './tags.js';
import taxonomyRoutes from './taxonomy.js';
import webhookRoutes from './webhooks.js';
import workflowRoutes from './workflows.js';

/**
 * Everything under /v1: authenticated, each route naming the permission it needs. One file per
 * top-level resource (`/v1/assets` in assets.ts), and its schemas in the schema file of that name.
 */
const v1: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  // In this order, all before the body is read: who calls, how often, and may they.
  addAuthentication(app, { apiKeys: deps.apiKeys, tokens: deps.tokens });
  await addRateLimit(app, deps.config);
  addAuthorization(app, { apiKeys: deps.apiKeys });
  addCursorSigning(app, { cursors: deps.cursors });
  addKeyCors(app);
  await app.register(assetRoutes, { deps });
  await app.register(historyRoutes, { deps });
  await app.register(commentRoutes, { deps });
  await app.register(assetLifecycleRoutes, { deps });
  await app.register(lifecycleRuleRoutes, { deps });
  await app.register(erasureRoutes, { deps });
  await app.register(searchRoutes, { deps });
  await app.register(entityRoutes, { deps });
  await app.register(graphRoutes, { deps });
  await app.register(tagRoutes, { deps });
  await app.register(jobRoutes, { deps });
  await app.register(enrichmentRoutes, { deps });
  await app.register(embeddingRoutes, { deps });
  await app.register(taxonomyRoutes, { deps });
  await app.register(brandRoutes, { deps });
  await app.register(workflowRoutes, { deps });
  await app.register(apiKeyRoutes, { deps });
  await app.register(exportRoutes, { deps });
  await app.register(maskingRoutes, { deps });
  await app.register(webhookRoutes, { deps });
  await app.register(savedSearchRoutes, { deps });
  await app.register(controllerRoutes, { deps });
  await app.register(pipelineRoutes, { deps });
  await app.register(changeRoutes, { deps });
  await app.register(metricsRoutes, { deps });
  await app.register(metadataRoutes, { deps });
  await app.register(eventRoutes, { deps });
};

export default v1;
