/**
 * Domain errors with statuses Strapi's error classes do not cover (409, 422).
 * The global `domain-errors` middleware answers them in Strapi's error shape.
 */

/** `details.errors` naming each field by its path (`data.audience` → ['data', 'audience']), the shape of Strapi's ValidationError. */
export const fieldPaths = (name: string, fields: string[], message: string) => fields.map((field) => ({ path: field.split('.'), message, name }));

/**
 * Details of a 4xx about one field (`mentee`, `audience`): `field`, as these answers always gave it, and
 * `details.errors[].path`, where every 400 names its field, so a client has one place to look whatever the status.
 */
export const fieldDetails = (name: string, field: string, message: string, details: Record<string, unknown> = {}) => ({
  ...details,
  field,
  errors: fieldPaths(name, [field], message),
});

export class DomainError extends Error {
  readonly details: Record<string, unknown>;

  constructor(
    readonly status: number,
    name: string,
    message: string,
    details: Record<string, unknown> = {}
  ) {
    super(message);
    this.name = name;
    // a conflict or an unmet rule about one field names it where a 400 does as well
    this.details = typeof details.field === 'string' && !details.errors ? fieldDetails(name, details.field, message, details) : details;
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
