/**
 * The box under the timeline: a reply to the visitor or, switched to "Note", an internal note
 * only operators see (yellow, with `@` mentions). Enter sends, Shift+Enter adds a line; "/" at
 * the start opens the saved replies, Ctrl+1..9 inserts the reply pinned to that number; an emoji picker; files
 * by the paperclip or by pasting, checked against the limits before they upload; a form to fill sent
 * to a website visitor (SendFormMenu). A reply is checked by the quality guard as it is typed
 * (DraftGuard, quality.ts): the found words marked in the box and named under it; a blocked
 * reply is held back with a way to send it with a reason, as is one the server refused.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SavedReplyView } from '../../shared/api-types';
import { ComposerInput } from '../../shared/ComposerInput';
import { EmojiPicker, insertAtCaret, type EmojiPickerLabels } from '../../shared/EmojiPicker';
import { PendingFiles } from '../composer-files';
import { toProblem } from '../console-state';
import { problemText, useConsole } from '../context';
import { refusalText, sizeText, uploadProblemText } from '../files';
import { insertMention, matchOperators, mentionAt, mentionDone } from '../mentions';
import { blockAllowsOverride, DraftChecker, isBlock, refusalHits, refusedByGuard } from '../quality';
import { fillReply, orderedReplies, searchReplies, shortcutNumber, shortcutOf, shortcutReply, slashQuery } from '../saved-replies';
import { GuardBlock, GuardHits, GuardMirror, type BlockShown } from './DraftGuard';
import { FileChips } from './FileChips';
import { MentionPopup } from './MentionPopup';
import { SavedRepliesPopup } from './SavedRepliesPopup';
import { SendFormMenu } from './SendFormMenu';

type Mode = 'reply' | 'note';

interface Draft {
  text: string;
  mode: Mode;
  files: PendingFiles;
  /** A blocked reply held back (until the text changes or it goes with a reason). */
  blocked: BlockShown | null;
  /** The reason typed for sending past a block. */
  reason: string;
}

/** Drafts (text, mode, files) survive switching between dialogs. */
const drafts = new Map<string, Draft>();
function draftFor(dialogId: string): Draft {
  let d = drafts.get(dialogId);
  if (!d) drafts.set(dialogId, (d = { text: '', mode: 'reply', files: new PendingFiles(), blocked: null, reason: '' }));
  return d;
}

