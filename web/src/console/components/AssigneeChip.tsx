/** Who holds a dialog, small: initials and name, or the "unassigned" marker. */
import type { AssigneeView } from '../../shared/api-types';
import { useConsole } from '../context';
import { Avatar } from './Avatar';

export function AssigneeChip({ assignee, testid }: { assignee?: AssigneeView | null; testid?: string }) {
  const { state, t } = useConsole();
  if (!assignee) {
    return (
      <span class="assignee-chip unassigned" data-testid={testid} data-assigned="false">
        <span class="unassigned-dot" aria-hidden="true" />
        {t('row.unassigned')}
      </span>
    );
  }
  const me = assignee.id === state.session.me?.operator.id;
  return (
    <span class={`assignee-chip${me ? ' me' : ''}`} title={t('row.assignee', { name: assignee.display_name })} data-testid={testid} data-assigned="true">
      <Avatar name={assignee.display_name} size="xs" />
      <span class="assignee-name">{assignee.display_name}</span>
    </span>
  );
}
