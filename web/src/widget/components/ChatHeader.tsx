/** The coloured top of the chat: the site's name and a button to fold the panel. */
import { useChatEnv } from '../context';

export function ChatHeader() {
  const { chat, t, close, embedded } = useChatEnv();
  return (
    <header class="chat-header">
      <div class="chat-heading">
        <h1 data-testid="chat-title">{chat.siteName || t('chat.title_fallback')}</h1>
        <p data-testid="chat-subtitle">{chat.availability && !chat.availability.online ? t('chat.subtitle_away') : t('chat.subtitle')}</p>
      </div>
      {embedded && (
        <button type="button" class="icon-btn" onClick={close} aria-label={t('chat.close')} title={t('chat.close')} data-testid="chat-close">
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
        </button>
      )}
    </header>
  );
}
