/**
 * The right side: the operator's dialog tabs, then the open dialog (header, timeline, who is
 * typing, when it closes by itself, composer) with the visitor card beside it, or a hint to
 * pick one.
 */
import { visitorName } from '../../shared/names';
import { problemText, useConsole } from '../context';
import { ActiveTabs } from './ActiveTabs';
import { AutoCloseLine } from './AutoCloseLine';
import { Composer } from './Composer';
import { DialogHeader } from './DialogHeader';
import { DialogTimeline } from './DialogTimeline';
import { TypingLine } from './TypingLine';
import { VisitorCard } from './VisitorCard';

export function DialogPane() {
  const { state, t, lang } = useConsole('lists', 'dialog');
  const id = state.dialog.selectedId;
  if (!id) {
    return (
      <main class="dialog-pane" data-testid="dialog-none">
        <ActiveTabs />
        <div class="dialog-pane-empty">
          <div class="empty-hint">
            <svg viewBox="0 0 24 24" width="44" height="44" aria-hidden="true">
              <path
                fill="currentColor"
                d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2zm2 4v2h12V8H6zm0 4v2h8v-2H6z"
                opacity=".35"
              />
            </svg>
            <h2>{t('dialog.select')}</h2>
            <p>{t('dialog.select_hint')}</p>
          </div>
        </div>
      </main>
    );
  }
  const dialog = state.lists.dialogs.get(id) ?? null;
  const entry = state.dialog.loaded.get(id);
  return (
    <main class="dialog-pane" data-testid="dialog-view" data-dialog-id={id}>
      <ActiveTabs />
      <div class="dialog-body">
      <div class="dialog-main">
      {dialog && <DialogHeader dialog={dialog} name={visitorName(dialog.visitor, t('visitor.numbered'))} />}
      {entry?.problem && !entry.loading ? (
        <div class="pane-note" role="alert">
          {problemText(t, lang, entry.problem)}{' '}
          <button type="button" class="link" onClick={() => void state.open(id, false)}>
            {t('app.retry')}
          </button>
        </div>
      ) : (
        <DialogTimeline dialogId={id} />
      )}
      <TypingLine dialogId={id} />
      {dialog && <AutoCloseLine dialog={dialog} />}
      {dialog &&
        (dialog.status === 'closed' ? (
          <div class="closed-bar" data-testid="dialog-closed-note">
            {dialog.close_reason === 'auto' ? t('dialog.closed_auto') : t('dialog.closed_note')}
          </div>
        ) : (
          <Composer dialogId={id} />
        ))}
      </div>
      {dialog && state.dialog.cardShown && <VisitorCard dialog={dialog} />}
      </div>
    </main>
  );
}
