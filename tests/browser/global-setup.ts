import fs from 'fs';
import path from 'path';
import { execFileSync } from 'child_process';
import compile from '../helpers/global-setup';

/** Compiles the app, and builds the admin panel when no build is there yet (.ci/run builds it first). */
export default async function globalSetup() {
  await compile();
  const root = path.resolve(__dirname, '../..');
  if (!fs.existsSync(path.join(root, 'dist/build/index.html'))) {
    // built as `npx strapi build` builds it from a shell (and .ci/run): jest sets NODE_ENV=test, and a panel built in
    // test mode lays edit views out in one column
    const { NODE_ENV: _jestsOwn, ...env } = process.env;
    execFileSync('npx', ['strapi', 'build'], { cwd: root, stdio: 'inherit', env: { ...env, STRAPI_TELEMETRY_DISABLED: 'true' } });
  }
}
