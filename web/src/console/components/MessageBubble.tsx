/** One message in the timeline, and an operator's own message waiting for its ack. */
import type { MessageView } from '../../shared/api-types';
import { type PendingMessage, canRetry } from '../../shared/messages';
import { visitorName } from '../../shared/names';
import { RichText } from '../../shared/RichText';
import { formatClock } from '../../shared/time';
import { problemText, useConsole } from '../context';
import { SystemLine } from './SystemLine';

export function MessageBubble({ message, first }: { message: MessageView; first: boolean }) {
  const { state, t, lang } = useConsole();
  const kind = message.author.kind;
  if (kind === 'system') return <SystemLine message={message} />;
  const fromVisitor = kind === 'visitor';
  const dialog = state.dialogs.get(message.dialog_id);
  const mine = !fromVisitor && message.author.id === state.me?.operator.id;
  const name = fromVisitor
    ? message.author.name?.trim() || visitorName(dialog?.visitor, t('visitor.numbered'))
    : message.author.name || t('author.operator');
  return (
    <div
      class={`msg ${fromVisitor ? 'msg-visitor' : 'msg-operator'}${mine ? ' msg-mine' : ''}${first ? ' msg-first' : ''}`}
      data-testid="message"
      data-author={kind}
      data-state="sent"
      data-seq={message.seq}
    >
      {first && (
        <div class="msg-head">
          <span class="msg-author" data-testid="message-author">
            {name}
          </span>
          <time dateTime={message.created_at}>{formatClock(message.created_at, lang)}</time>
        </div>
      )}
      <div class="bubble" data-testid="message-body" title={first ? undefined : formatClock(message.created_at, lang)}>
        <RichText text={message.body} />
      </div>
    </div>
  );
}

export function PendingBubble({ dialogId, pending }: { dialogId: string; pending: PendingMessage }) {
  const { state, t, lang } = useConsole();
  const failed = pending.state === 'failed';
  return (
    <div class={`msg msg-operator msg-mine msg-pending${failed ? ' msg-failed' : ''}`} data-testid="message" data-author="operator" data-state={pending.state}>
      <div class="bubble" data-testid="message-body">
        <RichText text={pending.body} />
      </div>
      {failed ? (
        <div class="msg-status msg-error" role="alert" data-testid="message-error">
          <span>
            {t('message.failed')}: {pending.error ? problemText(t, lang, pending.error) : ''}
          </span>
          {canRetry(pending.error) && (
            <button type="button" class="link" onClick={() => state.retry(dialogId, pending.client_id)} data-testid="message-retry">
              {t('message.retry')}
            </button>
          )}
          <button
            type="button"
            class="link"
            data-testid="message-edit"
            onClick={() => {
              state.discard(dialogId, pending.client_id);
              dispatchEvent(new CustomEvent('frontline:edit', { detail: { dialogId, body: pending.body } }));
            }}
          >
            {t('message.edit')}
          </button>
          <button type="button" class="link" data-testid="message-discard" onClick={() => state.discard(dialogId, pending.client_id)}>
            {t('message.discard')}
          </button>
        </div>
      ) : (
        <div class="msg-status">{t('message.sending')}</div>
      )}
    </div>
  );
}
