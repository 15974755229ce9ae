/** Open / Snoozed / Closed / All above the dialog list. */
import type { DialogStatusFilter } from '../../shared/api-types';
import { useConsole } from '../context';

const STATUSES: DialogStatusFilter[] = ['open', 'snoozed', 'closed', 'all'];

export function StatusSwitch() {
  const { state, t } = useConsole('lists');
  const current = state.lists.filter.status;
  const label = (f: DialogStatusFilter) =>
    f === 'open' ? t('status.open') : f === 'snoozed' ? t('status.snoozed') : f === 'closed' ? t('status.closed') : t('status.all');
  return (
    <div class="segmented" role="tablist" aria-label={t('status.label')} data-testid="filter-status" data-value={current}>
      {STATUSES.map((f) => (
        <button
          key={f}
          type="button"
          role="tab"
          aria-selected={current === f}
          class={current === f ? 'active' : ''}
          onClick={() => state.setFilter({ status: f })}
          data-testid={`status-${f}`}
        >
          {label(f)}
        </button>
      ))}
    </div>
  );
}
