#!/usr/bin/env node
/** The bare baseline, started like bench/server.js starts the app. */
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
const { createStrapi } = require('@strapi/strapi');
createStrapi({ appDir: __dirname, distDir: __dirname })
  .start()
  .catch((err) => { console.error(err); process.exit(1); });
