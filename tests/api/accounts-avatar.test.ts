import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import { randomUUID } from 'crypto';
import path from 'path';
import sharp from 'sharp';
import { startApp, type TestApp, type TestUser } from '../helpers/strapi';

let app: TestApp;
let guest: TestUser;
let member: TestUser;
let director: TestUser;
let png: Buffer;
let jpeg: Buffer;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** the app's uploads folder (the test harness gives each app a public folder of its own) */
const uploadsOnDisk = () => fs.readdirSync(path.join(app.strapi.dirs.static.public, 'uploads')).filter((f) => f !== '.gitkeep').sort();
const fileRows = () => app.strapi.db.query('plugin::upload.file').count({});
const avatarOf = async (user: TestUser) =>
  (await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: user.id }, populate: ['avatar'] })).avatar;
const upload = (user: TestUser | null, body: Buffer, filename: string, contentType: string) =>
  app.as(user).post('/api/profile/avatar').attach('avatar', body, { filename, contentType });
/** the bytes a URL under /uploads serves */
const served = (url: string) =>
  app
    .http()
    .get(url)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

/** Files in the temporary directory (where the body parser writes uploads) holding exactly one of these contents. */
/** Temporary files whose first bytes are `start` (a copy cut off part way, as much as a whole one). */
const tmpFilesStartingWith = (start: Buffer) =>
  fs
    .readdirSync(os.tmpdir(), { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(os.tmpdir(), e.name))
    .filter((p) => {
      try {
        const fd = fs.openSync(p, 'r');
        const head = Buffer.alloc(start.length);
        const read = fs.readSync(fd, head, 0, start.length, 0);
        fs.closeSync(fd);
        return read === start.length && head.equals(start);
      } catch {
        return false;
      }
    });

const tmpCopiesOf = (contents: Buffer[]) =>
  fs
    .readdirSync(os.tmpdir(), { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(os.tmpdir(), e.name))
    .filter((p) => {
      try {
        const size = fs.statSync(p).size;
        return contents.some((c) => c.length === size && fs.readFileSync(p).equals(c));
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    });

beforeAll(async () => {
  app = await startApp();
  const building = await app.createBuilding();
  guest = await app.createUser('guest');
  member = await app.createUser('member', { building });
  director = await app.createUser('director', { building });
  png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#3366cc' } }).png().toBuffer();
  jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#cc6633' } }).jpeg().toBuffer();
});

afterAll(async () => {
  await app?.stop();
});

describe('POST /api/profile/avatar', () => {
  it('stores an uploaded PNG as the caller’s avatar, shown by GET /api/profile with a URL that serves it', async () => {
    const res = await upload(guest, png, 'me.png', 'image/png').expect(200);
    expect(res.body.meta).toEqual({});
    expect(res.body.data).toMatchObject({ documentId: guest.documentId, avatar: { url: expect.stringMatching(/^\/uploads\/.+\.png$/), mime: 'image/png' } });
    const profile = await app.as(guest).get('/api/profile').expect(200);
    expect(profile.body.data.avatar).toEqual(res.body.data.avatar);
    const file = await served(profile.body.data.avatar.url).expect(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect((file.body as Buffer).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('replaces the previous avatar and deletes its file', async () => {
    const first = (await upload(member, png, 'a.png', 'image/png').expect(200)).body.data.avatar;
    const rows = await fileRows();
    const second = (await upload(member, jpeg, 'b.jpg', 'image/jpeg').expect(200)).body.data.avatar;
    expect(second).toMatchObject({ mime: 'image/jpeg', url: expect.stringMatching(/\.jpg$/) });
    expect(await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: first.id } })).toBeNull();
    expect(await fileRows()).toBe(rows);
    await served(first.url).expect(404);
    await served(second.url).expect(200);
  });

  it('takes the type from the content, not from the name the client gave', async () => {
    const res = await upload(member, png, 'holiday.jpg', 'image/jpeg').expect(200);
    expect(res.body.data.avatar).toMatchObject({ mime: 'image/png', url: expect.stringMatching(/\.png$/) });
  });

  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>');
  it.each([
    ['an SVG', () => upload(director, svg, 'face.svg', 'image/svg+xml'), 'SVG'],
    ['an SVG named .png', () => upload(director, svg, 'face.png', 'image/png'), 'PNG, JPEG, GIF or WebP'],
    ['a text file named .png', () => upload(director, Buffer.from('just some text, honestly'), 'face.png', 'image/png'), 'PNG, JPEG, GIF or WebP'],
    ['a PNG signature on bytes that do not decode', () => upload(director, Buffer.concat([PNG_SIGNATURE, Buffer.from('not really an image at all')]), 'face.png', 'image/png'), 'not a valid image'],
    ['no file', () => app.as(director).post('/api/profile/avatar').field('name', 'x'), 'required'],
    ['no body at all', () => app.as(director).post('/api/profile/avatar'), 'required'],
    ['two files', () => app.as(director).post('/api/profile/avatar').attach('avatar', png, 'a.png').attach('avatar', jpeg, 'b.jpg'), 'exactly one file'],
    ['a file in another field', () => app.as(director).post('/api/profile/avatar').attach('files', png, 'a.png'), 'only file field'],
  ])('refuses %s with 400 naming avatar and the rule, storing nothing', async (_what, send, rule) => {
    const rows = await fileRows();
    const disk = uploadsOnDisk();
    const res = await send().expect(400);
    expect(res.body.error.message).toMatch(/^avatar: /);
    expect(res.body.error.message).toContain(rule);
    expect(res.body.error.details.errors[0].path).toEqual(['avatar']);
    expect(await fileRows()).toBe(rows);
    expect(uploadsOnDisk()).toEqual(disk);
    expect(await avatarOf(director)).toBeNull();
  });

  it('refuses a form field other than the image with 400 naming it (it was silently dropped), storing nothing', async () => {
    const person = await app.createUser('member');
    const rows = await fileRows();
    const res = await app.as(person).post('/api/profile/avatar').field('caption', 'me at the desk').attach('avatar', png, { filename: 'face.png', contentType: 'image/png' }).expect(400);
    expect(res.body).toEqual({
      data: null,
      error: { status: 400, name: 'ValidationError', message: 'Unknown field(s): caption', details: { errors: [{ path: ['caption'], message: 'Unknown field(s): caption', name: 'ValidationError' }] } },
    });
    expect(await fileRows()).toBe(rows);
    expect(await avatarOf(person)).toBeNull();
  });

  it('is refused to anonymous callers, as the other profile routes', async () => {
    const rows = await fileRows();
    await upload(null, png, 'a.png', 'image/png').expect(403);
    await app.as(null).delete('/api/profile/avatar').expect(403);
    expect(await fileRows()).toBe(rows);
  });

  it('answers an anonymous upload 403 before reading it, whatever its size', async () => {
    // 403 (who), not the 400 of a signed-in person's oversized file (what): the body of a caller with no bearer is never parsed
    const res = await upload(null, Buffer.concat([png, Buffer.alloc(3 * 1024 * 1024)]), 'big.png', 'image/png').expect(403);
    expect(res.body.error.name).toBe('ForbiddenError');
  });
});

describe('removing an avatar', () => {
  it('DELETE /api/profile/avatar unsets it and deletes its file', async () => {
    const avatar = (await upload(director, png, 'a.png', 'image/png').expect(200)).body.data.avatar;
    const res = await app.as(director).delete('/api/profile/avatar').expect(200);
    expect(res.body.data.avatar).toBeNull();
    expect(await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: avatar.id } })).toBeNull();
    await served(avatar.url).expect(404);
    await app.as(director).delete('/api/profile/avatar').expect(200);
  });

  it('PUT /api/profile { avatar: null } does the same', async () => {
    const avatar = (await upload(director, png, 'a.png', 'image/png').expect(200)).body.data.avatar;
    const res = await app.as(director).put('/api/profile').send({ avatar: null }).expect(200);
    expect(res.body.data.avatar).toBeNull();
    expect(await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: avatar.id } })).toBeNull();
  });

  it('never deletes a file someone else uses as well (an avatar set by id before uploads existed)', async () => {
    const theirs = (await upload(guest, png, 'g.png', 'image/png').expect(200)).body.data.avatar;
    await app.strapi.documents('plugin::users-permissions.user').update({ documentId: director.documentId, data: { avatar: theirs.id } as never });
    await app.as(director).delete('/api/profile/avatar').expect(200);
    expect((await avatarOf(guest))?.id).toBe(theirs.id);
    await served(theirs.url).expect(200);
  });

  it('never deletes a Media Library file that was not uploaded as the person\'s avatar, even when nothing else links it', async () => {
    // a file staff put in the Media Library (used, say, by URL in an event's description), pointed at by id before uploads existed
    const staffFile = (await app.strapi.db.query('plugin::upload.file').create({
      data: { name: 'logo.png', hash: `logo_${randomUUID().slice(0, 8)}`, ext: '.png', mime: 'image/png', size: 1, url: '/uploads/logo.png', provider: 'local' },
    })) as { id: number };
    const owner = await app.createUser('member');
    await app.strapi.documents('plugin::users-permissions.user').update({ documentId: owner.documentId, data: { avatar: staffFile.id } as never });
    await app.as(owner).delete('/api/profile/avatar').expect(200);
    expect(await avatarOf(owner)).toBeFalsy();
    expect(await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: staffFile.id } })).toMatchObject({ name: 'logo.png' });
  });
});

