import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Lets the app close without waiting on keep-alive connections. While it closes, answers to the
 * requests still in flight carry `Connection: close`, a connection whose answers have all ended is
 * closed at once, and one still answering (a live stream) is closed when its answer ends.
 *
 * Connections are tracked here rather than left to Node's idle sweep, which Fastify runs once when
 * close begins: it missed a connection whose last answer had ended just before (a live stream's
 * 404 in test/integration/comment-stream.test.ts), and close then waited the keep-alive timeout.
 */
export default fp(
  (app: FastifyInstance) => {
    let closing = false;
    /** Each open connection and the number of its answers not yet ended. */
    const answering = new Map<Socket, number>();
    app.server.on('connection', (socket: Socket) => {
      answering.set(socket, 0);
      socket.once('close', () => answering.delete(socket));
    });
    app.server.on('request', (req: { socket: Socket }, res: NodeJS.EventEmitter) => {
      const socket = req.socket;
      answering.set(socket, (answering.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const left = (answering.get(socket) ?? 1) - 1;
        if (!answering.has(socket)) return;
        answering.set(socket, left);
        if (closing && left === 0) socket.destroySoon();
      });
    });
    app.addHook('preClose', (done) => {
      closing = true;
      for (const [socket, left] of answering) if (left === 0) socket.destroy();
      done();
    });
    app.addHook('onSend', (_req, reply, payload, done) => {
      if (closing) void reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'drain' },
);
