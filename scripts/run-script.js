#!/usr/bin/env node
/**
 * Runs a task of src/tasks/ inside a loaded (not listening) Strapi instance:
 *   node scripts/run-script.js seed
 *   node scripts/run-script.js import-imls database/data/imls-pls-fy2015-outlets-illinois.csv
 */
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
process.env.CRON_ENABLED = process.env.CRON_ENABLED || 'false';
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';

const path = require('path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

async function main() {
  const [task, ...args] = process.argv.slice(2);
  if (!task || !/^[a-z-]+$/.test(task)) {
    console.error('usage: node scripts/run-script.js <task> [args...]');
    process.exit(2);
  }
  const ctx = await compileStrapi();
  const strapi = await createStrapi(ctx).load();
  let code = 0;
  try {
    const mod = require(path.join(ctx.distDir, 'src', 'tasks', `${task}.js`));
    code = (await (mod.default || mod)(strapi, args)) || 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    code = 1;
  } finally {
    await strapi.destroy();
  }
  process.exit(code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
