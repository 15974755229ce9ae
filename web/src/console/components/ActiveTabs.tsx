/** The operator's own open dialogs as tabs over the dialog pane, each with its unread count. */
import { visitorName } from '../../shared/names';
import { useConsole } from '../context';
import { shownUnread } from '../dialogs';

export function ActiveTabs() {
  const { state, t } = useConsole('lists', 'dialog');
  const dialogs = state.active();
  if (dialogs.length === 0) return null;
  return (
    <div class="active-tabs" role="tablist" aria-label={t('active.label')} data-testid="active-tabs">
      {dialogs.map((d) => {
        const selected = state.dialog.selectedId === d.id;
        const unread = selected ? 0 : shownUnread(d, state.dialog.readUpTo);
        return (
          <button
            key={d.id}
            type="button"
            role="tab"
            aria-selected={selected}
            class={`active-tab${selected ? ' active' : ''}${unread ? ' unread' : ''}`}
            onClick={() => void state.open(d.id)}
            data-testid="active-tab"
            data-dialog-id={d.id}
          >
            <span class="active-tab-name">{visitorName(d.visitor, t('visitor.numbered'))}</span>
            {unread > 0 && (
              <span class="badge" data-testid="active-tab-unread" title={t('list.unread', { n: unread })} aria-label={t('list.unread', { n: unread })}>
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}
