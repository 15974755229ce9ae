/**
 * One message: the visitor's own on the right, the operator's on the left with a name; its
 * files under the text, and "read" under the visitor's last message the operators have read.
 * A system line is a centred remark, a notice (the form's answer), or a form's card.
 */
import type { MessageView } from '../../shared/api-types';
import { type PendingMessage, canRetry } from '../../shared/messages';
import type { ProactiveMessage } from '../chat';
import { RichText } from '../../shared/RichText';
import { formatClock } from '../../shared/time';
import { problemText, useChatEnv } from '../context';
import { formSentOf } from '../forms';
import { isNotice, systemText } from '../system-line';
import { Attachments, PendingFiles } from './Attachments';
import { FormCard } from './FormCard';

export function MessageBubble({ message, first, last, read = false }: { message: MessageView; first: boolean; last: boolean; read?: boolean }) {
  const { t, lang } = useChatEnv();
  const kind = message.author.kind;
  if (kind === 'system') {
    // A form an operator sent: the card to fill (or, once sent, what he filled in).
    const form = formSentOf(message);
    if (form) return <FormCard message={message} sent={form} />;
    const text = systemText(message, t);
    if (!text) return null;
    return (
      <div
        class={`system-line${isNotice(message) ? ' system-notice' : ''}`}
        data-testid="system-line"
        data-author="system"
        data-event={message.event?.kind ?? ''}
        data-seq={message.seq}
      >
        {text}
      </div>
    );
  }
  const mine = kind === 'visitor';
  const name = mine ? t('author.you') : message.author.name || t('author.operator');
  return (
    <div
      class={`msg ${mine ? 'msg-mine' : 'msg-theirs'}${first ? ' msg-first' : ''}`}
      data-testid="message"
      data-author={kind}
      data-state="sent"
      data-seq={message.seq}
    >
      {first && !mine && (
        <div class="msg-author" data-testid="message-author">
          {name}
        </div>
      )}
      {message.body && (
        <div class="bubble" data-testid="message-body" title={last ? undefined : formatClock(message.created_at, lang)}>
          <RichText text={message.body} />
        </div>
      )}
      <Attachments files={message.attachments ?? []} />
      {(last || read) && (
        <div class="msg-meta">
          {last && <time dateTime={message.created_at}>{formatClock(message.created_at, lang)}</time>}
          {last && read && ' · '}
          {read && (
            <span class="read-mark" data-testid="read-mark">
              {t('message.read')}
            </span>
          )}
        </div>
      )}
    </div>
  );
}

export function PendingBubble({ pending }: { pending: PendingMessage }) {
  const { chat, t, lang } = useChatEnv();
  const failed = pending.state === 'failed';
  return (
    <div class={`msg msg-mine msg-pending${failed ? ' msg-failed' : ''}`} data-testid="message" data-author="visitor" data-state={pending.state}>
      {pending.body && (
        <div class="bubble" data-testid="message-body">
          <RichText text={pending.body} />
        </div>
      )}
      <PendingFiles files={chat.filesOf(pending.client_id)} />
      {failed ? (
        <div class="msg-meta msg-error" role="alert" data-testid="message-error">
          <span>
            {t('message.failed')}: {pending.error ? problemText(t, lang, pending.error) : ''}
          </span>
          <span class="msg-actions">
            {canRetry(pending.error) && (
              <button type="button" class="link" data-testid="message-retry" onClick={() => chat.retry(pending.client_id)}>
                {t('message.retry')}
              </button>
            )}
            <button
              type="button"
              class="link"
              data-testid="message-edit"
              onClick={() => dispatchEvent(new CustomEvent('frontline:edit', { detail: chat.takeBack(pending.client_id) }))}
            >
              {t('message.edit')}
            </button>
            <button type="button" class="link" data-testid="message-discard" onClick={() => chat.discard(pending.client_id)}>
              {t('message.discard')}
            </button>
          </span>
        </div>
      ) : (
        <div class="msg-meta">{t('message.sending')}</div>
      )}
    </div>
  );
}

/**
 * A proactive message before the server has it (he has not answered yet): drawn like an
 * operator's, with the persona's name.
 */
export function ProactiveBubble({ proactive }: { proactive: ProactiveMessage }) {
  const { t, lang } = useChatEnv();
  const { trigger, shown_at } = proactive;
  return (
    <div class="msg msg-theirs msg-first msg-proactive" data-testid="message" data-author="operator" data-state="local" data-trigger={trigger.id}>
      <div class="msg-author" data-testid="message-author">
        {trigger.persona || t('proactive.persona')}
      </div>
      <div class="bubble" data-testid="message-body">
        <RichText text={trigger.message} />
      </div>
      <div class="msg-meta">
        <time dateTime={shown_at}>{formatClock(shown_at, lang)}</time>
      </div>
    </div>
  );
}
