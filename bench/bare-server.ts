/**
 * The HTTP baseline: a bare Fastify app with one route and nothing else (no auth, no database),
 * so the harness can show what the framework and loopback cost on this machine in the same run.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = { ok: true, items: Array.from({ length: 20 }, (_, i) => ({ id: i, title: `item ${i}` })) };
app.get('/bare', (_req, reply) => reply.send(body));
const shutdown = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
