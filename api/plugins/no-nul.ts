import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ValidationError } from '../../domain/errors.js';

/**
 * Whether a parsed request value holds a NUL character anywhere; iterative, so depth cannot overflow,
 * and pushing one element at a time, since spreading a long array into push() overflows the stack.
 */
function hasNul(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (Array.isArray(value)) {
      for (const item of value as unknown[]) pending.push(item);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\u0000')) return true;
        pending.push(v);
      }
    }
  }
  return false;
}

/**
 * Postgres text cannot hold NUL, so a request carrying one would fail deep inside a query as a 500.
 * It is refused up front, as a 400 naming where it was.
 */
export default fp(
  (app: FastifyInstance) => {
    app.addHook('preValidation', (req, _reply, done) => {
      const where = (['path', 'querystring', 'body'] as const).find((_where, i) =>
        hasNul([req.params, req.query, req.body][i]),
      );
      done(
        where
          ? new ValidationError(`the ${where} holds a NUL character (\\u0000), which is not allowed`)
          : undefined,
      );
    });
  },
  { name: 'no-nul' },
);
