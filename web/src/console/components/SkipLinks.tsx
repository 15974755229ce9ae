/**
 * The first stops of the Tab key: "Skip to dialogs" (the open dialog's row, else the first
 * row) and, with a dialog open, "Skip to the reply box". Hidden until focused, so the first Tab
 * reaches the chats instead of walking the top bar and the filters.
 */
import { useConsole } from '../context';
import { focusFirst } from '../focus';

export function SkipLinks() {
  const { state, t } = useConsole('lists', 'dialog');
  const go = (e: MouseEvent, selectors: string[]) => {
    e.preventDefault();
    focusFirst(selectors);
  };
  const d = state.selected();
  return (
    <div class="skip-links">
      <a
        href="#dialog-list"
        class="skip-link"
        onClick={(e) => go(e, ['.dialog-row.selected', '.queue-row.selected .queue-row-open', '.dialog-row', '.queue-row-open', '.search-hit'])}
        data-testid="skip-to-list"
      >
        {t('skip.list')}
      </a>
      {d && d.status === 'open' && (
        <a href="#composer" class="skip-link" onClick={(e) => go(e, ['[data-testid="composer-input"]'])} data-testid="skip-to-composer">
          {t('skip.composer')}
        </a>
      )}
    </div>
  );
}
