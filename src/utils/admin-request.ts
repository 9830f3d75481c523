import type { Core } from '@strapi/strapi';

/** The parts of the HTTP request a document middleware reads. */
export interface AdminRequest {
  path: string;
  state?: { userAbility?: unknown };
}

/**
 * The admin panel's content-manager request a document-service call is made for, or null (the content API, a
 * script, a job): the document middlewares that hold the admin panel's forms to the API's rules act on these only.
 */
export function contentManagerRequest(strapi: Core.Strapi): AdminRequest | null {
  const request = strapi.requestContext.get() as AdminRequest | undefined;
  return request?.path?.startsWith('/content-manager/') ? request : null;
}
