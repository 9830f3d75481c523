import type { Core } from '@strapi/strapi';
import { CSP_DEFAULTS, errors } from '@strapi/utils';
import { DomainError, fieldPaths, fileTooLargeError, inputError } from './errors';
import { koaBody } from 'koa-body';
import helmet from 'koa-helmet';
import { defaultsDeep, mergeWith } from 'lodash/fp';
import fs from 'node:fs/promises';
import { avatarMaxBytes, oversizedAvatarBody, streamedAvatarTooLarge } from '../api/profile/services/avatar';
import { policyMaxBytes } from '../api/building/services/policy-document';

// (mime-types ships no types: the one function used)
const mime = require('mime-types') as { lookup: (name: string) => string | false };

/**
 * Strapi's `strapi::body` and `strapi::security`, built once instead of on every request.
 *
 * Strapi 5's own versions call `koaBody(config)` and `helmet(config)` inside the request handler: koa-body
 * validates its options with zod and helmet compiles its headers again for each request, about a quarter of a
 * millisecond of every request (measured in `node bench/profile.js burst`, where a burst of 500 registrations
 * spends it 500 times on one event loop). These are the same middlewares with the same defaults, the same config
 * (config/middlewares.ts, and what plugins add to `strapi::security`) and the same exceptions, registered under
 * Strapi's own names so its required-middleware check and plugins extending their config still apply. What varies
 * per request (the GraphQL playground and documentation paths, Vite's admin exceptions in development) picks one
 * of a few prebuilt variants.
 */
type Ctx = any;
type Next = () => Promise<unknown>;
type Factory = (config: Record<string, unknown>, ctx: { strapi: Core.Strapi }) => (ctx: Ctx, next: Next) => Promise<unknown>;

const BODY_DEFAULTS = { multipart: true, patchKoa: true };
/** formidable's own limit on the file data of one request, which `strapi::body`'s config may change. */
const FORMIDABLE_MAX_FILE_SIZE = 200 * 1024 * 1024;

const uploadedFiles = (ctx: Ctx) => ctx?.request?.files?.files;

/** A size limit of koa-body's (`1mb`, `56kb`, or bytes) in words: 1 MB, 56 KB. */
const sizeInWords = (limit: unknown) => {
  const bytes = typeof limit === 'number' ? limit : Number.NaN;
  if (Number.isFinite(bytes)) return bytes >= 1024 * 1024 ? `${+(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
  return String(limit).toUpperCase().replace(/^(\d+(?:\.\d+)?)\s*/, '$1 ');
};

/**
 * A body koa-body could not read (JSON that does not parse, a body over its limit, an unknown charset, a multipart body cut short or with too many fields), answered in
 * Strapi's error shape naming `body` in details.errors[].path as every 4xx about the input does (API.md): koa-body's
 * own error reached the client as `{ name: "SyntaxError", message: "Unexpected end of JSON input" }` with no
 * `details`, and was logged as an error.
 */
const unreadableBody = (error: unknown, ctx: Ctx, options: Record<string, any>) => {
  // co-body's errors carry `status`; formidable's (a multipart body: cut short, too many fields) `httpCode`
  const err = (error ?? {}) as { status?: number; statusCode?: number; httpCode?: number; type?: string; limit?: number; message?: string };
  const status = err.status ?? err.statusCode ?? err.httpCode;
  if (!status || status < 400 || status >= 500) return error;
  const kind = ctx.is('json', '+json') ? 'JSON' : ctx.is('urlencoded') ? 'form' : 'text';
  if (err.type === 'entity.too.large') {
    const limit = sizeInWords(err.limit ?? options[kind === 'JSON' ? 'jsonLimit' : kind === 'form' ? 'formLimit' : 'textLimit']);
    const rule = `is larger than the ${limit} a ${kind} body may have`;
    return new errors.PayloadTooLargeError(`body: ${rule}`, { errors: fieldPaths('PayloadTooLargeError', ['body'], rule) });
  }
  if (status === 413) {
    const rule = `is too large (${err.message})`;
    return new errors.PayloadTooLargeError(`body: ${rule}`, { errors: fieldPaths('PayloadTooLargeError', ['body'], rule) });
  }
  if (status === 400) return inputError('body', kind === 'JSON' ? `is not valid JSON (${err.message})` : `cannot be read (${err.message})`);
  return new DomainError(status, 'BadRequestError', `body: ${err.message}`, { errors: fieldPaths('BadRequestError', ['body'], err.message ?? '') });
};

const bodyOnce: Factory = (config, { strapi }) => {
  const options = defaultsDeep(BODY_DEFAULTS, config);
  const parse = koaBody(options);
  // the avatar route's parser stops reading at the largest image accepted: a body sent without a length (chunked)
  // is refused once that many bytes of file data have arrived, not written out whole (up to the ~200 MB default)
  const parseAvatar = koaBody(defaultsDeep(options, { formidable: { maxFileSize: avatarMaxBytes() } }));
  // a building's written policy likewise stops at its own limit, not at formidable's 200 MB
  const parsePolicy = koaBody(defaultsDeep(options, { formidable: { maxFileSize: policyMaxBytes() } }));
  const graphqlEndpoint = strapi.plugin('graphql') ? (strapi.plugin('graphql').config('endpoint') as string) : undefined;
  const noop = async () => {};
  const prefix = strapi.config.get('api.rest.prefix', '/api') as string;
  const avatarPath = `${prefix}/profile/avatar`;
  const policyPath = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/buildings/[^/]+/resource-sharing/policy/?$`);
  const maxFileSize = Number(options.formidable?.maxFileSize) || FORMIDABLE_MAX_FILE_SIZE;
  // a file over the limit names the field as its route calls it: formidable's error says only how many bytes it read
  // (and Strapi's version answered a bare 413 "FileTooBig"); Strapi's upload routes (/api/upload, the admin's
  // /upload) read `files`, and a route that takes no file is told about its body
  const uploadField = (path: string) => (path === `${prefix}/upload` || path === '/upload' ? 'files' : 'body');
  return async (ctx, next) => {
    // GraphQL parses its own body (as in Strapi's version)
    if (graphqlEndpoint && ctx.url === graphqlEndpoint) return next();
    // an avatar too large to accept is refused before its body is read and written to disk
    const avatar = ctx.method === 'POST' && ctx.path === avatarPath && ctx.is('multipart');
    // without a bearer the route answers 403 whatever the body: it is not read, so no stranger's upload reaches the disk
    if (avatar && !ctx.get('authorization')) return next();
    if (avatar) {
      const refusal = oversizedAvatarBody(Number(ctx.get('content-length')));
      if (refusal) throw refusal;
    }
    const policy = !avatar && ctx.method === 'POST' && policyPath.test(ctx.path) && ctx.is('multipart');
    try {
      try {
        await (avatar ? parseAvatar : policy ? parsePolicy : parse)(ctx, noop);
      } catch (error) {
        if (error instanceof Error && error.message?.includes('maxFileSize') && error.message.includes('exceeded')) {
          if (avatar) throw streamedAvatarTooLarge();
          if (policy) throw fileTooLargeError('file', policyMaxBytes(), 'this file has more');
          throw fileTooLargeError(uploadField(ctx.path), maxFileSize, 'this request has more file data');
        }
        throw unreadableBody(error, ctx, options);
      }
      // a file sent without its mime type gets one guessed from its name, not a corrupt record
      for (const file of [].concat(uploadedFiles(ctx) ?? [])) {
        const f = file as { type?: string; name?: string };
        if (!f.type) f.type = mime.lookup(f.name ?? '') || 'application/octet-stream';
      }
      await next();
    } finally {
      // uploads are removed once the request is answered (not awaited, as in Strapi's version), those of every
      // field: Strapi's version removes only `files` (its upload route's), and the temporary copy of a file sent
      // in any other field (an avatar, or anything posted to any route, signed in or not) stayed on disk
      const files = ctx.request?.files;
      if (files && typeof files === 'object') {
        for (const file of Object.values(files).flat() as { filepath?: string }[]) if (file?.filepath) void fs.rm(file.filepath, { force: true });
        delete ctx.request.files;
      }
    }
  };
};

