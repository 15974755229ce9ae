/**
 * The whole chat window: header, who-am-I bar, messages, composer; or loading / failure.
 * In offline mode without an open dialog the contact form takes the composer's place (and the
 * who-am-I bar's: it asks the name itself); when nobody answers but there is no form, a note
 * says so above the composer.
 */
import { useObservable, useSettledFlag } from '../../shared/store';
import { problemText, useChatEnv } from '../context';
import { AvailabilityNote } from './AvailabilityNote';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { OfflineForm } from './OfflineForm';
import { VisitorBar } from './VisitorBar';

export function ChatWindow() {
  const { chat, t, lang } = useChatEnv();
  useObservable(chat);
  const offline = useSettledFlag(chat.phase === 'ready' && chat.connection !== 'open');
  const form = chat.offlineForm();
  // Nothing to show above the form: it takes the whole window.
  const alone = form && chat.conversation.threads().length === 0 && chat.conversation.outbox.size === 0 && !chat.proactive;

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
          {/* A blocked visitor is refused every time: nothing to try again (the page hides the widget anyway). */}
          {!chat.blocked && (
            <button type="button" class="btn" onClick={() => void chat.start()}>
              {t('chat.retry')}
            </button>
          )}
        </div>
      )}
      {chat.phase === 'ready' && (
        <>
          {!form && <VisitorBar />}
          {!alone && <MessageList />}
          {form && <OfflineForm alone={alone} />}
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
          {!form && <AvailabilityNote />}
          {!form && <Composer />}
        </>
      )}
    </div>
  );
}
