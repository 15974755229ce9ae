/** The whole chat window: header, who-am-I bar, messages, composer; or loading / failure. */
import { useObservable, useSettledFlag } from '../../shared/store';
import { problemText, useChatEnv } from '../context';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { VisitorBar } from './VisitorBar';

export function ChatWindow() {
  const { chat, t, lang } = useChatEnv();
  useObservable(chat);
  const offline = useSettledFlag(chat.phase === 'ready' && chat.connection !== 'open');

  return (
    <div class="chat" data-testid="chat-window" data-phase={chat.phase}>
      <ChatHeader />
      {chat.phase === 'loading' && (
        <div class="chat-state" data-testid="chat-loading">
          <span class="spinner" aria-hidden="true" />
          {t('chat.loading')}
        </div>
      )}
      {chat.phase === 'failed' && (
        <div class="chat-state" data-testid="chat-failed" role="alert">
          <strong>{t('chat.unavailable')}</strong>
          {chat.failure && <span>{problemText(t, lang, chat.failure)}</span>}
          <button type="button" class="btn" onClick={() => void chat.start()}>
            {t('chat.retry')}
          </button>
        </div>
      )}
      {chat.phase === 'ready' && (
        <>
          <VisitorBar />
          <MessageList />
          {offline && (
            <div class="banner" role="status" data-testid="chat-offline">
              {t('chat.offline')}
            </div>
          )}
          {chat.notice && (
            <div class="banner banner-error" role="alert" data-testid="chat-notice">
              <span>{problemText(t, lang, chat.notice)}</span>
              <button type="button" class="link" onClick={() => chat.dismissNotice()} aria-label={t('visitor.cancel')}>
                ×
              </button>
            </div>
          )}
          <Composer />
        </>
      )}
    </div>
  );
}
