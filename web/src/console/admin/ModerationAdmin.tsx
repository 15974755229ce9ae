/**
 * «Жалобы и блокировки» / "Complaints and blocks" (admins, issue 16), a tab beside the routing
 * rules. The complaints operators filed from the visitor card, newest first, filtered by their
 * state (awaiting a decision, blocked, dismissed, all): who it is about, the reason in words, the
 * comment, who filed it and when, and a link to the dialog. An open one is decided in place —
 * «Заблокировать» (an address range and a note if the admin wishes, with a line on what a block
 * does) or «Отклонить» (a note if he wishes); a decided one shows who decided, when, and the note.
 * Below, the blocks, live and lifted, with who placed and who lifted each and when, and the
 * address range; «Разблокировать» asks first. A refused field is told beside its input, a
 * complaint another admin decided first in words («Жалоба уже рассмотрена»).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BlockView, ComplaintView } from '../../shared/api-types';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import type { ConsoleKey } from '../i18n';
import { ModerationIcon } from '../components/VisitorModeration';
import { pathFor } from '../routes';
import { FieldNote } from './FieldNote';
import {
  blockIssues,
  byWhen,
  FILTERS,
  isLive,
  moderationMessages,
  optional,
  reasonText,
  refusedAt,
  statusText,
  visitorLabel,
  type ComplaintFilter,
} from './moderation';
import { ProblemLine } from './ProblemLine';
import { RulesTabs } from './RulesTabs';
import { useAdmin } from './use-admin';
import '../account.css';
import './moderation.css';

function useModeration() {
  const env = useAdmin();
  useObservable(env.admin.moderation);
  return { ...env, moderation: env.admin.moderation };
}

const FILTER_WORDS: Record<ComplaintFilter, { label: ConsoleKey; empty: ConsoleKey }> = {
  open: { label: 'moderation.filter.open', empty: 'moderation.empty.open' },
  blocked: { label: 'moderation.filter.blocked', empty: 'moderation.empty.blocked' },
  dismissed: { label: 'moderation.filter.dismissed', empty: 'moderation.empty.dismissed' },
  all: { label: 'moderation.filter.all', empty: 'moderation.empty.all' },
};

export function ModerationAdmin() {
  const { moderation, t } = useModeration();

  useEffect(() => {
    void moderation.open();
  }, [moderation]);

  return (
    <section class="admin-section moderation-page">
      <RulesTabs current="moderation" />
      <header class="admin-head">
        <h1 data-testid="moderation-title">{t('moderation.title')}</h1>
        <p>{t('moderation.hint')}</p>
      </header>
      <Complaints />
      <Blocks />
    </section>
  );
}

function Complaints() {
  const { moderation, t, lang } = useModeration();
  const filter = moderation.filter;
  return (
    <div class="admin-card mod-card" role="region" aria-labelledby="mod-complaints-title" data-testid="complaints">
      <div class="mod-card-head">
        <h2 id="mod-complaints-title">{t('moderation.complaints')}</h2>
        <div class="segmented segmented-small" role="group" aria-label={t('moderation.filter_label')} data-testid="complaints-filter">
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              class={filter === f ? 'active' : ''}
              aria-pressed={filter === f}
              onClick={() => void moderation.setFilter(f)}
              data-testid={`complaints-filter-${f}`}
            >
              {t(FILTER_WORDS[f].label)}
            </button>
          ))}
        </div>
      </div>
      {moderation.complaintsProblem && (
        <p class="form-error" role="alert" data-testid="complaints-load-error">
          {problemText(t, lang, moderation.complaintsProblem)}{' '}
          <button type="button" class="link" onClick={() => void moderation.loadComplaints()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {moderation.complaintsLoading && !moderation.complaintsLoaded && <p class="list-note">{t('moderation.loading')}</p>}
      {moderation.complaintsLoaded && moderation.complaints.length === 0 && (
        <p class="list-note" data-testid="complaints-empty">
          {t(FILTER_WORDS[filter].empty)}
        </p>
      )}
      {moderation.complaints.length > 0 && (
        <ul class="mod-complaints" data-testid="complaint-list">
          {moderation.complaints.map((c) => (
            <ComplaintItem key={c.id} complaint={c} />
          ))}
        </ul>
      )}
    </div>
  );
}

type Deciding = 'block' | 'dismiss' | null;

function ComplaintItem({ complaint: c }: { complaint: ComplaintView }) {
  const { state, t, lang } = useModeration();
  const [deciding, setDeciding] = useState<Deciding>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const who = visitorLabel(t, c.visitor);
  const open = c.status === 'open';
  const blockBtn = useRef<HTMLButtonElement>(null);
  const dismissBtn = useRef<HTMLButtonElement>(null);
  const href = pathFor({ view: 'dialogs', dialogId: c.dialog_id });
  const filedWho = c.filed_by?.trim();
  const decidedWho = c.decided_by?.trim();

  // The form went with the focus in it: back to the button that opened it.
  const [back, setBack] = useState<Deciding>(null);
  useEffect(() => {
    if (deciding !== null || back === null) return;
    (back === 'dismiss' ? dismissBtn : blockBtn).current?.focus();
    setBack(null);
  }, [deciding, back]);

  const close = (from: Deciding) => {
    setDeciding(null);
    setBack(from);
  };

  return (
    <li class={`mod-complaint mod-complaint-${c.status}`} data-testid="complaint" data-complaint-id={c.id} data-status={c.status}>
      <div class="mod-complaint-head">
        <strong class="mod-visitor" data-testid="complaint-visitor">
          {who}
        </strong>
        <span class="mod-reason-chip" data-testid="complaint-reason">
          {reasonText(t, c.reason)}
        </span>
        <span class={`mod-status mod-status-${c.status}`} data-testid="complaint-status">
          {c.status === 'blocked' && <ModerationIcon kind="block" size={13} />}
          {c.status === 'dismissed' && <ModerationIcon kind="done" size={13} />}
          {c.status === 'open' && <span class="mod-status-dot" aria-hidden="true" />}
          {statusText(t, c.status)}
        </span>
        <a
          class="mod-open-dialog"
          href={href}
          aria-label={t('moderation.open_dialog_of', { who })}
          onClick={(e) => {
            if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
            e.preventDefault();
            state.navigate({ view: 'dialogs', dialogId: c.dialog_id });
          }}
          data-testid="complaint-open-dialog"
        >
          {t('moderation.open_dialog')} →
        </a>
      </div>
      {c.comment ? (
        <p class="mod-comment" data-testid="complaint-comment">
          {c.comment}
        </p>
      ) : (
        <p class="mod-comment muted" data-testid="complaint-comment">
          {t('moderation.no_comment')}
        </p>
      )}
      <p class="mod-meta" data-testid="complaint-filed">
        {filedWho ? t('moderation.filed_by', { who: byWhen(lang, filedWho, c.filed_at) }) : t('moderation.filed_at', { when: byWhen(lang, null, c.filed_at) })}
      </p>
      {!open && (
        <div class="mod-decided" data-testid="complaint-decided">
          <p class="mod-meta">
            {decidedWho ? t('moderation.decided_by', { who: byWhen(lang, decidedWho, c.decided_at) }) : t('moderation.decided_at', { when: byWhen(lang, null, c.decided_at) })}
          </p>
          {c.note && (
            <p class="mod-note" data-testid="complaint-note">
              {t('moderation.note_shown', { note: c.note })}
            </p>
          )}
        </div>
      )}
      {open && deciding === null && (
        <div class="mod-actions">
          <button
            type="button"
            ref={blockBtn}
            class="btn btn-secondary btn-small btn-danger-quiet"
            aria-label={t('moderation.block_of', { who })}
            onClick={() => {
              setProblem(null);
              setDeciding('block');
            }}
            data-testid="complaint-block"
          >
            <ModerationIcon kind="block" size={14} />
            {t('moderation.block')}
          </button>
          <button
            type="button"
            ref={dismissBtn}
            class="btn btn-secondary btn-small"
            aria-label={t('moderation.dismiss_of', { who })}
            onClick={() => {
              setProblem(null);
              setDeciding('dismiss');
            }}
            data-testid="complaint-dismiss"
          >
            {t('moderation.dismiss')}
          </button>
        </div>
      )}
      {open && deciding !== null && (
        <DecisionForm
          complaint={c}
          action={deciding}
          onCancel={() => close(deciding)}
          onDone={(refused) => {
            setDeciding(null);
            setProblem(refused);
          }}
        />
      )}
      {problem && <ProblemLine problem={problem} testid="complaint-error" />}
    </li>
  );
}

/** Blocking (an address range and a note) or dismissing (a note) one complaint, in place. */
function DecisionForm({ complaint: c, action, onCancel, onDone }: { complaint: ComplaintView; action: 'block' | 'dismiss'; onCancel: () => void; onDone: (refused: Problem | null) => void }) {
  const { moderation, t } = useModeration();
  const form = `decide-${c.id}`;
  const [range, setRange] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const first = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const block = action === 'block';

  useEffect(() => first.current?.focus(), []);

  const own = blockIssues(block ? { ip_range: range, note } : { note });
  const notes = moderationMessages(t, tried ? own : [], problem);
  const fields = block ? ['ip_range', 'note'] : ['note'];

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    setTried(true);
    setProblem(null);
    if (own.length > 0) return;
    setBusy(true);
    const refused = await moderation.decide(c.id, block ? { action: 'block', ip_range: optional(range), note: optional(note) } : { action: 'dismiss', note: optional(note) });
    setBusy(false);
    // Refused at a field: told there, the form stays; else the row tells it (decided elsewhere…).
    if (refused && refusedAt(refused, fields)) setProblem(refused);
    else onDone(refused);
  };

  return (
    <form
      class={`mod-form mod-decision${block ? ' mod-form-block' : ''}`}
      onSubmit={submit}
      noValidate
      aria-label={block ? t('moderation.block_of', { who: visitorLabel(t, c.visitor) }) : t('moderation.dismiss_of', { who: visitorLabel(t, c.visitor) })}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
      data-testid="decision-form"
      data-action={action}
    >
      <p class="mod-hint">{block ? t('moderation.block_what') : t('moderation.dismiss_what')}</p>
      <div class="mod-decision-fields">
        {block && (
          <label class="field">
            <span>{t('moderation.ip_range')}</span>
            <input
              ref={first}
              value={range}
              spellcheck={false}
              autoComplete="off"
              placeholder="203.0.113.0/24"
              aria-invalid={notes.has('ip_range') ? true : undefined}
              aria-describedby={`${form}-range-hint`}
              onInput={(e) => setRange(e.currentTarget.value)}
              data-testid="decision-range"
            />
            <small id={`${form}-range-hint`}>{t('moderation.ip_range_hint')}</small>
            <FieldNote text={notes.get('ip_range')} field="ip_range" />
          </label>
        )}
        <label class="field">
          <span>{t('moderation.note')}</span>
          <textarea
            ref={block ? undefined : first}
            rows={2}
            value={note}
            placeholder={t('moderation.note_placeholder')}
            aria-invalid={notes.has('note') ? true : undefined}
            onInput={(e) => setNote(e.currentTarget.value)}
            data-testid="decision-note"
          />
          <FieldNote text={notes.get('note')} field="note" />
        </label>
      </div>
      <div class="mod-actions">
        <button type="submit" class={`btn btn-small ${block ? 'btn-danger' : 'btn-primary'}`} disabled={busy} data-testid="decision-confirm">
          {block && <ModerationIcon kind="block" size={14} />}
          {block ? (busy ? t('moderation.blocking') : t('moderation.block')) : busy ? t('moderation.dismissing') : t('moderation.dismiss')}
        </button>
        <button type="button" class="btn btn-ghost btn-small" onClick={onCancel} data-testid="decision-cancel">
          {t('moderation.cancel')}
        </button>
      </div>
      {problem && !refusedAt(problem, fields) && <ProblemLine problem={problem} testid="decision-error" />}
    </form>
  );
}