describe('an avatar is no longer set by file id', () => {
  it("refuses another person's file id on PUT /api/profile and PUT /api/people/:documentId, pointing at the upload route", async () => {
    const theirs = (await upload(guest, png, 'g.png', 'image/png').expect(200)).body.data.avatar;
    const mine = await app.as(member).get('/api/profile').expect(200);
    const res = await app.as(member).put('/api/profile').send({ avatar: theirs.id }).expect(400);
    expect(res.body.error.message).toMatch(/^avatar: .*POST \/api\/profile\/avatar/);
    const byDirector = await app.as(director).put(`/api/people/${member.documentId}`).send({ avatar: theirs.id }).expect(400);
    expect(byDirector.body.error.message).toContain('avatar');
    expect((await avatarOf(member))?.id).toBe(mine.body.data.avatar.id);
  });
});

describe('uploads at the same moment', () => {
  /** distinct PNGs (one per upload) of this run */
  const images = (n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => sharp({ create: { width: 20 + i, height: 20, channels: 3, background: '#339966' } }).png().toBuffer()));
  /** the files stored as this person's avatar (their caption says so), and those of them on disk */
  const avatarFilesOf = async (user: TestUser) => {
    const rows = (await app.strapi.db.query('plugin::upload.file').findMany({ where: { caption: `Avatar of person ${user.documentId}` } })) as { id: number; url: string }[];
    return { rows, onDisk: rows.filter((r) => uploadsOnDisk().includes(path.basename(r.url))) };
  };

  it('leaves exactly one stored file, the avatar, after several uploads by one person at once', async () => {
    const person = await app.createUser('member');
    const disk = uploadsOnDisk();
    const answers = await Promise.all((await images(8)).map((img) => upload(person, img, 'me.png', 'image/png')));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    const { rows, onDisk } = await avatarFilesOf(person);
    expect(rows.map((r) => r.id)).toEqual([(await avatarOf(person)).id]);
    expect(onDisk).toEqual(rows);
    expect(uploadsOnDisk().length).toBe(disk.length + 1);
  });

  it('leaves no stored file used by no one when uploads and removals cross', async () => {
    const person = await app.createUser('member');
    const disk = uploadsOnDisk();
    const sends = (await images(8)).flatMap((img) => [upload(person, img, 'me.png', 'image/png'), app.as(person).delete('/api/profile/avatar')]);
    const answers = await Promise.all(sends);
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    const avatar = await avatarOf(person);
    const { rows, onDisk } = await avatarFilesOf(person);
    expect(rows.map((r) => r.id)).toEqual(avatar ? [avatar.id] : []);
    expect(onDisk).toEqual(rows);
    expect(uploadsOnDisk().length).toBe(disk.length + rows.length);
  });
});