export function Composer({ dialogId }: { dialogId: string }) {
  const { state, t, lang } = useConsole('lists', 'dialog', 'tools', 'team');
  const draft = draftFor(dialogId);
  const { text, mode, files } = draft;
  const [, setVersion] = useState(0);
  const redraw = () => setVersion((n) => n + 1);
  const [caret, setCaret] = useState(0);
  const [picking, setPicking] = useState(false);
  const [index, setIndex] = useState(0);
  /** The text at which Esc closed a popup: it stays closed until the text changes. */
  const [dismissed, setDismissed] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const nextCaret = useRef<number | null>(null);
  const reasonInput = useRef<HTMLInputElement>(null);
  const focusReason = useRef(false);
  const checker = useMemo(() => new DraftChecker((id, body) => state.checkDraft(id, body), redraw), [state]);

  const dialog = state.lists.dialogs.get(dialogId);
  const meId = state.session.me?.operator.id ?? null;
  const limits = state.uploadLimits();
  const replies = orderedReplies(state.tools.savedReplies, dialog?.channel_id ?? null);
  const slash = slashQuery(text);
  const showReplies = slash !== null && dismissed !== text;
  const replyHits = showReplies ? searchReplies(replies, slash) : [];
  const typedMention = mode === 'note' && !showReplies && dismissed !== text ? mentionAt(text, caret) : null;
  const mention = typedMention && !mentionDone(typedMention.query, state.team.operators.values()) ? typedMention : null;
  const mentionHits = mention ? matchOperators(state.team.operators.values(), mention.query, meId) : [];
  const listLength = showReplies ? replyHits.length : mention ? mentionHits.length : 0;
  const at = Math.max(0, Math.min(index, listLength - 1));
  const uploading = files.uploading();
  const canSend = !uploading && (!!text.trim() || files.ready().length > 0);
  // The guard reads replies to the visitor, not notes nor a "/" search for a saved reply.
  const guarded = mode === 'reply' && slash === null;
  const hits = guarded ? checker.hitsFor(dialogId, text) : [];
  const blocked = guarded ? draft.blocked : null;
  const hitsId = `guard-hits-${dialogId}`;

  useEffect(() => {
    if (guarded) checker.request(dialogId, text);
    else checker.stop();
  }, [dialogId, text, guarded]);
  useEffect(() => () => checker.stop(), [checker]);

  // The hits are the text box's description (the marks behind it are decoration only).
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    if (hits.length > 0) el.setAttribute('aria-describedby', hitsId);
    else el.removeAttribute('aria-describedby');
  });

  // A reply the server refused as blocked comes back to the box, with the block shown (unless
  // something new is being written here: then it waits in the timeline, with "Edit").
  useEffect(() => {
    const refused = refusedByGuard(state.dialog.loaded.get(dialogId)?.messages.outbox.list() ?? []);
    if (!refused || draft.text.trim() || files.chips.length > 0) return;
    state.discard(dialogId, refused.client_id);
    const details = refused.error?.details ?? {};
    const found = refusalHits(details);
    const blocks = found.filter(isBlock);
    draft.mode = 'reply';
    files.restore(refused.attachments ?? []);
    draft.blocked = {
      hits: blocks,
      allowOverride: blocks.length > 0 ? blockAllowsOverride(found) : details.allow_override === true,
      refused: true,
    };
    if (refused.guardOverride) draft.reason = refused.guardOverride;
    checker.known(dialogId, refused.body, found);
    focusReason.current = true;
    setText(refused.body, refused.body.length);
  });

  // The block just showed: the reason field takes the focus (when there is one).
  useEffect(() => {
    if (!focusReason.current) return;
    focusReason.current = false;
    if (reasonInput.current) reasonInput.current.focus();
  });

  useEffect(() => {
    setCaret(input.current?.selectionStart ?? 0);
    setPicking(false);
    setDismissed(null);
    // A dialog opened by a move through the list with the keyboard keeps the focus on its row.
    if (state.dialog.focusWish !== 'row') input.current?.focus();
    // "Edit" on a refused message puts its text back here.
    const edit = (e: Event) => {
      const { dialogId: target, body } = (e as CustomEvent<{ dialogId: string; body: string }>).detail;
      if (target !== dialogId) return;
      draftFor(dialogId).text = body;
      draftFor(dialogId).blocked = null;
      redraw();
      input.current?.focus();
    };
    addEventListener('frontline:edit', edit);
    return () => removeEventListener('frontline:edit', edit);
  }, [dialogId]);

  useEffect(() => setIndex(0), [slash, mention?.query, mention?.start]);

  // Asked for by an action whose button went away (accepting the dialog): the reply box takes the focus.
  useEffect(() => {
    if (state.takeFocus('composer')) input.current?.focus();
  });

  // After an insertion the caret goes right after what went in.
  useEffect(() => {
    const el = input.current;
    if (el && nextCaret.current !== null) {
      el.focus();
      el.setSelectionRange(nextCaret.current, nextCaret.current);
      setCaret(nextCaret.current);
      nextCaret.current = null;
    }
  });

  const setText = (value: string, caretAt?: number) => {
    draft.text = value;
    if (caretAt !== undefined) nextCaret.current = caretAt;
    redraw();
  };

  const update = (value: string) => {
    // The text changed: a block shown for the text before is gone (the check answers anew).
    draft.blocked = null;
    setText(value);
    setCaret(input.current?.selectionStart ?? value.length);
    // Typing is shown to the visitor for replies only, never for notes or a "/" search.
    if (draft.mode === 'reply' && value.trim() && !value.startsWith('/')) state.typed(dialogId);
  };

  const setMode = (m: Mode) => {
    draft.mode = m;
    draft.blocked = null;
    redraw();
    input.current?.focus();
  };

  const fill = (r: SavedReplyView) =>
    fillReply(r.body, {
      visitorName: state.dialog.cards.get(dialogId)?.card?.name ?? dialog?.visitor.name,
      operatorName: state.session.me?.operator.display_name,
    });

  const insertReply = (r: SavedReplyView) => {
    const filled = fill(r);
    if (slashQuery(draft.text) !== null) {
      setText(filled, filled.length);
      return;
    }
    const el = input.current;
    const next = insertAtCaret(draft.text, filled, el?.selectionStart ?? null, el?.selectionEnd ?? null);
    setText(next.value, next.caret);
  };

  const pickMention = (name: string) => {
    if (!mention) return;
    const next = insertMention(draft.text, mention, caret, name);
    setText(next.value, next.caret);
  };

  const onKey = (e: KeyboardEvent): boolean => {
    const n = shortcutNumber(e);
    if (n !== null) {
      e.preventDefault();
      const r = shortcutReply(state.tools.savedReplies, state.session.me?.profile?.shortcuts, n, replies);
      if (r) insertReply(r);
      return true;
    }
    if (!showReplies && !mention) return false;
    if (e.key === 'Escape') {
      e.preventDefault();
      setDismissed(draft.text);
      return true;
    }
    if (listLength === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setIndex((at + (e.key === 'ArrowDown' ? 1 : listLength - 1)) % listLength);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey && !e.isComposing) || e.key === 'Tab') {
      e.preventDefault();
      if (showReplies) insertReply(replyHits[at]);
      else pickMention(mentionHits[at].display_name);
      return true;
    }
    return false;
  };

  const attach = (list: FileList | File[] | null | undefined) => {
    if (!list || list.length === 0) return;
    const started = files.add([...list], limits);
    redraw();
    for (const { chip, file } of started) {
      state.upload(file).then(
        (u) => {
          files.done(chip.key, u);
          redraw();
        },
        (e: unknown) => {
          files.failed(chip.key, toProblem(e));
          redraw();
        },
      );
    }
  };

  const send = (guardOverride?: string) => {
    state.send(dialogId, draft.text, { internal: draft.mode === 'note', attachments: files.ready(), guardOverride });
    files.clear();
    draft.blocked = null;
    draft.reason = '';
    setText('');
    setPicking(false);
    input.current?.focus();
  };

  const submit = () => {
    if (!canSend) return;
    // A block found in exactly this text holds the reply back; a check not back yet does not
    // (the server checks again, and its refusal brings the text back here).
    const known = guarded && checker.answered(dialogId, draft.text) ? checker.hitsFor(dialogId, draft.text) : [];
    const blocks = known.filter(isBlock);
    if (blocks.length > 0) {
      draft.blocked = { hits: blocks, allowOverride: blockAllowsOverride(known), refused: false };
      focusReason.current = true;
      redraw();
      return;
    }
    send();
  };

  const sendWithReason = () => {
    const reason = draft.reason.trim();
    if (!reason || !canSend) return;
    send(reason);
  };

  const editText = () => {
    draft.blocked = null;
    redraw();
    input.current?.focus();
  };

  const pickEmoji = (emoji: string) => {
    const el = input.current;
    const next = insertAtCaret(draft.text, emoji, el?.selectionStart ?? null, el?.selectionEnd ?? null);
    setText(next.value, next.caret);
    setPicking(false);
  };

  const emojiLabels: EmojiPickerLabels = {
    title: t('composer.emoji'),
    groups: { smileys: t('emoji.smileys'), gestures: t('emoji.gestures'), symbols: t('emoji.symbols'), objects: t('emoji.objects') },
  };
  const failures = files.chips.filter((c) => c.state === 'failed');
  const note = mode === 'note';

  return (
    <form
      id="composer"
      class={`composer${note ? ' composer-note' : ''}`}
      data-testid="composer"
      data-mode={mode}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {showReplies && (
        <SavedRepliesPopup all={replies} pin={(r) => shortcutOf(state.session.me?.profile?.shortcuts, r, replies)} hits={replyHits} index={at} onPick={insertReply} onHover={setIndex} channelName={(id) => state.channelName(id)} preview={fill} />
      )}
      {mention && <MentionPopup operators={mentionHits} index={at} onPick={(o) => pickMention(o.display_name)} onHover={setIndex} />}
      <div class={`composer-box${guarded ? ' guarded' : ''}`}>
        {guarded && <GuardMirror text={text} hits={hits} input={input} />}
        <ComposerInput
          inputRef={input}
          rows={2}
          maxHeight={200}
          value={text}
          placeholder={note ? t('composer.note_placeholder') : t('composer.placeholder')}
          onInput={update}
          onSubmit={submit}
          onKey={onKey}
          onCaret={() => setCaret(input.current?.selectionStart ?? 0)}
          onPaste={(e) => {
            const pasted = e.clipboardData?.files;
            if (pasted && pasted.length > 0) {
              e.preventDefault();
              attach(pasted);
            }
          }}
        />
      </div>
      {guarded && <GuardHits id={hitsId} hits={hits} />}
      {blocked && (
        <GuardBlock
          shown={blocked}
          reason={draft.reason}
          reasonRef={reasonInput}
          onReason={(r) => {
            draft.reason = r;
            redraw();
          }}
          onSend={sendWithReason}
          onEdit={editText}
        />
      )}
      <FileChips chips={files.chips} onRemove={(key) => (files.remove(key), redraw())} />
      {(files.refused.length > 0 || failures.length > 0) && (
        <ul class="composer-refusals" role="alert" data-testid="composer-refusals">
          {files.refused.map((r, i) => (
            <li key={`r${i}`} data-refusal={r.refusal}>
              {limits ? refusalText(t, lang, r.refusal, r.name, limits) : r.name}
            </li>
          ))}
          {failures.map((c) => (
            <li key={c.key} data-refusal={c.error?.code}>
              {uploadProblemText(t, lang, c.name, c.error?.code ?? 'internal', c.error?.details ?? {}, c.error ? problemText(t, lang, c.error) : '')}
            </li>
          ))}
        </ul>
      )}
      <div class="composer-foot">
        <div class="composer-tools">
          {/* Reply or note: beside the tools rather than on a line of its own, so the timeline keeps the height. */}
          <div class="segmented segmented-small composer-mode" role="tablist" aria-label={t('composer.mode_label')}>
            {(['reply', 'note'] as const).map((m) => (
              <button
                key={m}
                type="button"
                role="tab"
                aria-selected={mode === m}
                class={`${mode === m ? 'active' : ''} mode-${m}`}
                onClick={() => setMode(m)}
                data-testid={`composer-mode-${m}`}
              >
                {m === 'reply' ? t('composer.mode_reply') : t('composer.mode_note')}
              </button>
            ))}
          </div>
          <div class="emoji-anchor">
            <button
              type="button"
              class={`icon-btn${picking ? ' on' : ''}`}
              ref={emojiButton}
              aria-label={t('composer.emoji')}
              title={t('composer.emoji')}
              aria-expanded={picking}
              onClick={() => setPicking(!picking)}
              data-testid="composer-emoji"
            >
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="1.8" />
                <circle cx="9" cy="10" r="1.3" fill="currentColor" />
                <circle cx="15" cy="10" r="1.3" fill="currentColor" />
                <path d="M8 14.5c1 1.5 2.4 2.2 4 2.2s3-.7 4-2.2" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
              </svg>
            </button>
            {picking && (
              <EmojiPicker
                labels={emojiLabels}
                toggleRef={emojiButton}
                onPick={pickEmoji}
                onClose={() => {
                  setPicking(false);
                  input.current?.focus();
                }}
              />
            )}
          </div>
          <button
            type="button"
            class="icon-btn"
            aria-label={t('composer.attach')}
            title={limits ? `${t('composer.attach')}. ${t('upload.limits', { n: limits.max_files, max: sizeText(t, lang, limits.max_bytes) })}` : t('composer.attach')}
            onClick={() => fileInput.current?.click()}
            data-testid="composer-attach"
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path
                d="M16.5 6.5 8.9 14.1a2 2 0 0 0 2.8 2.8l7.4-7.4a4 4 0 0 0-5.7-5.7L5.9 11.3a6 6 0 0 0 8.5 8.5l6.1-6.1"
                fill="none"
                stroke="currentColor"
                stroke-width="1.8"
                stroke-linecap="round"
                stroke-linejoin="round"
              />
            </svg>
          </button>
          {dialog && <SendFormMenu dialog={dialog} />}
          <input
            type="file"
            multiple
            hidden
            ref={fileInput}
            accept={limits?.types.length ? limits.types.join(',') : undefined}
            onChange={(e) => {
              attach(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
            data-testid="composer-file"
          />
          {note ? (
            <span class="composer-hint composer-note-hint">{t('composer.note_hint')}</span>
          ) : (
            <span class="composer-hint" title={`${t('composer.hint')} · ${t('composer.shortcuts_hint')}`}>
              {t('composer.hint')} · {t('composer.shortcuts_hint')}
            </span>
          )}
        </div>
        <button
          type="submit"
          class={`btn ${note ? 'btn-note' : 'btn-primary'}`}
          disabled={!canSend}
          title={uploading ? t('composer.wait_uploads') : undefined}
          data-testid="composer-send"
        >
          {note ? t('composer.send_note') : t('composer.send')}
        </button>
      </div>
    </form>
  );
}