function Blocks() {
  const { moderation, t, lang } = useModeration();
  return (
    <div class="admin-card mod-card" role="region" aria-labelledby="mod-blocks-title" data-testid="blocks">
      <div class="mod-card-head">
        <h2 id="mod-blocks-title">{t('moderation.blocks')}</h2>
        <label class="choice mod-live-only">
          <input type="checkbox" checked={moderation.liveOnly} onChange={(e) => void moderation.setLiveOnly(e.currentTarget.checked)} data-testid="blocks-live-only" />
          <span>{t('moderation.blocks_live_only')}</span>
        </label>
      </div>
      {moderation.blocksProblem && (
        <p class="form-error" role="alert" data-testid="blocks-load-error">
          {problemText(t, lang, moderation.blocksProblem)}{' '}
          <button type="button" class="link" onClick={() => void moderation.loadBlocks()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {moderation.blocksLoading && !moderation.blocksLoaded && <p class="list-note">{t('moderation.blocks_loading')}</p>}
      {moderation.blocksLoaded && moderation.blocks.length === 0 && (
        <p class="list-note" data-testid="blocks-empty">
          {moderation.liveOnly ? t('moderation.blocks_empty_live') : t('moderation.blocks_empty')}
        </p>
      )}
      {moderation.blocks.length > 0 && (
        <div class="mod-table-wrap">
          <table class="admin-table mod-blocks-table" aria-labelledby="mod-blocks-title" data-testid="block-table">
            <thead>
              <tr>
                <th>{t('moderation.col_visitor')}</th>
                <th>{t('moderation.col_reason')}</th>
                <th>{t('moderation.col_range')}</th>
                <th>{t('moderation.col_placed')}</th>
                <th>{t('moderation.col_state')}</th>
              </tr>
            </thead>
            <tbody>
              {moderation.blocks.map((b) => (
                <BlockRow key={b.id} block={b} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function BlockRow({ block: b }: { block: BlockView }) {
  const { moderation, t, lang } = useModeration();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const live = isLive(b);
  const who = b.visitor ? visitorLabel(t, b.visitor) : t('moderation.range_only');

  const lift = async () => {
    const question = b.visitor || !b.ip_range ? t('moderation.unblock_confirm', { who }) : t('moderation.unblock_range_confirm', { range: b.ip_range });
    if (!confirm(question)) return;
    setBusy(true);
    setProblem(null);
    setProblem(await moderation.lift(b.id));
    setBusy(false);
  };

  return (
    <tr class={`mod-block-row${live ? '' : ' is-lifted'}`} data-testid="block-row" data-block-id={b.id} data-live={String(live)}>
      <td data-testid="block-visitor">
        <div class="mod-visitor">{who}</div>
        {b.complaint_id && <div class="muted">{t('moderation.from_complaint')}</div>}
      </td>
      <td data-testid="block-reason">{reasonText(t, b.reason)}</td>
      <td data-testid="block-range">{b.ip_range ? <code class="mod-range">{b.ip_range}</code> : <span class="muted">{t('moderation.no_range')}</span>}</td>
      <td data-testid="block-placed">{byWhen(lang, b.blocked_by, b.blocked_at)}</td>
      <td class="mod-block-state" data-testid="block-state">
        {live ? (
          <>
            <span class="mod-live-mark">
              <ModerationIcon kind="block" size={13} />
              {t('moderation.live')}
            </span>
            <button
              type="button"
              class="btn btn-secondary btn-small"
              disabled={busy}
              aria-label={t('moderation.unblock_of', { who: b.visitor ? who : (b.ip_range ?? who) })}
              onClick={() => void lift()}
              data-testid="block-lift"
            >
              {busy ? t('moderation.unblocking') : t('moderation.unblock')}
            </button>
          </>
        ) : (
          <div data-testid="block-lifted">
            <span class="mod-lifted-mark">{t('moderation.lifted')}</span>
            <div class="muted">{byWhen(lang, b.lifted_by, b.lifted_at)}</div>
          </div>
        )}
        {problem && <ProblemLine problem={problem} testid="block-lift-error" />}
      </td>
    </tr>
  );
}
