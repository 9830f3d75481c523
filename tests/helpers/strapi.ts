import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import type { Core } from '@strapi/strapi';
import { Mailbox } from './mailbox';
import { createTestDatabase, type TestDatabase } from './database';

export type Persona = 'guest' | 'member' | 'director';

export interface TestUser {
  id: number;
  documentId: string;
  email: string;
  username: string;
  password: string;
  jwt: string;
}

export interface TestApp {
  strapi: Core.Strapi;
  db: TestDatabase;
  mail: Mailbox;
  http: () => ReturnType<typeof request>;
  /** supertest with a bearer token already set: a user's, or a token itself (e.g. an admin's); none for null */
  as: (user: TestUser | string | null) => {
    get: (url: string) => request.Test;
    post: (url: string) => request.Test;
    put: (url: string) => request.Test;
    delete: (url: string) => request.Test;
  };
  /** A building of a new library; `system` puts that library in a library system. */
  createBuilding: (data?: Record<string, unknown>, opts?: { system?: { documentId: string } }) => Promise<{ id: number; documentId: string }>;
  /** An admin-panel user with the admin role of that code (e.g. 'll-system-staff', 'strapi-super-admin'), logged in. */
  createAdmin: (email: string, roleCode: string) => Promise<{ id: number; documentId: string; token: string }>;
  createUser: (persona: Persona, opts?: { building?: { documentId: string }; email?: string; firstName?: string; lastName?: string; jobTitle?: string }) => Promise<TestUser>;
  stop: () => Promise<void>;
}

let counter = 0;

/**
 * Boots the real application (compiled to dist/ by the jest global setup)
 * against a fresh database and a loopback SMTP server. One boot per test file.
 */
export async function startApp(extraEnv: Record<string, string> = {}): Promise<TestApp> {
  const mail = new Mailbox();
  const smtpPort = await mail.start();
  const db = await createTestDatabase();
  // uploads go to a folder of this app's own, removed when it stops
  const publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-public-'));
  fs.mkdirSync(path.join(publicDir, 'uploads'));

  Object.assign(process.env, {
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL || 'error',
    SERVE_ADMIN: 'false',
    CRON_ENABLED: 'false',
    PUBLIC_URL: 'http://localhost:1337',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    SMTP_USERNAME: '',
    EMAIL_FROM: 'Library Learning <no-reply@library-learning.example>',
    PUBLIC_DIR: publicDir,
    ...db.env,
    ...extraEnv,
  });

  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { createStrapi } = require('@strapi/strapi');
  const appDir = path.resolve(__dirname, '../..');
  const strapi: Core.Strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  await strapi.server.mount();

  const http = () => request(strapi.server.httpServer);
  const as: TestApp['as'] = (user) => {
    const token = typeof user === 'string' ? user : user?.jwt;
    const auth = (t: request.Test) => (token ? t.set('Authorization', `Bearer ${token}`) : t);
    return {
      get: (url) => auth(http().get(url)),
      post: (url) => auth(http().post(url)),
      put: (url) => auth(http().put(url)),
      delete: (url) => auth(http().delete(url)),
    };
  };

  const createBuilding: TestApp['createBuilding'] = async (data = {}, opts = {}) => {
    counter += 1;
    const library = await strapi.documents('api::library.library').create({
      data: { name: `Test Library ${counter}`, type: 'public', fscsId: `TEST${process.pid}${counter}`, ...(opts.system ? { system: opts.system.documentId } : {}) } as never,
    });
    const building = await strapi.documents('api::building.building').create({
      data: { name: `Test Building ${counter}`, city: 'Springfield', county: 'Sangamon', outletType: 'main', library: library.documentId, ...data } as never,
    });
    return { id: building.id as number, documentId: building.documentId };
  };

  const createUser: TestApp['createUser'] = async (persona, opts = {}) => {
    counter += 1;
    const email = opts.email ?? `${persona}${counter}.${process.pid}@library.example`;
    const password = 'Str0ng-passphrase!';
    const authenticated = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    const user = await strapi.plugin('users-permissions').service('user').add({
      username: email,
      email,
      password,
      provider: 'local',
      confirmed: true,
      blocked: false,
      role: authenticated.id,
      firstName: opts.firstName ?? persona[0].toUpperCase() + persona.slice(1),
      lastName: opts.lastName ?? `Tester${counter}`,
    });
    if (persona !== 'guest') {
      const building = opts.building ?? (await createBuilding());
      await strapi.documents('api::affiliation.affiliation').create({
        data: {
          user: user.documentId,
          building: building.documentId,
          jobTitle: opts.jobTitle ?? (persona === 'director' ? 'Library Director' : 'Reference Librarian'),
          roles: persona === 'director' ? ['director'] : ['staff'],
          status: 'approved',
          decidedAt: new Date().toISOString(),
        } as never,
      });
    }
    const jwt = strapi.plugin('users-permissions').service('jwt').issue({ id: user.id });
    return { id: user.id, documentId: user.documentId, email, username: email, password, jwt };
  };

  const createAdmin: TestApp['createAdmin'] = async (email, roleCode) => {
    const password = 'Adm1n-passphrase!';
    const role = await strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
    if (!role) throw new Error(`No admin role with code ${roleCode}`);
    const user = await strapi.service('admin::user').create({ email, firstname: 'Test', lastname: roleCode, password, isActive: true, registrationToken: null, roles: [role.id] });
    const res = await request(strapi.server.httpServer).post('/admin/login').send({ email, password });
    if (res.status !== 200) throw new Error(`Admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: user.id, documentId: user.documentId, token: res.body.data.token };
  };

  const stop = async () => {
    await strapi.destroy();
    await mail.stop();
    await db.drop();
    fs.rmSync(publicDir, { recursive: true, force: true });
  };

  return { strapi, db, mail, http, as, createBuilding, createAdmin, createUser, stop };
}
