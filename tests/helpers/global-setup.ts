/** Compiles the TypeScript app to dist/ once per jest run; each test file then boots it. */
export default async function globalSetup() {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: process.cwd(), ignoreDiagnostics: false });
}
