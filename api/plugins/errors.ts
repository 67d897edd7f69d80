import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  ConflictError,
  ContentTooLargeError,
  TooManyRequestsError,
  DomainError,
  EventsRejectedError,
  ForbiddenError,
  isDatabaseUnavailable,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  LegalHoldError,
  LegalHoldsError,
  QueryLimitError,
  QueryTimeoutError,
  ResyncRequiredError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '../../domain/errors.js';
import { problemTypeUri, type ProblemTypeSlug } from '../problem-types.js';

interface FieldError {
  location: string;
  field: string;
  message: string;
}

/**
 * A problem. `kind` names its type (api/problem-types.ts); without one the type is `about:blank`,
 * which RFC 9457 (4.2.1) keeps for problems that say no more than their status: the framework's
 * 405/406/413/415 and an internal error.
 */
function send(
  reply: FastifyReply,
  req: FastifyRequest,
  kind: ProblemTypeSlug | undefined,
  status: number,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
) {
  const type = kind ? problemTypeUri(kind) : 'about:blank';
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type, title, status, ...(detail ? { detail } : {}), instance: req.url, ...extra });
}

/** The problem type of each domain error, subclasses before the class they extend. */
const DOMAIN_KINDS: [new (...args: never[]) => DomainError, ProblemTypeSlug][] = [
  [QueryLimitError, 'query-limit'],
  [EventsRejectedError, 'events-rejected'],
  [ValidationError, 'invalid-request'],
  [UnauthorizedError, 'unauthorized'],
  [ForbiddenError, 'forbidden'],
  [NotFoundError, 'not-found'],
  [LegalHoldError, 'legal-hold'],
  [LegalHoldsError, 'legal-hold'],
  [ConflictError, 'conflict'],
  [PreconditionFailedError, 'stale-version'],
  [PreconditionRequiredError, 'version-required'],
  [ContentTooLargeError, 'batch-too-large'],
  [TooManyRequestsError, 'rate-limited'],
  [ResyncRequiredError, 'resync-required'],
  [QueryTimeoutError, 'query-timeout'],
  [UnavailableError, 'unavailable'],
];

export function domainProblemKind(err: DomainError): ProblemTypeSlug {
  const found = DOMAIN_KINDS.find(([cls]) => err instanceof cls);
  if (!found) throw new Error(`no problem type for ${err.name}`);
  return found[1];
}

/** Client errors the framework raises (a body that is not JSON, a rate limit), by status. */
const FRAMEWORK_KINDS: Partial<Record<number, ProblemTypeSlug>> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  429: 'rate-limited',
};

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
        return send(reply, req, 'invalid-request', 400, 'Bad Request', detail, { errors });
      }
      if (err instanceof DomainError) {
        if (err.status === 401) void reply.header('www-authenticate', 'Bearer');
        if (err.retryAfterSeconds !== undefined)
          void reply.header('retry-after', String(err.retryAfterSeconds));
        return send(reply, req, domainProblemKind(err), err.status, err.title, err.message, err.extensions);
      }
      if (isDatabaseUnavailable(err)) {
        // Nothing was written (the transaction died with its connection): the client may retry.
        req.log.warn({ err }, 'database unavailable');
        void reply.header('retry-after', '1');
        return send(
          reply,
          req,
          'unavailable',
          503,
          'Service Unavailable',
          'the database is unavailable; retry shortly',
        );
      }
      if (transientConflict(err)) {
        // The transaction was rolled back whole; the same request is expected to succeed when retried.
        req.log.warn({ err }, 'transaction conflict');
        void reply.header('retry-after', '1');
        return send(
          reply,
          req,
          'concurrent-conflict',
          503,
          'Service Unavailable',
          'a concurrent request conflicted with this one; retry',
        );
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return send(
          reply,
          req,
          FRAMEWORK_KINDS[status],
          status,
          TITLES[status] ?? 'Client Error',
          err.message,
        );
      }
      req.log.error({ err }, 'request failed');
      return send(
        reply,
        req,
        undefined,
        status >= 500 && status < 600 ? status : 500,
        'Internal Server Error',
      );
    });

    app.setNotFoundHandler((req, reply) =>
      send(reply, req, 'not-found', 404, 'Not Found', `no route for ${req.method} ${req.url}`),
    );
  },
  { name: 'errors' },
);
