/**
 * Asks before deactivating an operator and says what happens: his consoles are signed out at
 * once, his open dialogs go as each channel's offline policy says, his history stays.
 */
import { useState } from 'preact/hooks';
import type { OperatorView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { ModalPerson, ModalShell } from './ModalShell';
import { useAdmin } from './use-admin';

export function DeactivateDialog({ operator: o, onClose }: { operator: OperatorView; onClose: (refused: Problem | null) => void }) {
  const { admin, t } = useAdmin();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    const refused = await admin.deactivate(o.id);
    setBusy(false);
    onClose(refused);
  };
  return (
    <ModalShell title={t('operators.deactivate_title')} testid="deactivate-dialog" onClose={() => onClose(null)}>
      <ModalPerson name={o.display_name} email={o.email} />
      <ul class="modal-effects">
        <li>{t('operators.deactivate_signout')}</li>
        <li>{t('operators.deactivate_dialogs')}</li>
        <li>{t('operators.deactivate_history')}</li>
      </ul>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => onClose(null)} data-autofocus>
          {t('operators.cancel')}
        </button>
        <button type="button" class="btn btn-danger" disabled={busy} onClick={() => void confirm()} data-testid="deactivate-confirm">
          {busy ? t('operators.deactivating') : t('operators.deactivate_confirm')}
        </button>
      </div>
    </ModalShell>
  );
}
