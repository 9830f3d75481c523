import { errors } from '@strapi/utils';

/**
 * 409 Conflict in Strapi's error shape `{ data: null, error: { status, name,
 * message, details } }`. Strapi's errors middleware formats http-errors'
 * HttpError instances as they are; HttpError's constructor is abstract, so
 * the class joins its prototype chain instead of calling it.
 */
export class ConflictError extends Error {
  readonly status = 409;
  readonly statusCode = 409;
  readonly expose = true;
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ConflictError';
  }
}
Object.setPrototypeOf(ConflictError.prototype, errors.HttpError.prototype);
