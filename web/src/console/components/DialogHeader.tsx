/**
 * Above the timeline, in one line: the visitor, dialog number, status (snoozed until when,
 * closed automatically), the SLA countdown and a passed resolution target, how upset the
 * visitor reads (ToneBadge), and what can be
 * done: accept, assign, transfer, snooze, close or reopen (words on a wide pane, icons with
 * their names as tooltips on a narrow one). Under it one slim line of facts and tools: who
 * holds the dialog, channel (and the routing rule that chose it), the city, how it began, the
 * tags, the category, the custom fields' switch and the visitor's rating; under it the custom
 * fields themselves (DialogFields.tsx). When the dialog began is the number's tooltip.
 *
 * Focus follows the operator's action: after closing it lands on "Reopen", after snoozing on
 * "Unsnooze", after a menu or the transfer window closes back on the button that opened it;
 * if that button is gone, on the reply box or the list (focus.ts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import { formatDay } from '../../shared/time';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { focusFirst } from '../focus';
import { isSnoozed, snoozeTime } from '../snooze';
import { AssignMenu } from './AssignMenu';
import { Avatar } from './Avatar';
import { CategorySelect } from './CategorySelect';
import { DialogFields, DialogFieldsToggle } from './DialogFields';
import { OriginMark } from './OriginMark';
import { RatingStars } from './RatingStars';
import { SlaBreachMark } from './SlaBreachMark';
import { LiveSlaCountdown } from './SlaCountdown';
import { SnoozeMenu } from './SnoozeMenu';
import { TagEditor } from './TagEditor';
import { ToneBadge } from './ToneBadge';
import { TransferDialog } from './TransferDialog';
import { useFolded } from './useFolded';
import { WaitingAlertMark } from './WaitingAlertMark';

/** The icons of the header's buttons (their words show beside them when the pane is wide). */
const ICONS = {
  assign: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9a7 7 0 0 1 14 0M19 8v6M16 11h6',
  transfer: 'M4 12h14M13 6l6 6-6 6',
  snooze: 'M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM12 9v4l2.5 2M5 3 2.5 5.5M19 3l2.5 2.5',
  close: 'M20 6 9 17l-5-5',
} as const;

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" class="btn-icon">
      <path d={d} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

