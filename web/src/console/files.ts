/** Files in the console: how each shows, their sizes, and why one was not attached (before or after upload). */
import type { UploadLimits } from '../shared/api-types';
import type { Lang, Translate } from '../shared/i18n';
import { isImage, sizeParts, type UploadRefusal } from '../shared/uploads';
import type { ConsoleKey } from './i18n';

/** How a file of a message shows: previewed (an image), played (audio, video) or offered for download. */
export type FileShow = 'image' | 'audio' | 'video' | 'file';

/**
 * What the console plays in place: the media types the server accepts (Telegram's voice
 * messages are Ogg, its videos MP4); the rest is a download.
 */
const PLAYED: Record<string, FileShow> = { 'audio/ogg': 'audio', 'video/mp4': 'video' };

export function fileShow(contentType: string): FileShow {
  if (isImage(contentType)) return 'image';
  return PLAYED[contentType.split(';')[0].trim().toLowerCase()] ?? 'file';
}

/** "1,5 МБ" / "1.5 MB". */
export function sizeText(t: Translate<ConsoleKey>, lang: Lang, bytes: number): string {
  const { amount, unit } = sizeParts(bytes);
  const n = new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: 1 }).format(amount);
  return t(unit === 'b' ? 'size.b' : unit === 'kb' ? 'size.kb' : 'size.mb', { n });
}

/** Why `name` was not attached, before any upload (the limits the server announced). */
export function refusalText(t: Translate<ConsoleKey>, lang: Lang, refusal: UploadRefusal, name: string, limits: UploadLimits): string {
  if (refusal === 'file_too_large') return t('upload.refused_file_too_large', { name, max: sizeText(t, lang, limits.max_bytes) });
  if (refusal === 'too_many_files') return t('upload.refused_too_many_files', { name, n: limits.max_files });
  return t('upload.refused_file_type_refused', { name });
}

/** The server refused an upload: its code worded, with the limit it names when it names one. */
export function uploadProblemText(t: Translate<ConsoleKey>, lang: Lang, name: string, code: string, details: Record<string, unknown>, fallback: string): string {
  const max = details.max_bytes;
  const reason =
    code === 'file_too_large'
      ? typeof max === 'number'
        ? t('error.file_too_large_max', { max: sizeText(t, lang, max) })
        : t('error.file_too_large').toLowerCase()
      : code === 'file_type_refused'
        ? t('error.file_type_refused')
        : fallback;
  return t('upload.refused_server', { name, reason });
}
