import fs from 'fs';
import { join } from 'path';
import type { Core } from '@strapi/strapi';
import { DEPTH_RULE, MAX_BODY_DEPTH, NUL, NUL_RULE, SURROGATE_RULE, bracketed, dotted, hasUnpairedSurrogate, nestsDeeperThan, nulPath } from '../utils/input-limits';
import { inputError } from '../utils/errors';

/**
 * Refuses a NUL (\u0000) character anywhere in a content-API request (or one to the app's own admin plugins): a path parameter, the
 * query string, a JSON or form body. PostgreSQL stores and compares no NUL in text, so any
 * lookup or write holding one failed with a 500 (SQLite took it). 400 naming the field:
 * `params.id`, `query.q`, `query.filters[name][$eq]`, `data.jobTitle`. So is an unpaired surrogate in a JSON body
 * (text that is no Unicode, stored altered on both databases). A multipart body's text fields are looked at
 * as a form's are (Strapi's sign-in reads a multipart identifier as it reads JSON, and looked it up: a 500);
 * its files are left to the upload checks. GraphQL parses its own body after this runs: what it carries
 * into documents is checked by src/utils/document-input.ts. A JSON body nested deeper than any form needs
 * is refused first, before anything walks it.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const restPrefix = () => `${strapi.config.get('api.rest.prefix', '/api')}/`;
  const graphqlPath = () => (strapi.plugin('graphql')?.config('endpoint') as string | undefined) ?? '/graphql';
  /**
   * The admin routes of the app's own plugins (`/approvals/…`, `/rosters/…`, `/membership/…`, the folders of src/plugins):
   * they look documents up by a path parameter too (a NUL in one was a 500 on PostgreSQL).
   */
  let ownPluginPrefixes: string[] | undefined;
  const ownPlugin = (path: string) => {
    if (!ownPluginPrefixes) {
      const dir = join(strapi.dirs.app.src, 'plugins');
      ownPluginPrefixes = fs.existsSync(dir)
        ? fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && strapi.plugin(entry.name)).map((entry) => `/${entry.name}/`)
        : [];
    }
    return ownPluginPrefixes.some((prefix) => path.startsWith(prefix));
  };

  /** The route parameter holding the NUL (`params.documentId`), else the path as a whole. */
  const paramOf = (ctx: any): string => {
    try {
      const { pathAndMethod } = (strapi.server.router as any).match(ctx.path, ctx.method);
      const route = [...pathAndMethod].reverse().find((layer: any) => layer.methods.length > 0);
      const params = route ? route.params(ctx.path, route.captures(ctx.path), {}) : {};
      const name = Object.keys(params).find((k) => String(params[k]).includes(NUL));
      if (name) return `params.${name}`;
    } catch {
      // an unmatched or unusual path: named as a whole below
    }
    return 'path';
  };

  return async (ctx: any, next: () => Promise<unknown>) => {
    if (ctx.path.startsWith(restPrefix()) || ctx.path === graphqlPath() || ownPlugin(ctx.path)) {
      // a NUL reaches the path percent-encoded (Node's HTTP parser refuses a raw one)
      if (/%00/i.test(ctx.path)) throw inputError(paramOf(ctx), NUL_RULE);
      const inQuery = nulPath(ctx.query, 'query', (path, key) => (path === 'query' ? `query.${key}` : bracketed(path, key)));
      if (inQuery) throw inputError(inQuery, NUL_RULE);
      if (ctx.is('json', 'urlencoded', 'multipart')) {
        if (nestsDeeperThan(ctx.request.body, MAX_BODY_DEPTH)) throw inputError('body', DEPTH_RULE);
        const inBody = nulPath(ctx.request.body, '', dotted);
        if (inBody !== null) throw inputError(inBody || 'body', NUL_RULE);
        // only a JSON body can hold one ("\ud800"): a query string or path that decodes to none is left undecoded
        const unpaired = nulPath(ctx.request.body, '', dotted, hasUnpairedSurrogate);
        if (unpaired !== null) throw inputError(unpaired || 'body', SURROGATE_RULE);
      }
    }
    return next();
  };
};
