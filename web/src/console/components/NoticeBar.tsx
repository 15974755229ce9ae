/** A refusal not tied to one message (closing, presence, a socket error), under the header. */
import { problemText, useConsole } from '../context';

export function NoticeBar() {
  const { state, t, lang } = useConsole();
  if (!state.notice) return null;
  return (
    <div class="notice" role="alert" data-testid="dialog-notice" data-code={state.notice.code}>
      <span>{problemText(t, lang, state.notice)}</span>
      <button type="button" class="link" onClick={() => state.dismissNotice()}>
        {t('notice.dismiss')}
      </button>
    </div>
  );
}
