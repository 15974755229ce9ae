/**
 * The left column: the search box, the Dialogs / Queue tabs; under Dialogs the filters, the
 * bulk-close bar and the rows, kept live. While a search runs its results replace the rows.
 */
import { useNow } from '../../shared/store';
import { problemText, useConsole } from '../context';
import { DEFAULT_FILTER } from '../filters';
import { BulkBar } from './BulkBar';
import { DialogRow } from './DialogRow';
import { ListFilters } from './ListFilters';
import { ListTabs } from './ListTabs';
import { QueueList } from './QueueList';
import { SearchBox } from './SearchBox';
import { SearchResults } from './SearchResults';
import { StatusSwitch } from './StatusSwitch';

export function DialogList() {
  const { state, t } = useConsole('lists', 'tools');
  const searching = state.tools.search.query.trim().length >= 2;
  return (
    <nav id="dialog-list" class="dialog-list" aria-label={t('list.title')} data-testid="dialog-list">
      <div class="dialog-list-head">
        <SearchBox />
        {!searching && <ListTabs />}
        {!searching && state.lists.listTab === 'dialogs' && (
          <>
            <StatusSwitch />
            <ListFilters />
          </>
        )}
      </div>
      {searching ? <SearchResults /> : state.lists.listTab === 'dialogs' ? <DialogRows /> : <QueueList />}
    </nav>
  );
}

function DialogRows() {
  const { state, t, lang } = useConsole('lists');
  const now = useNow(1000);
  const dialogs = state.visible();
  const f = state.lists.filter;
  const onlyStatus = JSON.stringify({ ...f, status: DEFAULT_FILTER.status }) === JSON.stringify(DEFAULT_FILTER);
  const empty = !onlyStatus
    ? t('list.empty_filtered')
    : f.status === 'open'
      ? t('list.empty_open')
      : f.status === 'snoozed'
        ? t('list.empty_snoozed')
        : f.status === 'closed'
        ? t('list.empty_closed')
        : t('list.empty_all');

  return (
    <div class={`dialog-list-body${state.lists.selection.size > 0 ? ' selecting' : ''}`}>
      <BulkBar visibleIds={dialogs.filter((d) => d.status === 'open').map((d) => d.id)} />
      {dialogs.length === 0 && state.lists.listLoading && <p class="list-note">{t('list.loading')}</p>}
      {dialogs.length === 0 && !state.lists.listLoading && !state.lists.listProblem && (
        <p class="list-note" data-testid="dialog-list-empty">
          {empty}
        </p>
      )}
      {state.lists.listProblem && (
        <p class="list-note list-error" role="alert">
          {problemText(t, lang, state.lists.listProblem)}{' '}
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
      {state.lists.nextCursor && (
        <button type="button" class="btn btn-ghost btn-block" disabled={state.lists.listLoading} onClick={() => void state.loadList(true)}>
          {t('list.load_more')}
        </button>
      )}
    </div>
  );
}
