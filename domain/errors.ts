/** Domain errors. The API maps each to an RFC 9457 problem in one error handler. */
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
