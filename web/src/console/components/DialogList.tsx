/** The left column: the Dialogs / Queue tabs; under Dialogs the filters and the rows, kept live. */
import { useNow } from '../../shared/store';
import { problemText, useConsole } from '../context';
import { DEFAULT_FILTER } from '../filters';
import { DialogRow } from './DialogRow';
import { ListFilters } from './ListFilters';
import { ListTabs } from './ListTabs';
import { QueueList } from './QueueList';
import { StatusSwitch } from './StatusSwitch';

export function DialogList() {
  const { state, t } = useConsole();
  return (
    <nav class="dialog-list" aria-label={t('list.title')} data-testid="dialog-list">
      <div class="dialog-list-head">
        <ListTabs />
        {state.listTab === 'dialogs' && (
          <>
            <StatusSwitch />
            <ListFilters />
          </>
        )}
      </div>
      {state.listTab === 'dialogs' ? <DialogRows /> : <QueueList />}
    </nav>
  );
}

function DialogRows() {
  const { state, t, lang } = useConsole();
  const now = useNow(1000);
  const dialogs = state.visible();
  const f = state.filter;
  const onlyStatus = JSON.stringify({ ...f, status: DEFAULT_FILTER.status }) === JSON.stringify(DEFAULT_FILTER);
  const empty = !onlyStatus
    ? t('list.empty_filtered')
    : f.status === 'open'
      ? t('list.empty_open')
      : f.status === 'closed'
        ? t('list.empty_closed')
        : t('list.empty_all');

  return (
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
  );
}
