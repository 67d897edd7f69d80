import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, isDatabaseUnavailable } from '../../domain/errors.js';

interface FieldError {
  location: string;
  field: string;
  message: string;
}

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), instance: req.url, ...extra });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

/** A deadlock (40P01) or serialization failure (40001): Postgres rolled back, and a retry may succeed. */
function transientConflict(err: unknown): boolean {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return code === '40P01' || code === '40001';
}

/** The one error handler: every error becomes an RFC 9457 problem; a 5xx never shows its internals. */
export default fp(
  (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        const location = err.validationContext ?? 'request';
        const errors: FieldError[] = err.validation.map((v) => ({
          location,
          field: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)',
          message: v.message ?? 'invalid',
        }));
        const first = errors[0];
        const detail = first ? `${location}.${first.field}: ${first.message}` : 'invalid request';
        return send(reply, req, 400, 'Bad Request', detail, { errors });
      }
      if (err instanceof DomainError) {
        if (err.status === 401) void reply.header('www-authenticate', 'Bearer');
        if (err.retryAfterSeconds !== undefined)
          void reply.header('retry-after', String(err.retryAfterSeconds));
        return send(reply, req, err.status, err.title, err.message, err.extensions);
      }
      if (isDatabaseUnavailable(err)) {
        // Nothing was written (the transaction died with its connection): the client may retry.
        req.log.warn({ err }, 'database unavailable');
        void reply.header('retry-after', '1');
        return send(reply, req, 503, 'Service Unavailable', 'the database is unavailable; retry shortly');
      }
      if (transientConflict(err)) {
        // The transaction was rolled back whole; the same request is expected to succeed when retried.
        req.log.warn({ err }, 'transaction conflict');
        void reply.header('retry-after', '1');
        return send(
          reply,
          req,
          503,
          'Service Unavailable',
          'a concurrent request conflicted with this one; retry',
        );
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return send(reply, req, status, TITLES[status] ?? 'Client Error', err.message);
      }
      req.log.error({ err }, 'request failed');
      return send(reply, req, status >= 500 && status < 600 ? status : 500, 'Internal Server Error');
    });

    app.setNotFoundHandler((req, reply) =>
      send(reply, req, 404, 'Not Found', `no route for ${req.method} ${req.url}`),
    );
  },
  { name: 'errors' },
);
