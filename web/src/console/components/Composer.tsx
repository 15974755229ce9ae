/** The reply box under the timeline: Enter sends, Shift+Enter adds a line. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useConsole } from '../context';

/** Drafts survive switching between dialogs. */
const drafts = new Map<string, string>();

export function Composer({ dialogId }: { dialogId: string }) {
  const { state, t } = useConsole();
  const [text, setText] = useState(() => drafts.get(dialogId) ?? '');
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setText(drafts.get(dialogId) ?? '');
    input.current?.focus();
    // "Edit" on a refused message puts its text back here.
    const edit = (e: Event) => {
      const { dialogId: target, body } = (e as CustomEvent<{ dialogId: string; body: string }>).detail;
      if (target !== dialogId) return;
      setText(body);
      drafts.set(dialogId, body);
      input.current?.focus();
    };
    addEventListener('frontline:edit', edit);
    return () => removeEventListener('frontline:edit', edit);
  }, [dialogId]);

  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [text]);

  const update = (value: string) => {
    setText(value);
    if (value) drafts.set(dialogId, value);
    else drafts.delete(dialogId);
  };

  const submit = () => {
    if (!text.trim()) return;
    state.send(dialogId, text);
    update('');
    input.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={input}
        rows={2}
        value={text}
        placeholder={t('composer.placeholder')}
        aria-label={t('composer.placeholder')}
        onInput={(e) => update(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
        data-testid="composer-input"
      />
      <div class="composer-foot">
        <span class="composer-hint">{t('composer.hint')}</span>
        <button type="submit" class="btn btn-primary" disabled={!text.trim()} data-testid="composer-send">
          {t('composer.send')}
        </button>
      </div>
    </form>
  );
}
