/** "Dialogs" and "Queue (N)" over the left column. */
import { useConsole } from '../context';

export function ListTabs() {
  const { state, t } = useConsole('lists');
  const count = state.queueCount();
  const tab = state.lists.listTab;
  return (
    <div class="list-tabs" role="tablist" aria-label={t('tabs.label')}>
      <button
        type="button"
        role="tab"
        aria-selected={tab === 'dialogs'}
        class={tab === 'dialogs' ? 'active' : ''}
        onClick={() => state.setListTab('dialogs')}
        data-testid="dialogs-tab"
      >
        {t('tabs.dialogs')}
      </button>
      <button
        type="button"
        role="tab"
        aria-selected={tab === 'queue'}
        class={tab === 'queue' ? 'active' : ''}
        onClick={() => state.setListTab('queue')}
        title={t('tabs.queue_count', { n: count })}
        data-testid="queue-tab"
      >
        {t('tabs.queue')}
        <span class={`tab-count${count > 0 ? ' has' : ''}`} data-testid="queue-count" data-count={count}>
          {count}
        </span>
      </button>
    </div>
  );
}
