/**
 * Where the visitor writes: Enter sends, Shift+Enter starts a new line; a paperclip to attach
 * files (also pasted or dropped; checked against the limits before upload, shown above the
 * text box while they upload) and an emoji picker.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ComposerInput } from '../../shared/ComposerInput';
import { EmojiPicker, insertAtCaret, type EmojiPickerLabels } from '../../shared/EmojiPicker';
import { problemText, useChatEnv } from '../context';
import { refusalText, sizeText, typeNames } from '../files';

export function Composer() {
  const { chat, t, lang } = useChatEnv();
  const [text, setText] = useState('');
  const [picking, setPicking] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const caret = useRef<number | null>(null);
  const drafts = chat.drafts.list();
  const uploading = chat.drafts.uploading();
  const canSend = !uploading && (!!text.trim() || chat.drafts.ready().length > 0);

  useEffect(() => {
    const focus = () => input.current?.focus();
    // "Edit" on a refused message puts its text (and files) back here.
    const edit = (e: Event) => {
      setText((e as CustomEvent<string>).detail);
      focus();
    };
    // Files dropped anywhere in the chat are attached (not opened in place of the chat).
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer?.files.length) chat.attach([...e.dataTransfer.files]);
    };
    addEventListener('frontline:shown', focus);
    addEventListener('frontline:edit', edit);
    addEventListener('dragover', over);
    addEventListener('drop', drop);
    return () => {
      removeEventListener('frontline:shown', focus);
      removeEventListener('frontline:edit', edit);
      removeEventListener('dragover', over);
      removeEventListener('drop', drop);
    };
  }, []);

  // After an emoji went in, the caret goes right after it.
  useEffect(() => {
    const el = input.current;
    if (el && caret.current !== null) {
      el.focus();
      el.setSelectionRange(caret.current, caret.current);
      caret.current = null;
    }
  }, [text]);

  const submit = () => {
    if (!chat.send(text)) return;
    setText('');
    input.current?.focus();
  };

  const pickEmoji = (emoji: string) => {
    const el = input.current;
    const next = insertAtCaret(text, emoji, el?.selectionStart ?? null, el?.selectionEnd ?? null);
    caret.current = next.caret;
    setText(next.value);
    setPicking(false);
  };

  const emojiLabels: EmojiPickerLabels = {
    title: t('emoji.title'),
    groups: { smileys: t('emoji.smileys'), gestures: t('emoji.gestures'), symbols: t('emoji.symbols'), objects: t('emoji.objects') },
  };
  const limits = chat.uploadLimits;

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onPaste={(e) => {
        // A pasted screenshot is a file, not text.
        const pasted = e.clipboardData?.files;
        if (!pasted?.length) return;
        e.preventDefault();
        chat.attach([...pasted]);
      }}
    >
      {drafts.length > 0 && limits && (
        <p class="drafts-hint" data-testid="file-limits">
          {t('composer.file_hint', { count: limits.max_files, max: sizeText(t, lang, limits.max_bytes), types: typeNames(limits.types) })}
        </p>
      )}
      {drafts.length > 0 && (
        <ul class="drafts" data-testid="composer-files">
          {drafts.map((d) => (
            <li key={d.key} class={`draft draft-${d.state}`} data-testid="composer-file" data-state={d.state}>
              {d.state === 'refused' && d.refusal ? (
                <span class="draft-error" role="alert" data-testid="file-refusal">
                  {refusalText(t, lang, d.name, d.refusal, limits, (code) => problemText(t, lang, { code, details: d.refusal?.details ?? {} }))}
                </span>
              ) : (
                <>
                  <span class="draft-name">{d.name}</span>
                  <span class="draft-size">{d.state === 'uploading' ? t('composer.uploading') : sizeText(t, lang, d.size)}</span>
                </>
              )}
              <button
                type="button"
                class="draft-remove"
                aria-label={t('composer.remove_file', { name: d.name })}
                title={t('composer.remove_file', { name: d.name })}
                onClick={() => chat.removeDraft(d.key)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="composer-row">
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          accept={limits?.types.length ? limits.types.join(',') : undefined}
          data-testid="widget-file"
          onChange={(e) => {
            const files = e.currentTarget.files;
            if (files?.length) chat.attach([...files]);
            // The same file can be picked again after it was removed.
            e.currentTarget.value = '';
          }}
        />
        <button
          type="button"
          class="tool-btn"
          aria-label={t('composer.attach')}
          title={limits ? `${t('composer.attach')}. ${t('composer.file_hint', { count: limits.max_files, max: sizeText(t, lang, limits.max_bytes), types: typeNames(limits.types) })}` : t('composer.attach')}
          data-testid="composer-attach"
          onClick={() => fileInput.current?.click()}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
              d="M20.5 11.5l-8.2 8.2a5 5 0 01-7.1-7.1l8.5-8.5a3.3 3.3 0 014.7 4.7l-8.5 8.5a1.7 1.7 0 01-2.4-2.4l7.8-7.8"
              fill="none"
              stroke="currentColor"
              stroke-width="1.8"
              stroke-linecap="round"
              stroke-linejoin="round"
            />
          </svg>
        </button>
        <button
          type="button"
          class="tool-btn"
          ref={emojiButton}
          aria-label={t('composer.emoji')}
          aria-expanded={picking}
          title={t('composer.emoji')}
          data-testid="composer-emoji"
          onClick={() => setPicking(!picking)}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <g fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round">
              <circle cx="12" cy="12" r="9" />
              <path d="M8.5 14.5a4.5 4.5 0 007 0" />
            </g>
            <circle cx="9" cy="10" r="1.2" fill="currentColor" />
            <circle cx="15" cy="10" r="1.2" fill="currentColor" />
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
        <ComposerInput
          inputRef={input}
          rows={1}
          maxHeight={120}
          value={text}
          placeholder={t('composer.placeholder')}
          onInput={(value) => {
            setText(value);
            chat.noteTyping(value);
          }}
          onSubmit={submit}
        />
        <button type="submit" class="send-btn" disabled={!canSend} aria-label={t('composer.send')} title={t('composer.send')} data-testid="composer-send">
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path d="M4 12l16-8-6 16-2.5-6.5z" fill="currentColor" />
          </svg>
        </button>
      </div>
    </form>
  );
}
