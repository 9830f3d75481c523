/**
 * The one place 4xx answers about a field are built: 400s in Strapi's ValidationError, and domain errors with
 * statuses Strapi's error classes do not cover (409, 422), which the global `domain-errors` middleware answers in
 * Strapi's error shape.
 */
import { errors } from '@strapi/utils';
import toPath from 'lodash/toPath';

/**
 * `details.errors` naming each field by its path as a list, as Strapi's own validation does (lodash's toPath):
 * `data.audience` → ['data', 'audience'], `locations[0].capacity` → ['locations', '0', 'capacity'].
 */
export const fieldPaths = (name: string, fields: string[], message: string) => fields.map((field) => ({ path: toPath(field), message, name }));

/** 400 "field: rule", naming the field (`data.jobTitle`, `locations[0].capacity`, `filters[title][$eq]`) and the rule it breaks. */
export const inputError = (field: string, rule: string) =>
  new errors.ValidationError(`${field}: ${rule}`, { errors: fieldPaths('ValidationError', [field], rule) });

/**
 * 403 naming the rule that refused the caller (`Only a director of … can change its staff list`). Strapi's router
 * answers a ForbiddenError thrown by a handler with a bare "Forbidden" (the authorize step of compose-endpoint) and
 * passes on only a PolicyError's message; it is named ForbiddenError, as Strapi's own 403s are.
 */
export const forbiddenError = (message: string, details: Record<string, unknown> = {}) => {
  const err = new errors.PolicyError(message, details);
  (err as { name: string }).name = 'ForbiddenError';
  return err;
};

/** A 400 naming `body` unless the request's body is a JSON object; `rule` says what it must hold. */
export function assertObjectBody(body: unknown, rule: string): asserts body is Record<string, any> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw inputError('body', rule);
}

/** 404 about the value of one field that names nothing (`system: no library system has the code …`). */
export const notFoundError = (field: string, message: string) =>
  new errors.NotFoundError(message, { errors: fieldPaths('NotFoundError', [field], message) });

/** 400 whose message already names the field or fields (`building must be a building documentId`), each named by its path. */
export const fieldError = (fields: string | string[], message: string) =>
  new errors.ValidationError(message, { errors: fieldPaths('ValidationError', typeof fields === 'string' ? [fields] : fields, message) });

/**
 * 400 naming each field of `body` that the route does not read (`Unknown field(s): colour`): a misspelt or read-only
 * field is refused, never silently dropped while the rest is stored. `what` says which fields (`building field(s)`).
 */
export function assertKnownFields(body: Record<string, unknown>, accepted: readonly string[], what = 'field(s)'): void {
  const unknown = Object.keys(body).filter((k) => !accepted.includes(k));
  if (unknown.length) throw fieldError(unknown, `Unknown ${what}: ${unknown.join(', ')}`);
}

/**
 * An upload's text parts (the body parser puts them in the body beside the file), where the route reads none: each
 * (a caption, a file id) is a 400 naming it, not silently dropped while the file is stored.
 */
export function assertNoFormFields(fields: unknown): void {
  if (fields && typeof fields === 'object' && !Array.isArray(fields)) assertKnownFields(fields as Record<string, unknown>, []);
}

/**
 * Details of a 4xx about one field (`mentee`, `audience`): `field`, as these answers always gave it, and
 * `details.errors[].path`, where every 400 names its field, so a client has one place to look whatever the status.
 */
export const fieldDetails = (name: string, field: string, message: string, details: Record<string, unknown> = {}) => ({
  ...details,
  field,
  errors: fieldPaths(name, [field], message),
});

/** A size limit in megabytes, for a message: 2097152 → "2 MB", 33554432 → "32 MB", 65536 → "0.0625 MB". */
export const megabytes = (bytes: number) => `${+(bytes / (1024 * 1024)).toPrecision(3)} MB`;

/**
 * 413 for an uploaded file over its route's limit: the message names the field as the route calls it (`avatar`,
 * `file`) and the limit in MB; `details` give the field and the limit in bytes (`maxBytes`). `found` says what
 * was seen (`this file has 3145728 bytes`) when it is known.
 */
export const fileTooLargeError = (field: string, maxBytes: number, found?: string) => {
  const rule = `must be a file of at most ${megabytes(maxBytes)}`;
  return new errors.PayloadTooLargeError(`${field}: ${rule}${found ? `; ${found}` : ''}`, fieldDetails('PayloadTooLargeError', field, rule, { maxBytes }));
};

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

/**
 * The database refused a row a unique index forbids (PostgreSQL 23505, SQLite's constraint): the answer to a race
 * a check before the write could not see (two requests for one email at once), a 4xx for the caller, never a 500.
 */
export const isUniqueViolation = (err: unknown) => /^(23505|SQLITE_CONSTRAINT_UNIQUE)$/.test(String((err as { code?: string })?.code ?? ''));
