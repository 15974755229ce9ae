/**
 * Above the timeline: the visitor, dialog number and status (snoozed until when, closed
 * automatically), the SLA countdown, channel (and the routing rule that chose it), how the
 * dialog began (offline request, proactive message), who holds the dialog, and what can be
 * done: accept, assign, transfer, snooze, close or reopen; under it the tags, the category and
 * the visitor's rating.
 */
import { useState } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import { formatDay } from '../../shared/time';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { isSnoozed, snoozeTime } from '../snooze';
import { AssignMenu } from './AssignMenu';
import { Avatar } from './Avatar';
import { CategorySelect } from './CategorySelect';
import { OriginMark } from './OriginMark';
import { RatingStars } from './RatingStars';
import { LiveSlaCountdown } from './SlaCountdown';
import { SnoozeMenu } from './SnoozeMenu';
import { TagEditor } from './TagEditor';
import { TransferDialog } from './TransferDialog';
import { WaitingAlertMark } from './WaitingAlertMark';


export function DialogHeader({ dialog, name }: { dialog: DialogView; name: string }) {
  const { state, t, lang } = useConsole();
  const [assigning, setAssigning] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [snoozing, setSnoozing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [toolProblem, setToolProblem] = useState<Problem | null>(null);
  const closing = state.closing.has(dialog.id);
  const acting = state.acting.has(dialog.id);
  const open = dialog.status === 'open';
  const channel = state.channelName(dialog.channel_id);
  const problem = state.actionProblems.get(dialog.id);
  const city = dialog.visitor.city?.trim();
  const snoozed = isSnoozed(dialog);

  const run = async (call: () => Promise<Problem | null>) => {
    setBusy(true);
    setToolProblem(null);
    setToolProblem(await call());
    setBusy(false);
  };

  return (
    <div class="dialog-header-wrap">
      <div class="dialog-header">
        <button type="button" class="btn btn-ghost back-btn" onClick={() => void state.open(null)} aria-label={t('dialog.back')}>
          ←
        </button>
        <Avatar name={name} size="lg" />
        <div class="dialog-header-text">
          <h2 data-testid="dialog-title">
            {name}
            {open && dialog.waiting_alert && <WaitingAlertMark />}
          </h2>
          <div class="dialog-header-meta">
            <span>{t('dialog.number', { n: dialog.number })}</span>
            <span class="meta-date" aria-hidden="true">
              ·
            </span>
            <span class="meta-date">{formatDay(dialog.created_at, lang)}</span>
            {snoozed ? (
              <span class="status-chip status-snoozed" data-testid="dialog-status" data-status="snoozed">
                {t('snooze.until_long', { time: snoozeTime(dialog.snoozed_until!, lang) })}
              </span>
            ) : (
              <span
                class={`status-chip status-${dialog.status}`}
                title={dialog.status === 'closed' && dialog.close_reason === 'auto' ? t('dialog.closed_auto') : undefined}
                data-testid="dialog-status"
                data-status={dialog.status}
                data-close-reason={dialog.close_reason ?? ''}
              >
                {dialog.status === 'open'
                  ? t('dialog.status_open')
                  : dialog.close_reason === 'auto'
                    ? t('dialog.status_closed_auto')
                    : t('dialog.status_closed')}
              </span>
            )}
            <LiveSlaCountdown dialog={dialog} />
            <OriginMark dialog={dialog} variant="header" />
            {channel && (
              <span class="meta-channel" data-testid="dialog-channel">
                {t('dialog.channel', { name: channel })}
                {dialog.routed_by && (
                  <span class="meta-rule" data-testid="dialog-routed-by">
                    {' '}
                    {t('dialog.routed_by', { rule: dialog.routed_by })}
                  </span>
                )}
              </span>
            )}
            {city && <span class="meta-city">{t('dialog.city', { city })}</span>}
          </div>
          <div class="dialog-header-assignee">
            <span class="meta-label">{t('dialog.assignee')}:</span>
            {dialog.assignee && <Avatar name={dialog.assignee.display_name} size="xs" />}
            <span
              class={`assignee-label${dialog.assignee ? '' : ' unassigned'}`}
              data-testid="assignee"
              data-assigned={!!dialog.assignee}
              data-assignee-id={dialog.assignee?.id ?? ''}
            >
              {dialog.assignee ? dialog.assignee.display_name : t('dialog.unassigned')}
            </span>
          </div>
        </div>
        <div class="dialog-actions">
          {open && !dialog.assignee && (
            <button type="button" class="btn btn-primary" disabled={acting} onClick={() => void state.accept(dialog.id)} data-testid="accept">
              {acting ? t('dialog.accepting') : t('dialog.accept')}
            </button>
          )}
          {open && state.isSupervisor() && (
            <button
              type="button"
              class="btn btn-secondary"
              aria-expanded={assigning}
              onClick={() => setAssigning(!assigning)}
              data-testid="assign"
            >
              {t('dialog.assign')}
            </button>
          )}
          {open && (
            <button type="button" class="btn btn-secondary" disabled={acting} onClick={() => setTransferring(true)} data-testid="transfer">
              {t('dialog.transfer')}
            </button>
          )}
          {open && !snoozed && (
            <button type="button" class="btn btn-secondary" aria-expanded={snoozing} onClick={() => setSnoozing(!snoozing)} data-testid="snooze">
              {t('snooze.button')}
            </button>
          )}
          {snoozed && (
            <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void run(() => state.unsnooze(dialog.id))} data-testid="unsnooze">
              {t('snooze.unsnooze')}
            </button>
          )}
          {open && (
            <button type="button" class="btn btn-secondary" disabled={closing} onClick={() => void state.closeDialog(dialog.id)} data-testid="close-dialog">
              {closing ? t('dialog.closing') : t('dialog.close')}
            </button>
          )}
          {!open && (
            <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void run(() => state.reopen(dialog.id))} data-testid="reopen-dialog">
              {busy ? t('dialog.reopening') : t('dialog.reopen')}
            </button>
          )}
          <button
            type="button"
            class={`icon-btn card-toggle${state.cardShown ? ' on' : ''}`}
            aria-pressed={state.cardShown}
            aria-label={t('card.toggle')}
            title={t('card.toggle')}
            onClick={() => state.toggleCard()}
            data-testid="card-toggle"
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <rect x="3" y="4" width="18" height="16" rx="2" fill="none" stroke="currentColor" stroke-width="1.8" />
              <path d="M15 4v16" stroke="currentColor" stroke-width="1.8" />
            </svg>
          </button>
        </div>
        {assigning && <AssignMenu dialog={dialog} onClose={() => setAssigning(false)} />}
        {snoozing && <SnoozeMenu dialog={dialog} onClose={() => setSnoozing(false)} />}
      </div>
      <div class="dialog-tools" data-testid="dialog-tools">
        <TagEditor dialog={dialog} />
        <CategorySelect dialog={dialog} />
        {dialog.rating && <RatingStars rating={dialog.rating} />}
        {dialog.previous_dialog_id && (
          <a
            class="link previous-dialog"
            href={`/console/dialogs/${encodeURIComponent(dialog.previous_dialog_id)}`}
            onClick={(e) => {
              if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              void state.open(dialog.previous_dialog_id);
            }}
            data-testid="previous-dialog"
          >
            ← {t('dialog.previous')}
          </a>
        )}
      </div>
      {toolProblem && (
        <div class="notice" role="alert" data-testid="tool-error" data-code={toolProblem.code}>
          <span>{problemText(t, lang, toolProblem)}</span>
          <button type="button" class="link" onClick={() => setToolProblem(null)}>
            {t('notice.dismiss')}
          </button>
        </div>
      )}
      {problem && (
        <div class="notice" role="alert" data-testid="action-error">
          <span>{problemText(t, lang, problem)}</span>
          <button type="button" class="link" onClick={() => state.dismissActionProblem(dialog.id)}>
            {t('notice.dismiss')}
          </button>
        </div>
      )}
      {transferring && <TransferDialog dialog={dialog} onClose={() => setTransferring(false)} />}
    </div>
  );
}
