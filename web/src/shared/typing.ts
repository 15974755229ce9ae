/**
 * Typing indicators (docs/protocol.md `typing`): the sender's side emits at most once every
 * 2 s while the person types; the receiving side shows someone as typing until 5 s after his
 * last `typing` frame, or until his message arrives, whichever is first.
 */
import type { AuthorView } from './api-types';

export const TYPING_EVERY_MS = 2_000;
export const TYPING_SHOWN_MS = 5_000;

/** Emits `emit(key)` on a keystroke unless it did so for the same key less than `everyMs` ago. */
export class TypingThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly emit: (key: string) => void,
    private readonly everyMs = TYPING_EVERY_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Call on every keystroke; returns whether a frame went out. */
  typed(key = ''): boolean {
    const t = this.now();
    const prev = this.last.get(key);
    if (prev !== undefined && t - prev < this.everyMs) return false;
    this.last.set(key, t);
    this.emit(key);
    return true;
  }

  /** The message was sent: the next keystroke announces typing again at once. */
  reset(key = ''): void {
    this.last.delete(key);
  }
}

interface Entry {
  author: AuthorView;
  timer: ReturnType<typeof setTimeout>;
}

const authorKey = (a: Pick<AuthorView, 'kind' | 'id'>) => `${a.kind}:${a.id ?? ''}`;

/** Who is typing in which dialog, each entry expiring `shownMs` after his last frame. */
export class TypingTracker {
  private readonly byDialog = new Map<string, Map<string, Entry>>();

  constructor(
    private readonly onChange: () => void = () => {},
    private readonly shownMs = TYPING_SHOWN_MS,
  ) {}

  /** A `typing` frame arrived. */
  seen(dialogId: string, author: AuthorView): void {
    let entries = this.byDialog.get(dialogId);
    if (!entries) this.byDialog.set(dialogId, (entries = new Map()));
    const key = authorKey(author);
    const old = entries.get(key);
    if (old) clearTimeout(old.timer);
    const timer = setTimeout(() => this.remove(dialogId, key), this.shownMs);
    entries.set(key, { author, timer });
    if (!old) this.onChange();
  }

  /** His message arrived: he is not typing any more. */
  stopped(dialogId: string, author: Pick<AuthorView, 'kind' | 'id'>): void {
    this.remove(dialogId, authorKey(author));
  }

  /** Who types in the dialog now, in the order they started. */
  typists(dialogId: string): AuthorView[] {
    return [...(this.byDialog.get(dialogId)?.values() ?? [])].map((e) => e.author);
  }

  /** Whether someone of this kind (e.g. the visitor) types in the dialog now. */
  isTyping(dialogId: string, kind: AuthorView['kind']): boolean {
    return this.typists(dialogId).some((a) => a.kind === kind);
  }

  /** Forgets everything (sign-out). */
  clear(): void {
    for (const entries of this.byDialog.values()) for (const e of entries.values()) clearTimeout(e.timer);
    const had = this.byDialog.size > 0;
    this.byDialog.clear();
    if (had) this.onChange();
  }

  private remove(dialogId: string, key: string): void {
    const entries = this.byDialog.get(dialogId);
    const entry = entries?.get(key);
    if (!entries || !entry) return;
    clearTimeout(entry.timer);
    entries.delete(key);
    if (entries.size === 0) this.byDialog.delete(dialogId);
    this.onChange();
  }
}
