import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * While the app closes, answers to the requests still in flight carry `Connection: close`. Fastify
 * closes idle keep-alive connections when close begins, but one busy then stays open after its
 * answer until the keep-alive timeout (72 s), and close waits for it.
 */
export default fp(
  (app: FastifyInstance) => {
    let closing = false;
    app.addHook('preClose', (done) => {
      closing = true;
      done();
    });
    app.addHook('onSend', (_req, reply, payload, done) => {
      if (closing) void reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'drain' },
);
