/**
 * Domain errors with statuses Strapi's error classes do not cover (409, 422).
 * The global `domain-errors` middleware answers them in Strapi's error shape.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    name: string,
    message: string,
    readonly details: Record<string, unknown> = {}
  ) {
    super(message);
    this.name = name;
  }
}

/** 409: the request conflicts with the current state (a duplicate, a passed deadline). */
export class ConflictError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(409, 'ConflictError', message, details);
  }
}

/** 422: well-formed, but a business rule is not met (e.g. eligibility). */
export class UnprocessableError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(422, 'UnprocessableEntityError', message, details);
  }
}
