#!/usr/bin/env node
/** The server under test: the compiled app in dist/, started exactly as `strapi start` would. */
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
const path = require('path');
const { createStrapi } = require('@strapi/strapi');
const root = path.resolve(__dirname, '..');
createStrapi({ appDir: root, distDir: path.join(root, 'dist') })
  .start()
  .catch((err) => { console.error(err); process.exit(1); });
