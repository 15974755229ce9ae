/**
 * "You were mentioned in dialog #N": a note per mention, one line in the strip under the top
 * bar, with a link to the dialog; it goes by itself after a few seconds in sight (Toast).
 */
import { visitorName } from '../../shared/names';
import { useConsole } from '../context';
import { Toast } from './Toast';

/** At most this many mention notes show at once (the newest). */
const SHOWN = 2;

export function MentionToasts() {
  const { state, t } = useConsole('alerts');
  if (state.alerts.mentions.length === 0) return null;
  return (
    <div class="toast-group" data-testid="mention-toasts">
      {state.alerts.mentions.slice(-SHOWN).map(({ dialog, message }) => (
        <Toast
          key={message.id}
          kind="mention"
          testid="mention-toast"
          dismissTestid="mention-toast-dismiss"
          dialogId={dialog.id}
          onDismiss={() => state.dismissMention(message.id)}
        >
          <span class="toast-text">
            <strong>{t('mention.title', { n: dialog.number })}</strong>
            <span class="toast-body" title={message.body}>
              {message.author.name ? `${message.author.name}: ` : ''}
              {message.body}
            </span>
            <span class="toast-when">{visitorName(dialog.visitor, t('visitor.numbered'))}</span>
          </span>
          <a
            href={`/console/dialogs/${encodeURIComponent(dialog.id)}`}
            class="link toast-open"
            onClick={(e) => {
              if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              state.dismissMention(message.id);
              void state.open(dialog.id);
            }}
            data-testid="mention-open"
          >
            {t('mention.open')}
          </a>
        </Toast>
      ))}
    </div>
  );
}
