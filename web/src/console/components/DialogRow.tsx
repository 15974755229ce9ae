/**
 * One dialog in the list: who, the last message, the SLA countdown, how long the visitor waits
 * (or how long ago, or until when it is snoozed), messages awaiting a reply, unread count, who
 * holds it, how it began (offline request, proactive message), its tags, the red mark of a
 * long wait, a passed resolution target, how upset the visitor reads (ToneBadge), and a box to tick it for a bulk close (with the reason
 * when that close refused it). Every badge says in words what it counts (title and aria-label);
 * the name keeps its room and the row never scrolls sideways (console.css).
 */
import type { DialogView } from '../../shared/api-types';
import { visitorName } from '../../shared/names';
import { formatAge } from '../../shared/time';
import { shownUnread } from '../dialogs';
import { problemText, useConsole } from '../context';
import { isSnoozed, snoozeTime } from '../snooze';
import { AssigneeChip } from './AssigneeChip';
import { Avatar } from './Avatar';
import { OriginMark } from './OriginMark';
import { SlaBreachMark } from './SlaBreachMark';
import { SlaCountdown } from './SlaCountdown';
import { ToneBadge } from './ToneBadge';
import { WaitingAlertMark } from './WaitingAlertMark';
import { WaitingTime } from './WaitingTime';

export function DialogRow({ dialog, now }: { dialog: DialogView; now: number }) {
  const { state, t, lang } = useConsole('lists', 'dialog', 'team');
  const name = visitorName(dialog.visitor, t('visitor.numbered'));
  const selected = state.dialog.selectedId === dialog.id;
  const unread = selected ? 0 : shownUnread(dialog, state.dialog.readUpTo);
  const last = dialog.last_message;
  const when = last?.created_at ?? dialog.updated_at;
  const waiting = dialog.status === 'open' ? dialog.waiting_since : null;
  const age = formatAge(when, now, lang, {
    now: t('time.now'),
    minutes: t('time.minutes'),
    hours: t('time.hours'),
    yesterday: t('time.yesterday'),
  });
  const channel = state.team.channels.length > 1 ? state.channelName(dialog.channel_id) : null;
  const href = `/console/dialogs/${encodeURIComponent(dialog.id)}`;
  const alert = dialog.status === 'open' && dialog.waiting_alert;
  const snoozed = isSnoozed(dialog);
  const ticked = state.lists.selection.has(dialog.id);
  const refusal = state.lists.bulkRefusals.get(dialog.id);

  return (
    <li class={`dialog-li${ticked ? ' ticked' : ''}`}>
      {dialog.status === 'open' && (
        <input
          type="checkbox"
          class="row-check"
          checked={ticked}
          onChange={(e) => state.lists.toggleSelected(dialog.id, e.currentTarget.checked)}
          aria-label={t('bulk.select', { n: dialog.number })}
          title={t('bulk.select', { n: dialog.number })}
          data-testid="dialog-row-check"
          data-dialog-id={dialog.id}
        />
      )}
      <a
        href={href}
        class={`dialog-row${selected ? ' selected' : ''}${unread ? ' unread' : ''}${dialog.status === 'closed' ? ' closed' : ''}${alert ? ' alerting' : ''}`}
        aria-current={selected ? 'page' : undefined}
        data-testid="dialog-row"
        data-dialog-id={dialog.id}
        data-selected={selected}
        data-assigned={!!dialog.assignee}
        data-waiting-alert={alert}
        data-snoozed={snoozed}
        onClick={(e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          void state.open(dialog.id);
        }}
      >
        <Avatar name={name} />
        <span class="dialog-row-main">
          <span class="dialog-row-top">
            <span class="dialog-row-name" data-testid="dialog-row-name">
              {name}
            </span>
            {alert && <WaitingAlertMark />}
            <SlaBreachMark dialog={dialog} variant="row" />
            <SlaCountdown dialog={dialog} now={now} testid="dialog-row-sla" />
            {snoozed ? (
              <span class="row-snoozed" data-testid="dialog-row-snoozed">
                {t('snooze.until', { time: snoozeTime(dialog.snoozed_until!, lang) })}
              </span>
            ) : waiting ? (
              <WaitingTime since={waiting} now={now} label="row" testid="dialog-row-waiting" />
            ) : (
              <time class="dialog-row-time" dateTime={when} title={new Date(when).toLocaleString(lang)}>
                {age}
              </time>
            )}
          </span>
          <span class="dialog-row-bottom">
            <span class="dialog-row-preview" data-testid="dialog-row-preview">
              {last ? (
                <>
                  {last.author_kind === 'operator' && <span class="preview-who">{t('list.operator')}</span>}
                  {last.preview}
                </>
              ) : (
                <span class="preview-none">{t('list.no_messages')}</span>
              )}
            </span>
            {dialog.status === 'open' && dialog.pending_count > 0 && (
              <span class="pending-badge" data-testid="dialog-row-pending" title={t('row.pending', { n: dialog.pending_count })} aria-label={t('row.pending', { n: dialog.pending_count })}>
                {dialog.pending_count > 99 ? '99+' : dialog.pending_count}
              </span>
            )}
            {unread > 0 && (
              <span class="badge" data-testid="dialog-row-unread" title={t('list.unread', { n: unread })} aria-label={t('list.unread', { n: unread })}>
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </span>
          <span class="dialog-row-meta">
            <ToneBadge dialog={dialog} variant="row" />
            <AssigneeChip assignee={dialog.assignee} testid="dialog-row-assignee" />
            <OriginMark dialog={dialog} variant="row" />
            {channel && (
              <span class="dialog-row-channel" title={t('dialog.channel', { name: channel })}>
                {channel}
              </span>
            )}
            {(dialog.tags ?? []).map((tag) => (
              <span key={tag.id} class="row-tag" title={`${t('tags.label')}: ${tag.name}`} data-testid="dialog-row-tag">
                {tag.name}
              </span>
            ))}
          </span>
        </span>
      </a>
      {refusal && (
        <p class="row-error" role="alert" data-testid="dialog-row-refusal" data-code={refusal.code}>
          {t('bulk.refused', { reason: problemText(t, lang, refusal) })}
        </p>
      )}
    </li>
  );
}
