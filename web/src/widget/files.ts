/**
 * Files in the chat as the visitor sees them: sizes and types in words, why a file was
 * refused (before the upload by the announced limits, after it by the server's code), and
 * the files picked for the message being written (`Drafts`).
 */
import type { UploadLimits, UploadView } from '../shared/api-types';
import type { Translate } from '../shared/i18n';
import { sizeParts, type UploadRefusal } from '../shared/uploads';
import type { WidgetKey } from './i18n';

/** A size in the visitor's language: "1,5 МБ", "1.5 MB". */
export function sizeText(t: Translate<WidgetKey>, lang: 'ru' | 'en', bytes: number): string {
  const { amount, unit } = sizeParts(bytes);
  const n = lang === 'ru' ? String(amount).replace('.', ',') : String(amount);
  return t(unit === 'b' ? 'size.bytes' : unit === 'kb' ? 'size.kb' : 'size.mb', { n });
}

/** Allowed MIME types as short names people know: `image/png` → PNG, `application/pdf` → PDF. */
export function typeNames(types: readonly string[]): string {
  const names = types.map((type) => {
    const [major, minor = ''] = type.toLowerCase().split('/');
    if (minor === '*') return major;
    if (minor === 'jpeg') return 'JPEG';
    if (minor === 'plain') return 'TXT';
    if (minor.includes('wordprocessingml')) return 'DOCX';
    if (minor.includes('spreadsheetml')) return 'XLSX';
    if (minor === 'msword') return 'DOC';
    if (minor === 'vnd.ms-excel') return 'XLS';
    return minor.replace(/^(x-|vnd\.)/, '').toUpperCase();
  });
  return [...new Set(names)].join(', ');
}

/** A file refusal, before (`checkFile`) or after the upload (the server's code and details). */
export interface FileRefusal {
  code: UploadRefusal | string;
  details: Record<string, unknown>;
}

/** Why the file named `name` was refused, in words, with the limit that applies. */
export function refusalText(
  t: Translate<WidgetKey>,
  lang: 'ru' | 'en',
  name: string,
  refusal: FileRefusal,
  limits: UploadLimits | null,
  otherwise: (code: string) => string,
): string {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);
  switch (refusal.code) {
    case 'file_too_large': {
      const max = num(refusal.details.max_bytes) ?? limits?.max_bytes ?? null;
      return max === null ? t('file.failed', { name, reason: t('error.file_too_large') }) : t('file.too_large', { name, max: sizeText(t, lang, max) });
    }
    case 'file_type_refused': {
      const allowed = list(refusal.details.allowed) ?? limits?.types ?? [];
      return allowed.length ? t('file.type_refused', { name, types: typeNames(allowed) }) : t('file.type_refused_any', { name });
    }
    case 'too_many_files':
      return t('file.too_many', { max: limits?.max_files ?? 1 });
    case 'empty_file':
      return t('file.empty', { name });
    default:
      return t('file.failed', { name, reason: otherwise(refusal.code) });
  }
}

export type DraftState = 'uploading' | 'ready' | 'refused';

/** A file picked for the message being written. */
export interface Draft {
  key: string;
  name: string;
  size: number;
  state: DraftState;
  upload?: UploadView;
  refusal?: FileRefusal;
}

/**
 * The files attached to the message being written, in the order picked. Refused ones stay
 * (with their reason) until the visitor removes them or sends; they are never sent.
 */
export class Drafts {
  private items: Draft[] = [];
  private next = 0;

  add(file: { name: string; size: number }, refusal: FileRefusal | null): Draft {
    const draft: Draft = { key: `f${++this.next}`, name: file.name, size: file.size, state: refusal ? 'refused' : 'uploading' };
    if (refusal) draft.refusal = refusal;
    this.items = [...this.items, draft];
    return draft;
  }

  uploaded(key: string, upload: UploadView): boolean {
    return this.update(key, { state: 'ready', upload });
  }

  refused(key: string, refusal: FileRefusal): boolean {
    return this.update(key, { state: 'refused', refusal });
  }

  remove(key: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((d) => d.key !== key);
    return this.items.length !== before;
  }

  /** Puts uploads back (a refused send taken back to edit). */
  restore(uploads: readonly UploadView[]): void {
    for (const upload of uploads) {
      this.items = [...this.items, { key: `f${++this.next}`, name: upload.name, size: upload.size, state: 'ready', upload }];
    }
  }

  list(): readonly Draft[] {
    return this.items;
  }

  /** Files that count against `max_files`: uploaded or on their way. */
  counted(): number {
    return this.items.filter((d) => d.state !== 'refused').length;
  }

  ready(): UploadView[] {
    return this.items.flatMap((d) => (d.state === 'ready' && d.upload ? [d.upload] : []));
  }

  uploading(): boolean {
    return this.items.some((d) => d.state === 'uploading');
  }

  clear(): void {
    this.items = [];
  }

  private update(key: string, change: Partial<Draft>): boolean {
    let found = false;
    this.items = this.items.map((d) => {
      if (d.key !== key) return d;
      found = true;
      return { ...d, ...change };
    });
    return found;
  }
}
