/**
 * The visitor card's part about complaints and blocks (issue 16). Every operator reports the
 * visitor to the admins («Пожаловаться»: a reason — spam, abuse, other — and a comment if he
 * wishes); the dialog stays as it is, and a line says the report went. Admins also block him
 * («Заблокировать»: a reason, an address range if they wish, and a line on what a block does).
 * A blocked visitor's card opens with a red-outlined banner — an icon and the words «Посетитель
 * заблокирован: кто, когда», the reason and the range — and admins lift the block there after
 * the browser asks. A refused field is told beside it in words (moderation.ts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BlockView, ComplaintReason, VisitorCardView } from '../../shared/api-types';
import { visitorName } from '../../shared/names';
import type { Problem } from '../console-state';
import { useConsole } from '../context';
import { FieldNote } from '../admin/FieldNote';
import { blockIssues, byWhen, moderationMessages, optional, REASONS, reasonText, refusedAt, textIssue } from '../admin/moderation';
import { ProblemLine } from '../admin/ProblemLine';
import '../account.css';
import '../admin/moderation.css';

/** The icons of the moderation actions: a flag (report), a no-entry sign (block), a tick (done). */
const ICONS = {
  report: 'M5 21V4M5 4h11l-2.5 4.5L16 13H5',
  block: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM5.7 5.7l12.6 12.6',
  done: 'M20 6 9 17l-5-5',
} as const;

