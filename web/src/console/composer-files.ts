/**
 * The files attached to a message being written: each one checked against the limits before
 * upload (refused ones never start), uploading, uploaded or refused by the server, removable
 * until the message is sent. Only uploaded files go with the message.
 */
import type { UploadLimits, UploadView } from '../shared/api-types';
import { checkFile, type FileLike, type UploadRefusal } from '../shared/uploads';

export interface FileChip {
  key: number;
  name: string;
  size: number;
  state: 'uploading' | 'done' | 'failed';
  upload?: UploadView;
  error?: { code: string; details: Record<string, unknown>; message?: string };
}

export interface Refused {
  name: string;
  refusal: UploadRefusal;
}

let nextKey = 1;

export class PendingFiles {
  chips: FileChip[] = [];
  /** The last files refused before upload, with why (shown until the next pick). */
  refused: Refused[] = [];

  /**
   * Takes picked files: those the limits allow become chips (the caller starts their uploads, each chip with its file),
   * the others are listed in `refused`. Failed chips do not count against `max_files`.
   */
  add<F extends FileLike>(files: readonly F[], limits: UploadLimits | null): { chip: FileChip; file: F }[] {
    this.refused = [];
    const started: { chip: FileChip; file: F }[] = [];
    for (const file of files) {
      const counted = this.chips.filter((c) => c.state !== 'failed').length;
      const refusal = checkFile(file, limits, counted);
      if (refusal) {
        this.refused.push({ name: file.name, refusal });
        continue;
      }
      const chip: FileChip = { key: nextKey++, name: file.name, size: file.size, state: 'uploading' };
      this.chips.push(chip);
      started.push({ chip, file });
    }
    return started;
  }

  done(key: number, upload: UploadView): void {
    this.chips = this.chips.map((c) => (c.key === key ? { ...c, state: 'done', upload } : c));
  }

  failed(key: number, error: FileChip['error']): void {
    this.chips = this.chips.map((c) => (c.key === key ? { ...c, state: 'failed', error } : c));
  }

  remove(key: number): void {
    this.chips = this.chips.filter((c) => c.key !== key);
  }

  uploading(): boolean {
    return this.chips.some((c) => c.state === 'uploading');
  }

  /** What goes with the message. */
  ready(): UploadView[] {
    return this.chips.filter((c) => c.state === 'done' && c.upload).map((c) => c.upload!);
  }

  /** Files of a send the server refused (and the composer took back): uploaded, ready to go again. */
  restore(uploads: readonly UploadView[]): void {
    for (const u of uploads) {
      if (this.chips.some((c) => c.upload?.id === u.id)) continue;
      this.chips.push({ key: nextKey++, name: u.name, size: u.size, state: 'done', upload: u });
    }
  }

  /** The message went: start afresh. */
  clear(): void {
    this.chips = [];
    this.refused = [];
  }
}
