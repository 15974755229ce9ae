/**
 * Where the focus goes when the element that had it disappears (a note dismissed, a dialog
 * closed or passed on): the reply box of the open dialog, else its row in the list, else the
 * first row, else the search box. The console never leaves a keyboard user on `<body>`.
 */

/** The places tried in turn, most useful first. */
export const FOCUS_FALLBACKS: readonly string[] = [
  '[data-testid="composer-input"]',
  '.dialog-row.selected',
  '.queue-row.selected .queue-row-open',
  '.dialog-row',
  '.queue-row-open',
  '[data-testid="search-input"]',
];

/** Focuses the first of `selectors` (then the fallbacks) present in `root`; false if none is. */
export function focusFirst(selectors: readonly string[] = [], root: ParentNode = document): boolean {
  for (const s of [...selectors, ...FOCUS_FALLBACKS]) {
    const el = root.querySelector<HTMLElement>(s);
    if (el && !el.closest('[hidden]') && !(el as HTMLButtonElement).disabled) {
      el.focus();
      if (document.activeElement === el) return true;
    }
  }
  return false;
}

/** Like `focusFirst`, once the change under way is drawn (Preact redraws in a microtask, effects after a frame). */
export function focusSoon(selectors: readonly string[] = []): void {
  const run = () => focusFirst(selectors);
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(run, 0));
  else setTimeout(run, 0);
}

/** Whether the focus is lost: on nothing, or on the page itself. */
export function focusLost(): boolean {
  const el = document.activeElement;
  return !el || el === document.body || el === document.documentElement;
}
