import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Lets the app close without waiting on keep-alive connections. While it closes, answers to the
 * requests still in flight carry `Connection: close`, a connection between requests is closed at
 * once, and one still answering (a live stream) is closed when its answer ends.
 *
 * Connections that have answered are tracked here rather than left to Node's idle sweep alone,
 * which Fastify runs once when close begins: it missed a connection whose last answer had ended
 * just before (a live stream's 404 in test/integration/comment-stream.test.ts), and close then
 * waited the keep-alive timeout (72 s).
 */
export default fp(
  (app: FastifyInstance) => {
    let closing = false;
    /** Each connection that has had a request, and the number of its answers not yet ended. */
    const answering = new Map<Socket, number>();
    app.server.on('request', (req: { socket: Socket }, res: NodeJS.EventEmitter) => {
      const socket = req.socket;
      if (!answering.has(socket)) socket.once('close', () => answering.delete(socket));
      answering.set(socket, (answering.get(socket) ?? 0) + 1);
      res.once('close', () => {
        if (!answering.has(socket)) return;
        const left = answering.get(socket)! - 1;
        answering.set(socket, left);
        if (closing && left === 0) socket.destroySoon();
      });
    });
    app.addHook('preClose', (done) => {
      closing = true;
      // Between answers: closed. A connection that never had a request is left to Node's sweep,
      // which does not cut one whose first request is still arriving.
      for (const [socket, left] of answering) if (left === 0) socket.destroy();
      app.server.closeIdleConnections();
      done();
    });
    app.addHook('onSend', (_req, reply, payload, done) => {
      if (closing) void reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'drain' },
);
