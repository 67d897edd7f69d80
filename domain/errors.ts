/**
 * Domain errors, and the classification of infrastructure failures. The API maps both to RFC 9457
 * problems in its one error handler; the workers wait out an unavailable database.
 */
import { QUERY_LIMITS, type QueryLimit } from './query-limits.js';

/** What a caught value says, for logs and stored failure records (anything may be thrown). */
export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** Seconds after which the same request may succeed (the answer's Retry-After), when it may. */
  readonly retryAfterSeconds?: number;
  constructor(
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly title = 'Not Found';
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly title = 'Bad Request';
}

/**
 * A query past one of its hard limits (domain/query-limits.ts): 400, the problem naming the limit
 * (`limit`) and its value (`maximum`).
 */
export class QueryLimitError extends ValidationError {
  constructor(message: string, limit: QueryLimit) {
    const maximum = QUERY_LIMITS[limit];
    super(`${message} (limit ${limit}: ${maximum})`, { field: 'q', limit, maximum });
  }
}

/**
 * A batch of interaction events none of which was taken: 400, `errors` listing each event's
 * rejection by index (`index`, `pointer`, `detail`), as the 202 of a partly valid batch does.
 */
export class EventsRejectedError extends ValidationError {
  constructor(message: string, errors: readonly { index: number; pointer: string; detail: string }[]) {
    super(message, { errors });
  }
}

/** A request larger than the operation takes (more items than a batch may hold): 413. */
export class ContentTooLargeError extends DomainError {
  readonly status = 413;
  readonly title = 'Content Too Large';
}

/** Over a rate of writes the operation allows (comments per author per minute): 429 with Retry-After. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly title = 'Too Many Requests';
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, extensions);
  }
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
}

/**
 * An asset under legal hold may be neither deleted nor purged: 409 with the problem type
 * `legal-hold`, naming the asset. An ADMIN lifts the hold first (PUT /v1/assets/{id}/legal-hold).
 */
export class LegalHoldError extends ConflictError {
  constructor(assetId: string) {
    super(`asset ${assetId} is under legal hold: it may not be deleted or purged until the hold is lifted`, {
      assetId,
    });
  }
}

/**
 * A person's erasure names assets under legal hold: the whole request is refused (409, problem
 * type `legal-hold`, `assetIds` naming them) and nothing changes.
 */
export class LegalHoldsError extends ConflictError {
  constructor(assetIds: string[], total: number) {
    super(
      `${total} asset${total === 1 ? '' : 's'} naming the person ${total === 1 ? 'is' : 'are'} under legal hold: nothing was erased; lift the holds first`,
      { assetIds, heldAssets: total },
    );
  }
}

/**
 * A change-feed cursor older than what the log keeps (docs/change-feeds.md, "Retention"): entries
 * after it were pruned, so reading on would skip them. 410 with the problem type `resync-required`;
 * `resumeCursor` is where to read the log from after listing the assets in full.
 */
export class ResyncRequiredError extends DomainError {
  readonly status = 410;
  readonly title = 'Gone';
  constructor(message: string, extensions: { resumeCursor: string | null; retentionDays: number }) {
    super(message, extensions);
  }
}

export class UnavailableError extends DomainError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
}

/** The event stream did not take an append (Redis away): nothing was acknowledged; retry shortly. */
export class StreamUnavailableError extends UnavailableError {
  override readonly retryAfterSeconds = 1;
}

/**
 * A search statement cancelled for running past its time limit (`statementTimeoutMs`): 503 with
 * Retry-After. Within the query limits that means a busy or very large database rather than a bad
 * query, so the same request may succeed later; a smaller query sooner.
 */
export class QueryTimeoutError extends UnavailableError {
  override readonly retryAfterSeconds = 1;
  constructor(milliseconds: number = QUERY_LIMITS.statementTimeoutMs) {
    super(
      `the search ran past its time limit of ${milliseconds} ms and was cancelled; retry, or narrow the query`,
      { limit: 'statementTimeoutMs' satisfies QueryLimit, maximum: milliseconds },
    );
  }
}

/** A write that named a version the resource is no longer at (If-Match): 412, nothing written. */
export class PreconditionFailedError extends DomainError {
  readonly status = 412;
  readonly title = 'Precondition Failed';
}

/** A write that must name the version it is based on (If-Match) and did not: 428. */
export class PreconditionRequiredError extends DomainError {
  readonly status = 428;
  readonly title = 'Precondition Required';
}

/**
 * Errors that mean the database went away (a restart, a failover, a refused connection) rather
 * than that the statement was wrong: SQLSTATE class 08 (connection exception), 57P01–57P03
 * (shutdown), and the drivers' own connection failures. A transaction that failed so rolled back.
 * Here rather than in store/ so that the layers above classify failures without importing it.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)))
    return true;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return true;
  const message = (err as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(
      message,
    )
  );
}

/** A statement Postgres cancelled for running past `statement_timeout` (SQLSTATE 57014). */
export function isStatementTimeout(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return code === '57014' && typeof message === 'string' && message.includes('statement timeout');
}
