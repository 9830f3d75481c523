/**
 * CORS_ORIGINS lists the library-system websites allowed to call the API from
 * a browser (comma-separated); '*' by default since the public API is read-only
 * for anonymous callers and authenticated calls carry a bearer token, not cookies.
 */
export default ({ env }) => [
  'strapi::logger',
  'strapi::errors',
  'global::domain-errors',
  'strapi::security',
  {
    name: 'strapi::cors',
    config: {
      origin: env.array('CORS_ORIGINS', ['*']),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
      headers: ['Content-Type', 'Authorization', 'Origin', 'Accept', 'If-None-Match'],
      keepHeaderOnError: true,
    },
  },
  'strapi::poweredBy',
  'strapi::query',
  // UPLOAD_MAX_BYTES: the file data one request may send to a route without a limit of its own (formidable's
  // 200 MB by default); the avatar (AVATAR_MAX_BYTES) and a building's policy (POLICY_MAX_BYTES) have smaller ones
  { name: 'strapi::body', config: { formidable: { maxFileSize: env.int('UPLOAD_MAX_BYTES', 200 * 1024 * 1024) } } },
  // after the body parser: NUL characters in a content-API request are a 400, never a database error
  'global::nul-characters',
  // pagination a whole number in range, on every REST route (Strapi clamped it silently)
  'global::query-params',
  'strapi::session',
  // Strapi looks for favicon.png at the project root; without one every /favicon.ico answered 500.
  { name: 'strapi::favicon', config: { path: 'public/favicon.png' } },
  'strapi::public',
];
