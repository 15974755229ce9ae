/**
 * "First reply overdue — dialog #N": a note per SLA breach the server reported (`sla.breached`
 * goes only to supervisors, admins and the assignee), one line in the strip under the top bar,
 * with a link to the dialog. It goes by itself after a few seconds in sight (Toast); the breach
 * itself stays on the dialog's row and in its header (SlaCountdown, SlaBreachMark).
 */
import { visitorName } from '../../shared/names';
import { useConsole } from '../context';
import { slaAlertKey } from '../sla';
import { snoozeTime } from '../snooze';
import { Toast } from './Toast';

/** At most this many breach notes show at once (the newest); older ones wait their turn. */
const SHOWN = 3;

export function SlaToasts() {
  const { state, t, lang } = useConsole('alerts');
  if (state.alerts.slaAlerts.length === 0) return null;
  return (
    <div class="toast-group" data-testid="sla-toasts">
      {state.alerts.slaAlerts.slice(-SHOWN).map((a) => {
        const key = slaAlertKey(a);
        const body = `${visitorName(a.dialog.visitor, t('visitor.numbered'))}${a.dialog.last_message?.preview ? `: ${a.dialog.last_message.preview}` : ''}`;
        const title =
          a.target === 'first_reply'
            ? t('slaalert.first_reply', { n: a.dialog.number })
            : a.target === 'next_reply'
              ? t('slaalert.next_reply', { n: a.dialog.number })
              : t('slaalert.resolution', { n: a.dialog.number });
        return (
          <Toast
            key={key}
            kind="sla"
            testid="sla-toast"
            dismissTestid="sla-toast-dismiss"
            dialogId={a.dialog.id}
            target={a.target}
            onDismiss={() => state.dismissSlaAlert(key)}
          >
            <span class="alert-mark" role="img" aria-label={t('slaalert.mark')} title={t('slaalert.mark')}>
              !
            </span>
            <span class="toast-text">
              <strong>{title}</strong>
              <span class="toast-body" title={body}>
                {body}
              </span>
              <span class="toast-when">{t('slaalert.due', { time: snoozeTime(a.due_at, lang) })}</span>
            </span>
            <a
              href={`/console/dialogs/${encodeURIComponent(a.dialog.id)}`}
              class="link toast-open"
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
          </Toast>
        );
      })}
    </div>
  );
}
