/** Above the timeline: the visitor, dialog number and status, the close button. */
import type { DialogView } from '../../shared/api-types';
import { formatDay } from '../../shared/time';
import { useConsole } from '../context';
import { Avatar } from './Avatar';

export function DialogHeader({ dialog, name }: { dialog: DialogView; name: string }) {
  const { state, t, lang } = useConsole();
  const closing = state.closing.has(dialog.id);
  return (
    <div class="dialog-header">
      <button type="button" class="btn btn-ghost back-btn" onClick={() => void state.open(null)} aria-label={t('dialog.back')}>
        ←
      </button>
      <Avatar name={name} size="lg" />
      <div class="dialog-header-text">
        <h2 data-testid="dialog-title">{name}</h2>
        <div class="dialog-header-meta">
          <span>{t('dialog.number', { n: dialog.number })}</span>
          <span class="meta-date" aria-hidden="true">
            ·
          </span>
          <span class="meta-date">{formatDay(dialog.created_at, lang)}</span>
          <span class={`status-chip status-${dialog.status}`} data-testid="dialog-status" data-status={dialog.status}>
            {dialog.status === 'open' ? t('dialog.status_open') : t('dialog.status_closed')}
          </span>
        </div>
      </div>
      {dialog.status === 'open' && (
        <button type="button" class="btn btn-secondary" disabled={closing} onClick={() => void state.closeDialog(dialog.id)} data-testid="close-dialog">
          {closing ? t('dialog.closing') : t('dialog.close')}
        </button>
      )}
    </div>
  );
}
