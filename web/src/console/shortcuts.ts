/**
 * The console's keyboard shortcuts: which key does what (`shortcutFor`, pure), the dialog a
 * move through the list lands on (`neighbour`), and the table the help overlay shows.
 *
 * What stays true:
 * - nothing with Ctrl or ⌘ is taken: those belong to the browser and to the composer's
 *   Ctrl+1..9 saved replies;
 * - letters, `/` and `?` act only outside text fields (typing "j" in the reply box types it);
 *   Alt+↑ / Alt+↓ act everywhere, so an operator can move on from the reply box;
 * - letters are read by the key's place (`code`), so they work on a Russian layout too.
 */

export type ShortcutAction = 'next' | 'prev' | 'accept' | 'close' | 'snooze' | 'transfer' | 'reply' | 'search' | 'help';

/** What `shortcutFor` reads of a keyboard event. */
export interface KeyPress {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
  repeat?: boolean;
}

/** Single letters outside text fields, by the key's place on the keyboard. */
const LETTERS: Record<string, ShortcutAction> = {
  KeyJ: 'next',
  KeyK: 'prev',
  KeyA: 'accept',
  KeyS: 'snooze',
  KeyT: 'transfer',
  KeyR: 'reply',
};

/**
 * The action of a key press, or null. `typing`: the focus is in a text field (an input, a
 * textarea, a select or an editable element).
 */
export function shortcutFor(e: KeyPress, typing: boolean): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.isComposing) return null;
  if (e.altKey) {
    if (e.shiftKey) return null;
    if (e.key === 'ArrowDown') return 'next';
    if (e.key === 'ArrowUp') return 'prev';
    return null;
  }
  if (typing) return null;
  if (e.key === '?' || (e.code === 'Slash' && e.shiftKey)) return 'help';
  if (e.key === '/' || e.code === 'Slash') return e.shiftKey ? null : 'search';
  if (e.repeat) return null;
  // Closing is the one that cannot be taken back by the visitor's next word: it asks for Shift.
  if (e.code === 'KeyC') return e.shiftKey ? 'close' : null;
  if (e.shiftKey) return null;
  return LETTERS[e.code] ?? null;
}

/** Whether an element takes typed text (so letters are its, not the console's). */
export function isTyping(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(el.type);
  }
  return (el as HTMLElement).isContentEditable === true;
}

/**
 * The dialog `step` away from `current` in `ids` (the list as shown), or null when there is no
 * such row. With nothing selected (or the selected dialog not in the list) the first row is
 * "next" and the last one "previous". The ends do not wrap around.
 */
export function neighbour(ids: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const at = current ? ids.indexOf(current) : -1;
  if (at < 0) return step === 1 ? ids[0] : ids[ids.length - 1];
  return ids[at + step] ?? null;
}

/** The help overlay's rows: the keys (as printed on a US keyboard) and what they do. */
export const SHORTCUT_TABLE: readonly { keys: readonly (readonly string[])[]; action: ShortcutAction | 'escape' | 'saved_replies' }[] = [
  { keys: [['J'], ['Alt', '↓']], action: 'next' },
  { keys: [['K'], ['Alt', '↑']], action: 'prev' },
  { keys: [['A']], action: 'accept' },
  { keys: [['R']], action: 'reply' },
  { keys: [['S']], action: 'snooze' },
  { keys: [['T']], action: 'transfer' },
  { keys: [['Shift', 'C']], action: 'close' },
  { keys: [['/']], action: 'search' },
  { keys: [['Ctrl', '1…9']], action: 'saved_replies' },
  { keys: [['?']], action: 'help' },
  { keys: [['Esc']], action: 'escape' },
];
