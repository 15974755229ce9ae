/**
 * The console's keyboard: next / previous dialog (J / K, Alt+↓ / Alt+↑), accept (A), reply (R),
 * snooze (S), transfer (T), close (Shift+C), search (/), and this list on `?` (shortcuts.ts
 * decides which key is which). Commands act on what the screen offers: a shortcut for a button
 * the dialog does not show does nothing. Focus follows: after a move through the list it rests
 * on the new row, or stays in the reply box when the move began there.
 */
import { useEffect } from 'preact/hooks';
import { useConsole } from '../context';
import { focusSoon } from '../focus';
import { isTyping, neighbour, shortcutFor, type ShortcutAction } from '../shortcuts';
import { ShortcutHelp } from './ShortcutHelp';

const click = (testid: string): boolean => {
  const el = document.querySelector<HTMLButtonElement>(`.dialog-header [data-testid="${testid}"]`);
  if (!el || el.disabled) return false;
  el.click();
  return true;
};

export function KeyboardShortcuts() {
  const { state } = useConsole();

  useEffect(() => {
    const move = (step: 1 | -1, fromComposer: boolean): boolean => {
      const rows = state.tools.search.hits
        ? state.tools.search.hits.map((h) => h.dialog.id)
        : state.lists.listTab === 'queue'
          ? state.queue().map((d) => d.id)
          : state.visible().map((d) => d.id);
      const id = neighbour(rows, state.dialog.selectedId, step);
      if (!id) return false;
      // From the reply box the new dialog's reply box takes the focus by itself; else the row keeps it.
      if (!fromComposer) {
        state.dialog.focusWish = 'row';
        setTimeout(() => state.dialog.focusWish === 'row' && (state.dialog.focusWish = null), 500);
      }
      void state.open(id);
      if (!fromComposer) focusSoon(['.dialog-row.selected', '.queue-row.selected .queue-row-open', '.search-hit.selected']);
      return true;
    };

    const act = (action: ShortcutAction, target: Element | null): boolean => {
      if (action === 'help') {
        state.session.showShortcuts(true);
        return true;
      }
      if (state.session.route.view !== 'dialogs') return false;
      const d = state.selected();
      switch (action) {
        case 'next':
        case 'prev':
          return move(action === 'next' ? 1 : -1, target?.matches('[data-testid="composer-input"]') ?? false);
        case 'accept':
          if (!d || d.status !== 'open' || d.assignee) return false;
          void state.accept(d.id);
          return true;
        case 'reply': {
          const input = document.querySelector<HTMLElement>('[data-testid="composer-input"]');
          input?.focus();
          return !!input;
        }
        case 'search': {
          const input = document.querySelector<HTMLInputElement>('[data-testid="search-input"]');
          input?.focus();
          input?.select();
          return !!input;
        }
        case 'close':
          return click('close-dialog');
        case 'snooze':
          return click('snooze');
        case 'transfer':
          return click('transfer');
      }
      return false;
    };

    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || state.session.auth !== 'signed_in') return;
      // A window is open (transfer, this help): its keys are its own.
      if (document.querySelector('[aria-modal="true"]')) return;
      const target = document.activeElement;
      const action = shortcutFor(e, isTyping(target));
      if (action && act(action, target)) e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [state]);

  return state.session.shortcutsShown ? <ShortcutHelp /> : null;
}
