import type { Core } from '@strapi/strapi';
import { seed, DEMO_PASSWORD } from '../seed';

/** `npm run seed`: the demo data of the README; safe to run again. */
export default async function runSeed(strapi: Core.Strapi): Promise<number> {
  const result = await seed(strapi);
  const i = result.imls;
  console.log(`Illinois buildings: ${i.created} created, ${i.updated} updated, ${i.unchanged} unchanged, ${i.flagged} flagged for review`);
  console.log(`Demo people sign in with password: ${DEMO_PASSWORD}`);
  if (result.admin.password) {
    console.log(`Admin panel user created: ${result.admin.email} / ${result.admin.password}  (shown only now)`);
  } else {
    console.log(`Admin panel user ${result.admin.email} already exists (password unchanged).`);
  }
  return 0;
}
