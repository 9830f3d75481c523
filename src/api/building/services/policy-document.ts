import fs from 'fs';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { mergedResourceSharing, RESOURCE_SHARING_POPULATE, reviewedToday, withBuildingLock } from './directory';
import { fieldError, fileTooLargeError } from '../../../utils/errors';

/** Largest written policy accepted, in bytes (POLICY_MAX_BYTES, 32 MB by default). */
export const policyMaxBytes = () => Number(process.env.POLICY_MAX_BYTES) || 32 * 1024 * 1024;

/** Written policies are PDF or Word; the type is read from the file's first bytes, not trusted from the upload. */
const SIGNATURES: { ext: string[]; mime: string; magic: number[] }[] = [
  { ext: ['pdf'], mime: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { ext: ['docx'], mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: [0x50, 0x4b, 0x03, 0x04] },
  { ext: ['doc'], mime: 'application/msword', magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
];

export interface IncomingFile {
  filepath: string;
  originalFilename?: string | null;
  size: number;
  mimetype?: string | null;
}

/**
 * The file names Strapi's upload stores (its isValidFilename): it refused any other with a bare "File name contains
 * invalid characters", naming no field, for a name that was only too long as well.
 */
const MAX_FILE_NAME = 255;
// eslint-disable-next-line no-control-regex
const RESERVED_IN_NAME = /[<>:"/\\|?*\u0000-\u001F]/;
const RESERVED_NAME = /^(con|prn|aux|nul|com\d|lpt\d|\.|\.\.)$/i;

export function assertPolicyFileName(name: string | null | undefined): void {
  if (!name) throw fieldError('file', 'file needs a name (policy.pdf)');
  if (name.length > MAX_FILE_NAME) throw fieldError('file', `file name must be at most ${MAX_FILE_NAME} characters`);
  if (RESERVED_IN_NAME.test(name) || RESERVED_NAME.test(name)) throw fieldError('file', 'file name must not contain < > : " / \\ | ? * or control characters, nor be a reserved name (CON, NUL, …)');
}

export function detectPolicyType(file: IncomingFile): { mime: string } {
  const ext = (file.originalFilename ?? '').toLowerCase().split('.').pop() ?? '';
  const head = Buffer.alloc(8);
  const fd = fs.openSync(file.filepath, 'r');
  try {
    fs.readSync(fd, head, 0, 8, 0);
  } finally {
    fs.closeSync(fd);
  }
  const match = SIGNATURES.find((s) => s.magic.every((byte, i) => head[i] === byte));
  if (!match || !match.ext.includes(ext)) {
    throw fieldError('file', 'file must be a PDF or Word document (.pdf, .doc, .docx) whose content matches its name');
  }
  return { mime: match.mime };
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Stores a building's written interlibrary-loan policy and links it to the resource-sharing record. */
  async attach(documentId: string, file: IncomingFile | undefined) {
    if (!file || !file.filepath) throw fieldError('file', 'Attach the policy as multipart field "file"');
    if (file.size > policyMaxBytes()) throw fileTooLargeError('file', policyMaxBytes(), `this file has ${file.size} bytes`);
    assertPolicyFileName(file.originalFilename);
    const { mime } = detectPolicyType(file);
    const [uploaded] = await strapi.plugin('upload').service('upload').upload({
      data: { fileInfo: { name: file.originalFilename, caption: 'Resource sharing policy' } },
      files: { ...file, mimetype: mime },
    });
    await withBuildingLock(strapi, documentId, async () => {
      const building = (await strapi.documents('api::building.building').findOne({ documentId, populate: RESOURCE_SHARING_POPULATE })) as { resourceSharing?: Record<string, unknown> | null } | null;
      if (!building) throw new errors.NotFoundError('Building not found');
      // a new written policy is a review of it, like a save of the form
      await strapi.documents('api::building.building').update({
        documentId,
        data: { resourceSharing: mergedResourceSharing(building.resourceSharing, { policyDocument: uploaded.id, lastReviewed: reviewedToday() }) } as never,
      });
    });
    return { id: uploaded.id, name: uploaded.name, url: uploaded.url, mime: uploaded.mime, size: uploaded.size };
  },
});
