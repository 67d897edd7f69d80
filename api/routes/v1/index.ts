import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../../runtime/container.js';
import { addAuthHooks } from '../../plugins/auth.js';
import { addRateLimit } from '../../plugins/rate-limit.js';
import assetRoutes from './assets.js';
import searchRoutes from './search.js';
import jobRoutes from './jobs.js';
import enrichmentRoutes from './enrichment.js';
import graphRoutes from './graph.js';
import historyRoutes from './history.js';
import apiKeyRoutes from './api-keys.js';
import exportRoutes from './exports.js';
import maskingRoutes from './masking.js';
import webhookRoutes from './webhooks.js';

/** Everything under /v1: authenticated, each route naming the permission it needs. */
const v1: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  addAuthHooks(app, { apiKeys: container.apiKeys, db: container.db });
  await addRateLimit(app, container.config);
  await app.register(assetRoutes, { container });
  await app.register(searchRoutes, { container });
  await app.register(jobRoutes, { container });
  await app.register(enrichmentRoutes, { container });
  await app.register(graphRoutes, { container });
  await app.register(historyRoutes, { container });
  await app.register(apiKeyRoutes, { container });
  await app.register(exportRoutes, { container });
  await app.register(maskingRoutes, { container });
  await app.register(webhookRoutes, { container });
};

export default v1;