const SECURITY_DEFAULTS = {
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  contentSecurityPolicy: { useDefaults: true, directives: { ...CSP_DEFAULTS, upgradeInsecureRequests: null } },
  xssFilter: false,
  hsts: { maxAge: 31536000, includeSubDomains: true },
  frameguard: { action: 'sameorigin' },
};

/** Strapi's merge: arrays of directives are concatenated. */
const mergeConfig = (existing: object, extra: object) =>
  mergeWith((a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.concat(b) : undefined), existing, extra);

const securityOnce: Factory = (config, { strapi }) => {
  const base = defaultsDeep(SECURITY_DEFAULTS, config);
  const variants = new Map<string, ReturnType<typeof helmet>>();
  let special: { paths: string[]; directives: Record<string, string[]> } | undefined;

  // read at the first request: the GraphQL plugin's services exist once Strapi has registered every plugin
  const specialPaths = () => {
    if (special) return special;
    const paths = ['/documentation'];
    const directives: Record<string, string[]> = {
      'script-src': ["'self'", "'unsafe-inline'", 'cdn.jsdelivr.net'],
      'img-src': ["'self'", 'data:', 'cdn.jsdelivr.net', 'strapi.io'],
      'manifest-src': [],
      'frame-src': [],
    };
    const graphql = strapi.plugin('graphql');
    if (graphql?.service('utils').playground.isEnabled()) {
      paths.push(graphql.config('endpoint') as string);
      directives['script-src'].push(`https: 'unsafe-inline'`);
      directives['img-src'].push(`'apollo-server-landing-page.cdn.apollographql.com'`);
      directives['manifest-src'].push(`'self'`, 'apollo-server-landing-page.cdn.apollographql.com');
      directives['frame-src'].push(`'self'`, 'sandbox.embed.apollographql.com');
    }
    return (special = { paths, directives });
  };
  const development = ['development', 'test'].includes(process.env.NODE_ENV ?? '');

  return (ctx, next) => {
    const get = ctx.method === 'GET';
    const { paths, directives } = specialPaths();
    const docs = get && paths.some((p) => ctx.path.startsWith(p));
    const vite = development && get && ctx.path.startsWith(strapi.config.get('admin.path') as string);
    const key = `${docs}/${vite}`;
    let handler = variants.get(key);
    if (!handler) {
      let helmetConfig = base;
      if (docs) helmetConfig = mergeConfig(helmetConfig, { crossOriginEmbedderPolicy: false, contentSecurityPolicy: { directives } });
      // Vite's watch mode in development reconnects its HMR websocket from the admin panel
      if (vite) {
        helmetConfig = mergeConfig(helmetConfig, {
          contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'connect-src': ["'self'", 'http:', 'https:', 'ws:'] } },
        });
      }
      handler = helmet(helmetConfig);
      variants.set(key, handler);
    }
    return handler(ctx, next);
  };
};

/** Puts the built-once versions in place of Strapi's under their names (call in register). */
export function useBuiltOnceMiddlewares(strapi: Core.Strapi): void {
  const registry = strapi.get('middlewares');
  registry.extend('strapi::body', () => bodyOnce);
  registry.extend('strapi::security', () => securityOnce);
}
