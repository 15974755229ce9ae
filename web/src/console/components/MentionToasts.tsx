/** "You were mentioned in dialog #N": a note per mention, bottom right, with a link to the dialog. */
import { visitorName } from '../../shared/names';
import { useConsole } from '../context';

export function MentionToasts() {
  const { state, t } = useConsole();
  if (state.mentions.length === 0) return null;
  return (
    <div class="toast-group" data-testid="mention-toasts">
      {state.mentions.map(({ dialog, message }) => (
        <div key={message.id} class="toast" role="status" data-testid="mention-toast" data-dialog-id={dialog.id}>
          <div class="toast-text">
            <strong>{t('mention.title', { n: dialog.number })}</strong>
            <span class="toast-body">
              {message.author.name ? `${message.author.name}: ` : ''}
              {message.body}
            </span>
            <span class="muted">{visitorName(dialog.visitor, t('visitor.numbered'))}</span>
          </div>
          <div class="toast-actions">
            <a
              href={`/console/dialogs/${encodeURIComponent(dialog.id)}`}
              class="link"
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
            <button type="button" class="link" onClick={() => state.dismissMention(message.id)}>
              {t('notice.dismiss')}
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
