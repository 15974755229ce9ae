/** A dialog waiting in the queue: who, from where, the first words, how long, the SLA countdown, and "Accept". */
import type { DialogView } from '../../shared/api-types';
import { visitorName } from '../../shared/names';
import { problemText, useConsole } from '../context';
import { waitingSince } from '../queue';
import { Avatar } from './Avatar';
import { OriginMark } from './OriginMark';
import { SlaBreachMark } from './SlaBreachMark';
import { SlaCountdown } from './SlaCountdown';
import { WaitingAlertMark } from './WaitingAlertMark';
import { WaitingTime } from './WaitingTime';

export function QueueRow({ dialog, now }: { dialog: DialogView; now: number }) {
  const { state, t, lang } = useConsole('lists', 'dialog', 'team');
  const name = visitorName(dialog.visitor, t('visitor.numbered'));
  const since = waitingSince(dialog);
  const accepting = state.lists.acting.has(dialog.id);
  const problem = state.lists.actionProblems.get(dialog.id);
  const selected = state.dialog.selectedId === dialog.id;
  const city = dialog.visitor.city?.trim();
  const channel = state.team.channels.length > 1 ? state.channelName(dialog.channel_id) : null;

  return (
    <li
      class={`queue-row${selected ? ' selected' : ''}${dialog.waiting_alert ? ' alerting' : ''}`}
      data-testid="queue-row"
      data-dialog-id={dialog.id}
      data-waiting-alert={dialog.waiting_alert}
    >
      <button type="button" class="queue-row-open" onClick={() => void state.open(dialog.id)} aria-current={selected ? 'page' : undefined}>
        <Avatar name={name} />
        <span class="queue-row-main">
          <span class="queue-row-top">
            <span class="queue-row-name" data-testid="queue-row-name">
              {name}
            </span>
            {dialog.waiting_alert && <WaitingAlertMark />}
            <SlaBreachMark dialog={dialog} variant="row" />
            <OriginMark dialog={dialog} variant="row" />
            <span class="spacer" />
            <SlaCountdown dialog={dialog} now={now} testid="queue-row-sla" />
          </span>
          <span class="queue-row-preview" data-testid="queue-row-preview">
            {dialog.last_message?.preview || <span class="preview-none">{t('queue.no_preview')}</span>}
          </span>
          <span class="queue-row-meta">
            {since && <WaitingTime since={since} now={now} label="queue" testid="queue-row-waiting" />}
            {city && (
              <span class="queue-row-city" data-testid="queue-row-city">
                {city}
              </span>
            )}
            {channel && <span class="dialog-row-channel">{channel}</span>}
          </span>
        </span>
      </button>
      <div class="queue-row-side">
        <button type="button" class="btn btn-primary btn-small" disabled={accepting} onClick={() => void state.accept(dialog.id)} data-testid="accept">
          {accepting ? t('queue.accepting') : t('queue.accept')}
        </button>
      </div>
      {problem && (
        <p class="row-error" role="alert" data-testid="accept-error">
          {problemText(t, lang, problem)}
        </p>
      )}
    </li>
  );
}