export function ModerationIcon({ kind, size = 16 }: { kind: keyof typeof ICONS; size?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" class={`mod-icon mod-icon-${kind}`}>
      <path d={ICONS[kind]} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

/** The banner of a blocked visitor, at the top of his card; admins lift the block from it. */
export function BlockedBanner({ dialogId, card, block, focus, onLifted }: { dialogId: string; card: VisitorCardView; block: BlockView; focus?: boolean; onLifted?: () => void }) {
  const { state, t, lang } = useConsole();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const title = useRef<HTMLParagraphElement>(null);
  const admin = state.isAdmin();
  const who = byWhen(lang, block.blocked_by, null);
  const when = byWhen(lang, null, block.blocked_at);

  useEffect(() => {
    if (focus) title.current?.focus();
  }, [focus]);

  const lift = async () => {
    if (!confirm(t('moderation.unblock_confirm', { who: visitorName(card, t('visitor.numbered')) }))) return;
    setBusy(true);
    setProblem(null);
    const refused = await state.unblockVisitor(dialogId, block.id);
    setBusy(false);
    setProblem(refused);
    if (!refused) onLifted?.();
  };

  return (
    <section class="card-blocked" aria-labelledby={`card-blocked-${dialogId}`} data-testid="card-blocked" data-block-id={block.id}>
      <ModerationIcon kind="block" size={20} />
      <div class="card-blocked-text">
        <p id={`card-blocked-${dialogId}`} class="card-blocked-title" tabIndex={-1} ref={title} data-testid="card-blocked-title">
          {who ? t('moderation.blocked_banner', { who: byWhen(lang, block.blocked_by, block.blocked_at) }) : t('moderation.blocked_banner_at', { when })}
        </p>
        <p class="card-blocked-line" data-testid="card-blocked-reason">
          {t('moderation.blocked_reason', { reason: reasonText(t, block.reason) })}
        </p>
        {block.ip_range && (
          <p class="card-blocked-line" data-testid="card-blocked-range">
            {t('moderation.blocked_range', { range: block.ip_range })}
          </p>
        )}
        {admin && (
          <div>
            <button type="button" class="btn btn-secondary btn-small card-unblock" disabled={busy} onClick={() => void lift()} data-testid="card-unblock">
              {busy ? t('moderation.unblocking') : t('moderation.unblock')}
            </button>
          </div>
        )}
        {problem && <ProblemLine problem={problem} testid="card-unblock-error" />}
      </div>
    </section>
  );
}

type Open = 'report' | 'block' | null;

/**
 * The actions at the foot of the card: «Пожаловаться» for everyone, «Заблокировать» for admins,
 * each opening its small form in place. Not shown for a blocked visitor (the banner is).
 */
export function VisitorModeration({ dialogId, focusBlock, onBlocked }: { dialogId: string; focusBlock?: boolean; onBlocked?: () => void }) {
  const { state, t } = useConsole();
  const [open, setOpen] = useState<Open>(null);
  const [reported, setReported] = useState(false);
  const reportBtn = useRef<HTMLButtonElement>(null);
  const blockBtn = useRef<HTMLButtonElement>(null);
  const admin = state.isAdmin();

  // The form went with the focus in it: back to the button that opened it.
  const [back, setBack] = useState<Open>(null);

  useEffect(() => {
    if (focusBlock) blockBtn.current?.focus();
  }, [focusBlock]);

  useEffect(() => {
    if (open !== null || back === null) return;
    (back === 'block' ? blockBtn : reportBtn).current?.focus();
    setBack(null);
  }, [open, back]);

  const close = (from: Open) => {
    setOpen(null);
    setBack(from);
  };

  return (
    <section class="card-section card-moderation" aria-labelledby={`card-mod-${dialogId}`} data-testid="card-moderation">
      <h4 id={`card-mod-${dialogId}`}>{admin ? t('moderation.card_title') : t('moderation.card_title_report')}</h4>
      {open === null && (
        <div class="card-mod-actions">
          <button
            type="button"
            ref={reportBtn}
            class="btn btn-secondary btn-small"
            onClick={() => {
              setReported(false);
              setOpen('report');
            }}
            data-testid="card-report"
          >
            <ModerationIcon kind="report" size={14} />
            {t('moderation.report')}
          </button>
          {admin && (
            <button
              type="button"
              ref={blockBtn}
              class="btn btn-secondary btn-small btn-danger-quiet"
              onClick={() => {
                setReported(false);
                setOpen('block');
              }}
              data-testid="card-block"
            >
              <ModerationIcon kind="block" size={14} />
              {t('moderation.block')}
            </button>
          )}
        </div>
      )}
      {reported && open === null && (
        <p class="card-mod-done" role="status" data-testid="card-reported">
          <ModerationIcon kind="done" size={14} />
          {t('moderation.reported')}
        </p>
      )}
      {open === 'report' && (
        <ReportForm
          dialogId={dialogId}
          onCancel={() => close('report')}
          onSent={() => {
            setReported(true);
            close('report');
          }}
        />
      )}
      {open === 'block' && admin && (
        <BlockForm
          dialogId={dialogId}
          onCancel={() => close('block')}
          onBlocked={() => {
            setOpen(null);
            onBlocked?.();
          }}
        />
      )}
    </section>
  );
}

/** The reason as three choices in words; none chosen at first. */
function ReasonChoice({ form, value, note, onChange }: { form: string; value: ComplaintReason | null; note: string | null; onChange: (r: ComplaintReason) => void }) {
  const { t } = useConsole();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <fieldset
      class={`mod-reasons${note ? ' invalid' : ''}`}
      aria-describedby={note ? `${form}-reason-error` : undefined}
      data-testid={`${form}-reason`}
    >
      <legend>{t('moderation.reason')}</legend>
      <div class="mod-reason-list">
        {REASONS.map((r, i) => (
          <label key={r} class="choice">
            <input
              ref={i === 0 ? first : undefined}
              type="radio"
              name={`${form}-reason`}
              value={r}
              checked={value === r}
              aria-invalid={note ? true : undefined}
              onChange={() => onChange(r)}
              data-testid={`${form}-reason-${r}`}
            />
            <span>{reasonText(t, r)}</span>
          </label>
        ))}
      </div>
      {note && (
        <small id={`${form}-reason-error`} class="field-error" role="alert" data-testid="field-error" data-field="reason">
          {note}
        </small>
      )}
    </fieldset>
  );
}

function ReportForm({ dialogId, onCancel, onSent }: { dialogId: string; onCancel: () => void; onSent: () => void }) {
  const { state, t } = useConsole();
  const form = 'card-report';
  const [reason, setReason] = useState<ComplaintReason | null>(null);
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const own = [...blockIssues({ reason }), ...[textIssue('comment', comment)].filter((x) => x !== null)];
  const notes = moderationMessages(t, tried ? own : [], problem);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    setTried(true);
    setProblem(null);
    if (own.length > 0 || !reason) return;
    setBusy(true);
    const refused = await state.reportVisitor(dialogId, { reason, comment: optional(comment) });
    setBusy(false);
    if (refused) setProblem(refused);
    else onSent();
  };

  return (
    <form class="mod-form" onSubmit={submit} noValidate aria-labelledby={`${form}-title-${dialogId}`} data-testid={`${form}-form`} onKeyDown={(e) => escape(e, onCancel)}>
      <h5 id={`${form}-title-${dialogId}`}>{t('moderation.report_title')}</h5>
      <p class="mod-hint">{t('moderation.report_hint')}</p>
      <ReasonChoice
        form={form}
        value={reason}
        note={notes.get('reason') ?? null}
        onChange={(r) => {
          setReason(r);
          if (problem && refusedAt(problem, ['reason'])) setProblem(null);
        }}
      />
      <label class="field">
        <span>{t('moderation.comment')}</span>
        <textarea
          rows={3}
          value={comment}
          placeholder={t('moderation.comment_placeholder')}
          aria-invalid={notes.has('comment') ? true : undefined}
          onInput={(e) => setComment(e.currentTarget.value)}
          data-testid={`${form}-comment`}
        />
        <FieldNote text={notes.get('comment')} field="comment" />
      </label>
      <div class="mod-actions">
        <button type="submit" class="btn btn-primary btn-small" disabled={busy} data-testid={`${form}-send`}>
          {busy ? t('moderation.sending') : t('moderation.report_send')}
        </button>
        <button type="button" class="btn btn-ghost btn-small" onClick={onCancel} data-testid={`${form}-cancel`}>
          {t('moderation.cancel')}
        </button>
      </div>
      {problem && !refusedAt(problem, ['reason', 'comment']) && <ProblemLine problem={problem} testid={`${form}-error`} />}
    </form>
  );
}

