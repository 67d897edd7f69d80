/**
 * Domain errors, and the classification of infrastructure failures. The API maps both to RFC 9457
 * problems in its one error handler; the workers wait out an unavailable database.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
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

export class UnavailableError extends DomainError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
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
