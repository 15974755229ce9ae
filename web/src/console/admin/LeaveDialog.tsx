/**
 * The question before unsaved edits would be lost (admin/unsaved.ts): stay on the page, or
 * leave without saving. Escape and a click beside it mean "stay".
 */
import { useConsole } from '../context';
import { ModalShell } from './ModalShell';

export function LeaveDialog() {
  const { state, t } = useConsole('team');
  const unsaved = state.team.unsaved;
  if (!unsaved.pending) return null;
  return (
    <ModalShell title={t('unsaved.title')} testid="leave-dialog" onClose={() => unsaved.stay()}>
      <p class="modal-text">{t('unsaved.text')}</p>
      <div class="form-actions">
        <button type="button" class="btn btn-danger" onClick={() => unsaved.leave()} data-testid="leave-discard">
          {t('unsaved.leave')}
        </button>
        <button type="button" class="btn btn-primary" onClick={() => unsaved.stay()} data-autofocus data-testid="leave-stay">
          {t('unsaved.stay')}
        </button>
      </div>
    </ModalShell>
  );
}
