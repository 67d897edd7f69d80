import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * How long a connection that has sent nothing yet may still send its first request once closing
 * begins. A client sends right after connecting; one that has not by then (a browser's or fetch's
 * spare, preconnected socket) would otherwise hold the close until Node's timeouts (about 70 s).
 */
const FIRST_REQUEST_GRACE_MS = 1_000;

/**
 * Lets the app close without waiting on keep-alive connections. While it closes, answers to the
 * requests still in flight carry `Connection: close`, a connection between requests is closed at
 * once, one still answering (a live stream) is closed when its answer ends, and one that has sent
 * nothing is closed after a short grace.
 *
 * Node's own sweep at close (`closeIdleConnections`) leaves a connection that has not sent a
 * request open: under load, fetch's spare socket in test/integration/comment-stream.test.ts held
 * the close for 70 s. So connections are tracked here by what they have done.
 */
export default fp(
  (app: FastifyInstance) => {
    let closing = false;
    /** Connected, and no request seen yet. */
    const silent = new Set<Socket>();
    /** Each connection that has had a request, and the number of its answers not yet ended. */
    const answering = new Map<Socket, number>();
    app.server.on('connection', (socket: Socket) => {
      silent.add(socket);
      socket.once('close', () => {
        silent.delete(socket);
        answering.delete(socket);
      });
    });
    app.server.on('request', (req: { socket: Socket }, res: NodeJS.EventEmitter) => {
      const socket = req.socket;
      silent.delete(socket);
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
      for (const [socket, left] of answering) if (left === 0) socket.destroy();
      // A request still arriving (some bytes read) is left to Node's header timeout.
      setTimeout(() => {
        for (const socket of silent) if (socket.bytesRead === 0) socket.destroy();
      }, FIRST_REQUEST_GRACE_MS).unref();
      done();
    });
    app.addHook('onSend', (_req, reply, payload, done) => {
      if (closing) void reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'drain' },
);