export function DialogHeader({ dialog, name }: { dialog: DialogView; name: string }) {
  const { state, t, lang } = useConsole('lists', 'dialog', 'team');
  const [assigning, setAssigning] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [snoozing, setSnoozing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [toolProblem, setToolProblem] = useState<Problem | null>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const row = useRef<HTMLDivElement>(null);
  const title = useRef<HTMLSpanElement>(null);
  /** The button (by test id) that takes the focus once the header is drawn again. */
  const focusNext = useRef<string | null>(null);
  const closing = state.lists.closing.has(dialog.id);
  const acting = state.lists.acting.has(dialog.id);
  const open = dialog.status === 'open';
  const channel = state.channelName(dialog.channel_id);
  const problem = state.lists.actionProblems.get(dialog.id);
  const city = dialog.visitor.city?.trim();
  const snoozed = isSnoozed(dialog);
  // The buttons' words give way to icons (their names stay as tooltips) before the visitor's name is cut.
  const folded = useFolded(
    row,
    title,
    [dialog.id, dialog.status, !!dialog.assignee, snoozed, !!dialog.sla?.reply_due_at, !!dialog.sla?.resolution_breached, dialog.tone, lang, state.isSupervisor(), state.dialog.cardShown].join(),
  );

  useEffect(() => {
    const want = focusNext.current;
    if (!want) return;
    const el = wrap.current?.querySelector<HTMLElement>(`[data-testid="${want}"]`);
    if (el && !(el as HTMLButtonElement).disabled) {
      focusNext.current = null;
      el.focus();
    }
  });

  /** Focus goes to `testid` when it shows; failing that (it never came), to the reply box or the list. */
  const focusAfter = (testid: string) => {
    focusNext.current = testid;
    setTimeout(() => {
      if (focusNext.current !== testid) return;
      focusNext.current = null;
      focusFirst(wrap.current ? [`[data-testid="${testid}"]`] : []);
    }, 400);
  };

  const run = async (call: () => Promise<Problem | null>, then?: string) => {
    setBusy(true);
    setToolProblem(null);
    const refused = await call();
    setToolProblem(refused);
    setBusy(false);
    if (!refused && then) focusAfter(then);
  };

  // Taken: the reply box takes the focus (ConsoleState.accept); refused, the focus stays near.
  const accept = async () => {
    if (await state.accept(dialog.id)) focusAfter('accept');
  };

  const close = async () => {
    const refused = await state.closeDialog(dialog.id);
    // Refused for want of a category or of fields: the category select or the first field takes the focus by itself.
    if (!refused) focusAfter('reopen-dialog');
  };

  return (
    <div class="dialog-header-wrap" ref={wrap}>
      <div class="dialog-header">
        <div class={`dialog-header-row${folded ? ' folded' : ''}`} ref={row} data-folded={folded}>
          <button type="button" class="btn btn-ghost back-btn" onClick={() => void state.open(null)} aria-label={t('dialog.back')}>
            ←
          </button>
          {/* The visitor card beside shows the visitor's avatar already: the line keeps the room. */}
          {!state.dialog.cardShown && <Avatar name={name} />}
          <h2 data-testid="dialog-title" title={name}>
            <span class="dialog-title-name" ref={title}>
              {name}
            </span>
            {open && dialog.waiting_alert && <WaitingAlertMark />}
          </h2>
          <span class="meta-number" title={formatDay(dialog.created_at, lang)}>
            {t('dialog.number', { n: dialog.number })}
          </span>
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
          <ToneBadge dialog={dialog} variant="header" />
          <LiveSlaCountdown dialog={dialog} />
          <SlaBreachMark dialog={dialog} variant="header" />
          <div class="dialog-actions" role="group" aria-label={t('dialog.actions')}>
            {open && !dialog.assignee && (
              <button type="button" class="btn btn-primary" disabled={acting} onClick={() => void accept()} data-testid="accept">
                {acting ? t('dialog.accepting') : t('dialog.accept')}
              </button>
            )}
            {open && state.isSupervisor() && (
              <button
                type="button"
                class="btn btn-secondary btn-tool"
                aria-expanded={assigning}
                aria-label={t('dialog.assign')}
                title={t('dialog.assign')}
                onClick={() => setAssigning(!assigning)}
                data-testid="assign"
              >
                <Icon d={ICONS.assign} />
                <span class="btn-label">{t('dialog.assign')}</span>
              </button>
            )}
            {open && (
              <button
                type="button"
                class="btn btn-secondary btn-tool"
                disabled={acting}
                aria-label={t('dialog.transfer')}
                title={t('dialog.transfer')}
                onClick={() => setTransferring(true)}
                data-testid="transfer"
              >
                <Icon d={ICONS.transfer} />
                <span class="btn-label">{t('dialog.transfer')}</span>
              </button>
            )}
            {open && !snoozed && (
              <button
                type="button"
                class="btn btn-secondary btn-tool"
                aria-expanded={snoozing}
                aria-label={t('snooze.button')}
                title={t('snooze.button')}
                onClick={() => setSnoozing(!snoozing)}
                data-testid="snooze"
              >
                <Icon d={ICONS.snooze} />
                <span class="btn-label">{t('snooze.button')}</span>
              </button>
            )}
            {snoozed && (
              <button
                type="button"
                class="btn btn-secondary"
                disabled={busy}
                onClick={() => void run(() => state.unsnooze(dialog.id), 'snooze')}
                data-testid="unsnooze"
              >
                {t('snooze.unsnooze')}
              </button>
            )}
            {open && (
              <button
                type="button"
                class="btn btn-secondary btn-tool"
                disabled={closing}
                aria-label={closing ? t('dialog.closing') : t('dialog.close')}
                title={t('dialog.close')}
                onClick={() => void close()}
                data-testid="close-dialog"
              >
                <Icon d={ICONS.close} />
                <span class="btn-label">{closing ? t('dialog.closing') : t('dialog.close_short')}</span>
              </button>
            )}
            {!open && (
              <button
                type="button"
                class="btn btn-secondary"
                disabled={busy}
                onClick={() => void run(() => state.reopen(dialog.id), 'close-dialog')}
                data-testid="reopen-dialog"
              >
                {busy ? t('dialog.reopening') : t('dialog.reopen')}
              </button>
            )}
            <button
              type="button"
              class={`icon-btn card-toggle${state.dialog.cardShown ? ' on' : ''}`}
              aria-pressed={state.dialog.cardShown}
              aria-label={t('card.toggle')}
              title={t('card.toggle')}
              onClick={() => state.dialog.toggleCard()}
              data-testid="card-toggle"
            >
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <rect x="3" y="4" width="18" height="16" rx="2" fill="none" stroke="currentColor" stroke-width="1.8" />
                <path d="M15 4v16" stroke="currentColor" stroke-width="1.8" />
              </svg>
            </button>
          </div>
        </div>
        {assigning && (
          <AssignMenu
            dialog={dialog}
            onClose={() => {
              setAssigning(false);
              focusAfter('assign');
            }}
          />
        )}
        {snoozing && (
          <SnoozeMenu
            dialog={dialog}
            onClose={() => {
              setSnoozing(false);
              // Snoozed: "Unsnooze" stands where "Snooze" was.
              focusAfter(isSnoozed(state.lists.dialogs.get(dialog.id) ?? dialog) ? 'unsnooze' : 'snooze');
            }}
          />
        )}
      </div>
      <div class="dialog-tools" data-testid="dialog-tools">
        <span class="dialog-facts">
          <span class="dialog-header-assignee">
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
          </span>
          {/* With one channel there is nothing to tell apart (as on the rows), unless a rule chose it. */}
          {channel && (state.team.channels.length > 1 || dialog.routed_by) && (
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
          <OriginMark dialog={dialog} variant="header" />
        </span>
        <TagEditor dialog={dialog} />
        <CategorySelect dialog={dialog} />
        <DialogFieldsToggle dialog={dialog} />
        {dialog.rating && <RatingStars rating={dialog.rating} />}
        {dialog.previous_dialog_id && (
          <a
            class="link previous-dialog"
            href={`/console/dialogs/${encodeURIComponent(dialog.previous_dialog_id)}`}
            onClick={(e) => {
              if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              void state.open(dialog.previous_dialog_id ?? null);
            }}
            data-testid="previous-dialog"
          >
            ← {t('dialog.previous')}
          </a>
        )}
      </div>
      <DialogFields dialog={dialog} />
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
      {transferring && (
        <TransferDialog
          dialog={dialog}
          onClose={() => {
            setTransferring(false);
            focusAfter('transfer');
          }}
        />
      )}
    </div>
  );
}
