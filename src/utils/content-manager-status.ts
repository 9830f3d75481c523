import type { Core } from '@strapi/strapi';

const CM_COLLECTION = /^\/content-manager\/collection-types\/(api::[^/]+)(?:\/|$)/;
const DOCUMENT_STATUSES = ['draft', 'published'];

/** Content types with a field of their own named `status` (registrations, affiliations, mentorship, site visits...). */
const hasOwnStatus = (strapi: Core.Strapi, uid: string) => (strapi.contentTypes as Record<string, any>)[uid]?.attributes?.status?.type === 'enumeration';

/** The content type a content-manager request is about, when it has its own `status` field. */
function statusTypeOf(strapi: Core.Strapi, path: string): string | null {
  const uid = CM_COLLECTION.exec(path)?.[1];
  return uid && hasOwnStatus(strapi, uid) ? uid : null;
}

/**
 * Strapi 5's content manager reads a `status` in the request body as the
 * document's draft/published status and refuses any other value ("Invalid
 * status"), so no form whose own `status` field is an enumeration
 * (registration: confirmed / waitlisted...; pairing: proposed / active...; site
 * visit, mentorship application, affiliation) could be saved. This koa
 * middleware (registered in bootstrap, so after the body parser and before the
 * router) takes the field out of the body and keeps it on the request, and
 * `registerFormStatusData` puts it into the data again. Answers get the field
 * back too, since the content manager overwrites it with the draft state.
 */
export function registerContentManagerStatus(strapi: Core.Strapi) {
  strapi.server.use(async (ctx, next) => {
    const uid = statusTypeOf(strapi, ctx.path);
    if (uid && (ctx.method === 'POST' || ctx.method === 'PUT')) {
      const body = (ctx.request as { body?: Record<string, unknown> }).body;
      if (body && typeof body === 'object' && typeof body.status === 'string' && !DOCUMENT_STATUSES.includes(body.status)) {
        ctx.state.formStatus = { uid, status: body.status };
        delete body.status;
      }
    }
    await next();
    if (uid && ctx.body && typeof ctx.body === 'object') {
      const body = ctx.body as { data?: Record<string, any>; results?: Record<string, any>[] };
      const docs = [...(Array.isArray(body.results) ? body.results : []), ...(body.data && typeof body.data === 'object' && !Array.isArray(body.data) ? [body.data] : [])]
        .filter((d) => d && typeof d.documentId === 'string' && (d.status == null || DOCUMENT_STATUSES.includes(d.status)));
      if (docs.length) {
        const rows = await strapi.db.query(uid as never).findMany({ where: { documentId: { $in: docs.map((d) => d.documentId) } }, select: ['documentId', 'status'] });
        const byId = new Map(rows.map((r: { documentId: string; status: string }) => [r.documentId, r.status]));
        for (const d of docs) if (byId.has(d.documentId)) d.status = byId.get(d.documentId);
      }
    }
  });
}

/**
 * The document-service half: the form's `status` goes back into the data of the
 * create, update or clone (the content manager's "Duplicate" posts its form to
 * `/clone/:sourceId`, and the document service's clone writes that data over the
 * source's fields: without it the copy kept the source's status, whatever staff chose).
 * Registered first (in register), so every rule of that type (pairing limits, the
 * seat guard, membership, application statuses) sees the status being written.
 */
export function registerFormStatusData(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.action === 'create' || ctx.action === 'update' || ctx.action === 'clone') {
      const data = (ctx.params as { data?: Record<string, unknown> }).data;
      const status = formStatus(strapi, ctx.uid);
      if (data && status && !('status' in data)) data.status = status;
    }
    return next();
  });
}

/** The `status` field the admin panel's form sent for this content type, if the current request is one. */
function formStatus(strapi: Core.Strapi, uid: string): string | undefined {
  const ctx = strapi.requestContext.get() as { state?: { formStatus?: { uid: string; status: string } } } | undefined;
  const sent = ctx?.state?.formStatus;
  return sent && sent.uid === uid ? sent.status : undefined;
}