/** The 413 of an avatar over AVATAR_MAX_BYTES (2 MB here): the field and the limit in MB, and in bytes in details. */
const avatarTooLarge = (found: string | RegExp) => ({
  status: 413,
  name: 'PayloadTooLargeError',
  message: typeof found === 'string' ? `avatar: must be a file of at most 2 MB; ${found}` : expect.stringMatching(found),
  details: { field: 'avatar', maxBytes: 2097152, errors: [{ path: ['avatar'], message: 'must be a file of at most 2 MB', name: 'PayloadTooLargeError' }] },
});

describe('an upload too large to accept', () => {
  it('an image over 2 MB is a 413 naming avatar and its limit (it was a 400), storing nothing', async () => {
    const rows = await fileRows();
    const disk = uploadsOnDisk();
    const big = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]);
    const res = await upload(director, big, 'big.png', 'image/png').expect(413);
    expect(res.body).toEqual({ data: null, error: avatarTooLarge('this file has more') });
    expect(await fileRows()).toBe(rows);
    expect(uploadsOnDisk()).toEqual(disk);
    expect(await avatarOf(director)).toBeNull();
  });

  it('is refused from its declared length, before the body is read: 413 naming avatar, nothing stored', async () => {
    const person = await app.createUser('member');
    const rows = await fileRows();
    const disk = uploadsOnDisk();
    const res = await upload(person, Buffer.concat([png, Buffer.alloc(3 * 1024 * 1024)]), 'big.png', 'image/png').expect(413);
    expect(res.body.error).toEqual(avatarTooLarge(/^avatar: must be a file of at most 2 MB; this request's body has \d+ bytes$/));
    expect(await fileRows()).toBe(rows);
    expect(uploadsOnDisk()).toEqual(disk);
    expect(await avatarOf(person)).toBeNull();
  });

  it('is answered while the body is still being sent, and leaves no temporary file', async () => {
    // declares 300 MB and sends only the start: refused from the declaration, never waited for, never written out
    const image = Buffer.concat([png, Buffer.from(randomUUID())]);
    const person = await app.createUser('member');
    const answer = await answerBeforeBodyEnds(person, image, { 'Content-Length': 300 * 1024 * 1024 });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual(avatarTooLarge(/^avatar: must be a file of at most 2 MB; this request's body has \d+ bytes$/));
    expect(tmpCopiesOf([image])).toEqual([]);
    expect(await avatarOf(person)).toBeNull();
  });

  it('sent without a length (chunked), is answered once the limit is passed, before the body ends, and leaves no temporary file', async () => {
    // 2.5 MB of file data and then nothing more, the request left open: the parser must not wait for the end
    const start = Buffer.concat([png, Buffer.from(randomUUID())]);
    const person = await app.createUser('member');
    const rows = await fileRows();
    const answer = await answerBeforeBodyEnds(person, Buffer.concat([start, Buffer.alloc(2.5 * 1024 * 1024)]), { 'Transfer-Encoding': 'chunked' });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual(avatarTooLarge('this file has more'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tmpFilesStartingWith(start)).toEqual([]);
    expect(await fileRows()).toBe(rows);
    expect(await avatarOf(person)).toBeNull();
  });
});

describe('temporary files', () => {
  it('leaves no temporary copy of an uploaded file behind, whether stored, refused, anonymous or sent to another route', async () => {
    const marked = (what: string) => Buffer.from(`${what} ${randomUUID()}`);
    const image = Buffer.concat([png, Buffer.from(randomUUID())]); // still a PNG, and bytes of this run only
    const sent = [image, marked('refused'), marked('anonymous'), marked('elsewhere')];
    await upload(guest, image, 'a.png', 'image/png').expect(200);
    await upload(guest, sent[1], 'a.png', 'image/png').expect(400);
    await upload(null, sent[2], 'a.png', 'image/png').expect(403);
    await app.as(guest).put('/api/profile').attach('avatar', sent[3], 'a.png');
    // deleted once each answer is given, without being waited for
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tmpCopiesOf(sent)).toEqual([]);
  });
});

/**
 * Posts the start of an avatar upload (its part header and `data`) and never ends the body: the answer, which must
 * come while the body is still open (within 5 s), is what the server decided from what it had read. A server of its
 * own on the app: supertest would send the whole body before reading the answer.
 */
async function answerBeforeBodyEnds(person: { jwt: string }, data: Buffer, length: Record<string, string | number>) {
  const boundary = `----avatar${randomUUID()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
  const server = http.createServer(app.strapi.server.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/profile/avatar',
      headers: { Authorization: `Bearer ${person.jwt}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, ...length },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('no answer while the body was being sent'));
    }, 5000);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) });
      });
    });
    req.on('error', () => {}); // the request is cut off once answered
    req.write(Buffer.concat([head, data]));
  }).finally(() => new Promise((resolve) => server.close(resolve)));
}
