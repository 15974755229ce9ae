/**
 * A thin line above the composer: when the dialog closes by itself (or asks its prompt) if the
 * visitor stays silent, the hold phrase that kept it open longer, or that it will not close
 * while the visitor waits for a reply.
 */
import type { DialogView } from '../../shared/api-types';
import { autoCloseNote, autoCloseText } from '../auto-close';
import { useConsole } from '../context';

export function AutoCloseLine({ dialog }: { dialog: DialogView }) {
  const { t, lang } = useConsole();
  const note = autoCloseNote(dialog);
  if (!note) return null;
  return (
    <div class={`auto-close-line auto-close-${note.kind}`} data-testid="auto-close-line" data-kind={note.kind}>
      <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5" />
        <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
      </svg>
      <span>{autoCloseText(note, t, lang)}</span>
    </div>
  );
}
