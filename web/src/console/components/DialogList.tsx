/** The left column: status switch and the dialogs, newest activity first, kept live. */
import { useNow } from '../../shared/store';
import { problemText, useConsole } from '../context';
import { DialogRow } from './DialogRow';
import { StatusSwitch } from './StatusSwitch';

export function DialogList() {
  const { state, t, lang } = useConsole();
  const now = useNow(30_000);
  const dialogs = state.visible();
  const empty = state.filter === 'open' ? t('list.empty_open') : state.filter === 'closed' ? t('list.empty_closed') : t('list.empty_all');

  return (
    <nav class="dialog-list" aria-label={t('list.title')} data-testid="dialog-list">
      <div class="dialog-list-head">
        <h2>{t('list.title')}</h2>
        <StatusSwitch />
      </div>
      <div class="dialog-list-body">
        {dialogs.length === 0 && state.listLoading && <p class="list-note">{t('list.loading')}</p>}
        {dialogs.length === 0 && !state.listLoading && !state.listProblem && (
          <p class="list-note" data-testid="dialog-list-empty">
            {empty}
          </p>
        )}
        {state.listProblem && (
          <p class="list-note list-error" role="alert">
            {problemText(t, lang, state.listProblem)}{' '}
            <button type="button" class="link" onClick={() => void state.loadList()}>
              {t('app.retry')}
            </button>
          </p>
        )}
        <ul>
          {dialogs.map((d) => (
            <DialogRow key={d.id} dialog={d} now={now} />
          ))}
        </ul>
        {state.nextCursor && (
          <button type="button" class="btn btn-ghost btn-block" disabled={state.listLoading} onClick={() => void state.loadList(true)}>
            {t('list.load_more')}
          </button>
        )}
      </div>
    </nav>
  );
}
