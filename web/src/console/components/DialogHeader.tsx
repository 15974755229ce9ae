/**
 * Above the timeline: the visitor, dialog number and status, channel (and the routing rule
 * that chose it), who holds the dialog, and what can be done: accept, assign, transfer, close.
 */
import { useState } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import { formatDay } from '../../shared/time';
import { problemText, useConsole } from '../context';
import { AssignMenu } from './AssignMenu';
import { Avatar } from './Avatar';
import { TransferDialog } from './TransferDialog';
import { WaitingAlertMark } from './WaitingAlertMark';

export function DialogHeader({ dialog, name }: { dialog: DialogView; name: string }) {
  const { state, t, lang } = useConsole();
  const [assigning, setAssigning] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const closing = state.closing.has(dialog.id);
  const acting = state.acting.has(dialog.id);
  const open = dialog.status === 'open';
  const channel = state.channelName(dialog.channel_id);
  const problem = state.actionProblems.get(dialog.id);
  const city = dialog.visitor.city?.trim();

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
            <span class={`status-chip status-${dialog.status}`} data-testid="dialog-status" data-status={dialog.status}>
              {dialog.status === 'open' ? t('dialog.status_open') : t('dialog.status_closed')}
            </span>
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
          {open && (
            <button type="button" class="btn btn-secondary" disabled={closing} onClick={() => void state.closeDialog(dialog.id)} data-testid="close-dialog">
              {closing ? t('dialog.closing') : t('dialog.close')}
            </button>
          )}
        </div>
        {assigning && <AssignMenu dialog={dialog} onClose={() => setAssigning(false)} />}
      </div>
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
