/**
 * The quality guard in the composer (issue 17): the found spans marked in place behind the
 * text box (`GuardMirror`), the hits as short lines right under it (`GuardHits`), and the block
 * shown when a blocked reply is sent (`GuardBlock`): a reason and "Send with reason" when the
 * rules allow it, else a word that it cannot go as written.
 *
 * The marks are a mirror: a copy of the text, transparent, with the same box, font and
 * wrapping as the textarea, drawn under it (the textarea's own background is transparent), and
 * scrolled with it. It is decoration only (`aria-hidden`); the lines under the box say the same
 * in words and are the textarea's description. Warnings and blocks differ in shape and words,
 * not in colour alone: a triangle and a wavy underline for a warning, a round "no" sign, a solid
 * underline and "Will not send" for a block.
 */
import type { Ref } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useConsole } from '../context';
import { hitLines, markRuns, REASON_MAX, type HitView } from '../quality';
import '../quality.css';

/** The marks under the text box; `input` is the textarea it mirrors. */
export function GuardMirror({ text, hits, input }: { text: string; hits: readonly HitView[]; input: { current: HTMLTextAreaElement | null } }) {
  const mirror = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const el = input.current;
    const m = mirror.current;
    if (!el || !m) return;
    const follow = () => {
      // A scrollbar in the textarea narrows its text: the copy narrows by as much.
      const style = getComputedStyle(el);
      const borders = parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth) || 0;
      const bar = Math.max(0, el.offsetWidth - el.clientWidth - borders);
      m.style.paddingRight = `calc(${style.paddingRight} + ${bar}px)`;
      m.scrollTop = el.scrollTop;
      m.scrollLeft = el.scrollLeft;
    };
    follow();
    el.addEventListener('scroll', follow);
    return () => el.removeEventListener('scroll', follow);
  });

  return (
    <div class="guard-mirror" ref={mirror} aria-hidden="true" data-testid="guard-mirror">
      {markRuns(text, hits).map((run, i) =>
        run.level ? (
          <mark key={i} class={`guard-mark guard-mark-${run.level}`} data-level={run.level}>
            {run.text}
          </mark>
        ) : (
          run.text
        ),
      )}
      {/* A last empty line still takes its height, as in the textarea. */}
      {'\u200b'}
    </div>
  );
}

/** A warning's triangle or a block's round "no" sign. */
export function GuardIcon({ block }: { block: boolean }) {
  return block ? (
    <svg class="guard-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.8" />
      <path d="M3.6 12.4 12.4 3.6" stroke="currentColor" stroke-width="1.8" />
    </svg>
  ) : (
    <svg class="guard-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M8 1.8 15 14H1z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
      <path d="M8 6.2v3.6M8 11.4v.6" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
    </svg>
  );
}

const SHOWN = 4;

/** The hits as lines right under the box: blocks first, then warnings; a long list folds after four. */
export function GuardHits({ id, hits }: { id: string; hits: readonly HitView[] }) {
  const { t } = useConsole();
  const lines = hitLines(t, hits);
  return (
    <ul class="guard-hits" id={id} aria-label={t('quality.hits_label')} aria-live="polite" data-testid="guard-hits" hidden={lines.length === 0}>
      {lines.slice(0, SHOWN).map((l) => (
        <li key={l.key} class={`guard-hit guard-hit-${l.block ? 'block' : 'warn'}`} data-testid="guard-hit" data-rule={l.hit.rule} data-mode={l.hit.mode}>
          <GuardIcon block={l.block} />
          {l.block ? <strong class="guard-level">{t('quality.level_block')}: </strong> : <span class="visually-hidden">{t('quality.level_warn')}: </span>}
          <span class="guard-hit-text">{l.text}</span>
        </li>
      ))}
      {lines.length > SHOWN && (
        <li class="guard-hit guard-hit-more" title={lines.slice(SHOWN).map((l) => l.text).join('\n')}>
          {t('quality.more', { n: lines.length - SHOWN })}
        </li>
      )}
    </ul>
  );
}

export interface BlockShown {
  /** The hits that block. */
  hits: HitView[];
  /** Every block allows a reason (`guard_override`). */
  allowOverride: boolean;
  /** The server refused the send (the text came back to the box). */
  refused: boolean;
}

/** The block, under the hits: why it cannot go, and what can be done. */
export function GuardBlock({
  shown,
  reason,
  reasonRef,
  onReason,
  onSend,
  onEdit,
}: {
  shown: BlockShown;
  reason: string;
  reasonRef: Ref<HTMLInputElement>;
  onReason: (reason: string) => void;
  onSend: () => void;
  onEdit: () => void;
}) {
  const { t } = useConsole();
  const ready = !!reason.trim();
  return (
    <div class="guard-block" role="alert" data-testid="guard-block" data-override={shown.allowOverride} data-refused={shown.refused}>
      <p class="guard-block-title">
        <GuardIcon block />
        <strong>{t('quality.blocked_title')}</strong>
        {shown.refused && <span class="guard-block-back"> {t('quality.refused_back')}</span>}
      </p>
      <p class="guard-block-what">{shown.allowOverride ? t('quality.blocked_override') : t('quality.blocked_fix')}</p>
      <div class="guard-block-actions">
        {shown.allowOverride && (
          <>
            <label class="guard-reason">
              <span class="visually-hidden">{t('quality.reason_label')}</span>
              <input
                ref={reasonRef}
                value={reason}
                maxLength={REASON_MAX}
                placeholder={t('quality.reason_placeholder')}
                onInput={(e) => onReason(e.currentTarget.value)}
                onKeyDown={(e) => {
                  // Inside the composer's form: Enter sends with the reason, never the plain send.
                  if (e.key === 'Enter' && !e.isComposing) {
                    e.preventDefault();
                    if (ready) onSend();
                  }
                }}
                data-testid="guard-reason"
              />
            </label>
            <button type="button" class="btn btn-primary btn-small" disabled={!ready} onClick={onSend} data-testid="guard-send-reason">
              {t('quality.send_with_reason')}
            </button>
          </>
        )}
        <button type="button" class="btn btn-secondary btn-small" onClick={onEdit} data-testid="guard-edit">
          {t('quality.edit_text')}
        </button>
      </div>
    </div>
  );
}
