/**
 * A line under the header: a refusal not tied to one message (closing, presence, a socket
 * error) in the alert style until dismissed, or news of something done (a handover) in a calm
 * style that goes away by itself.
 */
import { useEffect } from 'preact/hooks';
import { problemText, useConsole } from '../context';

/** Notices that report a success, not a problem. */
const SUCCESS = new Set(['handed_over']);
const SUCCESS_MS = 6000;

export function NoticeBar() {
  const { state, t, lang } = useConsole('alerts');
  const notice = state.alerts.notice;
  const success = notice !== null && SUCCESS.has(notice.code);
  useEffect(() => {
    if (!success || !notice) return;
    const timer = setTimeout(() => {
      if (state.alerts.notice === notice) state.dismissNotice();
    }, SUCCESS_MS);
    return () => clearTimeout(timer);
  }, [notice, success, state]);
  if (!notice) return null;
  const text =
    notice.code === 'handed_over'
      ? t('notice.handed_over', { number: String(notice.details.number ?? ''), to: String(notice.details.to ?? '') })
      : problemText(t, lang, notice);
  return (
    <div
      class={success ? 'notice notice-success' : 'notice'}
      role={success ? 'status' : 'alert'}
      data-testid="dialog-notice"
      data-code={notice.code}
    >
      <span>{text}</span>
      <button type="button" class="link" onClick={() => state.dismissNotice()}>
        {t('notice.dismiss')}
      </button>
    </div>
  );
}
