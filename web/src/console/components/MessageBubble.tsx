/**
 * One message in the timeline (its files, an internal note in yellow with its label, "Read"
 * under the operator's message the visitor has read, "edited" beside the time of a message its
 * author edited, with its earlier texts on a click, "Original mail" beside the time of a
 * visitor's message made of a mail), and an operator's own message waiting for its ack.
 */
import { oneOf, type AutomaticKind, type MessageView } from '../../shared/api-types';
import { type PendingMessage, canRetry } from '../../shared/messages';
import { visitorName } from '../../shared/names';
import { RichText } from '../../shared/RichText';
import { formatClock } from '../../shared/time';
import { problemText, useConsole } from '../context';
import { sizeText } from '../files';
import { isNote } from '../tools';
import { AttachmentList } from './AttachmentList';
import { EarlierTexts, EditedMark } from './EarlierTexts';
import { SystemLine } from './SystemLine';

const AUTOMATIC_KINDS: readonly AutomaticKind[] = ['greeting', 'prompt', 'proactive'];

/** Whether a message is a visitor's mail (the mail channel gives it a `client_id` starting with `mail-`). */
export function isFromMail(message: MessageView): boolean {
  return message.author.kind === 'visitor' && message.client_id.startsWith('mail-');
}

/** The mail a message was made of, as it came (plain text, headers and all). */
export const originalMailUrl = (message: MessageView) =>
  `/api/v1/dialogs/${encodeURIComponent(message.dialog_id)}/messages/${encodeURIComponent(message.id)}/mail`;

/**
 * "Original mail": opens the mail in a new tab. The console's requests carry the session
 * cookie, so a plain link is enough; the browser shows the text as it is.
 */
function OriginalMailLink({ message }: { message: MessageView }) {
  const { t } = useConsole();
  if (!isFromMail(message)) return null;
  return (
    <a
      class="msg-mail"
      href={originalMailUrl(message)}
      target="_blank"
      rel="noopener noreferrer"
      title={t('message.original_mail_title')}
      data-testid="message-original-mail"
    >
      {t('message.original_mail')}
    </a>
  );
}

function NoteLabel() {
  const { t } = useConsole();
  return (
    <span class="note-label" data-testid="note-label">
      <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
        <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5zm1.5 0h4V5a2 2 0 0 0-4 0v2z" fill="currentColor" />
      </svg>
      {t('message.note')} <span class="note-label-hint">· {t('message.note_hint')}</span>
    </span>
  );
}

export function MessageBubble({ message, first, read = false }: { message: MessageView; first: boolean; read?: boolean }) {
  const { state, t, lang } = useConsole('lists');
  const kind = message.author.kind;
  if (kind === 'system') return <SystemLine message={message} />;
  const fromVisitor = kind === 'visitor';
  const note = isNote(message);
  const dialog = state.lists.dialogs.get(message.dialog_id);
  const mine = !fromVisitor && message.author.id === state.session.me?.operator.id;
  const name = fromVisitor
    ? message.author.name?.trim() || visitorName(dialog?.visitor, t('visitor.numbered'))
    : message.author.name || t('author.operator');
  // A kind this console has no words for is shown like a person's line.
  const automatic = oneOf(message.automatic, AUTOMATIC_KINDS);
  const showHead = first || note || automatic !== null;
  return (
    <div
      class={`msg ${fromVisitor ? 'msg-visitor' : 'msg-operator'}${mine ? ' msg-mine' : ''}${note ? ' msg-note' : ''}${showHead ? ' msg-first' : ''}`}
      data-testid="message"
      data-author={kind}
      data-audience={message.audience}
      data-note={note}
      data-state="sent"
      data-seq={message.seq}
    >
      {showHead && (
        <div class="msg-head">
          {note && <NoteLabel />}
          <span class="msg-author" data-testid="message-author">
            {name}
          </span>
          {automatic && (
            <span class="msg-auto" data-testid="message-automatic" title={t('message.automatic_hint')}>
              {t(`message.automatic_${automatic}`)}
            </span>
          )}
          <time dateTime={message.created_at}>{formatClock(message.created_at, lang)}</time>
          <EditedMark message={message} />
          <OriginalMailLink message={message} />
        </div>
      )}
      {message.body && (
        <div class="bubble" data-testid="message-body" title={showHead ? undefined : formatClock(message.created_at, lang)}>
          <RichText text={message.body} />
        </div>
      )}
      {!showHead && (message.edited_at || isFromMail(message)) && (
        // No head over this message: its time shows here, beside the marks.
        <div class="msg-status msg-edited-line">
          <time dateTime={message.created_at}>{formatClock(message.created_at, lang)}</time>
          <EditedMark message={message} />
          <OriginalMailLink message={message} />
        </div>
      )}
      <EarlierTexts message={message} />
      <AttachmentList items={message.attachments} />
      {read && (
        <div class="msg-status msg-read" data-testid="read-mark">
          ✓✓ {t('message.read')}
        </div>
      )}
    </div>
  );
}

export function PendingBubble({ dialogId, pending }: { dialogId: string; pending: PendingMessage }) {
  const { state, t, lang } = useConsole();
  const failed = pending.state === 'failed';
  const note = !!pending.internal;
  return (
    <div
      class={`msg msg-operator msg-mine msg-pending${note ? ' msg-note msg-first' : ''}${failed ? ' msg-failed' : ''}`}
      data-testid="message"
      data-author="operator"
      data-note={note}
      data-state={pending.state}
    >
      {note && (
        <div class="msg-head">
          <NoteLabel />
        </div>
      )}
      {pending.body && (
        <div class="bubble" data-testid="message-body">
          <RichText text={pending.body} />
        </div>
      )}
      {pending.attachments?.length ? (
        <ul class="pending-files">
          {pending.attachments.map((a) => (
            <li key={a.id}>
              📎 {a.name} · {sizeText(t, lang, a.size)}
            </li>
          ))}
        </ul>
      ) : null}
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
