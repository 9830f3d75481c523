import fs from 'fs';
import path from 'path';
import { execFileSync } from 'child_process';
import compile from '../helpers/global-setup';

/** Compiles the app, and builds the admin panel when no build is there yet (.ci/run builds it first). */
export default async function globalSetup() {
  await compile();
  const root = path.resolve(__dirname, '../..');
  if (!fs.existsSync(path.join(root, 'dist/build/index.html'))) {
    execFileSync('npx', ['strapi', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true' } });
  }
}
