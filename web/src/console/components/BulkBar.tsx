/** Over the list while dialogs are ticked: how many, "Close selected", and what the last bulk close did. */
import { useConsole } from '../context';

export function BulkBar({ visibleIds }: { visibleIds: string[] }) {
  const { state, t } = useConsole('lists');
  const n = state.lists.selection.size;
  const result = state.lists.bulkResult;
  if (n === 0 && !result) return null;
  const all = visibleIds.length > 0 && visibleIds.every((id) => state.lists.selection.has(id));
  return (
    <div class="bulk-bar" data-testid="bulk-bar">
      <label class="bulk-all">
        <input type="checkbox" checked={all} onChange={() => state.lists.toggleAll(visibleIds)} aria-label={t('bulk.select_all')} data-testid="bulk-select-all" />
        <span data-testid="bulk-count">{t('bulk.selected', { n })}</span>
      </label>
      {n > 0 && (
        <button type="button" class="btn btn-secondary btn-small" disabled={state.lists.bulkBusy} onClick={() => void state.bulkClose()} data-testid="bulk-close">
          {state.lists.bulkBusy ? t('bulk.closing') : t('bulk.close')}
        </button>
      )}
      <button type="button" class="link bulk-clear" onClick={() => state.lists.clearSelection()} data-testid="bulk-clear">
        {t('bulk.clear')}
      </button>
      {result && (
        <p class={`bulk-result${result.refused ? ' has-refused' : ''}`} role="status" data-testid="bulk-result">
          {result.refused ? t('bulk.result', result) : t('bulk.result_all', result)}
        </p>
      )}
    </div>
  );
}
