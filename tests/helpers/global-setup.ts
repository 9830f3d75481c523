/** Compiles the TypeScript app to dist/ once per jest run; each test file then boots it. */
export default async function globalSetup() {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  // .ci/run compiles once (`strapi build`) and then runs the SQLite and PostgreSQL suites side by side: two jest runs
  // compiling into the same dist/ at once would read each other's half-written files.
  if (process.env.LL_TEST_PREBUILT_DIST === '1') return;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: process.cwd(), ignoreDiagnostics: false });
}
