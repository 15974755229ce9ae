/** The red mark of a dialog that has waited in the queue longer than its channel allows. */
import { useConsole } from '../context';

export function WaitingAlertMark() {
  const { t } = useConsole();
  return (
    <span class="alert-mark" role="img" aria-label={t('row.waiting_alert')} title={t('row.waiting_alert')} data-testid="waiting-alert">
      !
    </span>
  );
}
