import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServiceMetrics } from '../../services/metrics.js';

/**
 * Times every answer by route template (never the raw URL, whose ids would make a series each),
 * method and status class: `unmatched` for a URL no route serves.
 */
export default fp<{ metrics: ServiceMetrics }>(
  (app: FastifyInstance, { metrics }) => {
    app.addHook('onResponse', (req, reply, done) => {
      metrics.httpDuration.observe(
        {
          route: req.routeOptions.url ?? 'unmatched',
          method: req.method,
          status: `${Math.floor(reply.statusCode / 100)}xx`,
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
  },
  { name: 'metrics' },
);
