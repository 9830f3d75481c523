import fs from 'fs/promises';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { lockNames } from '../../../utils/advisory-lock';
import { fileTooLargeError, inputError } from '../../../utils/errors';

const USER = 'plugin::users-permissions.user';
const FILE = 'plugin::upload.file';

/** Largest avatar accepted, in bytes (AVATAR_MAX_BYTES, 2 MB by default). */
export const avatarMaxBytes = () => Number(process.env.AVATAR_MAX_BYTES) || 2 * 1024 * 1024;

/**
 * The image types an avatar may be, told by the file's first bytes, never by its name or declared type.
 * SVG is not among them: it can carry script, served from our own origin. Strapi's upload check
 * (upload/utils/mime-validation) is not used: it detects with file-type through a dynamic ESM import, which
 * fails outside an ESM-aware loader (jest), and when detection finds nothing it trusts the extension, so a
 * text file named face.png passes. That the image decodes is checked with the upload plugin's own image library.
 */
const SIGNATURES: { mime: string; ext: string; matches: (b: Buffer) => boolean }[] = [
  { mime: 'image/png', ext: '.png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/jpeg', ext: '.jpg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/gif', ext: '.gif', matches: (b) => ['GIF87a', 'GIF89a'].includes(b.toString('latin1', 0, 6)) },
  { mime: 'image/webp', ext: '.webp', matches: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP' },
];
/**
 * A 413 for an avatar upload whose declared length (Content-Length) is more than an image of the largest size accepted
 * could make it, with room for the multipart framing (boundaries, part headers, a long file name), or null. Told
 * before the body is read: the body parser would otherwise write the whole of it to disk (up to its own ~200 MB cap)
 * before assertImage measures it. A body sent without a length (chunked) is measured there.
 */
const MULTIPART_ROOM = 64 * 1024;
export function oversizedAvatarBody(contentLength: number) {
  const max = avatarMaxBytes();
  if (!(contentLength > max + MULTIPART_ROOM)) return null;
  return fileTooLargeError('avatar', max, `this request's body has ${contentLength} bytes`);
}

/** The 413 for an avatar whose body, sent without a length, passed the largest size accepted while it was being read. */
export const streamedAvatarTooLarge = () => fileTooLargeError('avatar', avatarMaxBytes(), 'this file has more');

export const AVATAR_TYPES = 'PNG, JPEG, GIF or WebP';

/** The caption of a file uploaded as someone's avatar: what marks it as theirs to delete (staff see it in the Media Library). */
const avatarCaption = (documentId: string) => `Avatar of person ${documentId}`;

/** A file as the multipart body parser (formidable) hands it over. */
export interface UploadedFile {
  filepath: string;
  originalFilename?: string | null;
  mimetype?: string | null;
  size: number;
  [key: string]: unknown;
}

async function firstBytes(filepath: string) {
  const handle = await fs.open(filepath, 'r');
  try {
    const buffer = Buffer.alloc(12);
    const { bytesRead } = await handle.read(buffer, 0, 12, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The caller's avatar image: stored through Strapi's upload plugin, and deleted when replaced or removed.
 * An avatar file belongs to its person: only a file used by nothing else is ever deleted.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The image type of an upload, or a 4xx naming `avatar` and the rule it breaks (413 for its size). */
  async assertImage(file: UploadedFile) {
    const max = avatarMaxBytes();
    if (file.size > max) throw fileTooLargeError('avatar', max, `this file has ${file.size} bytes`);
    if (!file.size) throw inputError('avatar', 'is an empty file');
    const head = await firstBytes(file.filepath);
    const type = SIGNATURES.find((s) => s.matches(head));
    if (!type) throw inputError('avatar', `must be a ${AVATAR_TYPES} image (told from the file's content; SVG is not accepted)`);
    // the upload service would store bytes its image library cannot read as a plain file, and never check them
    if (!(await strapi.plugin('upload').service('image-manipulation').isImage({ filepath: file.filepath }))) {
      throw inputError('avatar', `is not a valid image: it starts as a ${type.mime} file but cannot be read as one`);
    }
    return type;
  },

  /** Stores `file` as the avatar of the user, and deletes their previous one. */
  async replace(documentId: string, file: UploadedFile) {
    const type = await this.assertImage(file);
    await this.current(documentId); // a 404 before anything is stored
    // the stored name and type come from the content, not from what the client declared
    file.originalFilename = `avatar${type.ext}`;
    file.mimetype = type.mime;
    file.detectedMimeType = type.mime;
    let stored: { id: number };
    try {
      [stored] = await strapi.plugin('upload').service('upload').upload({ data: { fileInfo: { caption: avatarCaption(documentId) } }, files: file });
    } catch (err) {
      // e.g. "File is not a valid image": the signature matched but the image does not decode
      if (err instanceof errors.ApplicationError) throw inputError('avatar', `could not be stored: ${err.message}`);
      throw err;
    }
    try {
      await this.swap(documentId, stored.id);
    } catch (err) {
      await this.deleteIfOnlyAvatarOf(stored.id, { id: null, documentId });
      throw err;
    }
  },

  /** Removes the user's avatar, deleting its file. */
  async remove(documentId: string) {
    await this.swap(documentId, null);
  },

  /**
   * Sets the user's avatar to `fileId` (or none) and deletes the one it replaces, with the person's avatar lock
   * held: two uploads (or an upload and a removal) at once would otherwise both read the same previous avatar,
   * and the file of the one that lost would stay stored, used by no one. The lock is the database's, so it holds
   * across processes: PostgreSQL's advisory lock on the person; SQLite runs one write transaction at a time.
   */
  async swap(documentId: string, fileId: number | null) {
    const replaced = await strapi.db.transaction(async ({ trx }) => {
      await lockNames(strapi, trx, [`avatar:${documentId}`]);
      const { id: userId, avatar: previous } = await this.current(documentId);
      if (previous === fileId) return null;
      await strapi.documents(USER).update({ documentId, data: { avatar: fileId } as never });
      return previous ? { fileId: previous, owner: { id: userId, documentId } } : null;
    });
    // the old file goes once the change is committed: deleted inside the transaction, a failed commit would leave the
    // person's avatar pointing at a file no longer on disk. Nobody can link it meanwhile (avatars are set by upload only).
    if (replaced) await this.deleteIfOnlyAvatarOf(replaced.fileId, replaced.owner);
  },

  /** The user's row id and the id of their avatar file. */
  async current(documentId: string): Promise<{ id: number; avatar: number | null }> {
    const user = await strapi.db.query(USER).findOne({ where: { documentId }, select: ['id'], populate: { avatar: { select: ['id'] } } });
    if (!user) throw new errors.NotFoundError(`No person with documentId "${documentId}"`);
    return { id: user.id, avatar: user.avatar?.id ?? null };
  },

  /**
   * Deletes a file uploaded here as this person's avatar (its caption says so) that nothing else uses. Before
   * avatars were uploaded here, anyone could point their avatar at any stored file (another person's avatar, a
   * Media Library file staff uploaded, one linked only from rich text): such a file is only unlinked, never deleted.
   */
  async deleteIfOnlyAvatarOf(fileId: number, owner: { id: number | null; documentId: string }) {
    const file = await strapi.db.query(FILE).findOne({ where: { id: fileId }, populate: { related: true } });
    if (!file || file.caption !== avatarCaption(owner.documentId)) return;
    const others = (file.related ?? []).filter((r: { id: number; __type: string }) => !(r.__type === USER && r.id === owner.id));
    if (others.length) return;
    await strapi.plugin('upload').service('upload').remove(file);
  },
});
