/**
 * Attachments before they are sent: an early check against the limits the server announced
 * (`upload_limits`), and the upload itself (`POST …/uploads?name=` with the raw bytes).
 *
 * The check is only a warning given before any byte leaves the browser: the server sniffs
 * the content and has the last word (`413 file_too_large`, `415 file_type_refused`). A file
 * whose type the browser cannot tell is let through for the server to decide.
 */
import { ApiError, errorBody, toApiError } from './api';
import { IMAGE_TYPES, type UploadLimits, type UploadView } from './api-types';

/** Why a file is refused before upload; the first two are the server's own codes. */
export type UploadRefusal = 'file_too_large' | 'file_type_refused' | 'too_many_files';

/** What `checkFile` needs of a file (a `File` has it). */
export interface FileLike {
  name: string;
  size: number;
  type: string;
}

/** Types guessed from the name when the browser gives none (it often does not for .heic, .log…). */
const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The file's MIME type as far as the browser can tell (lower case, no parameters), or ''. */
export function fileType(file: FileLike): string {
  const given = file.type.split(';')[0].trim().toLowerCase();
  if (given) return given;
  const dot = file.name.lastIndexOf('.');
  return dot < 0 ? '' : BY_EXTENSION[file.name.slice(dot + 1).toLowerCase()] ?? '';
}

/** Whether `type` is in `allowed` (entries may be exact types or `image/*`). */
export function typeAllowed(type: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => {
    const entry = a.toLowerCase();
    return entry === type || (entry.endsWith('/*') && type.startsWith(entry.slice(0, -1)));
  });
}

/**
 * Why `file` cannot be attached, or null when it may be tried. `pending` is how many files
 * are already attached to the message being written.
 */
export function checkFile(file: FileLike, limits: UploadLimits | null | undefined, pending = 0): UploadRefusal | null {
  if (!limits) return null;
  if (pending >= limits.max_files) return 'too_many_files';
  if (file.size > limits.max_bytes) return 'file_too_large';
  const type = fileType(file);
  if (type && limits.types.length > 0 && !typeAllowed(type, limits.types)) return 'file_type_refused';
  return null;
}

/** Previewed inline rather than offered as a download. */
export function isImage(contentType: string): boolean {
  return IMAGE_TYPES.includes(contentType.split(';')[0].trim().toLowerCase());
}

/** A size as an amount and a unit, for the i18n table to word ("1,5 МБ", "1.5 MB"). */
export function sizeParts(bytes: number): { amount: number; unit: 'b' | 'kb' | 'mb' } {
  if (bytes < 1024) return { amount: bytes, unit: 'b' };
  if (bytes < 1024 * 1024) return { amount: round1(bytes / 1024), unit: 'kb' };
  return { amount: round1(bytes / (1024 * 1024)), unit: 'mb' };
}

function round1(n: number): number {
  return n >= 10 ? Math.round(n) : Math.round(n * 10) / 10;
}

/**
 * Uploads `file` to `base + path` (`/api/v1/uploads` with the session cookie, or
 * `/widget/v1/uploads` with the visitor's bearer `token`). Resolves to the stored file;
 * a refusal throws ApiError with the server's code (`file_too_large`, `file_type_refused`…),
 * no answer at all throws code `network`.
 */
export async function uploadFile(
  base: string,
  path: string,
  file: File,
  token?: string,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): Promise<UploadView> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (file.type) headers['Content-Type'] = file.type;
  if (token) headers.Authorization = `Bearer ${token}`;
  const sep = path.includes('?') ? '&' : '?';
  let response: Response;
  try {
    response = await fetchImpl(`${base}${path}${sep}name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers,
      body: file,
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError(0, 'network', String(cause));
  }
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    // A proxy in front may refuse a big body itself, without our JSON.
    if (!errorBody(json) && response.status === 413) throw new ApiError(413, 'file_too_large', 'HTTP 413');
    throw toApiError(response.status, json);
  }
  return json as UploadView;
}
