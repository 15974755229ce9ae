/**
 * "First reply overdue — dialog #N": a note per SLA breach the server reported (`sla.breached`
 * goes only to supervisors, admins and the assignee), bottom right, with a link to the dialog.
 */
import { visitorName } from '../../shared/names';
import { useConsole } from '../context';
import { slaAlertKey } from '../sla';
import { snoozeTime } from '../snooze';

export function SlaToasts() {
  const { state, t, lang } = useConsole();
  if (state.slaAlerts.length === 0) return null;
  return (
    <div class="toast-group" data-testid="sla-toasts">
      {state.slaAlerts.map((a) => {
        const key = slaAlertKey(a);
        const title =
          a.target === 'first_reply'
            ? t('slaalert.first_reply', { n: a.dialog.number })
            : a.target === 'next_reply'
              ? t('slaalert.next_reply', { n: a.dialog.number })
              : t('slaalert.resolution', { n: a.dialog.number });
        return (
          <div key={key} class="toast toast-sla" role="status" data-testid="sla-toast" data-dialog-id={a.dialog.id} data-target={a.target}>
            <div class="toast-text">
              <strong>
                <span class="alert-mark" role="img" aria-label={t('slaalert.mark')} title={t('slaalert.mark')}>
                  !
                </span>
                {title}
              </strong>
              <span class="toast-body">
                {visitorName(a.dialog.visitor, t('visitor.numbered'))}
                {a.dialog.last_message?.preview ? `: ${a.dialog.last_message.preview}` : ''}
              </span>
              <span class="muted">{t('slaalert.due', { time: snoozeTime(a.due_at, lang) })}</span>
            </div>
            <div class="toast-actions">
              <a
                href={`/console/dialogs/${encodeURIComponent(a.dialog.id)}`}
                class="link"
                onClick={(e) => {
                  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                  e.preventDefault();
                  state.dismissSlaAlert(key);
                  void state.open(a.dialog.id);
                }}
                data-testid="sla-toast-open"
              >
                {t('slaalert.open')}
              </a>
              <button type="button" class="link" onClick={() => state.dismissSlaAlert(key)} data-testid="sla-toast-dismiss">
                {t('notice.dismiss')}
              </button>
            </div>
          </div>
        );
      })}
    </div>
  );
}
