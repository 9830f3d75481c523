import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { parseImlsCsv } from '../api/building/imls/parse';

/** `npm run import:imls -- <file.csv> [--state IL]`: loads IMLS outlets as libraries and buildings. */
export default async function importImls(strapi: Core.Strapi, args: string[]): Promise<number> {
  const stateIdx = args.indexOf('--state');
  const state = stateIdx >= 0 ? args[stateIdx + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--state');
  if (!file) {
    console.error('usage: npm run import:imls -- <outlets.csv> [--state IL]');
    return 2;
  }
  const csvPath = path.resolve(process.env.INIT_CWD || process.cwd(), file);
  if (!fs.existsSync(csvPath)) {
    console.error(`No such file: ${csvPath}`);
    return 2;
  }
  const { outlets, errors } = parseImlsCsv(fs.readFileSync(csvPath, 'utf8'), { state });
  for (const e of errors) console.warn(`line ${e.line}: ${e.message}`);
  const summary = await strapi.service('api::building.imls-import').importOutlets(outlets);
  console.log(
    `IMLS import of ${outlets.length} outlets: ` +
      `${summary.created} buildings created, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
      `${summary.flagged} flagged for review; ${summary.librariesCreated} libraries created, ${summary.librariesUpdated} updated` +
      (errors.length ? `; ${errors.length} rows skipped` : '')
  );
  return 0;
}
