/** Open / Closed / All above the dialog list. */
import type { DialogStatusFilter } from '../../shared/api-types';
import { useConsole } from '../context';

const FILTERS: DialogStatusFilter[] = ['open', 'closed', 'all'];

export function StatusSwitch() {
  const { state, t } = useConsole();
  const label = (f: DialogStatusFilter) => (f === 'open' ? t('status.open') : f === 'closed' ? t('status.closed') : t('status.all'));
  return (
    <div class="segmented" role="tablist" aria-label={t('status.label')}>
      {FILTERS.map((f) => (
        <button
          key={f}
          type="button"
          role="tab"
          aria-selected={state.filter === f}
          class={state.filter === f ? 'active' : ''}
          onClick={() => state.setFilter(f)}
          data-testid={`status-${f}`}
        >
          {label(f)}
        </button>
      ))}
    </div>
  );
}