function BlockForm({ dialogId, onCancel, onBlocked }: { dialogId: string; onCancel: () => void; onBlocked: () => void }) {
  const { state, t } = useConsole();
  const form = 'card-block';
  const [reason, setReason] = useState<ComplaintReason | null>(null);
  const [range, setRange] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const own = blockIssues({ reason, ip_range: range });
  const notes = moderationMessages(t, tried ? own : [], problem);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    setTried(true);
    setProblem(null);
    if (own.length > 0 || !reason) return;
    setBusy(true);
    const refused = await state.blockVisitor(dialogId, { reason, ip_range: optional(range) });
    setBusy(false);
    if (refused) setProblem(refused);
    else onBlocked();
  };

  return (
    <form class="mod-form mod-form-block" onSubmit={submit} noValidate aria-labelledby={`${form}-title-${dialogId}`} data-testid={`${form}-form`} onKeyDown={(e) => escape(e, onCancel)}>
      <h5 id={`${form}-title-${dialogId}`}>{t('moderation.block_title')}</h5>
      <p class="mod-hint" data-testid={`${form}-what`}>
        {t('moderation.block_what')}
      </p>
      <ReasonChoice form={form} value={reason} note={notes.get('reason') ?? null} onChange={setReason} />
      <label class="field">
        <span>{t('moderation.ip_range')}</span>
        <input
          value={range}
          spellcheck={false}
          autoComplete="off"
          placeholder="203.0.113.0/24"
          aria-invalid={notes.has('ip_range') ? true : undefined}
          aria-describedby={`${form}-range-hint-${dialogId}`}
          onInput={(e) => setRange(e.currentTarget.value)}
          data-testid={`${form}-range`}
        />
        <small id={`${form}-range-hint-${dialogId}`}>{t('moderation.ip_range_hint')}</small>
        <FieldNote text={notes.get('ip_range')} field="ip_range" />
      </label>
      <div class="mod-actions">
        <button type="submit" class="btn btn-danger btn-small" disabled={busy} data-testid={`${form}-confirm`}>
          <ModerationIcon kind="block" size={14} />
          {busy ? t('moderation.blocking') : t('moderation.block')}
        </button>
        <button type="button" class="btn btn-ghost btn-small" onClick={onCancel} data-testid={`${form}-cancel`}>
          {t('moderation.cancel')}
        </button>
      </div>
      {problem && !refusedAt(problem, ['reason', 'ip_range']) && <ProblemLine problem={problem} testid={`${form}-error`} />}
    </form>
  );
}

/** Esc in a form cancels it (and goes no further: the dialog stays open). */
function escape(e: KeyboardEvent, cancel: () => void) {
  if (e.key !== 'Escape') return;
  e.stopPropagation();
  cancel();
}
