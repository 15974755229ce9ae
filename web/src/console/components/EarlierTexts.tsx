/**
 * An edited message's mark and its earlier texts: "edited" beside its time (a button; its
 * title says when), which shows or hides the earlier texts under the message, muted, each
 * with the time it was written. A load that failed says so in their place.
 */
import type { MessageView } from '../../shared/api-types';
import { formatClock, formatDay } from '../../shared/time';
import { useConsole } from '../context';
import { earlierTexts } from '../edits';

const listId = (m: MessageView) => `earlier-${m.id}`;

/** "edited": shows or hides the earlier texts. Nothing for a message never edited. */
export function EditedMark({ message }: { message: MessageView }) {
  const { state, t, lang } = useConsole('dialog');
  if (!message.edited_at) return null;
  const open = !!state.dialog.edits.get(message.id)?.open;
  return (
    <button
      type="button"
      class="msg-edited"
      title={t('message.edited_title', { day: formatDay(message.edited_at, lang), time: formatClock(message.edited_at, lang) })}
      aria-expanded={open}
      aria-controls={open ? listId(message) : undefined}
      onClick={() => state.toggleEdits(message)}
      data-testid="message-edited"
    >
      {t('message.edited')}
    </button>
  );
}

/** The earlier texts under the message, once the operator opened them. */
export function EarlierTexts({ message }: { message: MessageView }) {
  const { state, t, lang } = useConsole('dialog');
  const loaded = state.dialog.edits.get(message.id);
  if (!message.edited_at || !loaded?.open) return null;
  if (loaded.problem) {
    return (
      <p class="earlier-texts earlier-texts-error" id={listId(message)} role="alert" data-testid="message-edits-error">
        {t('message.edits_failed')}{' '}
        <button type="button" class="link" onClick={() => void state.loadEdits(message)} data-testid="message-edits-retry">
          {t('app.retry')}
        </button>
      </p>
    );
  }
  if (!loaded.items) {
    return (
      <p class="earlier-texts" id={listId(message)} data-testid="message-edits-loading">
        {t('message.edits_loading')}
      </p>
    );
  }
  const items = earlierTexts(message, loaded.items);
  if (items.length === 0) {
    return (
      <p class="earlier-texts" id={listId(message)} data-testid="message-edits-none">
        {t('message.edits_none')}
      </p>
    );
  }
  return (
    <ol class="earlier-texts" id={listId(message)} aria-label={t('message.edits_label')} aria-busy={loaded.loading} data-testid="message-edits">
      {items.map((e) => (
        <li key={e.version} class="earlier-text" data-testid="message-edit" data-version={e.version}>
          <time class="earlier-text-when" dateTime={e.written_at} title={formatDay(e.written_at, lang)}>
            {t('message.edit_before', { time: formatClock(e.written_at, lang) })}
          </time>{' '}
          <span class="earlier-text-body" data-testid="message-edit-body">
            {e.body}
          </span>
        </li>
      ))}
    </ol>
  );
}
