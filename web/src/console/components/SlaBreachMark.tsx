/**
 * The mark of an open dialog whose resolution target has passed (`sla.resolution_breached`):
 * a red "!" on its list row, words in its header. A late reply shows as the red "overdue"
 * countdown (SlaCountdown); this mark keeps the other breach in sight once its note has gone.
 */
import type { DialogView } from '../../shared/api-types';
import { useConsole } from '../context';

export function SlaBreachMark({ dialog, variant }: { dialog: Pick<DialogView, 'status' | 'sla'>; variant: 'row' | 'header' }) {
  const { t } = useConsole();
  if (dialog.status !== 'open' || !dialog.sla?.resolution_breached) return null;
  const words = t('sla.resolution_breached');
  if (variant === 'row') {
    return (
      <span class="alert-mark sla-breach-mark" role="img" aria-label={words} title={words} data-testid="dialog-row-breach">
        !
      </span>
    );
  }
  return (
    <span class="sla-countdown sla-header overdue" title={words} data-testid="dialog-breach">
      <span aria-hidden="true">!</span> {words}
    </span>
  );
}
