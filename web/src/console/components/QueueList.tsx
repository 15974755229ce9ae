/** The Queue tab: open dialogs nobody holds, the longest waiting first, times ticking. */
import { useNow } from '../../shared/store';
import { problemText, useConsole } from '../context';
import { QueueRow } from './QueueRow';

export function QueueList() {
  const { state, t, lang } = useConsole('lists');
  const now = useNow(1000);
  const rows = state.queue();
  const beyond = state.queueCount() - rows.length;
  return (
    <div class="dialog-list-body" data-testid="queue-list">
      {rows.length === 0 && state.lists.queueLoading && <p class="list-note">{t('queue.loading')}</p>}
      {rows.length === 0 && !state.lists.queueLoading && !state.lists.queueProblem && (
        <p class="list-note" data-testid="queue-empty">
          {t('queue.empty')}
        </p>
      )}
      {state.lists.queueProblem && (
        <p class="list-note list-error" role="alert">
          {problemText(t, lang, state.lists.queueProblem)}{' '}
          <button type="button" class="link" onClick={() => void state.loadQueue()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      <ul>
        {rows.map((d) => (
          <QueueRow key={d.id} dialog={d} now={now} />
        ))}
      </ul>
      {beyond > 0 && <p class="list-note">{t('queue.beyond', { n: beyond })}</p>}
    </div>
  );
}
