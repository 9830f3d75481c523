import { assertNoFormFields, inputError } from '../../../../utils/errors';
import type { UploadedFile } from '../../services/avatar';

/**
 * POST /api/profile/avatar: a multipart body with exactly one file, in the field `avatar`, and nothing else
 * (`formFields`: the form's text parts, which the body parser puts in the request's body).
 * Its type and size are the avatar service's rule (services/avatar.ts).
 */
export function avatarFile(files: Record<string, UploadedFile | UploadedFile[]> | undefined, formFields?: unknown): UploadedFile {
  const fields = Object.keys(files ?? {});
  const other = fields.find((f) => f !== 'avatar');
  if (other) throw inputError('avatar', `is the only file field accepted here (got a file in "${other}")`);
  const file = files?.avatar;
  if (!file) throw inputError('avatar', 'is required: send one image as multipart/form-data in the field "avatar"');
  // the form's other (text) parts: none is read (a caption, a file id), so each is refused, not silently dropped
  assertNoFormFields(formFields);
  if (Array.isArray(file)) {
    if (file.length !== 1) throw inputError('avatar', `must be exactly one file (got ${file.length})`);
    return file[0];
  }
  return file;
}
